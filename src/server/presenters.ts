import type { AuditEntry, Community, Facility, Provider, User } from '../store/index.js';
import type { RegisterEntity, RegisterRecord } from '../registry/index.js';
import { seesPersonalData, type Viewer } from '../policy/index.js';
import { userRecord } from '../accounts/index.js';

/**
 * What leaves the server (STYLE habit 14). Routes and exports call these, never send a store row directly, so a
 * forgotten field cannot leak personal data to the public role.
 */
export function presentFacility(f: Facility, viewer: Viewer): Facility | Omit<Facility, 'contactPhone'> {
  if (seesPersonalData(viewer, 'facilities', f)) return f;
  const { contactPhone: _phone, ...rest } = f;
  return rest;
}

export function presentProvider(
  p: Provider,
  viewer: Viewer,
): Provider | Omit<Provider, 'contactName' | 'contactPhone'> {
  if (seesPersonalData(viewer, 'providers', p)) return p;
  const { contactName: _name, contactPhone: _phone, ...rest } = p;
  return rest;
}

export function presentCommunity(c: Community): Community {
  return c;
}

export function presentRecord(
  entity: RegisterEntity,
  record: RegisterRecord,
  viewer: Viewer,
): Partial<RegisterRecord> {
  if (entity === 'facilities') return presentFacility(record as Facility, viewer);
  if (entity === 'providers') return presentProvider(record as Provider, viewer);
  return presentCommunity(record as Community);
}

/** Users never carry their password hash out; the public never sees users at all (routes forbid it). */
export const presentUser = (u: User): User => userRecord(u);

export function presentAudit(e: AuditEntry): AuditEntry {
  return e;
}
