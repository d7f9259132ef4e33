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

interface FailureRecord {
  count: number;
  last: number;
}

/** Records kept at most, so that a flood of invented names cannot grow memory without bound. */
const MAX_RECORDS = 50_000;

/**
 * Slows password guessing (DEFAULT_LOGIN_THROTTLE). In memory, per server process; it lives with the login
 * command because it is part of the login rule (delays are audited there). Administrators clear a name's
 * records with the `accounts.unlockLogin` command.
 */
export class LoginThrottle {
  private readonly records = new Map<string, FailureRecord>();
  constructor(readonly config: LoginThrottleConfig = DEFAULT_LOGIN_THROTTLE) {}

  /** The delay in force for this name from this client at `now`, or null when it may try. */
  waitFor(username: string, client: string, now: number): LoginDelay | null {
    const delays = [
      this.delay(clientKey(username, client), this.config.perClient, 'client', now),
      this.delay(accountKey(username), this.config.perAccount, 'account', now),
    ].filter((d): d is LoginDelay => d !== null && d.until.getTime() > now);
    return delays.sort((a, b) => b.until.getTime() - a.until.getTime())[0] ?? null;
  }

  /** Counts a failure; answers the delay it starts, if any. */
  fail(username: string, client: string, now: number): LoginDelay | null {
    for (const key of [clientKey(username, client), accountKey(username)]) {
      const r = this.live(key, now);
      this.records.delete(key); // re-inserted last: the map stays ordered by recency for eviction
      this.records.set(key, { count: (r?.count ?? 0) + 1, last: now });
    }
    if (this.records.size > MAX_RECORDS) this.evict(now);
    return this.waitFor(username, client, now);
  }

  /** A successful login clears this client's record; the account-wide count stays until it is forgotten. */
  succeed(username: string, client: string): void {
    this.records.delete(clientKey(username, client));
  }

  /** Clears every record of a name (an administrator's unlock); answers how many there were. */
  unlock(username: string): number {
    let cleared = 0;
    for (const key of [...this.records.keys()])
      if ((JSON.parse(key) as string[])[0] === username) {
        this.records.delete(key);
        cleared++;
      }
    return cleared;
  }

  /** Failures of this name from this client that still count. */
  failuresOf(username: string, client: string, now: number): number {
    return this.live(clientKey(username, client), now)?.count ?? 0;
  }

  private live(key: string, now: number): FailureRecord | undefined {
    const r = this.records.get(key);
    if (r && now - r.last >= this.config.forgetAfterMs) {
      this.records.delete(key);
      return undefined;
    }
    return r;
  }

  private delay(key: string, rule: ThrottleRule, scope: LoginDelay['scope'], now: number): LoginDelay | null {
    const r = this.live(key, now);
    if (!r || r.count <= rule.freeFailures) return null;
    const ms = Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** (r.count - rule.freeFailures - 1));
    return { until: new Date(r.last + ms), scope, failures: r.count };
  }

  private evict(now: number): void {
    for (const key of [...this.records.keys()]) this.live(key, now);
    for (const key of this.records.keys()) {
      if (this.records.size <= MAX_RECORDS) break;
      this.records.delete(key);
    }
  }
}

// JSON arrays as keys: no user name, however odd, can collide with another name's or another client's key.
const accountKey = (username: string) => JSON.stringify([username]);
const clientKey = (username: string, client: string) => JSON.stringify([username, client]);
