import { exclusionOf, type CreditRecord, type InspectionOutcome, type PenaltySeverity } from './credit.js';

/**
 * The public disclosure page of a provider (信息公示): permits, penalties and inspection results in force.
 * Built from a whitelist of fields, so internal notes, inspectors, complaints (which concern residents) and the
 * risk class (an internal reference for supervision, not a public rating — standards.md §7) can never leak.
 */
export interface DisclosedItem {
  readonly title: string;
  readonly authority: string;
  readonly document?: string;
  readonly date: string;
  readonly validUntil?: string;
  readonly severity?: PenaltySeverity;
  readonly outcome?: InspectionOutcome;
}

export interface ProviderDisclosure {
  readonly uscc: string;
  readonly name: string;
  readonly asOf: string;
  readonly permits: readonly (DisclosedItem & { readonly expired: boolean })[];
  readonly penalties: readonly DisclosedItem[];
  readonly inspections: readonly DisclosedItem[];
}

function item(r: CreditRecord): DisclosedItem {
  return {
    title: r.title,
    authority: r.source.authority,
    ...(r.source.document === undefined ? {} : { document: r.source.document }),
    date: r.date,
    ...(r.validUntil === undefined ? {} : { validUntil: r.validUntil }),
    ...(r.severity === undefined ? {} : { severity: r.severity }),
    ...(r.outcome === undefined ? {} : { outcome: r.outcome }),
  };
}

const newestFirst = (a: DisclosedItem, b: DisclosedItem): number =>
  b.date.localeCompare(a.date) || a.title.localeCompare(b.title);

export function presentDisclosure(
  provider: { readonly uscc: string; readonly name: string },
  records: readonly CreditRecord[],
  asOf: string,
): ProviderDisclosure {
  const inForce = records.filter((r) => r.uscc === provider.uscc && exclusionOf(r, asOf) === null);
  return {
    uscc: provider.uscc,
    name: provider.name,
    asOf,
    permits: inForce
      .filter((r) => r.kind === 'permit')
      .map((r) => ({ ...item(r), expired: r.validUntil !== undefined && r.validUntil < asOf }))
      .sort(newestFirst),
    penalties: inForce
      .filter((r) => r.kind === 'penalty')
      .map(item)
      .sort(newestFirst),
    inspections: inForce
      .filter((r) => r.kind === 'inspection')
      .map(item)
      .sort(newestFirst),
  };
}
