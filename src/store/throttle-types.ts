/**
 * Counters that slow abuse (login throttling, request-rate limits), kept in the store so that every server
 * process of one deployment counts together: N processes behind a load balancer must not mean N times the
 * budget (issue 12). Times are milliseconds since the epoch of the process clock that counts.
 */

/** A fixed window of requests under one key (a route and a client). */
export interface RequestWindow {
  hits: number;
  startedMs: number;
}

export interface RequestCounterRepository {
  /**
   * Counts one request under `key`: a window of `windowMs` opens with the first request and counts until it ends;
   * the next request after that opens a new one. One statement, so concurrent processes never lose a hit.
   */
  hit(key: string, windowMs: number, nowMs: number): Promise<RequestWindow>;
  /** The window in force under `key`, or null when none is (never counted, or ended). */
  read(key: string, windowMs: number, nowMs: number): Promise<RequestWindow | null>;
  /** Forgets windows opened before `beforeMs`; answers how many. */
  prune(beforeMs: number): Promise<number>;
}

/** Failed logins of a user name: from one client address, and from anywhere (`client` null). */
export interface LoginFailures {
  client: string | null;
  failures: number;
  lastMs: number;
}

export interface LoginFailureRepository {
  /** The name's counts from this client and from anywhere, leaving out those whose last failure is before `sinceMs`. */
  counts(username: string, client: string, sinceMs: number): Promise<LoginFailures[]>;
  /**
   * Counts a failure of the name from this client (and from anywhere); a count whose last failure is before
   * `sinceMs` starts again at 1. Counts older than that are forgotten on the way.
   */
  fail(username: string, client: string, nowMs: number, sinceMs: number): Promise<void>;
  /** Clears the name's count from this client (a successful login). */
  clearClient(username: string, client: string): Promise<void>;
  /** Clears every count of the name; answers how many there were (an administrator's unlock). */
  clearName(username: string): Promise<number>;
}
