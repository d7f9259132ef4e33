import type { PlanRepository } from './plans-types.js';
import type { JobRepository } from './jobs-types.js';
import type { MonitoringReportRepository } from './reports-types.js';
import type { LoginFailureRepository, RequestCounterRepository } from './throttle-types.js';

/**
 * The store's entities and its one interface. Callers (registry, server, CLI) see only these types, so a
 * PostgreSQL implementation can be added beside the SQLite one without touching them. Every method is async
 * for that reason, although better-sqlite3 itself is synchronous.
 */
import type { IndicatorRepository } from './indicators-types.js';

import type {
  CaseRepository,
  ComplaintRepository,
  RatingRepository,
  ResidentRepository,
} from './cases-types.js';

import type { CreditRepository } from './credit-types.js';

/** Levels of the national division code hierarchy; a parent's code is a prefix of its children's. */
export type RegionLevel = 'province' | 'city' | 'district' | 'subdistrict' | 'community';

/** A 行政区划 unit: province (2 digits) → city (4) → 区县 district (6) → 街道 subdistrict (9) → 社区 community (12). */
export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

/**
 * Where a city's bounding box came from: the bundled district outlines (data/divisions/extents.csv), the extent
 * of an imported walking network, or typed in by an administrator.
 */
export type CityExtentSource = 'outline' | 'network' | 'manual';

/**
 * A city (地级市) or a county-level unit (区/县) the platform is set up for, from its division code. Imported
 * coordinates must fall inside its box (WGS-84, [west, south, east, north]); a city set up without one accepts
 * any point in China until a network import or an administrator gives it one.
 */
export interface City {
  code: string;
  name: string;
  bbox: [number, number, number, number] | null;
  extentSource: CityExtentSource | null;
  /** Why the box is what it is (its source and caveats), shown beside it. */
  extentNote: string;
  createdAt: string;
  updatedAt: string;
}

export type CityInput = Omit<City, 'createdAt' | 'updatedAt'>;

/** What the store says of a city's walking network without loading it (src/network's `describeGraph`, abridged). */
export interface NetworkSummary {
  /** 'xml' or 'pbf', and the uploaded file's size. */
  format: string;
  bytes: number;
  nodes: number;
  edges: number;
  totalLengthKm: number;
  components: number;
  /** Share of the walkable length in the largest connected part (small parts are islands the analysis skips). */
  largestComponentShare: number;
  bbox: [number, number, number, number];
  /** Way references to nodes missing from the extract (cut at its edge): the ways are split there. */
  missingNodeRefs: number;
  profileVersion: number;
}

/** The walking network a city is analysed on: built from an uploaded OSM extract, kept in the store (migration 16). */
export interface CityNetwork {
  cityCode: string;
  fileName: string;
  sourceSha256: string;
  summary: NetworkSummary;
  createdBy: string;
  createdAt: string;
}

/** The basemap layers a city's map draws under its data (src/basemap): what the stored record counts. */
export interface BasemapCounts {
  water: number;
  green: number;
  buildings: number;
  roads: number;
  places: number;
}

/**
 * A city's basemap (migration 20): water, green, buildings, roads and places extracted from the OSM extract its
 * network was built from (or the bundled one), kept as src/basemap's encoded layers; the record without them.
 */
export interface CityBasemap {
  cityCode: string;
  /** The extract's name as the user knows it. */
  fileName: string;
  sourceSha256: string;
  /** The encoding of the stored layers, e.g. `lifecircle-basemap/1` (src/basemap/encode.ts). */
  format: string;
  /** SHA-256 of the stored bytes, checked when they are read back. */
  sha256: string;
  /** Size of the stored bytes. */
  bytes: number;
  counts: BasemapCounts;
  /** [west, south, east, north] of everything in it; null when it holds nothing. */
  bbox: [number, number, number, number] | null;
  createdBy: string;
  createdAt: string;
}

/** WGS-84 longitude/latitude in degrees. Everything in the store is WGS-84; importers convert GCJ-02 and BD-09. */
export interface LonLat {
  lon: number;
  lat: number;
}

/** Population by age band; the bands matter to facility types (托育 0–3, 幼儿园 3–6, 养老 60+). */
export interface AgeGroups {
  age0to3?: number;
  age3to6?: number;
  age0to14?: number;
  /** 学龄 (primary school age) and 12–14 (junior middle school age): the standards' demand groups. */
  age6to11?: number;
  age12to14?: number;
  age60plus?: number;
  /** 高龄 (80 and over): 关爱高龄 services (seed 001). */
  age80plus?: number;
}

/** A residential community (社区 or 小区 residential estate) as the analysis sees it: a place where people live. */
export interface Community {
  /** Stable key chosen by the register (e.g. the 12-digit 社区 code, or the estate's own code). */
  code: string;
  name: string;
  /** The division code it lies in (街道 or 社区 level). */
  regionCode: string;
  location: LonLat;
  /** GeoJSON Polygon or MultiPolygon geometry (WGS-84), when known. */
  boundary: GeoJsonPolygonal | null;
  population: number | null;
  ageGroups: AgeGroups;
  /** True when the population figures are estimates (e.g. apportioned from the district census), not counts. */
  populationEstimated: boolean;
}

/** A boundary as GeoJSON (RFC 7946): a polygon's rings, or a multipolygon's polygons. */
export type GeoJsonPolygonal =
  { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** Service domains of 生活性服务业 that facility types and providers belong to. */
export const SERVICE_DOMAINS = [
  'elderly_care',
  'childcare',
  'health',
  'education',
  'retail_food',
  'housekeeping',
  'culture',
  'sport',
] as const;
export type ServiceDomain = (typeof SERVICE_DOMAINS)[number];

export interface FacilityType {
  code: string;
  nameZh: string;
  nameEn: string;
  domain: ServiceDomain;
  /** Where the type comes from (document and clause), so a type is never an unexplained literal. */
  source: string;
}

export const FACILITY_STATUSES = ['planned', 'open', 'suspended', 'closed'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

/** A facility or outlet (设施/网点). */
export interface Facility {
  /** Stable key chosen by the register. */
  code: string;
  name: string;
  typeCode: string;
  location: LonLat;
  address: string | null;
  regionCode: string | null;
  /** Beds, places or seats, depending on the type; null when unknown. */
  capacity: number | null;
  /** 普惠: affordable, price-capped service recognised by the government. */
  affordable: boolean;
  status: FacilityStatus;
  /** The operating provider's 统一社会信用代码, when known. */
  providerUscc: string | null;
  /** Contact phone of the outlet: personal data when it is a person's mobile, so never public. */
  contactPhone: string | null;
}

/** A provider (经营主体) identified by its 统一社会信用代码 (GB 32100-2015). */
export interface Provider {
  uscc: string;
  name: string;
  /** The division code where it is registered. */
  regionCode: string | null;
  domains: ServiceDomain[];
  /** Personal data: never shown to the public role. */
  contactName: string | null;
  contactPhone: string | null;
}

/**
 * administrator: the platform; coordinator: the coordinating office (统筹协调, e.g. 发改委) that tracks plans and
 * reviews reports; staff: a department (责任单位); inspector: 市场监管; provider: an operator (经营主体);
 * resident: a pseudonymous resident account (rates and complains); public: not logged in.
 */
export const ROLES = [
  'administrator',
  'coordinator',
  'staff',
  'inspector',
  'provider',
  'resident',
  'public',
] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Department staff: the department (e.g. 区民政局) and the domains it is responsible for. */
  department: string | null;
  domains: ServiceDomain[];
  /** Staff and inspectors: the region they act in; its code is a prefix of every code inside it. */
  regionCode: string | null;
  /** Provider accounts: the provider they act for. */
  providerUscc: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface NewUser extends Omit<User, 'id' | 'createdAt'> {
  passwordHash: string;
}

export interface Session {
  tokenHash: string;
  userId: number;
  createdAt: string;
  expiresAt: string;
}

/** Who did something: a user, or the system itself (migrations, bundled data, the CLI). */
export interface Actor {
  userId: number | null;
  name: string;
}

export type AuditAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'import'
  | 'login'
  | 'logout'
  // A login refused (unknown name, wrong password, disabled account, name locked): actor = the name tried.
  | 'login-failed'
  // A user name's logins delayed after too many failed ones (src/accounts LoginThrottle).
  | 'lockout'
  // An administrator cleared a user name's login delays.
  | 'unlock'
  // Someone asked a job (an import…) to stop before it finished (src/jobs).
  | 'cancel';

export interface AuditEntry {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: AuditAction;
  entity: string;
  entityKey: string;
  before: unknown;
  after: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/** One analysis run: what went in (hash + parameters) and what came out, so every number on screen has a source. */
export interface AnalysisRun {
  id: number;
  kind: string;
  /** sha256 over the canonical inputs (network file, registry rows, parameters). */
  inputsHash: string;
  parameters: unknown;
  results: unknown;
  engineVersion: string;
  createdAt: string;
  createdBy: string;
}

export type NewAnalysisRun = Omit<AnalysisRun, 'id' | 'createdAt'>;

/** A finished import attempt, kept with its row report so that a rejection can be downloaded later. */
export interface ImportRecord {
  id: number;
  entity: string;
  fileName: string;
  fileSha256: string;
  accepted: boolean;
  summary: unknown;
  report: unknown;
  createdAt: string;
  createdBy: string;
}

export type NewImportRecord = Omit<ImportRecord, 'id' | 'createdAt'>;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

export interface RegionFilter extends PageQuery {
  level?: RegionLevel;
  parentCode?: string;
  /** Only codes inside this region (prefix match). */
  within?: string;
  q?: string;
}

export interface CommunityFilter extends PageQuery {
  within?: string;
  q?: string;
}

export interface FacilityFilter extends PageQuery {
  within?: string;
  /** Only facilities inside this box: [west, south, east, north] in WGS-84 degrees (spatially indexed). */
  bbox?: readonly [number, number, number, number];
  typeCode?: string;
  domains?: ServiceDomain[];
  status?: FacilityStatus;
  affordable?: boolean;
  providerUscc?: string;
  q?: string;
}

export interface ProviderFilter extends PageQuery {
  within?: string;
  domain?: ServiceDomain;
  q?: string;
}

export interface AuditFilter extends PageQuery {
  entity?: string;
  entityKey?: string;
  actorId?: number;
  since?: string;
}

/** A keyed register (communities, facilities, providers): upsert by the stable key, never by row id. */
export interface KeyedRepository<T, F extends PageQuery> {
  get(key: string): Promise<T | null>;
  list(filter?: F): Promise<Page<T>>;
  /** Inserts or replaces the record with this key; returns the previous record, or null when new. */
  upsert(record: T): Promise<T | null>;
  /** Deletes the record; returns it, or null when there was none. */
  delete(key: string): Promise<T | null>;
  count(): Promise<number>;
}

export interface FacilityRepository extends KeyedRepository<Facility, FacilityFilter> {
  /** The facilities with these codes, in one read; unknown codes are left out. */
  getMany(codes: readonly string[]): Promise<Facility[]>;
  /** Codes and positions of the facilities in a box that are not closed (of one type when given). */
  pointsInBox(
    bbox: readonly [number, number, number, number],
    typeCode?: string,
  ): Promise<{ code: string; location: { lon: number; lat: number } }[]>;
}

export interface CityRepository {
  get(code: string): Promise<City | null>;
  /** Every city set up, by code (a handful per store: not paged). */
  list(): Promise<City[]>;
  /** Inserts or replaces the city; returns the previous record, or null when new. */
  upsert(city: CityInput): Promise<City | null>;
}

/**
 * A rule a city adopted in place of LifeCircle's national default (migration 16): `value` is the rule's own shape
 * (its module checks it), `source` the document it comes from.
 */
export interface CityRule {
  cityCode: string;
  /** The rule's name, e.g. `inspections.sampling`. */
  rule: string;
  value: unknown;
  source: { document: string; url?: string; clause?: string; note?: string };
  updatedBy: string;
  updatedAt: string;
}

export interface CityRuleRepository {
  get(cityCode: string, rule: string): Promise<CityRule | null>;
  /** Inserts or replaces the city's rule; returns the previous one, or null when new. */
  put(rule: Omit<CityRule, 'updatedAt'>): Promise<CityRule | null>;
  /** Removes it (the national default applies again); returns what was removed. */
  remove(cityCode: string, rule: string): Promise<CityRule | null>;
}

export interface CityNetworkRepository {
  /** The network's record without the graph. */
  get(cityCode: string): Promise<CityNetwork | null>;
  /** The graph file's bytes (src/network/graph-file.ts format), or null when the city has no network. */
  graph(cityCode: string): Promise<Uint8Array | null>;
  /** Inserts or replaces the city's network; returns the previous record, or null when new. */
  put(network: Omit<CityNetwork, 'createdAt'> & { graph: Uint8Array }): Promise<CityNetwork | null>;
}

export interface CityBasemapRepository {
  /** The basemap's record without its layers; null when the city has none. */
  get(cityCode: string): Promise<CityBasemap | null>;
  /** The stored layers' bytes (src/basemap's encoding), or null when the city has no basemap. */
  data(cityCode: string): Promise<Uint8Array | null>;
  /** Inserts or replaces the city's basemap; returns the previous record, or null when new. */
  put(basemap: Omit<CityBasemap, 'createdAt'> & { data: Uint8Array }): Promise<CityBasemap | null>;
}

export interface RegionRepository {
  get(code: string): Promise<Region | null>;
  list(filter?: RegionFilter): Promise<Page<Region>>;
  /** Which of these codes are known; cheap for a whole import file. */
  existing(codes: string[]): Promise<Set<string>>;
  upsertMany(regions: Region[]): Promise<number>;
  count(): Promise<number>;
}

export interface FacilityTypeRepository {
  get(code: string): Promise<FacilityType | null>;
  list(): Promise<FacilityType[]>;
  upsert(type: FacilityType): Promise<FacilityType | null>;
}

export interface UserRepository {
  get(id: number): Promise<User | null>;
  findByUsername(username: string): Promise<(User & { passwordHash: string }) | null>;
  list(filter?: PageQuery): Promise<Page<User>>;
  create(user: NewUser): Promise<User>;
  /** Changes the given fields (disabling or a new password also ends the user's sessions); returns the user before the change, or null when there is none. */
  update(id: number, patch: Partial<NewUser>): Promise<User | null>;
  count(): Promise<number>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  /** The session with this token hash, if it has not expired at `now`. */
  findValid(tokenHash: string, now: string): Promise<Session | null>;
  delete(tokenHash: string): Promise<void>;
  deleteExpired(now: string): Promise<number>;
}

export interface AuditRepository {
  record(entry: NewAuditEntry): Promise<AuditEntry>;
  list(filter?: AuditFilter): Promise<Page<AuditEntry>>;
}

export interface AnalysisRunRepository {
  create(run: NewAnalysisRun): Promise<AnalysisRun>;
  get(id: number): Promise<AnalysisRun | null>;
  /** Newest first; results are left out of listings (they can be large). */
  list(filter?: PageQuery & { kind?: string }): Promise<Page<Omit<AnalysisRun, 'results'>>>;
  findByInputsHash(kind: string, inputsHash: string): Promise<AnalysisRun | null>;
}

export interface ImportRepository {
  create(record: NewImportRecord): Promise<ImportRecord>;
  get(id: number): Promise<ImportRecord | null>;
}

/** The repositories, usable inside and outside a transaction. */
export interface StoreRepositories {
  /** 好差评 (migration 5): src/store/cases-types.ts. */
  residents: ResidentRepository;
  ratings: RatingRepository;
  complaints: ComplaintRepository;
  cases: CaseRepository;
  /** The cities set up (migration 15). */
  cities: CityRepository;
  /** Each city's walking network (migration 16). */
  cityNetworks: CityNetworkRepository;
  /** Each city's basemap layers (migration 20). */
  cityBasemaps: CityBasemapRepository;
  /** Rules each city adopted in place of the national defaults (migration 16). */
  cityRules: CityRuleRepository;
  regions: RegionRepository;
  facilityTypes: FacilityTypeRepository;
  communities: KeyedRepository<Community, CommunityFilter>;
  facilities: FacilityRepository;
  providers: KeyedRepository<Provider, ProviderFilter>;
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  analysisRuns: AnalysisRunRepository;
  imports: ImportRepository;
  /** Indicator values, targets and the scorecard configuration (indicators-types.ts). */
  indicators: IndicatorRepository;
  /** Credit records and classes, 双随机 draws and results, 普惠 certifications (migration 6). */
  credit: CreditRepository;
  /** Plans, corrections, assignments, progress reports and reviews (plans-types.ts). */
  plans: PlanRepository;
  /** Long work run off the request: imports now, analyses and reports next (jobs-types.ts). */
  jobs: JobRepository;
  /** Monitoring reports with their files (src/reports; reports-types.ts). */
  monitoringReports: MonitoringReportRepository;
  /** Failed logins per user name and client, counted by every process together (src/accounts LoginThrottle). */
  loginFailures: LoginFailureRepository;
  /** Request-rate windows of the limited routes, counted by every process together (src/server/security.ts). */
  requestWindows: RequestCounterRepository;
}

/** Where a store is: a SQLite file, or a PostgreSQL database and schema. */
export type StoreAddress =
  { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; schema: string };

export interface Store extends StoreRepositories {
  /** Runs `fn` in one transaction: everything it writes commits together or, if it throws, not at all. */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** The schema version after migrations. */
  schemaVersion(): Promise<number>;
  /** Where the data lives, for messages (a file path for SQLite; the server and database, never a password). */
  readonly location: string;
  /** Which engine keeps it. */
  readonly dialect: 'sqlite' | 'postgres';
  /** How another connection (a job's worker thread) opens the same store; holds the password, never log it. */
  readonly address: StoreAddress;
  close(): Promise<void>;
}
