import { createHash, randomBytes } from 'node:crypto';
import type { LoginFailureRepository, LoginFailures } from '../store/index.js';

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

/** How failed logins slow further attempts, per (user name, client address) and per user name. */
export interface ThrottleRule {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** The delay after the first failure beyond them; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential delays instead of a hard lock (OWASP ASVS 4.0 §2.2.1 "soft lockouts … ever increasing delays", at
 * most 100 failures per account per hour; OWASP Authentication Cheat Sheet, "Account lockout"): a guesser from
 * one address is slowed up to 15 minutes per try, while a stranger failing from elsewhere can slow the owner's
 * logins by a minute at most — they can no longer lock anyone out. Labelled defaults, not a standard's figures.
 */
export const DEFAULT_LOGIN_THROTTLE = {
  /** A record is forgotten this long after its last failure. */
  forgetAfterMs: 15 * 60_000,
  perClient: { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000 },
  perAccount: { freeFailures: 20, firstDelayMs: 1_000, maxDelayMs: 60_000 },
} as const;

export type LoginThrottleConfig = {
  forgetAfterMs: number;
  perClient: ThrottleRule;
  perAccount: ThrottleRule;
};

/** Why and until when a login must wait. */
export interface LoginDelay {
  until: Date;
  /** 'client': this name from this address; 'account': this name from anywhere. */
  scope: 'client' | 'account';
  failures: number;
}

/**
 * Slows password guessing (DEFAULT_LOGIN_THROTTLE). The counts live in the store (`loginFailures`), so every
 * server process of a deployment counts together; this class holds the rule. It lives with the login command
 * because it is part of the login rule (delays are audited there). Administrators clear a name's counts with the
 * `accounts.unlockLogin` command.
 */
export class LoginThrottle {
  constructor(readonly config: LoginThrottleConfig = DEFAULT_LOGIN_THROTTLE) {}

  /** The delay in force for this name from this client at `now`, or null when it may try. */
  async waitFor(
    records: LoginFailureRepository,
    username: string,
    client: string,
    now: number,
  ): Promise<LoginDelay | null> {
    const counts = await records.counts(username, client, this.since(now));
    const delays = counts
      .map((c) =>
        c.client === null
          ? this.delay(c, this.config.perAccount, 'account')
          : this.delay(c, this.config.perClient, 'client'),
      )
      .filter((d): d is LoginDelay => d !== null && d.until.getTime() > now);
    return delays.sort((a, b) => b.until.getTime() - a.until.getTime())[0] ?? null;
  }

  /** Counts a failure; answers the delay it starts, if any. */
  async fail(
    records: LoginFailureRepository,
    username: string,
    client: string,
    now: number,
  ): Promise<LoginDelay | null> {
    await records.fail(username, client, now, this.since(now));
    return this.waitFor(records, username, client, now);
  }

  /** A successful login clears this client's count; the account-wide count stays until it is forgotten. */
  succeed(records: LoginFailureRepository, username: string, client: string): Promise<void> {
    return records.clearClient(username, client);
  }

  /** Clears every count of a name (an administrator's unlock); answers how many there were. */
  unlock(records: LoginFailureRepository, username: string): Promise<number> {
    return records.clearName(username);
  }

  /** Failures of this name from this client that still count. */
  async failuresOf(
    records: LoginFailureRepository,
    username: string,
    client: string,
    now: number,
  ): Promise<number> {
    const counts = await records.counts(username, client, this.since(now));
    return counts.find((c) => c.client === client)?.failures ?? 0;
  }

  /** Counts whose last failure is older than this are forgotten. */
  private since(now: number): number {
    return now - this.config.forgetAfterMs + 1;
  }

  private delay(r: LoginFailures, rule: ThrottleRule, scope: LoginDelay['scope']): LoginDelay | null {
    if (r.failures <= rule.freeFailures) return null;
    const ms = Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** (r.failures - rule.freeFailures - 1));
    return { until: new Date(r.lastMs + ms), scope, failures: r.failures };
  }
}
