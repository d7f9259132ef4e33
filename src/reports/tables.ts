import { REPORT_DEFAULTS, type MonitoringReport } from './model.js';
import { beijingTime, percent, whole } from './dictionary.js';
import type { Words } from './words.js';
import { unnamedAreaNameEn } from '../places/index.js';

/** One cell: its text, and whether it is a name from the data (printed as written, in either language). */
export interface Cell {
  text: string;
  data?: boolean;
  numeric?: boolean;
}

export interface ReportTable {
  id: string;
  head: string[];
  rows: Cell[][];
}

const txt = (text: string): Cell => ({ text });
const num = (text: string): Cell => ({ text, numeric: true });
const data = (text: string): Cell => ({ text, data: true });
/** A community's name: as written, but one LifeCircle made for an unnamed OSM area is worded in the report's language. */
const place = (name: string, w: Words): Cell => {
  const en = w.lang === 'en' ? unnamedAreaNameEn(name) : null;
  return en === null ? data(name) : txt(en);
};

/** The report's lines of "about" facts, shared by the HTML and DOCX title pages. */
export function aboutLines(report: MonitoringReport, w: Words): [string, Cell][] {
  const { t } = w;
  return [
    [t.city, data(report.city.name)],
    [t.area, report.region.isCity ? txt(t.wholeCity) : data(`${report.region.name} (${report.region.code})`)],
    [t.run, txt(t.runLine(report.run.id, `${beijingTime(report.run.createdAt)} ${t.beijingTime}`))],
    [
      t.previousRun,
      report.changes
        ? txt(
            t.runLine(
              report.changes.previousRun.id,
              `${beijingTime(report.changes.previousRun.createdAt)} ${t.beijingTime}`,
            ),
          )
        : txt(t.noPreviousRun),
    ],
    [t.generatedAt, txt(`${beijingTime(report.generatedAt)} ${t.beijingTime}`)],
    [
      t.preparedBy,
      w.lang === 'en' && report.preparedBy.nameEn
        ? txt(report.preparedBy.nameEn)
        : data(report.preparedBy.name),
    ],
  ];
}

export function summaryTable(report: MonitoringReport, w: Words): ReportTable {
  const { t } = w;
  return {
    id: 'summary',
    head: [t.item, t.value],
    rows: [
      [txt(t.communities), num(whole(report.communities))],
      [txt(t.communitiesOnNetwork), num(whole(report.communitiesOnNetwork))],
      [
        txt(t.population + (report.populationEstimated ? ` (${t.populationEstimated})` : '')),
        num(whole(report.population)),
      ],
      ...report.tiers.map((x) => [txt(t.completeShare(x.minutes)), num(percent(x.communityShare))]),
    ],
  };
}

export function tierTable(report: MonitoringReport, w: Words): ReportTable {
  const { t } = w;
  return {
    id: 'tiers',
    head: [
      t.tier,
      t.walkingDistance,
      t.tierTypes,
      t.completeCommunities,
      t.communityShare,
      t.populationShare,
    ],
    rows: report.tiers.map((x) => [
      txt(t.tierNames[x.tier]),
      txt(`${t.metres(x.walkingDistanceM)} / ${t.minutes(x.minutes)}`),
      txt(w.typeList(x.types)),
      num(`${whole(x.completeCommunities)} / ${whole(report.communities)}`),
      num(percent(x.communityShare)),
      num(percent(x.populationShare)),
    ]),
  };
}

export function typeTable(report: MonitoringReport, w: Words): ReportTable {
  const { t } = w;
  return {
    id: 'types',
    head: [
      t.type,
      t.tier,
      t.radius,
      t.provision,
      t.coveredCommunities,
      t.communityShare,
      t.demandGroup,
      t.demandShare,
    ],
    rows: report.types.map((x) => [
      txt(w.typeName(x.id)),
      txt(t.tierNames[x.tier]),
      num(t.metres(x.radiusM) + (x.radiusVerified ? '' : t.unverified)),
      txt(x.required ? t.required : t.recommended),
      num(`${whole(x.coveredCommunities)} / ${whole(x.communities)}`),
      num(percent(x.communityShare)),
      txt(t.demandGroups[x.demandGroup as keyof typeof t.demandGroups] ?? x.demandGroup),
      num(percent(x.demandShare)),
    ]),
  };
}

export function worstTable(report: MonitoringReport, w: Words): ReportTable {
  const { t } = w;
  return {
    id: 'worst',
    head: [
      t.rank,
      t.community,
      t.district,
      t.subdistrict,
      t.population,
      t.uncoveredPopulation,
      t.uncoveredTypes,
    ],
    rows: report.worst.map((x) => [
      num(String(x.rank)),
      place(x.name, w),
      x.district ? data(x.district) : txt(t.notLinked),
      x.subdistrict ? data(x.subdistrict) : txt(t.notLinked),
      num(whole(x.population)),
      num(whole(x.uncoveredPopulation)),
      txt(w.typeList(x.uncoveredTypes)),
    ]),
  };
}

const signed = (n: number | null): string => (n === null ? '—' : n > 0 ? `+${n}` : String(n));

export function typeChangeTable(report: MonitoringReport, w: Words): ReportTable | null {
  const { t } = w;
  if (!report.changes) return null;
  return {
    id: 'type-changes',
    head: [
      t.type,
      `${t.coveredCommunities} (${t.before})`,
      `${t.coveredCommunities} (${t.after})`,
      t.coveredDelta,
      `${t.communityShare} (${t.before})`,
      `${t.communityShare} (${t.after})`,
      `${t.demandShare} (${t.before})`,
      `${t.demandShare} (${t.after})`,
    ],
    rows: report.changes.types.map((x) => [
      txt(w.typeName(x.id)),
      num(x.before ? whole(x.before.coveredCommunities) : t.notInRun),
      num(x.after ? whole(x.after.coveredCommunities) : t.notInRun),
      num(signed(x.coveredDelta)),
      num(x.before ? percent(x.before.communityShare) : t.notInRun),
      num(x.after ? percent(x.after.communityShare) : t.notInRun),
      num(x.before ? percent(x.before.demandShare) : t.notInRun),
      num(x.after ? percent(x.after.demandShare) : t.notInRun),
    ]),
  };
}

export function communityChangeTable(report: MonitoringReport, w: Words): ReportTable | null {
  const { t } = w;
  if (!report.changes) return null;
  return {
    id: 'community-changes',
    head: [t.community, t.district, t.subdistrict, t.gained, t.lost],
    rows: report.changes.communities
      .slice(0, REPORT_DEFAULTS.changedCommunities)
      .map((x) => [
        place(x.name, w),
        x.district ? data(x.district) : txt(t.notLinked),
        x.subdistrict ? data(x.subdistrict) : txt(t.notLinked),
        txt(w.typeList(x.gained)),
        txt(w.typeList(x.lost)),
      ]),
  };
}

/** The standards the report applies, each with its citation as the standards table has it (a quoted name). */
export function standardsTable(report: MonitoringReport, w: Words): ReportTable {
  const { t } = w;
  return {
    id: 'standards',
    head: [t.item, t.value, t.source],
    rows: [
      ...report.tiers.map((x) => [
        txt(t.tierNames[x.tier]),
        txt(t.metres(x.walkingDistanceM) + (x.verified ? '' : t.unverified)),
        data(x.source),
      ]),
      [txt(t.walkingSpeed(report.walkingSpeed.value)), txt(''), data(report.walkingSpeed.source)],
      ...report.types.map((x) => [
        txt(`${w.typeName(x.id)} · ${t.radius}`),
        txt(t.metres(x.radiusM) + (x.radiusVerified ? '' : t.unverified)),
        data(x.radiusSource),
      ]),
    ],
  };
}
