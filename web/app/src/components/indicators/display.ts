import { useI18n } from 'vue-i18n';
import type { Answer } from '../../api';

export type Board = Answer<'/api/indicators', 'get'>;
export type CatalogueEntry = Board['items'][number];
export type IndicatorValue = CatalogueEntry['values'][number];
export type ProgressPage = Answer<'/api/indicators/progress', 'get'>;
export type ProgressRow = ProgressPage['items'][number];
export type Scorecard = Answer<'/api/scorecard', 'get'>;

/** Comparators as the targets are written (≥ 85 %). */
export const COMPARATORS = { gte: '≥', gt: '>', lte: '≤', lt: '<', eq: '=' } as const;

/**
 * How the indicator pages word and format what the API gives: names, units and owners in the reader's language
 * (the catalogue carries both), numbers to two decimals with their unit, a value's provenance and missing inputs.
 */
export function useIndicatorText() {
  const { t, te, locale } = useI18n();
  const english = () => locale.value === 'en';
  const name = (i: { nameZh: string; nameEn: string }): string => (english() ? i.nameEn : i.nameZh);
  const unitOf = (i: { unit: string; unitEn: string }): string => (english() ? i.unitEn : i.unit);
  const owner = (i: { owner: string; ownerEn: string }): string => (english() ? i.ownerEn : i.owner);
  const formula = (i: { formulaText: string; formulaEn: string }): string =>
    english() ? i.formulaEn : i.formulaText;
  /** A number to two decimals with its unit; '%' sticks to the number, other units follow a space. */
  const number = (v: number | null | undefined, unit = ''): string => {
    if (v === null || v === undefined) return '—';
    const text = (Math.round(v * 100) / 100).toLocaleString(english() ? 'en' : 'zh-CN');
    return unit === '%' ? `${text}%` : unit ? `${text} ${unit}` : text;
  };
  const inputName = (input: string): string =>
    te(`indicators.inputs.${input}`) ? t(`indicators.inputs.${input}`) : input;
  const missing = (v: IndicatorValue): string =>
    t('indicators.missing', { inputs: v.missing.map(inputName).join(english() ? ', ' : '、') });
  const provenance = (v: IndicatorValue): string =>
    v.provenance.kind === 'analysis'
      ? t('indicators.run', { id: v.provenance.runId })
      : t('indicators.report', { by: v.provenance.by });
  return { name, unitOf, owner, formula, number, missing, provenance };
}
