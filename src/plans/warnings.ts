/**
 * The parser's warnings: written as English sentences into the stored plan (`warnings: string[]`, kept as they
 * are for plans stored before this module), and read back here into notes a page words in its own language.
 * Writing and reading live side by side so the two cannot drift apart.
 */
export type PlanNote =
  | { kind: 'lost-headings'; count: number }
  | { kind: 'past-year-figures'; count: number }
  | { kind: 'unknown-units'; units: string[] }
  | { kind: 'table-row-ambiguous' | 'table-row-unmatched'; row: number; task: string }
  | { kind: 'other'; text: string };

export const lostHeadingsWarning = (count: number): string =>
  `${count} group heading(s) were lost in the source; the groups are marked synthetic`;
export const pastYearFiguresWarning = (count: number): string =>
  `${count} figure(s) dated before the plan was issued read as the past, not as targets`;
export const unknownUnitsWarning = (units: string[]): string =>
  `responsible units not in the department list (kept as written): ${units.join('、')}`;
export const tableRowWarning = (row: number, task: string, ambiguous: boolean): string =>
  ambiguous
    ? `table row ${row} (${task}) matches several measure titles equally; link it by hand`
    : `table row ${row} (${task}) matches no measure title; link it by hand`;

const LOST = /^(\d+) group heading\(s\) were lost in the source; the groups are marked synthetic$/;
const PAST = /^(\d+) figure\(s\) dated before the plan was issued read as the past, not as targets$/;
const UNKNOWN = /^responsible units not in the department list \(kept as written\): (.*)$/s;
const ROW =
  /^table row (\d+) \((.*)\) matches (several measure titles equally|no measure title); link it by hand$/s;

/** One stored warning as a note; a sentence this module did not write stays as it is (`other`). */
export function planNote(text: string): PlanNote {
  const lost = LOST.exec(text);
  if (lost) return { kind: 'lost-headings', count: Number(lost[1]) };
  const past = PAST.exec(text);
  if (past) return { kind: 'past-year-figures', count: Number(past[1]) };
  const unknown = UNKNOWN.exec(text);
  if (unknown) return { kind: 'unknown-units', units: (unknown[1] ?? '').split('、') };
  const row = ROW.exec(text);
  if (row)
    return {
      kind: row[3] === 'no measure title' ? 'table-row-unmatched' : 'table-row-ambiguous',
      row: Number(row[1]),
      task: row[2] ?? '',
    };
  return { kind: 'other', text };
}
