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

/**
 * A source document's title in the reader's language: its English title when the server has one, else the title as
 * written (a proper name; the element showing it marks it as data).
 */
export function sourceTitle(source: { document: string; documentEn?: string }, locale: string): string {
  return locale === 'en' && source.documentEn ? source.documentEn : source.document;
}

/** Whether `sourceTitle` shows the title as written (data, not the page's own words) in this language. */
export function sourceAsWritten(source: { documentEn?: string }, locale: string): boolean {
  return locale !== 'en' || !source.documentEn;
}

/**
 * The name LifeCircle gives a residential area OpenStreetMap leaves unnamed (`unnamedAreaName` in
 * src/places/osm-places.ts): 未命名居住区（OSM 路径 N）, or 关系 for a relation. It is the platform's wording, not
 * data, so it is worded in the reader's language; every other name is shown as written.
 */
const UNNAMED_AREA = /^未命名居住区（OSM (路径|关系) (\d+)）$/;

/** Whether a name is one LifeCircle made for an unnamed area (worded by the page), not a real name (data). */
export function isGeneratedName(name: string): boolean {
  return UNNAMED_AREA.test(name);
}

/** A place's name in the reader's language: a made-up name for an unnamed area translated, a real one as written. */
export function placeName(name: string, locale: string): string {
  const m = locale === 'en' ? UNNAMED_AREA.exec(name) : null;
  return m ? `Unnamed residential area (OSM ${m[1] === '路径' ? 'way' : 'relation'} ${m[2]})` : name;
}

/** How an answer names an outlet (`outletNaming` of the server): its own name or null, and its type's names. */
export interface OutletNaming {
  outletId: string;
  outletName: string | null;
  outletTypeName?: string | null;
  outletTypeNameEn?: string | null;
}

/**
 * An outlet as the page names it: its own name as written (data), or — for an outlet without one, as many from
 * OpenStreetMap are — its type in the reader's language and its id ("Elderly day-care centre osm-node-42"); the id
 * alone when the type's name in that language is unknown. The server makes no such label: it would be in one language.
 */
export function outletLabel(outlet: OutletNaming, locale: string): string {
  if (outlet.outletName) return outlet.outletName;
  const type = locale === 'en' ? outlet.outletTypeNameEn : outlet.outletTypeName;
  return type ? `${type} ${outlet.outletId}` : outlet.outletId;
}
