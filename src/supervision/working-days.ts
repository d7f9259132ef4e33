import chineseDays from 'chinese-days';
import { BEIJING_OFFSET_MS, beijingDate } from '../time/index.js';
import { PERIOD_COUNTING, type RuleSource } from './rules.js';

/**
 * Working days on the official Chinese calendar: weekends and public holidays are off, make-up workdays (调休,
 * a Saturday or Sunday declared a workday) are on. The calendar comes from the npm package `chinese-days`
 * (vsme/chinese-days, MIT), which transcribes the State Council's annual 国务院办公厅 关于部分节假日安排的通知
 * (国办发明电) for 2004 onwards. Years the package does not cover yet (the next year's notice is usually published in
 * November) are counted with weekends only and every such result is marked `provisional`.
 */
export const CALENDAR_SOURCE: RuleSource = {
  document: '国务院办公厅 关于部分节假日安排的通知（国办发明电，逐年发布）',
  documentEn:
    'General Office of the State Council: notice on the arrangement of public holidays (issued each year)',
  url: 'https://github.com/vsme/chinese-days',
  status: 'secondary',
  note: 'Read through the npm package chinese-days. Spot-checked in tests against the 2020, 2025 and 2026 arrangements as the author knows them (国办发明电 numbers quoted from memory, not re-checked against gov.cn).',
};

const DAY_MS = 86400 * 1000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export { beijingDate };

function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const coverage = new Map<number, boolean>();

/** Whether the holiday table covers a year: a covered year always has public holidays on weekdays. */
export function calendarCoversYear(year: number): boolean {
  let covered = coverage.get(year);
  if (covered === undefined) {
    covered = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    coverage.set(year, covered);
  }
  return covered;
}

/** Is a Beijing calendar date (YYYY-MM-DD) an official working day? */
export function isWorkingDay(date: string): boolean {
  if (!ISO_DATE.test(date)) throw new RangeError(`expected a date YYYY-MM-DD, got ${date}`);
  return chineseDays.isWorkday(date);
}

export interface WorkingDayDeadline {
  /** The Beijing date on whose end (24:00 Beijing time) the period runs out. */
  readonly date: string;
  /** The same moment as an ISO instant (UTC). */
  readonly dueAt: string;
  readonly workingDays: number;
  /** True when the count ran into a year the holiday table does not cover yet: recompute once it does. */
  readonly provisional: boolean;
  readonly calendar: RuleSource;
  readonly counting: RuleSource;
}

/**
 * The deadline `workingDays` working days after an event: the day of the event does not count (民法典 第201条),
 * the period ends at the end of the Nth working day after it.
 */
export function addWorkingDays(start: string | Date, workingDays: number): WorkingDayDeadline {
  if (!Number.isInteger(workingDays) || workingDays < 1)
    throw new RangeError(`working days must be a positive integer, got ${workingDays}`);
  let date = typeof start === 'string' && ISO_DATE.test(start) ? start : beijingDate(start);
  let provisional = false;
  let counted = 0;
  while (counted < workingDays) {
    date = addCalendarDays(date, 1);
    if (!calendarCoversYear(Number(date.slice(0, 4)))) provisional = true;
    if (isWorkingDay(date)) counted += 1;
  }
  const dueAt = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - BEIJING_OFFSET_MS).toISOString();
  return {
    date,
    dueAt,
    workingDays,
    provisional,
    calendar: CALENDAR_SOURCE,
    counting: PERIOD_COUNTING.source,
  };
}

/** Working days from the day after `from` up to and including `to` (both Beijing dates); 0 when `to` ≤ `from`. */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) count += 1;
  return count;
}
