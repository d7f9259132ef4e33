/** A stored instant (ISO 8601, UTC) as Beijing wall-clock time, the time every user of the platform reads. */
export function beijingTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Today's date in Beijing (YYYY-MM-DD): the date deadlines, targets and reports are kept in. */
export function beijingDate(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

/**
 * One rule for every distance on screen (issue 14): whole metres below 1 km, kilometres with one decimal from 1 km;
 * 米/公里 in Chinese, m/km in English.
 */
export function formatDistance(m: number | null | undefined, locale: string): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return '—';
  const metres = Math.round(m);
  const chinese = locale !== 'en';
  if (metres < 1000) return chinese ? `${metres} 米` : `${metres} m`;
  const km = (metres / 1000).toFixed(1);
  return chinese ? `${km} 公里` : `${km} km`;
}

/** A share (0–1) as a percentage with one decimal; '—' when unknown. */
export function formatShare(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`;
}
