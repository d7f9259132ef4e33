/**
 * A small SYNTHETIC city for the report's tests (names carry （虚构）: not real places): five communities in 锦江区
 * (510104) and 青羊区 (510105) of 成都 (5101), three facility types, and two coverage runs written by hand in the
 * stored format of src/access `evaluationToJson`. Every expected figure in the tests is worked out from the tables
 * below, not by the code under test.
 *
 * Run 2 (this run):                    clinic (5 min, r 300)   kindergarten (10 min, r 500)   middle-school (15 min, r 1000)
 *   A1 锦江区 pop 1000                 covered   demand 1000   covered   40                     no (nearest 1500) 30
 *   A2 锦江区 pop 3000                 no (450)  demand 3000   covered   120                    covered 90
 *   B1 青羊区 pop 2000                 covered   demand 2000   no (900)  80                     no (none) 60
 *   B2 青羊区 pop  500                 covered   demand  500   covered   20                     covered 15
 *   B3 青羊区 pop  100, off network    no        demand  100   no        4                      no        3
 * Run 1 (previous): A1 clinic; A2 kindergarten; B1 clinic + middle-school; B2 all three; C1 (青羊区, pop 400, none;
 * not in the register any more). B3 is new in run 2.
 */
import type { AnalysisRun, Community, Store } from '../store/index.js';
import type { RunCommunity, RunFacilityType } from './model.js';

const sourced = <T>(value: T, source: string) => ({ value, source, verified: false });

export const TEST_TYPES: RunFacilityType[] = [
  {
    id: 'clinic',
    nameZh: '社区卫生服务站',
    nameEn: 'Community clinic',
    tier: sourced('five-minute' as const, 'GB 50180-2018 附录B (test)'),
    radiusM: sourced(300, 'GB 50180-2018 附录C (test)'),
    provision: sourced('required' as const, 'test'),
    demandGroup: 'all',
  },
  {
    id: 'kindergarten',
    nameZh: '幼儿园',
    nameEn: 'Kindergarten',
    tier: sourced('ten-minute' as const, 'GB 50180-2018 附录B (test)'),
    radiusM: sourced(500, 'GB 50180-2018 附录C (test)'),
    provision: sourced('required' as const, 'test'),
    demandGroup: 'age3to5',
  },
  {
    id: 'middle-school',
    nameZh: '初中',
    nameEn: 'Middle school',
    tier: sourced('fifteen-minute' as const, 'GB 50180-2018 附录B (test)'),
    radiusM: sourced(1000, 'GB 50180-2018 附录C (test)'),
    provision: sourced('required' as const, 'test'),
    demandGroup: 'age12to14',
  },
];

type Cov = [covered: boolean, demand: number, nearestM: number | null];

function community(
  id: string,
  name: string,
  district: string,
  population: number,
  cells: [Cov, Cov, Cov],
  onNetwork = true,
): RunCommunity {
  const [clinic, kindergarten, school] = cells;
  // Completeness adds up across tiers: 5 min needs the clinic, 10 min also the kindergarten, 15 min all three.
  const tier = (ok: boolean, missing: string[]) => ({ complete: ok, missing: ok ? [] : missing });
  const miss = (c: Cov, typeId: string) => (c[0] ? [] : [typeId]);
  return {
    id,
    name,
    district,
    subdistrict: null,
    population,
    populationEstimated: false,
    onNetwork,
    types: Object.fromEntries(
      (['clinic', 'kindergarten', 'middle-school'] as const).map((t, i) => [
        t,
        { nearestM: cells[i]![2], covered: cells[i]![0], demand: cells[i]![1] },
      ]),
    ),
    completeness: {
      'five-minute': tier(clinic[0], miss(clinic, 'clinic')),
      'ten-minute': tier(clinic[0] && kindergarten[0], [
        ...miss(clinic, 'clinic'),
        ...miss(kindergarten, 'kindergarten'),
      ]),
      'fifteen-minute': tier(clinic[0] && kindergarten[0] && school[0], [
        ...miss(clinic, 'clinic'),
        ...miss(kindergarten, 'kindergarten'),
        ...miss(school, 'middle-school'),
      ]),
    },
  };
}

const JJ = '锦江区';
const QY = '青羊区';

export const RUN_2_COMMUNITIES: RunCommunity[] = [
  community('T-A1', '甲一小区（虚构）', JJ, 1000, [
    [true, 1000, 120],
    [true, 40, 200],
    [false, 30, 1500],
  ]),
  community('T-A2', '甲二小区（虚构）', JJ, 3000, [
    [false, 3000, 450],
    [true, 120, 300],
    [true, 90, 800],
  ]),
  community('T-B1', '乙一小区（虚构）', QY, 2000, [
    [true, 2000, 100],
    [false, 80, 900],
    [false, 60, null],
  ]),
  community('T-B2', '乙二小区（虚构）', QY, 500, [
    [true, 500, 50],
    [true, 20, 100],
    [true, 15, 700],
  ]),
  community(
    'T-B3',
    '乙三小区（虚构）',
    QY,
    100,
    [
      [false, 100, null],
      [false, 4, null],
      [false, 3, null],
    ],
    false,
  ),
];

export const RUN_1_COMMUNITIES: RunCommunity[] = [
  community('T-A1', '甲一小区（虚构）', JJ, 1000, [
    [true, 1000, 120],
    [false, 40, 800],
    [false, 30, 1500],
  ]),
  community('T-A2', '甲二小区（虚构）', JJ, 3000, [
    [false, 3000, 450],
    [true, 120, 300],
    [false, 90, 1300],
  ]),
  community('T-B1', '乙一小区（虚构）', QY, 2000, [
    [true, 2000, 100],
    [false, 80, 900],
    [true, 60, 900],
  ]),
  community('T-B2', '乙二小区（虚构）', QY, 500, [
    [true, 500, 50],
    [true, 20, 100],
    [true, 15, 700],
  ]),
  community('T-C1', '丙一小区（虚构）', QY, 400, [
    [false, 400, null],
    [false, 16, null],
    [false, 12, null],
  ]),
];

export const OSM_CAVEAT =
  'OSM 的中国设施点覆盖很稀疏：覆盖率同时反映地图完整度与服务供给。 OSM POI coverage in China is thin: coverage measures mapping completeness as much as service supply.';

export function runResults(communities: RunCommunity[]): unknown {
  return {
    caveats: [OSM_CAVEAT],
    standards: {
      walkingSpeedMPerMin: sourced(60, 'common planning practice (test)'),
      facilityTypes: TEST_TYPES,
    },
    communities,
  };
}

/** A square outline `sideDeg` wide whose south-west corner is at lon/lat, anticlockwise as RFC 7946 has it. */
const square = (lon: number, lat: number, sideDeg = 0.004): Community['boundary'] => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + sideDeg, lat],
      [lon + sideDeg, lat + sideDeg],
      [lon, lat + sideDeg],
      [lon, lat],
    ],
  ],
});

const storeCommunity = (
  code: string,
  name: string,
  regionCode: string,
  lon: number,
  lat: number,
  outline = true,
): Community => ({
  code,
  name,
  regionCode,
  location: { lon: lon + 0.002, lat: lat + 0.002 },
  boundary: outline ? square(lon, lat) : null,
  population: null,
  ageGroups: {},
  populationEstimated: false,
});

/** The register's side: A1, A2 in 锦江区, B1–B3 in 青羊区 (B3 a point, no outline); C1 is no longer registered. */
export const STORE_COMMUNITIES: Community[] = [
  storeCommunity('T-A1', '甲一小区（虚构）', '510104', 104.08, 30.65),
  storeCommunity('T-A2', '甲二小区（虚构）', '510104', 104.085, 30.65),
  storeCommunity('T-B1', '乙一小区（虚构）', '510105', 104.05, 30.67),
  storeCommunity('T-B2', '乙二小区（虚构）', '510105', 104.055, 30.67),
  storeCommunity('T-B3', '乙三小区（虚构）', '510105', 104.06, 30.675, false),
];

/** Writes the register and the two runs (run 1 first); answers both. */
export async function seedTestCity(store: Store): Promise<{ run1: AnalysisRun; run2: AnalysisRun }> {
  for (const c of STORE_COMMUNITIES) await store.communities.upsert(c);
  const run = (communities: RunCommunity[], n: number) =>
    store.analysisRuns.create({
      kind: 'coverage',
      inputsHash: `${'0'.repeat(63)}${n}`,
      parameters: { source: 'store', cityCode: '5101' },
      results: runResults(communities),
      engineVersion: 'test',
      createdBy: 'test',
    });
  const run1 = await run(RUN_1_COMMUNITIES, 1);
  const run2 = await run(RUN_2_COMMUNITIES, 2);
  return { run1, run2 };
}
