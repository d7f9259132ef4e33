import {
  THIN_POI_CAVEAT,
  evaluateAccess,
  evaluationToJson,
  rollUp,
  UNKNOWN_DISTRICT,
  UNKNOWN_SUBDISTRICT,
  type Evaluation,
  type Rollup,
} from '../access/index.js';
import {
  EdgeIndex,
  NetworkSearch,
  isSnapped,
  isochrone,
  type NetworkLocation,
  type WalkGraph,
} from '../network/index.js';
import { readCensus, type DistrictCensus } from '../places/index.js';
import type {
  AnalysisOutput,
  AnalysisProvider,
  GapsAnswer,
  PlanningProvider,
  SitingAnswer,
  TargetNeedAnswer,
  WhatIfAnswer,
  WhatIfRequest,
  CommunityDetail,
  CoverageRow,
  IsochroneReach,
  IsochroneResult,
  FacilitiesPage,
  FacilityFeature,
  FacilityQuery,
  MapDataProvider,
  MapSummary,
  PlaceSearchAnswer,
} from './types.js';
import { StoredBasemap } from '../basemap/index.js';
import { LifeCircleError } from '../errors.js';
import Flatbush from 'flatbush';
import type { FeatureCollection } from 'geojson';
import { VectorTiles, type TileLayer } from './tiles.js';
import { loadStandards, type Standards } from '../standards/index.js';
import type { Actor, AnalysisRun, Store, StoreRepositories } from '../store/index.js';
import { recordAudit, systemActor } from '../audit/index.js';
import { storeRunIndicators } from './indicators.js';
import {
  inputsHash,
  placeCommunitiesFromStore,
  placeFacilitiesFromStore,
  readStoreInputs,
  type StoreInputs,
} from './store-inputs.js';
import { communitiesCollection, facilitiesCollection, streetsCollection } from './geojson.js';
import {
  planningGaps,
  planningSiting,
  planningTargetNeed,
  planningWhatIf,
  type PlanningInput,
} from './planning.js';
import { systemClock, type Clock } from '../time/index.js';

export const ENGINE_VERSION = 'lifecircle-access/1';
export const ATTRIBUTION = '© OpenStreetMap contributors (ODbL 1.0)';
const ESTIMATE_CAVEAT =
  '人口为估算值：按面积分配 2020 年普查区县人口。 Population estimated: district census totals (2020) spread over OSM residential areas by area.';

export interface EngineOptions {
  store: Store;
  cityCode: string;
  graph: WalkGraph;
  standards?: Standards;
  census?: readonly DistrictCensus[];
  /** When evaluations happen (tests pin it); the real time by default. */
  clock?: Clock;
}

interface State {
  evaluation: Evaluation;
  inputs: StoreInputs;
  hash: string;
  at: string;
  index: Map<string, number>;
  communities: FeatureCollection;
  communitiesJson: string;
  /** All facilities as a layer, and a static R-tree over them (same order) for box queries. */
  facilities: FeatureCollection;
  facilityIndex: Flatbush | null;
}

/** Each evaluated community's division code in the store, in the evaluation's order (kept per state). */
const regionCodesByState = new WeakMap<State, (string | null)[]>();
function regionCodesOf(state: State): (string | null)[] {
  let codes = regionCodesByState.get(state);
  if (!codes) {
    const byCode = new Map(state.inputs.communities.map((c) => [c.code, c.regionCode]));
    codes = state.evaluation.communities.map((c) => byCode.get(c.id) ?? null);
    regionCodesByState.set(state, codes);
  }
  return codes;
}

/** What an evaluation of the store is made of, and what it needs (a graph, standards, census). */
export interface Evaluated {
  inputs: StoreInputs;
  evaluation: Evaluation;
}

export interface EvaluationSetup {
  cityCode: string;
  graph: WalkGraph;
  standards: Standards;
  census: readonly DistrictCensus[];
  index?: EdgeIndex;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/**
 * How far past the network's box a facility may stand and still serve someone on it: the standards' longest
 * radius and catchment (1,000 m) plus the snap distance (300 m), with room to spare. In degrees at the box's
 * latitude.
 */
const REACH_BEYOND_NETWORK_M = 2000;
function reachOf(bbox: readonly [number, number, number, number]): [number, number, number, number] {
  const dLat = REACH_BEYOND_NETWORK_M / 111_320;
  const dLon = dLat / Math.max(0.1, Math.cos((((bbox[1] + bbox[3]) / 2) * Math.PI) / 180));
  return [bbox[0] - dLon, bbox[1] - dLat, bbox[2] + dLon, bbox[3] + dLat];
}

/** Reads the store's communities and facilities and evaluates their life circles: the CPU-heavy part of a run. */
export async function evaluateStore(store: Store, setup: EvaluationSetup): Promise<Evaluated> {
  const inputs = await readStoreInputs(store, setup.cityCode, reachOf(setup.graph.meta.bbox));
  const evaluation = evaluateAccess({
    graph: setup.graph,
    standards: setup.standards,
    communities: placeCommunitiesFromStore(inputs, setup.census),
    facilities: placeFacilitiesFromStore(inputs),
    index: setup.index,
    onProgress: setup.onProgress,
  });
  return { inputs, evaluation };
}

function caveatsOf(inputs: StoreInputs): string[] {
  const out = [THIN_POI_CAVEAT];
  if (inputs.communities.some((c) => c.populationEstimated)) out.push(ESTIMATE_CAVEAT);
  return out;
}

function coverageOutput(evaluated: Evaluated, hash: string): AnalysisOutput {
  return {
    inputsHash: hash,
    results: evaluationToJson(evaluated.evaluation, caveatsOf(evaluated.inputs)),
    engineVersion: ENGINE_VERSION,
  };
}

/**
 * A coverage run over an evaluation already made (in a job's worker thread): what `analysis.run` stores, and the
 * indicators derived from it in the same transaction — without evaluating again.
 */
export function evaluatedProvider(
  evaluated: Evaluated,
  setup: Pick<EvaluationSetup, 'graph' | 'standards' | 'cityCode'>,
): AnalysisProvider {
  const hash = inputsHash(setup.graph.meta.source.sha256, setup.standards, evaluated.inputs);
  return {
    kinds: ['coverage'],
    run: async () => coverageOutput(evaluated, hash),
    recordRun: async (run, tx, actor = STARTUP_ACTOR) => {
      if (run.kind !== 'coverage' || run.inputsHash !== hash) return;
      await storeRunIndicators(tx, evaluated.evaluation, evaluated.inputs, setup.cityCode, run, actor);
    },
  };
}

/** The platform's own analysis run at start-up. */
const STARTUP_ACTOR = systemActor('lifecircle-start');

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** A packed Hilbert R-tree (flatbush) over points, indexed in their order; null for none. */
function pointIndex(points: readonly { lon: number; lat: number }[]): Flatbush | null {
  if (points.length === 0) return null;
  const index = new Flatbush(points.length);
  for (const p of points) index.add(p.lon, p.lat, p.lon, p.lat);
  index.finish();
  return index;
}

/**
 * The analysis engine behind `npm start`: evaluates life-circle coverage over the store's communities and
 * facilities on the walking graph, keeps the newest evaluation for the map, and answers the analysis and map
 * routes. One instance per server; evaluations are synchronous CPU work (well under a second on the bundle).
 */
export class LifeCircleEngine implements AnalysisProvider, MapDataProvider, PlanningProvider {
  readonly kinds = ['coverage'] as const;
  readonly standards: Standards;
  private readonly edgeIndex: EdgeIndex;
  private readonly search: NetworkSearch;
  private readonly census: readonly DistrictCensus[];
  private readonly streets: string;
  private readonly streetsLayer: FeatureCollection;
  private readonly tiles = new VectorTiles();
  /** The city's basemap, read from the store on first use (src/basemap). */
  private readonly basemap: StoredBasemap;
  private state: State | undefined;
  /** The newest coverage run this engine has looked at (its own or another server's): `syncWithStore`. */
  private seenRunId: number | null = null;

  constructor(private readonly options: EngineOptions) {
    this.standards = options.standards ?? loadStandards(undefined);
    this.census = options.census ?? readCensus(undefined, options.cityCode);
    this.edgeIndex = new EdgeIndex(options.graph);
    this.search = new NetworkSearch(options.graph, 'from-sources');
    this.streetsLayer = streetsCollection(options.graph);
    this.streets = JSON.stringify(this.streetsLayer);
    this.basemap = new StoredBasemap(options.store, options.cityCode);
  }

  /** Evaluates the store's current data (without storing a run) and shows it on the map. */
  async evaluate(store: Store = this.options.store): Promise<State> {
    return this.adopt(
      await evaluateStore(store, {
        cityCode: this.options.cityCode,
        graph: this.options.graph,
        standards: this.standards,
        census: this.census,
        index: this.edgeIndex,
      }),
    );
  }

  /** What a worker thread needs to evaluate the store as this engine does (`evaluateStore`). */
  evaluationSetup(): Omit<EvaluationSetup, 'index' | 'onProgress'> {
    return {
      cityCode: this.options.cityCode,
      graph: this.options.graph,
      standards: this.standards,
      census: this.census,
    };
  }

  /** Takes an evaluation made elsewhere (a job's worker thread) as the one the map and planning show. */
  adopt({ inputs, evaluation }: Evaluated): State {
    const communities = communitiesCollection(evaluation, inputs);
    const state: State = {
      evaluation,
      inputs,
      hash: inputsHash(this.options.graph.meta.source.sha256, this.standards, inputs),
      at: (this.options.clock ?? systemClock)().toISOString(),
      index: new Map(evaluation.communities.map((c, i) => [c.id, i])),
      communities,
      communitiesJson: JSON.stringify(communities),
      facilities: facilitiesCollection(inputs),
      facilityIndex: pointIndex(inputs.facilities.map((f) => f.location)),
    };
    this.state = state;
    return state;
  }

  caveats(state: Pick<State, 'inputs'>): string[] {
    return caveatsOf(state.inputs);
  }

  /** AnalysisProvider: POST /api/analysis/runs {kind: 'coverage'} re-evaluates and the route stores the run. */
  async run(
    _kind: string,
    _parameters: Record<string, unknown>,
    context: { store: Store },
  ): Promise<{ inputsHash: string; results: unknown; engineVersion: string }> {
    const state = await this.evaluate(context.store);
    return coverageOutput(state, state.hash);
  }

  /**
   * Evaluates and stores the run unless a run with the same inputs hash exists (a second start over an
   * unchanged store adds nothing). Returns the run the map's numbers come from. The platform's own run, audited
   * as `system:<job>` (default `system:lifecircle-start`).
   */
  async refresh(actor: Actor = STARTUP_ACTOR): Promise<{ run: AnalysisRun; reused: boolean }> {
    const { store } = this.options;
    const state = await this.evaluate();
    const existing = await store.analysisRuns.findByInputsHash('coverage', state.hash);
    if (existing) {
      // A store from before the indicator tables: give the reused run its indicators once.
      if ((await store.indicators.countForRun(existing.id)) === 0)
        await store.transaction((tx) => this.recordRun(existing, tx, actor));
      return { run: existing, reused: true };
    }
    const run = await store.transaction(async (tx) => {
      const created = await tx.analysisRuns.create({
        kind: 'coverage',
        parameters: { source: 'store', cityCode: this.options.cityCode },
        inputsHash: state.hash,
        results: evaluationToJson(state.evaluation, this.caveats(state)),
        engineVersion: ENGINE_VERSION,
        createdBy: actor.name,
      });
      await recordAudit(tx, actor, {
        action: 'create',
        entity: 'analysis_runs',
        key: String(created.id),
        after: { kind: 'coverage', inputsHash: state.hash },
      });
      await this.recordRun(created, tx, actor);
      return created;
    });
    return { run, reused: false };
  }

  /**
   * Several servers on one store (docs/deployment.md): another one may have stored a newer coverage run, after an
   * import there. When the newest run's inputs differ from what this map shows, the store is evaluated again here,
   * so that every server's map agrees with the newest run. Answers whether the map changed. The evaluation runs on
   * this thread, as `refresh` does at start (well under a second on the bundled district; a whole city's would
   * belong in a worker thread).
   */
  async syncWithStore(): Promise<boolean> {
    const [newest] = (await this.options.store.analysisRuns.list({ kind: 'coverage', limit: 1 })).items;
    if (!newest || newest.id === this.seenRunId) return false;
    this.seenRunId = newest.id;
    if (this.state?.hash === newest.inputsHash) return false;
    await this.evaluate();
    return true;
  }

  /** Calls `syncWithStore` every `everyMs` (one at a time) until the returned function is called. */
  followStore(everyMs = 5000): () => void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.syncWithStore()
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * AnalysisProvider: called in the transaction that stores a coverage run, so the run and the indicators
   * computed from it commit together, audited under the run's actor. Uses the evaluation that produced the run
   * (same inputs hash).
   */
  async recordRun(run: AnalysisRun, tx: StoreRepositories, actor: Actor = STARTUP_ACTOR): Promise<void> {
    const state = this.state;
    if (run.kind !== 'coverage' || !state || state.hash !== run.inputsHash) return;
    await storeRunIndicators(tx, state.evaluation, state.inputs, this.options.cityCode, run, actor);
  }

  private current(): State {
    if (!this.state) throw new Error('LifeCircleEngine: evaluate() or refresh() has not run');
    return this.state;
  }

  private async runId(state: State): Promise<number | null> {
    return (await this.options.store.analysisRuns.findByInputsHash('coverage', state.hash))?.id ?? null;
  }

  private async planningInput(): Promise<PlanningInput> {
    const state = this.current();
    return {
      graph: this.options.graph,
      index: this.edgeIndex,
      evaluation: state.evaluation,
      runId: await this.runId(state),
      regionCodes: regionCodesOf(state),
    };
  }

  /** PlanningProvider: the gaps, siting and what-if of the evaluation the map shows. */
  async gaps(typeId: string, top: number): Promise<GapsAnswer | null> {
    return planningGaps(await this.planningInput(), typeId, top);
  }

  async site(typeId: string, count: number, capacity?: number): Promise<SitingAnswer | null> {
    return planningSiting(await this.planningInput(), typeId, count, capacity);
  }

  async whatIf(request: WhatIfRequest): Promise<WhatIfAnswer | null> {
    return planningWhatIf(await this.planningInput(), request);
  }

  async targetNeed(
    typeId: string,
    regionCode: string,
    share: number,
    strict = false,
  ): Promise<TargetNeedAnswer | null> {
    const planned = this.current()
      .inputs.facilities.filter((f) => f.status === 'planned' && f.typeCode === typeId)
      .map((f) => ({ lon: f.location.lon, lat: f.location.lat, capacity: f.capacity }));
    return planningTargetNeed(await this.planningInput(), typeId, regionCode, share, { strict, planned });
  }

  async summary(): Promise<MapSummary> {
    const state = this.current();
    return {
      ...this.staticSummary(),
      ...(await this.stateSummary(state)),
      basemap: (await this.basemap.record()) !== null,
    };
  }

  private bbox: [number, number, number, number] | undefined;

  private staticSummary(): Pick<MapSummary, 'bbox' | 'walkingSpeedMPerMin' | 'attribution'> {
    const { graph } = this.options;
    if (!this.bbox) {
      let minLon = Infinity;
      let minLat = Infinity;
      let maxLon = -Infinity;
      let maxLat = -Infinity;
      for (let i = 0; i < graph.nodeCount; i++) {
        minLon = Math.min(minLon, graph.nodeLon[i]);
        maxLon = Math.max(maxLon, graph.nodeLon[i]);
        minLat = Math.min(minLat, graph.nodeLat[i]);
        maxLat = Math.max(maxLat, graph.nodeLat[i]);
      }
      this.bbox = [minLon, minLat, maxLon, maxLat];
    }
    return {
      bbox: this.bbox,
      walkingSpeedMPerMin: this.standards.walkingSpeedMPerMin.value,
      attribution: ATTRIBUTION,
    };
  }

  private async stateSummary(
    state: State,
  ): Promise<Omit<MapSummary, 'bbox' | 'walkingSpeedMPerMin' | 'attribution' | 'basemap'>> {
    return {
      runId: await this.runId(state),
      inputsHash: state.hash,
      evaluatedAt: state.at,
      communities: state.evaluation.communities.length,
      facilities: state.inputs.facilities.length,
      types: state.evaluation.types.map((t) => ({
        id: t.type.id,
        nameZh: t.type.nameZh,
        nameEn: t.type.nameEn,
        tier: t.type.tier.value,
        radiusM: t.type.radiusM.value,
        radiusVerified: t.type.radiusM.verified,
        required: t.type.provision.value === 'required',
        facilities: t.placed.facilities.length,
      })),
      tiers: this.standards.tiers
        .filter((t) => t.walkingDistanceM !== undefined)
        .map((t) => ({
          id: t.id,
          nameZh: t.nameZh,
          nameEn: t.nameEn,
          minutes: t.walkingMinutes ?? 0,
          walkingDistanceM: t.walkingDistanceM?.value ?? 0,
        })),
      caveats: this.caveats(state),
    };
  }

  streetsGeoJson(): string {
    return this.streets;
  }

  communitiesGeoJson(): string {
    return this.current().communitiesJson;
  }

  facilities(query: FacilityQuery): FacilitiesPage {
    const { facilities, facilityIndex } = this.current();
    const all = facilities.features as FacilityFeature[];
    let hits: number[];
    if (query.bbox && facilityIndex) {
      const [w, s, e, n] = query.bbox;
      hits = facilityIndex.search(w, s, e, n).sort((a, b) => a - b);
    } else hits = query.bbox ? [] : all.map((_, i) => i);
    if (query.type) hits = hits.filter((i) => all[i].properties.type === query.type);
    const features = hits.slice(query.offset, query.offset + query.limit).map((i) => all[i]);
    return {
      type: 'FeatureCollection',
      numberMatched: hits.length,
      numberReturned: features.length,
      features,
    };
  }

  tile(layer: TileLayer, z: number, x: number, y: number): Uint8Array | null {
    const source =
      layer === 'streets'
        ? this.streetsLayer
        : layer === 'communities'
          ? this.current().communities
          : this.current().facilities;
    return this.tiles.tile(layer, source, z, x, y);
  }

  basemapTile(z: number, x: number, y: number): Promise<Uint8Array | null> {
    return this.basemap.tile(z, x, y);
  }

  async searchPlaces(query: string, limit: number): Promise<PlaceSearchAnswer> {
    const basemap = (await this.basemap.record()) !== null;
    return { basemap, items: basemap ? await this.basemap.search(query, limit) : [] };
  }

  async community(code: string): Promise<CommunityDetail | null> {
    const state = this.current();
    const i = state.index.get(code);
    if (i === undefined) return null;
    const { evaluation } = state;
    const c = evaluation.communities[i];
    return {
      code: c.id,
      name: c.name,
      district: c.district ?? null,
      population: c.demand ? Math.round(c.demand.all) : null,
      populationEstimated: c.populationEstimated,
      onNetwork: !evaluation.placedCommunities.offNetwork.includes(i),
      runId: await this.runId(state),
      types: evaluation.types.map((t) => ({
        typeId: t.type.id,
        nearestM: finite(Math.round(t.nearestM[i])),
        radiusM: t.type.radiusM.value,
        covered: t.covered[i] === 1,
        countWithinRadius: t.countWithinRadius[i],
      })),
      lacks: evaluation.completeness.map((t) => ({ tier: t.tier, missing: [...t.missing[i]] })),
    };
  }

  isochrone(
    origin: { community: string } | { lon: number; lat: number },
    reach: IsochroneReach,
  ): IsochroneResult | null {
    let point: { lon: number; lat: number };
    if ('community' in origin) {
      const state = this.current();
      const i = state.index.get(origin.community);
      if (i === undefined) return null;
      const c = state.evaluation.communities[i];
      point = { lon: c.lon, lat: c.lat };
    } else point = origin;
    const snapped = this.edgeIndex.snap(point.lon, point.lat);
    if (!isSnapped(snapped)) return null;
    const speed = this.standards.walkingSpeedMPerMin.value;
    const tier = 'tier' in reach ? this.standards.tiers.find((t) => t.id === reach.tier) : undefined;
    if ('tier' in reach && !tier?.walkingDistanceM)
      throw new LifeCircleError(
        'LC_USAGE',
        `tier ${reach.tier} has no walking distance (居住街坊 is not a walk)`,
      );
    const limitM = tier?.walkingDistanceM
      ? tier.walkingDistanceM.value
      : (reach as { minutes: number }).minutes * speed;
    const reached = isochrone(this.options.graph, snapped, limitM, this.search);
    return {
      limitM,
      minutes: Math.round((limitM / speed) * 10) / 10,
      tier: tier?.id ?? null,
      origin: point,
      snappedM: snapped.distanceM,
      reachedLengthM: reached.reachedLengthM,
      lines: reached.lines,
      outline: reached.outline,
    };
  }

  walkingDistances(
    community: { code: string; lon: number; lat: number },
    points: readonly { lon: number; lat: number }[],
    limitM: number,
  ): (number | null)[] | null {
    const state = this.state;
    const snapOptions = state?.evaluation.snap;
    const sources: NetworkLocation[] = [];
    const i = state?.index.get(community.code);
    if (state && i !== undefined) {
      const placed = state.evaluation.placedCommunities;
      placed.accessPoints.forEach((location, p) => {
        if (location && placed.accessPointCommunity[p] === i) sources.push(location);
      });
    } else {
      const s = this.edgeIndex.snap(community.lon, community.lat, snapOptions);
      if (isSnapped(s)) sources.push({ edge: s.edge, offsetM: s.offsetM });
    }
    if (sources.length === 0) return null;
    // From the community (walked towards the outlets), like the panel's nearest distances; the search is reused
    // and nothing awaits in between.
    this.search.run(sources, limitM);
    return points.map((p) => {
      const s = this.edgeIndex.snap(p.lon, p.lat, snapOptions);
      if (!isSnapped(s)) return null;
      const d = this.search.distanceToLocation(s.edge, s.offsetM);
      return Number.isFinite(d) ? Math.round(d) : null;
    });
  }

  coverage(level: 'district' | 'subdistrict'): CoverageRow[] {
    return rollUp(this.current().evaluation, level).map((r: Rollup) => {
      // The group's parts, so a reader in another language words "not linked" itself (the name is data).
      const [district, subdistrict] = level === 'district' ? [r.key, null] : r.key.split('/');
      return {
        key: r.key,
        name: r.name,
        district: district === UNKNOWN_DISTRICT ? null : district,
        subdistrict: subdistrict === UNKNOWN_SUBDISTRICT ? null : subdistrict,
        communities: r.communities,
        population: Math.round(r.population),
        populationEstimated: r.populationEstimated,
        types: r.types.map((t) => ({
          typeId: t.typeId,
          coveredCommunities: t.coveredCommunities,
          communityShare: finite(t.communityShare),
          demandShare: finite(t.demandShare),
        })),
        tiers: r.tiers.map((t) => ({
          tier: t.tier,
          completeCommunities: t.completeCommunities,
          communityShare: finite(t.communityShare),
        })),
      };
    });
  }
}
