import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Debian's interpreter: python3-igraph, python3-networkx and python3-pyosmium are installed for it only. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** One peer's (or our) run of W1, as the report needs it. NaN times = not finished. */
export interface PeerRun {
  readonly engine: string;
  /** Reading and building the graph (not part of W1's time). */
  readonly buildS: number;
  readonly nearestS: number;
  /** Types whose nearest search ran (fewer = the rest was extrapolated); absent = all. */
  readonly nearestTypes?: number;
  readonly nearestTypesDone?: number;
  readonly countsS: number;
  readonly timedOut: boolean;
  /** The time limit the run had (seconds); absent in results written before it was recorded (default 1200). */
  readonly limitS?: number;
  /** Searches the counts need, and how many ran (fewer = the rest was extrapolated, results partial). */
  readonly countSources: number;
  readonly countSourcesDone: number;
  readonly peakRssKiB: number;
  readonly note?: string;
}

const SCRIPT = fileURLToPath(new URL('../../../bench/peers/w1_peer.py', import.meta.url));

/** Runs W1 in igraph or NetworkX under a hard time limit; a killed run is reported, never waited for. */
export function runPythonPeer(
  engine: 'igraph' | 'networkx',
  inputPrefix: string,
  out: string,
  limitS: number,
  countBudgetS: number,
): PeerRun {
  const started = performance.now();
  const result = spawnSync(DEBIAN_PYTHON, [SCRIPT, engine, inputPrefix, out, String(countBudgetS)], {
    encoding: 'utf8',
    timeout: limitS * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 24,
  });
  if (result.error || result.status !== 0) {
    const timedOut = result.signal === 'SIGKILL';
    return {
      engine,
      buildS: NaN,
      nearestS: NaN,
      countsS: NaN,
      timedOut,
      limitS,
      countSources: 0,
      countSourcesDone: 0,
      peakRssKiB: NaN,
      note: timedOut
        ? `> ${limitS} s limit (killed after ${((performance.now() - started) / 1000).toFixed(0)} s)`
        : `failed: ${(result.stderr || String(result.error)).trim().split('\n').slice(-3).join(' ')}`,
    };
  }
  const stats = JSON.parse(result.stdout.trim().split('\n').pop() as string) as Omit<PeerRun, 'timedOut'>;
  return { ...stats, timedOut: false, limitS };
}
