import { Type } from '@sinclair/typebox';
import { LifeCircleError } from '../errors.js';
import {
  certificationStatus,
  exclusionOf,
  presentBadge,
  type Certification,
  type CreditRecord,
  type Rating,
} from '../supervision/index.js';
import type { Provider, Store } from '../store/index.js';
import type { Viewer } from '../policy/index.js';
import type { RouteContext } from './route-context.js';

/** Schemas, presenters and options shared by the credit, inspection and certification routes. */
export type LeaderRatingsProvider = () => Promise<Rating[]>;

export interface CreditRouteOptions extends RouteContext {
  ratings?: LeaderRatingsProvider;
}

export const DATE = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
export const USCC = Type.String({ minLength: 18, maxLength: 18, description: '统一社会信用代码' });
export const UsccParams = Type.Object({ uscc: USCC });
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]+$' }) });
export const Json = Type.Unknown();
export const CONFLICT = { 409: { $ref: 'ErrorBody#' } } as const;
export const SEES_INTERNAL: readonly Viewer['role'][] = ['administrator', 'staff', 'inspector'];
export const SEES_UNPUBLISHED: readonly Viewer['role'][] = [
  'administrator',
  'coordinator',
  'staff',
  'inspector',
];

/** Internal notes (inspectors, handlers) only for the supervising roles. */
export function presentCreditRecord(r: CreditRecord, viewer: Viewer, asOf: string) {
  const { internalNote, ...rest } = r;
  return {
    ...rest,
    ...(SEES_INTERNAL.includes(viewer.role) && internalNote !== undefined ? { internalNote } : {}),
    inForce: exclusionOf(r, asOf) === null,
    excludedBecause: exclusionOf(r, asOf),
  };
}

export async function providerOr404(store: Store, uscc: string): Promise<Provider> {
  const provider = await store.providers.get(uscc);
  if (!provider) throw new LifeCircleError('LC_NOT_FOUND', `provider ${uscc} is not in the register`);
  return provider;
}

export function certificationView(c: Certification, asOf: string, outletName: string | null) {
  return { ...c, outletName, status: certificationStatus(c, asOf), badge: presentBadge(c, asOf) };
}
