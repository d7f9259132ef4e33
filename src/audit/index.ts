/**
 * The audit log's one way in. Every command records its change with `recordAudit` inside its transaction, naming
 * the actor the one way `actorOf` gives: the account's id and user name for people (API or dashboard), `cli:<os
 * user>` for the command line, `system:<job>` for the platform's own work (bundled data, analysis runs).
 */
import { userInfo } from 'node:os';
import type { Actor, AuditAction, StoreRepositories } from '../store/index.js';

/** Who acted: an account (API, dashboard) — anything with an id and a user name. */
export function actorOf(account: { id: number; username: string }): Actor {
  return { userId: account.id || null, name: account.username };
}

/** The command line's actor: `cli:<operating-system user>`. */
export function cliActor(osUser: string = safeOsUser()): Actor {
  return { userId: null, name: `cli:${osUser}` };
}

/** The platform's own work, e.g. `system:bundled-data`. */
export function systemActor(job: string): Actor {
  return { userId: null, name: `system:${job}` };
}

function safeOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export interface AuditChange {
  action: AuditAction;
  entity: string;
  key: string;
  before?: unknown;
  after?: unknown;
}

/** Records one change, in the caller's transaction (`tx`), so the write and its record commit or fail together. */
export async function recordAudit(
  tx: Pick<StoreRepositories, 'audit'>,
  actor: Actor,
  change: AuditChange,
): Promise<void> {
  await tx.audit.record({
    actorId: actor.userId,
    actorName: actor.name,
    action: change.action,
    entity: change.entity,
    entityKey: change.key,
    before: change.before ?? null,
    after: change.after ?? null,
  });
}
