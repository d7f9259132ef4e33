/** Small DOM helpers shared by every view of the dashboard. */
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Escapes text for innerHTML. */
export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One rule for every distance on screen (issue 14): whole metres below 1 km, kilometres with one decimal from 1 km;
 * 米/公里 in Chinese, m/km in English.
 */
export const fmtDistance = (m: number | null | undefined, lang: 'zh' | 'en'): string => {
  if (m === null || m === undefined || !Number.isFinite(m)) return '—';
  const metres = Math.round(m);
  if (metres < 1000) return lang === 'zh' ? `${metres} 米` : `${metres} m`;
  const km = (metres / 1000).toFixed(1);
  return lang === 'zh' ? `${km} 公里` : `${km} km`;
};

export const fmtPct = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(digits)}%`;
