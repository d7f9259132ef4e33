/**
 * Maximum coverage solved exactly with HiGHS (the `highs` package: the HiGHS MIP solver compiled to WebAssembly,
 * MIT). `reduceCoverage` shrinks the instance without changing its optimum; `solveCoverage` runs HiGHS on it
 * under a time limit, from a start solution, and returns its best set with the proven bound. Synchronous and
 * CPU-bound: the server calls it in a worker thread (siting-thread.ts).
 *
 *   max Σ_r W_r y_r   s.t.   y_r ≤ Σ_{j covers r} x_j  ∀r,   Σ_j x_j ≤ k,   x_j ∈ {0,1},   0 ≤ y_r ≤ 1
 */
import * as highsPackage from 'highs';
import type { Highs } from 'highs';
import type { CoverageSets } from './siting-swap.js';

/** A maximum-coverage instance after reduction: model columns (candidates) and rows (groups of communities). */
export interface CoverageProblem {
  readonly k: number;
  /** Model column → the original candidate it stands for. */
  readonly columns: Int32Array;
  /**
   * Original candidate → a model column covering at least the demand it covers (itself, an identical candidate,
   * or one covering a strict superset); -1 where it covers no demand.
   */
  readonly stand: Int32Array;
  /** Per row: the summed demand of communities covered by exactly the same columns. */
  readonly rowWeight: Float64Array;
  /** CSR: row r is covered by columns `rowColumn[rowStart[r] .. rowStart[r + 1])`. */
  readonly rowStart: Int32Array;
  readonly rowColumn: Int32Array;
}

/**
 * Reduces an instance, keeping its optimum: drops communities without demand, candidates covering no demand,
 * duplicates (same communities) and dominated candidates (covering a strict subset of another's: any solution
 * can trade them for the larger one, as at most k are picked), then merges communities covered by the same
 * columns into one row (their weights add up).
 */
export function reduceCoverage(sets: CoverageSets, weight: ArrayLike<number>, k: number): CoverageProblem {
  const n = sets.start.length - 1;
  const w = (c: number) => weight[c] ?? 0;
  // Each candidate's communities with demand, sorted.
  const own: number[][] = [];
  for (let j = 0; j < n; j++) {
    const list: number[] = [];
    for (let p = sets.start[j]; p < sets.start[j + 1]; p++)
      if (w(sets.community[p]) > 0) list.push(sets.community[p]);
    own.push([...new Set(list)].sort((a, b) => a - b));
  }
  const stand = new Int32Array(n).fill(-1);
  const unique: number[] = [];
  const byKey = new Map<string, number>();
  for (let j = 0; j < n; j++) {
    if (own[j].length === 0) continue;
    const key = own[j].join(',');
    const first = byKey.get(key);
    if (first === undefined) {
      byKey.set(key, j);
      unique.push(j);
      stand[j] = j;
    } else stand[j] = first;
  }
  // Dominance: j is dropped when another unique candidate covers a strict superset (so a larger set).
  const coverers = new Map<number, number[]>();
  for (const j of unique)
    for (const c of own[j]) {
      const list = coverers.get(c);
      if (list) list.push(j);
      else coverers.set(c, [j]);
    }
  const mark = new Map<number, number>();
  const dominator = new Map<number, number>();
  for (const j of unique) {
    let rarest = own[j][0];
    for (const c of own[j])
      if ((coverers.get(c)?.length ?? 0) < (coverers.get(rarest)?.length ?? 0)) rarest = c;
    mark.clear();
    for (const c of own[j]) mark.set(c, 1);
    for (const other of coverers.get(rarest) ?? []) {
      if (other === j || own[other].length <= own[j].length) continue;
      let hits = 0;
      for (const c of own[other]) if (mark.has(c)) hits++;
      if (hits === own[j].length) {
        dominator.set(j, other);
        break;
      }
    }
  }
  const kept = unique.filter((j) => !dominator.has(j));
  const columnOf = new Map<number, number>();
  kept.forEach((j, col) => columnOf.set(j, col));
  // Sizes strictly grow along dominator links, so following them ends at a kept candidate.
  const resolve = (j: number): number => {
    let at = j;
    for (let next = dominator.get(at); next !== undefined; next = dominator.get(at)) at = next;
    return columnOf.get(at) as number;
  };
  for (let j = 0; j < n; j++) if (stand[j] >= 0) stand[j] = resolve(stand[j]);
  // Rows: communities grouped by the columns that cover them.
  const coveredBy = new Map<number, number[]>();
  kept.forEach((j, col) => {
    for (const c of own[j]) {
      const list = coveredBy.get(c);
      if (list) list.push(col);
      else coveredBy.set(c, [col]);
    }
  });
  const rows = new Map<string, { weight: number; columns: number[] }>();
  for (const [c, cols] of [...coveredBy].sort((a, b) => a[0] - b[0])) {
    const key = cols.join(',');
    const row = rows.get(key);
    if (row) row.weight += w(c);
    else rows.set(key, { weight: w(c), columns: cols });
  }
  const rowList = [...rows.values()];
  const rowStart = new Int32Array(rowList.length + 1);
  rowList.forEach((r, i) => (rowStart[i + 1] = rowStart[i] + r.columns.length));
  return {
    k,
    columns: Int32Array.from(kept),
    stand,
    rowWeight: Float64Array.from(rowList, (r) => r.weight),
    rowStart,
    rowColumn: Int32Array.from(rowList.flatMap((r) => r.columns)),
  };
}

/** What HiGHS found. */
export interface MipOutcome {
  /** 'optimal': proven (within the relative gap 1e-9); 'time-limit': stopped at the limit with its best set. */
  readonly status: 'optimal' | 'time-limit' | 'failed';
  /** Original candidate indices. */
  readonly picks: number[];
  readonly objective: number;
  /** Proven upper bound on the optimum (Infinity when HiGHS proved none). */
  readonly bound: number;
  readonly ms: number;
}

let loaded: Promise<Highs> | undefined;

/**
 * The package's loader. Its types.d.ts sits in a CommonJS package, so TypeScript reads `export default` as the
 * whole module; Node imports the ESM build (build/highs.mjs), whose default export is the loader.
 */
const highsLoader = (highsPackage as unknown as { default: () => Promise<Highs> }).default;

/** The HiGHS runtime, loaded (and its WebAssembly compiled) once per thread. */
export function loadHighs(): Promise<Highs> {
  return (loaded ??= highsLoader());
}

/**
 * Solves a reduced instance with HiGHS branch-and-bound: at most `timeLimitS` seconds, starting from `start`
 * (original candidate indices, e.g. the greedy + swap picks; mapped through `stand`). Blocks its thread.
 */
export function solveCoverage(
  highs: Highs,
  problem: CoverageProblem,
  options: { timeLimitS: number; start?: readonly number[] },
): MipOutcome {
  const t0 = performance.now();
  const m = problem.columns.length;
  const rows = problem.rowWeight.length;
  const total = problem.rowWeight.reduce((s, v) => s + v, 0);
  if (m <= problem.k)
    return { status: 'optimal', picks: [...problem.columns], objective: total, bound: total, ms: 0 };
  // Columns: x_0 … x_{m−1} (binary), then y_0 … y_{rows−1} (continuous). Rows: one per group, then Σ x ≤ k.
  const starts = new Int32Array(rows + 2);
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let p = problem.rowStart[r]; p < problem.rowStart[r + 1]; p++) {
      indices.push(problem.rowColumn[p]);
      values.push(-1);
    }
    indices.push(m + r);
    values.push(1);
    starts[r + 1] = indices.length;
  }
  for (let j = 0; j < m; j++) {
    indices.push(j);
    values.push(1);
  }
  starts[rows + 1] = indices.length;
  const { constants, infinity } = highs;
  const model = highs.createModel({
    numCols: m + rows,
    numRows: rows + 1,
    sense: constants.objectiveSense.maximize,
    colCost: Float64Array.from({ length: m + rows }, (_, c) => (c < m ? 0 : problem.rowWeight[c - m])),
    colLower: new Float64Array(m + rows),
    colUpper: new Float64Array(m + rows).fill(1),
    rowLower: new Float64Array(rows + 1).fill(-infinity),
    rowUpper: Float64Array.from({ length: rows + 1 }, (_, r) => (r < rows ? 0 : problem.k)),
    matrix: {
      format: 'csr',
      numRows: rows + 1,
      numCols: m + rows,
      starts,
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    integrality: Int32Array.from({ length: m + rows }, (_, c) =>
      c < m ? constants.variableType.integer : constants.variableType.continuous,
    ),
  });
  try {
    model.options.set({
      output_flag: false,
      time_limit: Math.max(0.001, options.timeLimitS),
      mip_rel_gap: 1e-9,
      mip_abs_gap: 1e-9,
    });
    if (options.start && options.start.length > 0) {
      const x = new Float64Array(m + rows);
      for (const j of options.start) if (problem.stand[j] >= 0) x[problem.stand[j]] = 1;
      let chosen = 0;
      for (let j = 0; j < m; j++) chosen += x[j];
      if (chosen <= problem.k) {
        for (let r = 0; r < rows; r++)
          for (let p = problem.rowStart[r]; p < problem.rowStart[r + 1]; p++)
            if (x[problem.rowColumn[p]] === 1) x[m + r] = 1;
        model.setSolution({ colValue: x });
      }
    }
    const { modelStatus } = model.run();
    const status = modelStatus === 7 ? 'optimal' : modelStatus === 13 ? 'time-limit' : 'failed';
    const bound = Number(model.info.get('mip_dual_bound'));
    const colValue = status === 'failed' ? new Float64Array(0) : model.getSolution().colValue;
    const picks: number[] = [];
    for (let j = 0; j < m && j < colValue.length; j++) if (colValue[j] > 0.5) picks.push(problem.columns[j]);
    // The covered demand of the picks, recomputed from the rows rather than read off the y's.
    const on = new Uint8Array(m);
    for (let j = 0; j < m && j < colValue.length; j++) on[j] = colValue[j] > 0.5 ? 1 : 0;
    let objective = 0;
    for (let r = 0; r < rows; r++)
      for (let p = problem.rowStart[r]; p < problem.rowStart[r + 1]; p++)
        if (on[problem.rowColumn[p]]) {
          objective += problem.rowWeight[r];
          break;
        }
    return {
      status,
      picks,
      objective,
      bound: Number.isFinite(bound) && status !== 'failed' ? bound : Infinity,
      ms: performance.now() - t0,
    };
  } finally {
    model.dispose();
  }
}
