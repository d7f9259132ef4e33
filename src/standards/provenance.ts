/**
 * Where a rule or threshold comes from, and how sure we are of it (see docs/life-circle-evaluation.md).
 * `verified: false` values ship as documented defaults: every output that uses them says so.
 */
export interface Provenance {
  /** Document and clause, e.g. 'GB 50180-2018 术语 2.0.4'. */
  readonly source: string;
  readonly verified: boolean;
  /** What is uncertain, or where the value was confirmed. */
  readonly note?: string;
}

/** A value together with its provenance. */
export interface Sourced<T> extends Provenance {
  readonly value: T;
}

export function sourced<T>(value: T, source: string, verified: boolean, note?: string): Sourced<T> {
  return note === undefined ? { value, source, verified } : { value, source, verified, note };
}

/** Label for tables and reports: '已核实 verified' or '默认值（未核实）default, unverified'. */
export function verificationLabel(p: Provenance): string {
  return p.verified ? '已核实 verified' : '默认值（未核实） default, unverified';
}
