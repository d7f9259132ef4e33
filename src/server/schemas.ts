import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { FACILITY_STATUSES, ROLES, SERVICE_DOMAINS } from '../store/index.js';
import { Polygonal } from './geojson-schemas.js';
import type { RuleStatus } from '../supervision/index.js';

/**
 * Request and response schemas: one source for validation, handler types, response filtering (undeclared
 * fields never leave the server) and the OpenAPI document (STYLE habit 9).
 */
// Null first: with type coercion on, ajv would otherwise turn a JSON null into "" (or 0) for the first branch
// (a null region code became '' and failed its foreign key).
export const Nullable = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);
/**
 * An array whose static type is readonly, as the domain's arrays are (the JSON schema is the plain array's): a
 * presenter may return a domain array as it is, and its items are still checked against `item`.
 */
export const List = <T extends TSchema>(item: T, options?: Parameters<typeof Type.Array>[1]) =>
  Type.Unsafe<readonly Static<T>[]>(Type.Array(item, options));

/**
 * How an answer names an outlet (`outletNaming` of src/supervision): its own name or null, and its type in both
 * languages. The server makes no label for a nameless outlet; the client words it in the reader's language.
 */
export const OutletNamingFields = {
  outletName: Nullable(
    Type.String({ description: 'the outlet’s own name; null when it has none or is not in the register' }),
  ),
  outletTypeCode: Nullable(Type.String({ description: 'the outlet’s facility type; null when unknown' })),
  outletTypeName: Nullable(Type.String({ description: 'the type’s Chinese name; null when unknown' })),
  outletTypeNameEn: Nullable(Type.String({ description: 'the type’s English name; null when unknown' })),
};

/** A string enum whose static type is the union of its values. */
export const literals = <T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });

const RULE_STATUSES = [
  'confirmed',
  'local',
  'secondary',
  'project-default',
] as const satisfies readonly RuleStatus[];

/** Where a rule (a deadline, a calendar, a score band) comes from, and how sure we are of it. */
export const RuleSource = Type.Object(
  {
    document: Type.String({ description: 'the title in its own language' }),
    documentEn: Type.Optional(
      Type.String({ description: 'the title in English; absent for a city’s own rule entered without one' }),
    ),
    clause: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    status: literals(RULE_STATUSES),
    note: Type.Optional(Type.String()),
  },
  { description: 'The source of a rule: document, clause, how sure it is' },
);

/**
 * Closes every object of a response schema that does not say otherwise (`additionalProperties: false`), in place:
 * applied to each route's responses when it is registered (app.ts), so the OpenAPI document and the dashboard's
 * generated types say what the serializer does — a field that is not declared never leaves the server.
 */
export function closeObjects(schema: unknown): void {
  if (schema === null || typeof schema !== 'object') return;
  if (Array.isArray(schema)) {
    for (const s of schema) closeObjects(s);
    return;
  }
  const s = schema as Record<string, unknown>;
  if (s.properties !== undefined && s.additionalProperties === undefined) s.additionalProperties = false;
  for (const key of ['properties', 'patternProperties'] as const)
    if (s[key]) for (const child of Object.values(s[key] as object)) closeObjects(child);
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties'] as const)
    closeObjects(s[key]);
}

/**
 * A file download (CSV, XLSX, GeoJSON file): OpenAPI's binary string; the handler sends a Buffer or text, which
 * Fastify passes through without serialising.
 */
export const FileDownload = (description: string) =>
  Type.Unsafe<Buffer | string>({ type: 'string', format: 'binary', description });

/**
 * A response built once and sent as JSON text (the map's large GeoJSON layers): the schema documents its shape,
 * the handler may send the text, which Fastify passes through without serialising.
 */
export const PreSerialised = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | string>(schema);

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable code from docs/errors.md, e.g. LC_FORBIDDEN' }),
      message: Type.String({ description: 'what went wrong, naming the field, row or record' }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody', description: 'The one error body of the API' },
);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

/** Division codes nest by prefix, so `within=510104` selects everything in 锦江区. */
const RegionCode = Type.String({ pattern: '^[0-9]{2,12}$', description: '行政区划代码, 2 to 12 digits' });

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

export const LonLat = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
});
const Domain = literals(SERVICE_DOMAINS);

export const Region = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: literals(['province', 'city', 'district', 'subdistrict', 'community'] as const),
  parentCode: Nullable(Type.String()),
});

export const FacilityType = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  domain: Domain,
  source: Type.String(),
});

const AgeGroups = Type.Object({
  age0to3: Type.Optional(Type.Integer({ minimum: 0 })),
  age3to6: Type.Optional(Type.Integer({ minimum: 0 })),
  age0to14: Type.Optional(Type.Integer({ minimum: 0 })),
  age6to11: Type.Optional(Type.Integer({ minimum: 0 })),
  age12to14: Type.Optional(Type.Integer({ minimum: 0 })),
  age60plus: Type.Optional(Type.Integer({ minimum: 0 })),
  age80plus: Type.Optional(Type.Integer({ minimum: 0 })),
});

const communityFields = {
  name: Type.String({ minLength: 1 }),
  regionCode: RegionCode,
  location: LonLat,
  boundary: Nullable(Polygonal),
  population: Nullable(Type.Integer({ minimum: 0 })),
  ageGroups: AgeGroups,
  populationEstimated: Type.Boolean(),
};
export const Community = Type.Object({ code: Type.String(), ...communityFields });
export const CommunityInput = Type.Object({
  code: Type.String({ minLength: 1 }),
  ...Type.Partial(Type.Object(communityFields)).properties,
});

const facilityFields = {
  name: Type.String({ minLength: 1 }),
  typeCode: Type.String({ minLength: 1 }),
  location: LonLat,
  address: Nullable(Type.String()),
  regionCode: Nullable(RegionCode),
  capacity: Nullable(Type.Integer({ minimum: 0 })),
  affordable: Type.Boolean({ description: '普惠' }),
  status: literals(FACILITY_STATUSES),
  providerUscc: Nullable(Type.String({ description: '统一社会信用代码 of the operator' })),
  contactPhone: Type.Optional(
    Nullable(Type.String({ description: 'personal data: omitted for the public' })),
  ),
};
export const Facility = Type.Object({ code: Type.String(), ...facilityFields });
export const FacilityInput = Type.Object({
  code: Type.String({ minLength: 1 }),
  ...Type.Partial(Type.Object(facilityFields)).properties,
});

const providerFields = {
  name: Type.String({ minLength: 1 }),
  regionCode: Nullable(RegionCode),
  domains: Type.Array(Domain),
  contactName: Type.Optional(Nullable(Type.String({ description: 'personal data: omitted for the public' }))),
  contactPhone: Type.Optional(
    Nullable(Type.String({ description: 'personal data: omitted for the public' })),
  ),
};
export const Provider = Type.Object({ uscc: Type.String(), ...providerFields });
export const ProviderInput = Type.Object({
  uscc: Type.String({ minLength: 18, maxLength: 18, description: '统一社会信用代码 (GB 32100-2015)' }),
  ...Type.Partial(Type.Object(providerFields)).properties,
});

export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: literals(ROLES),
  department: Nullable(Type.String()),
  domains: Type.Array(Domain),
  regionCode: Nullable(Type.String()),
  providerUscc: Nullable(Type.String()),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});

export const NewUser = Type.Object({
  username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,64}$' }),
  displayName: Type.String({ minLength: 1 }),
  password: Type.String({ minLength: 10, description: 'at least 10 characters' }),
  role: literals(ROLES),
  department: Type.Optional(Nullable(Type.String())),
  domains: Type.Optional(Type.Array(Domain)),
  regionCode: Type.Optional(Nullable(RegionCode)),
  providerUscc: Type.Optional(Nullable(Type.String())),
});

export const UserChange = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1 })),
  password: Type.Optional(Type.String({ minLength: 10 })),
  role: Type.Optional(literals(ROLES)),
  department: Type.Optional(Nullable(Type.String())),
  domains: Type.Optional(Type.Array(Domain)),
  regionCode: Type.Optional(Nullable(RegionCode)),
  providerUscc: Type.Optional(Nullable(Type.String())),
  disabled: Type.Optional(Type.Boolean()),
});

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.Integer()),
  actorName: Type.String(),
  action: Type.String(),
  entity: Type.String(),
  entityKey: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export const Session = Type.Object({ token: Type.String(), expiresAt: Type.String(), user: User });

export const AnalysisRunSummary = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  inputsHash: Type.String(),
  parameters: Type.Unknown(),
  engineVersion: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
});
export const AnalysisRun = Type.Object({ ...AnalysisRunSummary.properties, results: Type.Unknown() });

export const City = Type.Object({
  code: Type.String(),
  name: Type.String(),
  bbox: Type.Union([Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]), Type.Null()]),
  extentSource: Type.Union([literals(['outline', 'network', 'manual'] as const), Type.Null()]),
  extentNote: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const NetworkSummary = Type.Object({
  format: Type.String({ description: 'xml or pbf' }),
  bytes: Type.Integer({ description: "the uploaded extract's size" }),
  nodes: Type.Integer(),
  edges: Type.Integer(),
  totalLengthKm: Type.Number(),
  components: Type.Integer(),
  largestComponentShare: Type.Number({
    description: 'share of the walkable length in the largest connected part',
  }),
  bbox: Type.Array(Type.Number(), {
    minItems: 4,
    maxItems: 4,
    description: 'WGS-84 [west, south, east, north] of the walkable nodes',
  }),
  missingNodeRefs: Type.Integer(),
  profileVersion: Type.Integer(),
});

export const CityNetwork = Type.Object({
  cityCode: Type.String(),
  fileName: Type.String(),
  sourceSha256: Type.String(),
  summary: NetworkSummary,
  createdBy: Type.String(),
  createdAt: Type.String(),
});

export const CityBasemap = Type.Object({
  cityCode: Type.String(),
  fileName: Type.String({ description: 'the OSM extract it was read from' }),
  sourceSha256: Type.String(),
  format: Type.String({ description: 'the stored encoding, e.g. lifecircle-basemap/1' }),
  sha256: Type.String({ description: 'SHA-256 of the stored layers' }),
  bytes: Type.Integer({ description: 'size of the stored layers' }),
  counts: Type.Object(
    {
      water: Type.Integer(),
      green: Type.Integer(),
      buildings: Type.Integer(),
      roads: Type.Integer(),
      places: Type.Integer(),
    },
    { description: 'features per layer' },
  ),
  bbox: Type.Union(
    [
      Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[west, south, east, north]' }),
      Type.Null(),
    ],
    { description: 'null when it holds nothing' },
  ),
  createdBy: Type.String(),
  createdAt: Type.String(),
});

const TypeCoverage = {
  typeId: Type.String(),
  communities: Type.Integer(),
  coveredCommunities: Type.Integer(),
  communityShare: Type.Union([Type.Number(), Type.Null()]),
  demandShare: Type.Union([Type.Number(), Type.Null()], {
    description: 'null when no community has a population',
  }),
};

export const CoverageSummary = Type.Object({
  runId: Type.Integer(),
  cityCode: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  communities: Type.Integer(),
  communitiesOnNetwork: Type.Integer(),
  communitiesWithPopulation: Type.Integer(),
  types: Type.Array(
    Type.Object({
      ...TypeCoverage,
      nameZh: Type.String(),
      nameEn: Type.String(),
      radiusM: Type.Number(),
      facilities: Type.Integer(),
      facilitiesOnNetwork: Type.Integer(),
    }),
  ),
  districts: Type.Array(
    Type.Object({
      name: Type.Union([Type.String(), Type.Null()], { description: 'null: communities not linked to a 区' }),
      communities: Type.Integer(),
      types: Type.Array(Type.Object(TypeCoverage)),
    }),
  ),
  caveats: Type.Array(Type.String()),
});

export const RowProblem = Type.Object({
  row: Type.Integer(),
  column: Type.String(),
  value: Type.String(),
  reason: Type.String(),
  message: Type.String(),
});

export const ImportReport = Type.Object({
  importId: Type.Integer(),
  reportXlsx: Type.String({ description: 'URL of the row report as XLSX' }),
  report: Type.Object({
    entity: Type.String(),
    fileName: Type.String(),
    fileSha256: Type.String(),
    format: Type.String(),
    encoding: Type.String(),
    crs: Type.String(),
    rows: Type.Integer(),
    accepted: Type.Boolean(),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    ignoredColumns: Type.Array(Type.String()),
    problemCount: Type.Integer({ description: 'every problem found, also those not listed' }),
    problemsByReason: Type.Record(Type.String(), Type.Integer(), {
      description: 'how many problems of each reason (all of them)',
    }),
    problems: Type.Array(RowProblem, {
      description: 'the first 1000 problems in file order, long cells clipped',
    }),
    dryRun: Type.Boolean({ description: 'nothing was written; accepted says whether it would have been' }),
    skippedRows: Type.Integer({ description: 'rows left out for their problems (skipBadRows)' }),
    warningCount: Type.Integer(),
    warnings: Type.Array(RowProblem, {
      description:
        'worth a look, not refused: points shared by ≥3 rows, unknown 街道, one provider twice at one address',
    }),
    generatedCodes: Type.Integer({ description: 'rows whose code was made from name and position' }),
    regionsFromNames: Type.Integer({ description: 'rows whose division code came from 区/街道 names' }),
    typeProposal: Type.Union([
      Type.Null(),
      Type.Object({
        column: Type.String(),
        values: Type.Array(
          Type.Object({
            value: Type.String(),
            rows: Type.Integer(),
            proposed: Type.Union([Type.String(), Type.Null()]),
            proposedName: Type.Union([Type.String(), Type.Null()]),
          }),
        ),
        types: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String() })),
      }),
    ]),
  }),
});
