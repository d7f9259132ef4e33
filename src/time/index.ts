/**
 * Time for the whole platform: one injectable clock, and Beijing calendar dates.
 *
 * Every "now" and "today" the platform uses comes from a `Clock` handed in by whoever builds the app, the store or
 * a command (the real time by default), so tests run on a pinned instant — including the hours either side of
 * Beijing midnight, when the UTC date and the Beijing date differ — and never read the wall clock.
 */

/** The current instant. */
export type Clock = () => Date;

/** The real time. */
export const systemClock: Clock = () => new Date();

/** China has kept UTC+8 without daylight saving since 1991, so Beijing dates are a fixed offset from UTC. */
export const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** The calendar date in Beijing (YYYY-MM-DD) of an instant. */
export function beijingDate(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a date-time: ${String(instant)}`);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today's date in Beijing on this clock. */
export function beijingToday(clock: Clock): string {
  return beijingDate(clock());
}

/** The instant of this clock as an ISO 8601 UTC string, the form the store keeps. */
export function isoNow(clock: Clock): string {
  return clock().toISOString();
}

/** A clock that stands still until moved: what tests inject. */
export interface ManualClock extends Clock {
  /** Moves the clock to an instant (ISO 8601 with its offset, e.g. `2026-02-10T23:59:00+08:00`). */
  set(instant: string): void;
  /** Moves the clock forward by some milliseconds. */
  advance(ms: number): void;
}

export function manualClock(instant: string): ManualClock {
  let ms = parseInstant(instant);
  const clock = (() => new Date(ms)) as ManualClock;
  clock.set = (next: string) => {
    ms = parseInstant(next);
  };
  clock.advance = (delta: number) => {
    ms += delta;
  };
  return clock;
}

function parseInstant(instant: string): number {
  // An instant without an offset would be read in the machine's time zone: refuse it, tests must say which.
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(instant)) throw new RangeError(`instant without a UTC offset: ${instant}`);
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not a date-time: ${instant}`);
  return ms;
}

/**
 * A clock as plain data, to hand to a worker thread (functions do not cross threads): a manual clock as the
 * instant it stands at, any other as its offset from the wall clock.
 */
export type ClockSnapshot = { standsAt: string } | { offsetMs: number };

export function snapshotClock(clock: Clock): ClockSnapshot {
  const manual = clock as Partial<ManualClock>;
  if (typeof manual.set === 'function' && typeof manual.advance === 'function')
    return { standsAt: clock().toISOString() };
  return { offsetMs: clock().getTime() - Date.now() };
}

/** The clock a snapshot describes, on the worker's side. */
export function clockFromSnapshot(snapshot: ClockSnapshot): Clock {
  if ('standsAt' in snapshot) return manualClock(snapshot.standsAt);
  if (Math.abs(snapshot.offsetMs) < 1000) return systemClock;
  return () => new Date(Date.now() + snapshot.offsetMs);
}
