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
  LC_NETWORK_OUTSIDE_CITY: {
    status: 400,
    summary: "A city's walking network was uploaded from an extract that lies mostly outside the city's box.",
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
  LC_CONFIG: {
    status: 400,
    summary: 'A city configuration file is not valid JSON/YAML or has a key with an unexpected value.',
  },
  LC_CENSUS: {
    status: 400,
    summary: 'Census data needed to estimate population is missing for a district, or is malformed.',
  },
  LC_STORE: {
    status: 500,
    summary: 'The store file cannot be opened or migrated, or was written by a newer LifeCircle version.',
  },
  LC_NOT_FOUND: { status: 404, summary: 'The requested record does not exist.' },
  LC_CONFLICT: { status: 409, summary: 'A record with the same key already exists.' },
  LC_INVALID_FIELD: {
    status: 400,
    summary:
      'A field has a value the domain rules reject (e.g. a 统一社会信用代码 with a wrong check character).',
  },
  LC_IMPORT_FORMAT: {
    status: 400,
    summary: 'An import file cannot be read: unknown format or encoding, or required columns are missing.',
  },
  LC_IMPORT_REJECTED: {
    status: 422,
    summary:
      'An import was rejected whole because some rows are invalid; the report lists each row, column and reason.',
  },
  LC_AUTH_REQUIRED: { status: 401, summary: 'The request needs a valid, unexpired session token.' },
  LC_AUTH_FAILED: { status: 401, summary: 'The user name or password is wrong, or the account is disabled.' },
  LC_RATE_LIMITED: {
    status: 429,
    summary: 'Too many requests of this kind from one client (login, registration, imports); wait and retry.',
  },
  LC_FORBIDDEN: { status: 403, summary: "The user's role or scope does not allow this action." },
  LC_NOT_AVAILABLE: { status: 501, summary: 'The capability is not wired into this server yet.' },
  LC_INTERNAL: {
    status: 500,
    summary: 'An unexpected server error (a bug); the server log has the details.',
  },
  LC_PLAN_FORMAT: {
    status: 400,
    summary: 'A policy document is empty, binary, or not plain text or .docx.',
  },
  LC_PLAN_ENCODING: {
    status: 400,
    summary: 'A policy text file mixes encodings or is neither valid UTF-8 nor GBK/GB18030.',
  },
  LC_PLAN_NO_STRUCTURE: {
    status: 422,
    summary: 'A document sent as a plan has no numbered measures: it does not look like an action plan.',
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
  LC_RATING_STATE: {
    status: 409,
    summary:
      'A rating moderation does not fit the rating status (only held ratings are released or rejected).',
  },
  LC_CANCELLED: {
    status: 409,
    summary: 'A job was cancelled, or stopped with the server, before it finished; nothing of it was kept.',
  },
  LC_BUSY: {
    status: 503,
    summary: 'The server is busy (a long write holds the store, or the job queue is full); retry later.',
  },
  LC_BASEMAP_FORMAT: {
    status: 500,
    summary:
      "A city's stored basemap is corrupt or was written in a format this build does not read; import its extract again.",
  },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected failure with a stable code; the CLI prints `message` alone and exits non-zero. */
export class LifeCircleError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Machine-readable context for the API body (e.g. an import's row report); never needed to read `message`. */
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options);
    this.name = 'LifeCircleError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    if (options?.details !== undefined) this.details = options.details;
  }
}

export function isLifeCircleError(error: unknown): error is LifeCircleError {
  return error instanceof LifeCircleError;
}
