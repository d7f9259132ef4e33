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
  LC_PLAN_FORMAT: {
    status: 400,
    summary: 'A policy document is empty, binary, or not plain text or .docx.',
  },
  LC_PLAN_ENCODING: {
    status: 400,
    summary: 'A policy text file mixes encodings or is neither valid UTF-8 nor GBK/GB18030.',
  },
  LC_PLAN_TOO_LARGE: { status: 413, summary: 'A policy document is larger than the import limit.' },
  LC_PLAN_CORRECTION: {
    status: 400,
    summary: 'A correction to an extracted plan names an unknown item or has a malformed field.',
  },
  LC_TRACKING_STATE: {
    status: 409,
    summary: 'A plan-tracking action does not fit the current state (e.g. reviewing an unsubmitted report).',
  },
  LC_TRACKING_FORBIDDEN: {
    status: 403,
    summary: 'A department acted on an assignment that is not its own, or a non-coordinator tried to review.',
  },
  LC_SCORECARD_CONFIG: {
    status: 400,
    summary: 'A scorecard configuration has a malformed weight or names an unknown indicator.',
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
