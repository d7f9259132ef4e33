import { createHash, randomBytes } from 'node:crypto';

/** One working day; a token is an opaque random string and the store keeps only its SHA-256. */
export const DEFAULT_SESSION_TTL_MINUTES = 8 * 60;

/** What the store keeps of a session token: its SHA-256, never the token. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new session token: 32 random bytes, base64url. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** The token of an `Authorization: Bearer <token>` header; undefined when there is none or it is malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/**
 * Limits password guessing per user name: after `maxFailures` failures within `windowMinutes`, logins for that
 * name are refused until the window has passed (OWASP Authentication Cheat Sheet, account throttling).
 * In memory, per server process; enough for one district server. It lives with the login command because it is
 * part of the login rule (and a lockout is audited there); the server only holds one per login route.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();
  constructor(
    readonly maxFailures = 5,
    readonly windowMinutes = 15,
  ) {}

  /** When logins for this name are blocked until, or null. */
  blockedUntil(username: string, now: number): Date | null {
    const f = this.failures.get(username);
    if (!f) return null;
    const until = f.since + this.windowMinutes * 60_000;
    if (until <= now) {
      this.failures.delete(username);
      return null;
    }
    return f.count >= this.maxFailures ? new Date(until) : null;
  }

  fail(username: string, now: number): void {
    const f = this.failures.get(username);
    if (!f || f.since + this.windowMinutes * 60_000 <= now)
      this.failures.set(username, { count: 1, since: now });
    else f.count++;
  }

  /** Failures counted in the current window. */
  failuresOf(username: string): number {
    return this.failures.get(username)?.count ?? 0;
  }

  succeed(username: string): void {
    this.failures.delete(username);
  }
}
