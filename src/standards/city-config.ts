import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { LifeCircleError } from '../errors.js';
import { FACILITY_TYPES, type FacilityType, type OsmSelector } from './facility-types.js';
import { sourced, type Sourced } from './provenance.js';
import { TIERS, TIER_IDS, WALKING_SPEED_M_PER_MIN, type LifeCircleTier, type TierId } from './tiers.js';

/** A facility type as the evaluation uses it: the national defaults with the city's overrides applied. */
export interface ResolvedFacilityType extends FacilityType {
  /** Counted in coverage and completeness (a city may switch types off). */
  readonly enabled: boolean;
  /** Catchment of the 2SFCA (metres); defaults to the service radius. */
  readonly catchmentM: Sourced<number>;
}

/** Everything the evaluation reads: tiers, facility types, walking speed, each value with its provenance. */
export interface Standards {
  readonly tiers: readonly LifeCircleTier[];
  readonly facilityTypes: readonly ResolvedFacilityType[];
  readonly walkingSpeedMPerMin: Sourced<number>;
  /** Name of the city or district the configuration is for, if it says so. */
  readonly city: string | undefined;
  /** The configuration file applied, if any. */
  readonly configFile: string | undefined;
}

const metres = (what: string) =>
  z
    .number({ error: `expected ${what} as a number of metres` })
    .positive({ error: `expected ${what} as a positive number of metres` })
    .max(20000, { error: `expected ${what} of at most 20000 m` });

const selectorSchema = z.strictObject({
  tags: z.record(
    z.string(),
    z.union([z.literal('*'), z.array(z.string()).min(1)], {
      error: 'expected "*" or a non-empty list of tag values',
    }),
  ),
  nameIncludes: z.array(z.string()).optional(),
});

const facilityOverrideSchema = z.strictObject({
  enabled: z.boolean({ error: 'expected true or false' }).optional(),
  radiusM: metres('a service radius').optional(),
  catchmentM: metres('a 2SFCA catchment').optional(),
  tier: z
    .enum(TIER_IDS as [TierId, ...TierId[]], { error: `expected one of ${TIER_IDS.join(', ')}` })
    .optional(),
  provision: z
    .enum(['required', 'recommended'], { error: 'expected "required" or "recommended"' })
    .optional(),
  defaultCapacity: z
    .number({ error: 'expected a capacity as a number' })
    .positive({ error: 'expected a positive capacity' })
    .optional(),
  osm: z.array(selectorSchema).min(1, { error: 'expected at least one OSM selector' }).optional(),
});

const tierOverrideSchema = z.strictObject({ walkingDistanceM: metres('a walking distance').optional() });

const configSchema = z.strictObject({
  city: z.string({ error: 'expected the city or district name as text' }).optional(),
  walkingSpeedMPerMin: z
    .number({ error: 'expected metres per minute as a number' })
    .min(20, { error: 'expected a walking speed between 20 and 150 m/min' })
    .max(150, { error: 'expected a walking speed between 20 and 150 m/min' })
    .optional(),
  tiers: z
    .strictObject(Object.fromEntries(TIER_IDS.map((id) => [id, tierOverrideSchema.optional()])))
    .optional(),
  facilityTypes: z
    .strictObject(Object.fromEntries(FACILITY_TYPES.map((t) => [t.id, facilityOverrideSchema.optional()])))
    .optional(),
});

export type CityConfig = z.infer<typeof configSchema>;

/** The national defaults, no city configuration. */
export function defaultStandards(): Standards {
  return applyCityConfig({}, undefined);
}

/** Reads a JSON or YAML city configuration and applies it; LC_CONFIG names the key and the expected value. */
export function loadStandards(path: string | undefined): Standards {
  if (path === undefined) return defaultStandards();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new LifeCircleError('LC_FILE_NOT_FOUND', `city config ${path} cannot be read`);
  }
  return applyCityConfig(parseCityConfig(text, path), path);
}

/** Parses and validates a configuration's text (YAML unless the file ends in .json). */
export function parseCityConfig(text: string, file: string): CityConfig {
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new LifeCircleError('LC_CONFIG', `city config ${file}${where}: not valid JSON/YAML (${message})`);
  }
  if (raw === null || raw === undefined) raw = {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(issue.path.map(String));
      message = `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}; expected one of ${allowed.join(', ')}`;
    }
    throw new LifeCircleError('LC_CONFIG', `city config ${file}: ${path || '(top level)'}: ${message}`);
  }
  return result.data;
}

function allowedKeys(path: readonly string[]): string[] {
  if (path.length === 0) return Object.keys(configSchema.shape);
  if (path[0] === 'facilityTypes' && path.length === 1) return FACILITY_TYPES.map((t) => t.id);
  if (path[0] === 'facilityTypes' && path.length === 2) return Object.keys(facilityOverrideSchema.shape);
  if (path[0] === 'tiers' && path.length === 1) return [...TIER_IDS];
  if (path[0] === 'tiers') return Object.keys(tierOverrideSchema.shape);
  return Object.keys(selectorSchema.shape);
}

/** National defaults overlaid with a validated configuration; overridden values name the file as source. */
export function applyCityConfig(config: CityConfig, file: string | undefined): Standards {
  const from = `city config ${file ?? '(inline)'}`;
  const override = <T>(value: T | undefined, base: Sourced<T>, key: string): Sourced<T> =>
    value === undefined
      ? base
      : sourced(value, `${from} ${key}`, true, `replaces ${JSON.stringify(base.value)}`);
  const tiers = TIERS.map((tier): LifeCircleTier => {
    const o = config.tiers?.[tier.id];
    if (!o?.walkingDistanceM) return tier;
    return {
      ...tier,
      walkingDistanceM: sourced(o.walkingDistanceM, `${from} tiers.${tier.id}.walkingDistanceM`, true),
    };
  });
  const facilityTypes = FACILITY_TYPES.map((type): ResolvedFacilityType => {
    const o = config.facilityTypes?.[type.id] ?? {};
    const key = (k: string) => `facilityTypes.${type.id}.${k}`;
    const radiusM = override(o.radiusM, type.radiusM, key('radiusM'));
    return {
      ...type,
      enabled: o.enabled ?? true,
      radiusM,
      catchmentM:
        o.catchmentM === undefined
          ? sourced(radiusM.value, 'the service radius (LifeCircle default)', radiusM.verified)
          : sourced(o.catchmentM, `${from} ${key('catchmentM')}`, true),
      tier: override(o.tier, type.tier, key('tier')),
      provision: override(o.provision, type.provision, key('provision')),
      defaultCapacity: override(o.defaultCapacity, type.defaultCapacity, key('defaultCapacity')),
      osm: (o.osm as OsmSelector[] | undefined) ?? type.osm,
    };
  });
  return {
    tiers,
    facilityTypes,
    walkingSpeedMPerMin: override(config.walkingSpeedMPerMin, WALKING_SPEED_M_PER_MIN, 'walkingSpeedMPerMin'),
    city: config.city,
    configFile: file,
  };
}

export function facilityTypeById(standards: Standards, id: string): ResolvedFacilityType {
  const type = standards.facilityTypes.find((t) => t.id === id);
  if (!type)
    throw new LifeCircleError(
      'LC_USAGE',
      `unknown facility type "${id}"; expected one of ${standards.facilityTypes.map((t) => t.id).join(', ')}`,
    );
  return type;
}
