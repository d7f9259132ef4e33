import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifeCircleError } from '../errors.js';
import { commandRegistry, PERMISSIONS, type Viewer } from '../policy/index.js';
import { openTemporaryStore, ROLES } from '../store/index.js';
import { manualClock } from '../time/index.js';
// The server imports every capability, so every command is defined once this module is loaded.
import './index.js';

/**
 * Every command calls the policy: whoever calls it — the API, the CLI, a job — a role without the command's
 * permission is refused before the command reads its input or touches the store, and nothing is audited.
 */
/**
 * Who may run each command, written out by hand (letters as in role-table.test.ts: A administrator,
 * C coordinator, S staff, I inspector, P provider, R resident, - the public). Not derived from PERMISSIONS.
 */
const ALL = 'ACSIPR-';
const COMMAND_ROLES: Record<string, string> = {
  'accounts.createUser': 'A',
  'accounts.updateUser': 'A',
  'accounts.unlockLogin': 'A',
  'jobs.cancel': 'ACS',
  'accounts.login': ALL,
  'accounts.logout': ALL,
  'registry.saveCommunity': 'AS',
  'registry.deleteCommunity': 'AS',
  'registry.saveFacility': 'ASP',
  'registry.deleteFacility': 'ASP',
  'registry.saveProvider': 'AS',
  'registry.deleteProvider': 'AS',
  'registry.import': 'AS',
  'registry.linkCommunities': 'AS',
  'registry.saveFacilityType': 'A',
  'registry.addDefaultFacilityTypes': 'A',
  'cities.create': 'A',
  'cities.importNetwork': 'A',
  'cities.importBasemap': 'A',
  'cities.setExtent': 'A',
  'analysis.run': 'AS',
  'residents.register': ALL,
  'ratings.rate': 'SR',
  'ratings.moderate': 'AS',
  'complaints.file': 'SR',
  'cases.act': 'ASPR',
  'credit.record': 'ASI',
  'credit.repair': 'ASI',
  'inspections.draw': 'AS',
  'inspections.setSamplingRule': 'AS',
  'inspections.publish': 'AS',
  'inspections.record': 'I',
  'certification.apply': 'P',
  'certification.withdraw': 'P',
  'certification.review': 'AS',
  'plans.import': 'AC',
  'plans.correct': 'ACS',
  'plans.assign': 'AC',
  'plans.report': 'S',
  'plans.review': 'AC',
  'indicators.reportValue': 'AS',
  'indicators.setTarget': 'AC',
  'scorecard.configure': 'AC',
  'reports.generate': 'ACS',
};
const LETTER: Record<Viewer['role'], string> = {
  administrator: 'A',
  coordinator: 'C',
  staff: 'S',
  inspector: 'I',
  provider: 'P',
  resident: 'R',
  public: '-',
};

const viewerOf = (role: Viewer['role']): Viewer => ({
  id: role === 'public' ? 0 : 4242,
  username: `test-${role}`,
  displayName: role,
  role,
  department: null,
  domains: [],
  regionCode: null,
  providerUscc: null,
});

test('every command names an action of PERMISSIONS, or says why it is open to everyone', () => {
  const commands = [...commandRegistry().values()].map((c) => c.spec);
  assert.ok(commands.length > 0, 'no command is defined');
  for (const spec of commands)
    if (spec.permission === null) assert.ok(spec.publicBecause, `${spec.name} is public without a reason`);
    else assert.ok(spec.permission in PERMISSIONS, `${spec.name}: unknown permission ${spec.permission}`);
});

test('the hand-written table names every command; each role is refused exactly the commands it lacks', async () => {
  assert.deepEqual(Object.keys(COMMAND_ROLES).sort(), [...commandRegistry().keys()].sort());
  const { store, dispose } = await openTemporaryStore();
  const deps = { store, clock: manualClock('2026-03-16T10:00:00+08:00'), cityCode: '5101' };
  const mismatches: string[] = [];
  try {
    for (const [name, command] of commandRegistry())
      for (const role of ROLES) {
        const expected = COMMAND_ROLES[name].includes(LETTER[role]);
        // No input: an allowed role gets past the policy and fails on the missing input instead.
        const refused = await command(deps, viewerOf(role), undefined).then(
          () => false,
          (error: unknown) =>
            error instanceof LifeCircleError &&
            typeof (error.details as { permission?: unknown })?.permission === 'string',
        );
        if (refused === expected)
          mismatches.push(`${role} ${name}: expected ${expected ? 'allowed' : 'refused'}`);
      }
  } finally {
    await dispose();
  }
  assert.deepEqual(mismatches, []);
});

test('a command refuses every role without its permission before reading its input, and audits nothing', async () => {
  const { store, dispose } = await openTemporaryStore();
  const deps = { store, clock: manualClock('2026-03-16T10:00:00+08:00'), cityCode: '5101' };
  try {
    for (const [name, command] of commandRegistry()) {
      const { spec } = command;
      if (!spec.permission) continue;
      const holders = PERMISSIONS[spec.permission] as readonly string[];
      for (const role of ROLES) {
        if (holders.includes(role)) continue;
        // No input at all: a refused role must be turned away before the command looks at it.
        await assert.rejects(
          command(deps, viewerOf(role), undefined),
          (error: unknown) =>
            error instanceof LifeCircleError &&
            error.code === (role === 'public' ? 'LC_AUTH_REQUIRED' : 'LC_FORBIDDEN') &&
            (error.details as { permission?: string }).permission === spec.permission,
          `${role} may not ${name}`,
        );
      }
    }
    assert.equal((await store.audit.list({})).total, 0);
  } finally {
    await dispose();
  }
});
