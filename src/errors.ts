/**
 * The one catalogue of LifeCircle's expected failures (STYLE habit 11).
 *
 * Every error a user can meet carries a stable code, a message that names the file, line or field and what was
 * expected, and the HTTP status the API answers with. Codes are only ever appended; `docs/errors.md` lists
 * each one and a test keeps the two in step.
 */
export const ERROR_CODES = {
  LC_USAGE: { status: 400, summary: 'A command-line or API argument is missing or malformed.' },
  LC_FILE_NOT_FOUND: { status: 404, summary: 'An input file does not exist or cannot be read.' },
  LC_OSM_FORMAT: {
    status: 400,
    summary: 'An OSM input is not OSM XML or PBF, or is malformed or truncated.',
  },
  LC_OSM_NO_WALKABLE_WAYS: {
    status: 400,
    summary: 'An OSM extract holds no way a pedestrian can use, so no walking network can be built.',
  },
  LC_GRAPH_FORMAT: {
    status: 400,
    summary:
      'A graph file is not a LifeCircle walking graph, is corrupt, or was written by another format version.',
  },
  LC_POINTS_FORMAT: {
    status: 400,
    summary: 'A points file (communities, facilities) has a malformed row or field.',
  },
  LC_OUTPUT: { status: 500, summary: 'An output file could not be written.' },
  LC_CASE_TRANSITION: {
    status: 409,
    summary: 'A 差评 case action is not allowed in the case state, for the actor role, or at that time.',
  },
  LC_CERTIFICATION_TRANSITION: {
    status: 409,
    summary:
      'A 普惠 certification action is not allowed in the certification state or for the provider credit.',
  },
  LC_INSPECTION_INPUT: {
    status: 400,
    summary: 'An inspection candidates or inspectors file has a malformed row or field, or a duplicate key.',
  },
  LC_SUPERVISION_CONFIG: {
    status: 400,
    summary: 'A supervision configuration value (sampling ratio, scoring weight, deadline) is out of range.',
  },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected failure with a stable code; the CLI prints `message` alone and exits non-zero. */
export class LifeCircleError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LifeCircleError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
  }
}

export function isLifeCircleError(error: unknown): error is LifeCircleError {
  return error instanceof LifeCircleError;
}
