import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FACILITY_TYPES, loadStandards } from '../standards/index.js';
import type { DistrictCensus } from '../places/index.js';
import { openTemporaryStore, type Community, type Facility } from '../store/index.js';
import { ensureStandardTypes } from './bundled.js';
import { STANDARD_TYPE_DOMAINS } from './domains.js';
import {
  inputsHash,
  placeCommunitiesFromStore,
  placeFacilitiesFromStore,
  readStoreInputs,
} from './store-inputs.js';

const standards = loadStandards(undefined);

// Two real outlets of the bundled extract (OSM 2018), as the registry would hold them.
const outlet = (code: string, lon: number, lat: number, extra: Partial<Facility> = {}): Facility => ({
  code,
  name: code,
  typeCode: 'kindergarten',
  location: { lon, lat },
  address: null,
  regionCode: null,
  capacity: null,
  affordable: false,
  status: 'open',
  providerUscc: null,
  contactPhone: null,
  ...extra,
});
const A = outlet('K-A', 104.0712, 30.6545);
const B = outlet('K-B', 104.0571, 30.6669);

test('every facility type of the standards has a service domain', () => {
  assert.deepEqual(
    FACILITY_TYPES.filter((t) => !(t.id in STANDARD_TYPE_DOMAINS)).map((t) => t.id),
    [],
  );
});

test('adding the standards types to a store is audited and happens once', async () => {
  const { store, dispose } = await openTemporaryStore();
  const added = await ensureStandardTypes(store, standards);
  assert.equal(added, standards.facilityTypes.length);
  for (const t of standards.facilityTypes) assert.ok(await store.facilityTypes.get(t.id), t.id);
  const audit = await store.audit.list({ entity: 'facility_types', limit: 1000 });
  assert.equal(audit.total, added);
  assert.equal(await ensureStandardTypes(store, standards), 0);
  assert.equal((await store.audit.list({ entity: 'facility_types' })).total, added);
  await dispose();
});

test('only open outlets serve residents: planned, suspended and closed ones are left out', () => {
  const placed = placeFacilitiesFromStore({
    communities: [],
    facilities: [
      A,
      outlet('K-P', 104.06, 30.66, { status: 'planned' }),
      outlet('K-C', 104.06, 30.66, { status: 'closed' }),
    ],
    districtNames: new Map(),
  });
  assert.deepEqual(
    placed.map((f) => f.id),
    ['K-A'],
  );
});

test('the inputs hash ignores the order rows were written in and changes when one outlet changes', async () => {
  const hashOf = async (rows: Facility[]) => {
    const { store, dispose } = await openTemporaryStore();
    await ensureStandardTypes(store, standards);
    for (const r of rows) await store.facilities.upsert(r);
    const hash = inputsHash('network-sha', standards, await readStoreInputs(store, '5101'));
    await dispose();
    return hash;
  };
  const ab = await hashOf([A, B]);
  assert.equal(await hashOf([B, A]), ab);
  assert.notEqual(await hashOf([A, { ...B, capacity: 90 }]), ab);
});

test('age counts a register gives are used as counted; missing groups come from the census shares and are flagged', () => {
  const community = (
    code: string,
    population: number | null,
    ageGroups: Community['ageGroups'],
  ): Community => ({
    code,
    name: code,
    regionCode: '510104',
    location: { lon: 104.08, lat: 30.65 },
    boundary: null,
    population,
    ageGroups,
    populationEstimated: false,
  });
  // Hand-made shares of a district (not a real census row): 2 % are 0–2, 3 % 3–5, 6 % 6–11, 3 % 12–14, 20 % 60+.
  const census: DistrictCensus[] = [
    {
      code: '510104',
      name: '锦江区',
      population: 1000,
      shares: {
        all: 1,
        age0to2: 0.02,
        age3to5: 0.03,
        age6to11: 0.06,
        age12to14: 0.03,
        age60plus: 0.2,
        age80plus: 0.03,
      },
      source: 'test',
    },
  ];
  const [full, partial, none] = placeCommunitiesFromStore(
    {
      communities: [
        community('C-full', 1000, {
          age0to3: 11,
          age3to6: 22,
          age6to11: 33,
          age12to14: 44,
          age60plus: 155,
          age80plus: 21,
        }),
        community('C-partial', 1000, { age60plus: 300 }),
        community('C-none', null, {}),
      ],
      facilities: [],
      districtNames: new Map([['510104', '锦江区']]),
    },
    census,
  );
  assert.deepEqual(full.demand, {
    all: 1000,
    age0to2: 11,
    age3to5: 22,
    age6to11: 33,
    age12to14: 44,
    age60plus: 155,
    age80plus: 21,
  });
  assert.equal(full.ageGroupsEstimated, false);
  assert.deepEqual(partial.demand, {
    all: 1000,
    age0to2: 20,
    age3to5: 30,
    age6to11: 60,
    age12to14: 30,
    age60plus: 300,
    age80plus: 30,
  });
  assert.equal(partial.ageGroupsEstimated, true);
  assert.equal(none.demand, undefined);
});
