/**
 * What the supervision records are, as far as the one scope rule of src/policy goes (`scopeProblem`): a case, a
 * rating, an outlet, a provider, a draw's region. Commands and queries check them with `requireCovers`/`covers`;
 * nothing here decides who covers what.
 */
import type { ScopedRecord, Viewer } from '../policy/index.js';
import { covers } from '../policy/index.js';
import type { Provider, StoredCase, StoredRating } from '../store/index.js';

/** The supervising department of an outlet: the department of its service domain in its 区县. */
export const departmentOf = (domain: string, regionCode: string): string =>
  `${domain}@${regionCode.slice(0, 6)}`;

/** The resident account a record belongs to, when it is a registered account (not a `tel-` pseudonym). */
const ownerOf = (accountId: string): number | null => (/^\d+$/.test(accountId) ? Number(accountId) : null);

/** A case: where its outlet is, the domain it serves, its provider, the resident who opened it. */
export function caseRecord(c: StoredCase): ScopedRecord {
  return {
    label: `case ${c.id}`,
    regionCode: c.regionCode,
    domains: [c.domain],
    providerUscc: c.providerUscc,
    ownerId: ownerOf(c.accountId),
  };
}

/** A rating, with the domain of its service type (unknown type: a domain nobody covers). */
export function ratingRecord(r: StoredRating, domain: string | undefined): ScopedRecord {
  return {
    label: `rating ${r.id}`,
    regionCode: r.regionCode,
    domains: domain ? [domain] : [],
    providerUscc: r.providerUscc,
    ownerId: ownerOf(r.accountId),
  };
}

/** An outlet (facility) of a service domain; `domain` null: a type nobody knows. */
export function outletRecord(
  code: string,
  regionCode: string | null,
  domain: string | null,
  providerUscc: string | null,
): ScopedRecord {
  return { label: `outlet ${code}`, regionCode, domains: domain ? [domain] : [], providerUscc };
}

/** A provider: its registered region and the domains it declares (none declared: not bound to a domain). */
export function providerRecord(p: Provider): ScopedRecord {
  return {
    label: `provider ${p.uscc}`,
    regionCode: p.regionCode,
    ...(p.domains.length ? { domains: p.domains } : {}),
    providerUscc: p.uscc,
  };
}

export type CaseRelation = 'handler' | 'provider' | 'resident' | null;

/** How a viewer stands to a case it covers: its handler (administrator, supervising staff), provider or resident. */
export function relationTo(viewer: Viewer, c: StoredCase): CaseRelation {
  if (!covers(viewer, caseRecord(c))) return null;
  if (viewer.role === 'provider') return 'provider';
  if (viewer.role === 'resident') return 'resident';
  return viewer.role === 'administrator' || viewer.role === 'staff' ? 'handler' : null;
}
