import { actorOf, recordAudit } from '../audit/index.js';
import { LifeCircleError } from '../errors.js';
import { defineCommand, requireCovers } from '../policy/index.js';
import type { Store } from '../store/index.js';
import { DEFAULT_DRAW_CONFIG, type DrawConfig } from './inspections.js';
import {
  DEFAULT_SAMPLING_RATIOS,
  RISK_CLASSES,
  type RiskClass,
  type RuleSource,
  type SamplingRange,
} from './rules.js';

/** The name of the 双随机 sampling rule in the store's city rules. */
export const SAMPLING_RULE = 'inspections.sampling';

/** The 双随机 sampling rule a city draws by: its own, or LifeCircle's national default until it adopts one. */
export interface SamplingRule {
  ratios: Record<RiskClass, number>;
  /** The ranges the city's rule allows per class (null: the rule gives none; the national default gives none). */
  ranges: Record<RiskClass, SamplingRange> | null;
  source: RuleSource;
  /** True for a rule the city adopted; false for the national default. */
  adopted: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

interface StoredValue {
  ratios: Record<RiskClass, number>;
  ranges: Record<RiskClass, SamplingRange> | null;
}

/** The city's rule, or the national default (labelled as LifeCircle's, `project-default`) when it has none. */
export async function samplingRuleOf(
  store: Pick<Store, 'cityRules'>,
  cityCode: string,
): Promise<SamplingRule> {
  const kept = await store.cityRules.get(cityCode, SAMPLING_RULE);
  if (!kept)
    return {
      ratios: { ...DEFAULT_SAMPLING_RATIOS.value },
      ranges: null,
      source: DEFAULT_SAMPLING_RATIOS.source,
      adopted: false,
      updatedBy: null,
      updatedAt: null,
    };
  const value = kept.value as StoredValue;
  return {
    ratios: value.ratios,
    ranges: value.ranges,
    source: { ...kept.source, status: 'local' },
    adopted: true,
    updatedBy: kept.updatedBy,
    updatedAt: kept.updatedAt,
  };
}

/**
 * The draw configuration of a rule: its ratios, its ranges, its source. An adopted rule's source is its document
 * and address only, so that the published re-run command (`--rule-document`, `--rule-url`) gives the same draw.
 */
export function drawConfigOf(rule: SamplingRule): DrawConfig {
  const source: RuleSource = rule.adopted
    ? {
        document: rule.source.document,
        ...(rule.source.url ? { url: rule.source.url } : {}),
        status: 'local',
      }
    : rule.source;
  return {
    ...DEFAULT_DRAW_CONFIG,
    ratios: rule.ratios,
    ranges: rule.ranges,
    sources: { ...DEFAULT_DRAW_CONFIG.sources, ratios: source },
  };
}

export interface SetSamplingRuleInput {
  /** The city (default: the one the caller plans for). */
  cityCode?: string;
  /** Back to the national default: the city's rule is removed. */
  reset?: boolean;
  ratios?: Record<RiskClass, number>;
  ranges?: Record<RiskClass, SamplingRange> | null;
  /** The document the rule comes from (required): the city's own 文件, named as published. */
  document?: string;
  url?: string;
  clause?: string;
  note?: string;
}

const fail = (message: string) => new LifeCircleError('LC_SUPERVISION_CONFIG', message);
const isRatio = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/** Checks a rule's values; the error names the class and what was expected. */
function checkRule(
  input: SetSamplingRuleInput,
): StoredValue & { source: { document: string; url?: string; clause?: string; note?: string } } {
  const document = input.document?.trim() ?? '';
  if (!document || document.length > 300)
    throw fail(
      'document: name the document the rule comes from (1–300 characters), e.g. the city’s 文件 and 文号',
    );
  if (input.url !== undefined && !/^https?:\/\/\S+$/.test(input.url))
    throw fail(`url: expected an http(s) address, got '${input.url}'`);
  const ratios = input.ratios ?? ({} as Record<RiskClass, number>);
  for (const k of RISK_CLASSES)
    if (!isRatio(ratios[k]))
      throw fail(`ratios.${k}: expected a ratio from 0 to 1, got ${JSON.stringify(ratios[k])}`);
  // The national principle: the riskier the class, the more is inspected.
  for (let i = 1; i < RISK_CLASSES.length; i++) {
    const [lower, higher] = [RISK_CLASSES[i - 1], RISK_CLASSES[i]];
    if (ratios[higher] < ratios[lower])
      throw fail(
        `ratios.${higher}: ${ratios[higher]} is below class ${lower}'s ${ratios[lower]}; a riskier class is inspected at least as often (A ≤ B ≤ C ≤ D)`,
      );
  }
  const ranges = input.ranges ?? null;
  if (ranges)
    for (const k of RISK_CLASSES) {
      const r = ranges[k];
      if (!r || !isRatio(r.min) || !isRatio(r.max) || r.min > r.max)
        throw fail(`ranges.${k}: expected { min, max } with 0 ≤ min ≤ max ≤ 1, got ${JSON.stringify(r)}`);
      if (ratios[k] < r.min || ratios[k] > r.max)
        throw fail(`ratios.${k}: ${ratios[k]} lies outside the rule's own range ${r.min}–${r.max}`);
    }
  const source = {
    document,
    ...(input.url ? { url: input.url } : {}),
    ...(input.clause?.trim() ? { clause: input.clause.trim() } : {}),
    ...(input.note?.trim() ? { note: input.note.trim() } : {}),
  };
  return { ratios: { ...ratios }, ranges: ranges && { ...ranges }, source };
}

/**
 * `inspections.setSamplingRule`: a city adopts its own 双随机 sampling rule (ratios per risk class, optionally the
 * ranges its rule allows, and the document it comes from), or goes back to the national default (`reset`). Staff
 * must cover the whole city. One transaction, one audit record.
 */
export const setSamplingRule = defineCommand<SetSamplingRuleInput, SamplingRule>({
  name: 'inspections.setSamplingRule',
  permission: 'inspections.configure',
  async run({ store, cityCode }, viewer, input) {
    const city = input.cityCode ?? cityCode;
    const checked = input.reset ? null : checkRule(input);
    requireCovers(viewer, { label: `the sampling rule of city ${city}`, regionCode: city });
    if (!(await store.cities.get(city)))
      throw new LifeCircleError(
        'LC_NOT_FOUND',
        `city ${city} is not set up; run lifecircle city create ${city} first`,
      );
    await store.transaction(async (tx) => {
      const before = checked
        ? await tx.cityRules.put({
            cityCode: city,
            rule: SAMPLING_RULE,
            value: { ratios: checked.ratios, ranges: checked.ranges },
            source: checked.source,
            updatedBy: viewer.username,
          })
        : await tx.cityRules.remove(city, SAMPLING_RULE);
      await recordAudit(tx, actorOf(viewer), {
        action: checked ? (before ? 'update' : 'create') : 'delete',
        entity: 'city_rules',
        key: `${city}/${SAMPLING_RULE}`,
        before,
        after: checked ? { ratios: checked.ratios, ranges: checked.ranges, source: checked.source } : null,
      });
    });
    return samplingRuleOf(store, city);
  },
});
