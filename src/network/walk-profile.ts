import type { OsmTags } from '../osm/index.js';

/**
 * The walking profile: which OSM ways a pedestrian can use and in which directions. Rules are data (like
 * OSRM's profiles/foot.lua); docs/walking-network.md states each rule with the tags it reads. Bump
 * `WALK_PROFILE.version` whenever a rule changes: graph files record it so stale graphs are visible.
 */
export interface WalkProfile {
  readonly version: number;
  /** highway=* values walkable by default. */
  readonly walkableHighways: ReadonlySet<string>;
  /** highway=* values walkable only when a foot=* tag explicitly allows walking. */
  readonly highwaysNeedingFootPermission: ReadonlySet<string>;
  /** foot=* values that allow walking (and override access=no/private and the highway class). */
  readonly footAllowed: ReadonlySet<string>;
  /** foot=* values that forbid walking. */
  readonly footForbidden: ReadonlySet<string>;
  /** access=* values that forbid walking unless foot=* allows it. */
  readonly accessForbidden: ReadonlySet<string>;
}

export const WALK_PROFILE: WalkProfile = {
  version: 1,
  walkableHighways: new Set([
    'footway',
    'path',
    'pedestrian',
    'steps',
    'living_street',
    'residential',
    'service',
    'unclassified',
    'road',
    'track',
    'tertiary',
    'tertiary_link',
    'secondary',
    'secondary_link',
    'primary',
    'primary_link',
    'corridor',
    'platform',
  ]),
  highwaysNeedingFootPermission: new Set([
    'motorway',
    'motorway_link',
    'trunk',
    'trunk_link',
    'cycleway',
    'bridleway',
  ]),
  footAllowed: new Set(['yes', 'designated', 'permissive', 'official']),
  footForbidden: new Set(['no', 'use_sidepath', 'private']),
  accessForbidden: new Set(['no', 'private']),
};

/** Why a way was or was not kept; counted per import so users see what the profile dropped. */
export type WayVerdict =
  | 'walkable'
  | 'not-a-highway'
  | 'highway-not-walkable'
  | 'needs-foot-permission'
  | 'foot-forbidden'
  | 'access-forbidden'
  | 'area-not-walkable';

export interface WayClassification {
  readonly verdict: WayVerdict;
  /** Walking from the first to the last node is allowed. */
  readonly forward: boolean;
  /** Walking from the last to the first node is allowed. */
  readonly backward: boolean;
}

const REJECT = (verdict: WayVerdict): WayClassification => ({ verdict, forward: false, backward: false });

export function classifyWay(tags: OsmTags, profile: WalkProfile = WALK_PROFILE): WayClassification {
  const highway = tags.highway;
  if (highway === undefined) return REJECT('not-a-highway');
  const foot = tags.foot;
  const footAllows = foot !== undefined && profile.footAllowed.has(foot);
  if (foot !== undefined && profile.footForbidden.has(foot)) return REJECT('foot-forbidden');
  if (!profile.walkableHighways.has(highway)) {
    if (profile.highwaysNeedingFootPermission.has(highway)) {
      if (!footAllows) return REJECT('needs-foot-permission');
    } else {
      return REJECT('highway-not-walkable');
    }
  }
  const access = tags.access;
  if (access !== undefined && profile.accessForbidden.has(access) && !footAllows)
    return REJECT('access-forbidden');
  // Areas: only pedestrian squares and footway areas are walked, along their outline.
  if (tags.area === 'yes' && highway !== 'pedestrian' && highway !== 'footway' && highway !== 'platform') {
    return REJECT('area-not-walkable');
  }
  // Car one-way rules do not bind pedestrians; only oneway:foot does.
  const onewayFoot = tags['oneway:foot'];
  if (onewayFoot === 'yes' || onewayFoot === '1' || onewayFoot === 'true') {
    return { verdict: 'walkable', forward: true, backward: false };
  }
  if (onewayFoot === '-1' || onewayFoot === 'reverse')
    return { verdict: 'walkable', forward: false, backward: true };
  return { verdict: 'walkable', forward: true, backward: true };
}
