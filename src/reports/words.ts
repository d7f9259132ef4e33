import { DICTIONARIES, type Dictionary } from './dictionary.js';
import type { MonitoringReport, ReportLang, TypeFigures } from './model.js';
import { SHARE_CLASSES, TYPE_CLASSES } from './map-svg.js';
import type { CoverageClass } from './model.js';

/** The report's words in one language: the dictionary plus the data's names chosen for that language. */
export interface Words {
  lang: ReportLang;
  t: Dictionary;
  /** A facility type by id, in the report's language (the run's zh or en name; the id when unknown). */
  typeName(id: string): string;
  /** A list of facility types by id. */
  typeList(ids: readonly string[]): string;
  /** The area as the title names it. */
  area: string;
  /** The classes the map uses. */
  classes: readonly CoverageClass[];
  mapTitle: string;
  /** A 区/街道 name from the data, or "not linked" in the report's language. */
  place(name: string | null): string;
  typeFigures(id: string): TypeFigures | undefined;
}

export function wordsFor(report: MonitoringReport, lang: ReportLang): Words {
  const t = DICTIONARIES[lang];
  const byId = new Map(report.types.map((x) => [x.id, x]));
  const typeName = (id: string) => {
    const x = byId.get(id);
    return x ? (lang === 'zh' ? x.nameZh : x.nameEn) : id;
  };
  return {
    lang,
    t,
    typeName,
    typeList: (ids) => ids.map(typeName).join(t.listSeparator),
    area: report.region.isCity ? report.city.name : report.region.name,
    classes: report.mapType ? TYPE_CLASSES : SHARE_CLASSES,
    mapTitle: report.mapType ? t.mapTitleType(typeName(report.mapType)) : t.mapTitleShare,
    place: (name) => name ?? t.notLinked,
    typeFigures: (id) => byId.get(id),
  };
}
