import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addWorkingDays,
  beijingDate,
  calendarCoversYear,
  isWorkingDay,
  workingDaysBetween,
} from './working-days.js';

// Expected dates are worked out by hand from the State Council notices:
// 2025 (国办发明电〔2024〕12号): 春节 1月28日至2月4日放假调休，共8天；1月26日(周日)、2月8日(周六)上班.
// 2026 (国办发明电〔2025〕7号): 春节 2月15日至23日放假调休，共9天；2月14日(周六)、2月28日(周六)上班.

test('Spring Festival 2025: make-up Sunday 26 Jan and Saturday 8 Feb are working days, the holiday is not', () => {
  assert.equal(isWorkingDay('2025-01-26'), true);
  assert.equal(isWorkingDay('2025-02-08'), true);
  for (const d of ['2025-01-28', '2025-01-29', '2025-01-31', '2025-02-03', '2025-02-04'])
    assert.equal(isWorkingDay(d), false, d);
});

test('15 working days from Friday 24 Jan 2025 run across Spring Festival to Thursday 20 Feb', () => {
  const deadline = addWorkingDays('2025-01-24', 15);
  assert.equal(deadline.date, '2025-02-20'); // weekdays alone would give 14 Feb
  assert.equal(deadline.dueAt, '2025-02-20T16:00:00.000Z'); // 24:00 Beijing time
  assert.equal(deadline.provisional, false);
});

test('15 working days from Friday 13 Feb 2026 count both make-up Saturdays and end on 12 March', () => {
  assert.equal(addWorkingDays('2026-02-13', 15).date, '2026-03-12');
});

test('one working day after the eve of the 2026 holiday is the make-up Saturday 14 Feb', () => {
  assert.equal(addWorkingDays('2026-02-13', 1).date, '2026-02-14');
});

test('the start day counts from its Beijing date, not its UTC date', () => {
  // 2025-02-07T16:30Z is 00:30 on Saturday 8 Feb in Beijing, itself a make-up workday that does not count.
  assert.equal(beijingDate('2025-02-07T16:30:00Z'), '2025-02-08');
  assert.equal(addWorkingDays('2025-02-07T16:30:00Z', 1).date, '2025-02-10');
});

test('a deadline that runs into a year without a published holiday notice is provisional', () => {
  const deadline = addWorkingDays('2026-12-20', 15);
  assert.equal(deadline.provisional, true);
  assert.ok(deadline.date > '2026-12-31');
});

test('working days between two dates exclude the start day and the Spring Festival 2026 holiday', () => {
  assert.equal(workingDaysBetween('2026-02-13', '2026-02-28'), 6);
});

test('a non-positive number of working days is refused', () => {
  assert.throws(() => addWorkingDays('2026-01-05', 0), RangeError);
});

test('National Day 2025 (国办发明电〔2024〕12号): 1–8 Oct off, Sunday 28 Sep and Saturday 11 Oct worked', () => {
  assert.deepEqual(['2025-09-28', '2025-10-01', '2025-10-08', '2025-10-09', '2025-10-11'].map(isWorkingDay), [
    true,
    false,
    false,
    true,
    true,
  ]);
});

test('2020: the extended Spring Festival (国办发明电〔2020〕1号) cancelled the make-up Saturday 1 Feb', () => {
  assert.equal(isWorkingDay('2020-01-19'), true);
  assert.equal(isWorkingDay('2020-02-01'), false);
});

test('the holiday table covers every year from 2020 to 2026', () => {
  for (let year = 2020; year <= 2026; year += 1) assert.equal(calendarCoversYear(year), true, String(year));
});
