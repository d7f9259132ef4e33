import type { Store } from '../store/index.js';
import type { Clock } from '../time/index.js';
import { requirePermission, type Permission, type Viewer } from './permissions.js';

/** What every command is given: the store, the clock, and the city the platform plans for. */
export interface CommandDeps {
  store: Store;
  clock: Clock;
  /** The city's division code (e.g. '5101' 成都); imports and regions must fall inside it. */
  cityCode: string;
}

/**
 * A state change of the platform. `run` validates the input, checks the record scope (`requireCovers`), writes in
 * one `store.transaction` and records one audit entry (`recordAudit`) — the API and the CLI call the same command.
 */
export interface CommandSpec<I, R> {
  /** `capability.verb`, e.g. `cases.rate`; unique. */
  name: string;
  /**
   * The action of PERMISSIONS the caller's role must hold, checked before `run`. `null` only for commands open to
   * everyone, with the reason in `publicBecause`.
   */
  permission: Permission | null;
  publicBecause?: string;
  run(deps: CommandDeps, viewer: Viewer, input: I): Promise<R>;
}

export type Command<I, R> = ((deps: CommandDeps, viewer: Viewer, input: I) => Promise<R>) & {
  readonly spec: CommandSpec<I, R>;
};

const registry = new Map<string, Command<unknown, unknown>>();

/** Every command defined so far, by name (tests enumerate them: each refuses a role without its permission). */
export function commandRegistry(): ReadonlyMap<string, Command<unknown, unknown>> {
  return registry;
}

/** Defines a command: the role check of its permission always runs first, whoever calls it. */
export function defineCommand<I, R>(spec: CommandSpec<I, R>): Command<I, R> {
  if (registry.has(spec.name)) throw new Error(`command ${spec.name} is defined twice`);
  if (spec.permission === null && !spec.publicBecause)
    throw new Error(`command ${spec.name} is open to everyone but does not say why (publicBecause)`);
  const command = Object.assign(
    async (deps: CommandDeps, viewer: Viewer, input: I): Promise<R> => {
      if (spec.permission) requirePermission(viewer, spec.permission, spec.name);
      return spec.run(deps, viewer, input);
    },
    { spec },
  );
  registry.set(spec.name, command as unknown as Command<unknown, unknown>);
  return command;
}

/**
 * The command line's viewer: the local operator acts with the administrator's role (whoever can run the CLI on the
 * server can open the store file anyway), audited as `cli:<os user>` with no account id.
 */
/**
 * The platform acting on its own (first start, bundled data): the administrator's role with no account, audited as
 * `system:<purpose>` (the name `systemActor` of src/audit gives).
 */
export function systemViewer(purpose: string, displayName: string): Viewer {
  return { ...cliViewer(''), username: `system:${purpose}`, displayName };
}

export function cliViewer(osUser: string): Viewer {
  return {
    id: 0,
    username: `cli:${osUser}`,
    displayName: `命令行 ${osUser}`,
    role: 'administrator',
    department: null,
    domains: [],
    regionCode: null,
    providerUscc: null,
  };
}
