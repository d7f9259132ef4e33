import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyWay } from './walk-profile.js';

const cases: [string, Record<string, string>, string, boolean, boolean][] = [
  ['footway', { highway: 'footway' }, 'walkable', true, true],
  ['path', { highway: 'path' }, 'walkable', true, true],
  ['pedestrian street', { highway: 'pedestrian' }, 'walkable', true, true],
  ['steps', { highway: 'steps' }, 'walkable', true, true],
  ['living street', { highway: 'living_street' }, 'walkable', true, true],
  ['residential', { highway: 'residential' }, 'walkable', true, true],
  ['service', { highway: 'service' }, 'walkable', true, true],
  ['primary', { highway: 'primary' }, 'walkable', true, true],
  ['track', { highway: 'track' }, 'walkable', true, true],
  ['car one-way is ignored', { highway: 'residential', oneway: 'yes' }, 'walkable', true, true],
  ['oneway:foot=yes', { highway: 'path', 'oneway:foot': 'yes' }, 'walkable', true, false],
  ['oneway:foot=-1', { highway: 'path', 'oneway:foot': '-1' }, 'walkable', false, true],
  ['motorway', { highway: 'motorway' }, 'needs-foot-permission', false, false],
  ['trunk', { highway: 'trunk' }, 'needs-foot-permission', false, false],
  ['trunk with foot=yes', { highway: 'trunk', foot: 'yes' }, 'walkable', true, true],
  [
    'motorway_link with foot=designated',
    { highway: 'motorway_link', foot: 'designated' },
    'walkable',
    true,
    true,
  ],
  ['cycleway', { highway: 'cycleway' }, 'needs-foot-permission', false, false],
  ['cycleway with foot=yes', { highway: 'cycleway', foot: 'yes' }, 'walkable', true, true],
  ['foot=no', { highway: 'footway', foot: 'no' }, 'foot-forbidden', false, false],
  ['foot=use_sidepath', { highway: 'primary', foot: 'use_sidepath' }, 'foot-forbidden', false, false],
  ['access=private', { highway: 'service', access: 'private' }, 'access-forbidden', false, false],
  ['access=no', { highway: 'residential', access: 'no' }, 'access-forbidden', false, false],
  ['access=no with foot=yes', { highway: 'residential', access: 'no', foot: 'yes' }, 'walkable', true, true],
  [
    'access=private with foot=permissive',
    { highway: 'service', access: 'private', foot: 'permissive' },
    'walkable',
    true,
    true,
  ],
  ['pedestrian area', { highway: 'pedestrian', area: 'yes' }, 'walkable', true, true],
  ['service area', { highway: 'service', area: 'yes' }, 'area-not-walkable', false, false],
  ['construction', { highway: 'construction' }, 'highway-not-walkable', false, false],
  ['not a highway', { building: 'yes' }, 'not-a-highway', false, false],
];

for (const [name, tags, verdict, forward, backward] of cases) {
  test(`walking profile: ${name}`, () => {
    assert.deepEqual(classifyWay(tags), { verdict, forward, backward });
  });
}
