import { ErrorRef } from './route-context.js';
import { Type, type Static } from '@sinclair/typebox';
import {
  RISK_CLASSES,
  certificationStatus,
  exclusionOf,
  presentBadge,
  type Candidate,
  type Certification,
  type CreditRecord,
  type DrawConfig,
  type Inspector,
  type OutletNaming,
  type Rating,
} from '../supervision/index.js';
import type { Viewer } from '../policy/index.js';
import type { RouteContext } from './route-context.js';
import type { CertificationView, CreditRecordView } from './credit-schemas.js';
import { toCsv } from '../tabular/index.js';

/**
 * Schemas and presenters shared by the credit, inspection and certification routes (the writes and scoped reads
 * are commands and queries of src/supervision).
 */
export type LeaderRatingsProvider = () => Promise<Rating[]>;

export interface CreditRouteOptions extends RouteContext {
  ratings?: LeaderRatingsProvider;
}

export const DATE = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
export const USCC = Type.String({ minLength: 18, maxLength: 18, description: '统一社会信用代码' });
export const UsccParams = Type.Object({ uscc: USCC });
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]+$' }) });
export const CONFLICT = { 409: ErrorRef } as const;
export const SEES_INTERNAL: readonly Viewer['role'][] = ['administrator', 'staff', 'inspector'];

/** Internal notes (inspectors, handlers) only for the supervising roles. */
export function presentCreditRecord(
  r: CreditRecord,
  viewer: Viewer,
  asOf: string,
): Static<typeof CreditRecordView> {
  const { internalNote, ...rest } = r;
  return {
    ...rest,
    ...(SEES_INTERNAL.includes(viewer.role) && internalNote !== undefined ? { internalNote } : {}),
    inForce: exclusionOf(r, asOf) === null,
    excludedBecause: exclusionOf(r, asOf),
  };
}

export function certificationView(
  c: Certification,
  asOf: string,
  outlet: OutletNaming,
): Static<typeof CertificationView> {
  return { ...c, ...outlet, status: certificationStatus(c, asOf), badge: presentBadge(c, asOf) };
}

const csv = (header: string[], rows: string[][]): string => toCsv([header, ...rows]);

/** The published candidate list in the format `lifecircle inspections draw --candidates` reads. */
export function candidatesCsv(candidates: readonly Candidate[]): string {
  return csv(
    ['uscc', 'name', 'riskClass', 'regionCode', 'lastInspectorIds'],
    candidates.map((c) => [c.uscc, c.name ?? '', c.riskClass, c.regionCode, c.lastInspectorIds.join(';')]),
  );
}

/** The published inspector list in the format `lifecircle inspections draw --inspectors` reads. */
export function inspectorsCsv(inspectors: readonly Inspector[]): string {
  return csv(
    ['id', 'regionCodes', 'conflictUscc'],
    inspectors.map((i) => [i.id, i.regionCodes.join(';'), i.conflictUscc.join(';')]),
  );
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const rangesSpec = (ranges: NonNullable<DrawConfig['ranges']>): string =>
  RISK_CLASSES.map((k) => `${k}=${ranges[k].min}-${ranges[k].max}`).join(',');

/** The exact command that re-runs a stored draw from its published files. */
export function cliCommand(draw: {
  id: string;
  seed: string;
  config: DrawConfig;
  inspectors: readonly Inspector[] | null;
}): string {
  const c = draw.config;
  return [
    'lifecircle inspections draw',
    `--seed ${shellQuote(draw.seed)}`,
    `--candidates draw-${draw.id}-candidates.csv`,
    ...(draw.inspectors ? [`--inspectors draw-${draw.id}-inspectors.csv`] : []),
    `--ratios ${RISK_CLASSES.map((k) => `${k}=${c.ratios[k]}`).join(',')}`,
    ...(c.ranges ? [`--ranges ${rangesSpec(c.ranges)}`] : []),
    // A city's adopted rule is named in the draw; the national default is the CLI's own.
    ...(c.sources.ratios.status === 'local'
      ? [
          `--rule-document ${shellQuote(c.sources.ratios.document)}`,
          ...(c.sources.ratios.url ? [`--rule-url ${shellQuote(c.sources.ratios.url)}`] : []),
        ]
      : []),
    `--rounding ${c.rounding}`,
    `--team-size ${c.inspectorsPerTarget}`,
  ].join(' ');
}
