import type { Agreement } from './compare.js';
import type { PeerRun } from './peers/python.js';
import type { NetworkResult } from './run.js';

/** The bench's default --limit, for results that did not record theirs. */
const DEFAULT_LIMIT_S = 1200;

/** Numbers saved as JSON lose NaN (it becomes null); read them back as NaN. */
function num(x: number | null | undefined): number {
  return typeof x === 'number' ? x : NaN;
}

function seconds(x: number): string {
  if (Number.isNaN(x)) return '—';
  return x < 10 ? x.toFixed(2) : x.toFixed(1);
}

function mib(kib: number): string {
  return Number.isNaN(num(kib)) ? '—' : (num(kib) / 1024).toFixed(0);
}

function ratio(peer: number, ours: number): string {
  return Number.isNaN(peer) || !(ours > 0) ? '—' : `${(peer / ours).toFixed(1)}×`;
}

function agreementText(a: Agreement | undefined): string {
  if (!a) return 'not compared';
  // No "|" in here: it would split the Markdown table cell.
  const maxDiff = Number.isFinite(num(a.maxAbsDiffM)) ? num(a.maxAbsDiffM).toExponential(1) : '∞';
  const d = `distances: ${a.distanceMismatches}/${a.distancesCompared} differ, largest difference ${maxDiff} m`;
  const c =
    a.countsCompared > 0
      ? `counts: ${a.countMismatches}/${a.countsCompared} differ`
      : 'counts: none to compare';
  return `${a.distanceMismatches === 0 && a.countMismatches === 0 ? 'OK' : '**MISMATCH**'} (${d}; ${c})`;
}

/** A peer's nearest time, extrapolated from the types it finished when its budget ran out. */
function peerNearest(run: PeerRun): { s: number; mark: string } {
  const s = num(run.nearestS);
  const all = run.nearestTypes ?? 0;
  const done = run.nearestTypesDone ?? 0;
  if (all > 0 && done > 0 && done < all)
    return { s: (s * all) / done, mark: ` (extrapolated from ${done}/${all} types)` };
  return { s, mark: '' };
}

/** A peer's counts time, extrapolated from the searches it finished when its budget ran out. */
function peerCounts(run: PeerRun): { s: number; mark: string } {
  const s = num(run.countsS);
  if (run.countSources > 0 && run.countSourcesDone > 0 && run.countSourcesDone < run.countSources)
    return {
      s: (s * run.countSources) / run.countSourcesDone,
      mark: ` (extrapolated from ${run.countSourcesDone}/${run.countSources} searches)`,
    };
  if (run.countSources > 0 && run.countSourcesDone === 0)
    return { s: NaN, mark: ' (no count search finished)' };
  return { s, mark: '' };
}

function nodes(r: NetworkResult): string {
  return `${r.osmNodes.toLocaleString('en')} / ${r.graphNodes.toLocaleString('en')}`;
}

/** The comparison table (Markdown, also readable on a terminal). */
export function renderTable(results: readonly NetworkResult[]): string {
  const rows: string[] = [
    '| network | nodes OSM / graph | part | engine | time (s) | peak MiB | peer / ours | identical results? |',
    '|---|---|---|---|---:|---:|---:|---|',
  ];
  for (const r of results) {
    // Short label here; the notes below the table say what exactly is synthetic.
    const parts = r.synthetic.map((s) => s.split(' (')[0]);
    const name = `${r.network}${parts.length > 0 ? ` [SYNTHETIC ${parts.join(' + ')}]` : ' [real]'}`;
    const row = (part: string, engine: string, s: number, peak: number, rel: string, note: string) =>
      rows.push(
        `| ${name} | ${nodes(r)} | ${part} | ${engine} | ${seconds(s)} | ${mib(peak)} | ${rel} | ${note} |`,
      );
    const o = r.ours;
    if (r.import)
      row(
        'import (OSM → graph file)',
        'ours',
        num(r.import.wallS),
        num(r.import.peakRssKiB),
        '',
        `${(r.import.pbfBytes / 2 ** 20).toFixed(1)} MiB input`,
      );
    row(
      'W1 total',
      'ours',
      num(o.w1S),
      num(o.peakRssKiB),
      '1.0×',
      `${r.workload.communities} communities × ${r.workload.types} types, ${r.workload.facilities} facilities`,
    );
    row('W1 total, best of 3 (warm)', 'ours', num(o.w1BestS), NaN, '', 'not used for ratios');
    row('W1 nearest (≤ 2000 m)', 'ours', num(o.nearestS), NaN, '', 'warm');
    row(
      'W1 counts (within radius)',
      'ours',
      num(o.w1BestS) - num(o.nearestS),
      NaN,
      '',
      'best total − nearest',
    );
    row(
      'lower bound: 1 full Dijkstra per type',
      'ours',
      num(o.lowerBoundS),
      NaN,
      '',
      `W1 (warm, best of 3) = ${(num(o.w1BestS) / num(o.lowerBoundS)).toFixed(1)}× the lower bound`,
    );
    for (const { run, agreement } of r.peers) {
      if (run.note?.startsWith('skipped') || (Number.isNaN(num(run.nearestS)) && !run.timedOut)) {
        row('W1 total', run.engine, NaN, NaN, '—', run.note ?? 'failed');
        continue;
      }
      const counts = peerCounts(run);
      const near = peerNearest(run);
      const nearest = near.s;
      if (run.timedOut) {
        // Killed or cancelled at the limit: W1 took longer than the limit; nothing more is known.
        const limit = run.limitS ?? DEFAULT_LIMIT_S;
        rows.push(
          `| ${name} | ${nodes(r)} | W1 total | ${run.engine} | > ${limit} | ${mib(num(run.peakRssKiB))} | > ${(limit / num(o.w1S)).toFixed(1)}× | did not finish within the limit${run.note ? `: ${run.note}` : ''}; ${agreementText(agreement)} |`,
        );
        if (!Number.isNaN(nearest))
          row(
            'W1 nearest (≤ 2000 m)',
            run.engine,
            nearest,
            NaN,
            ratio(nearest, num(o.nearestS)),
            near.mark.trim(),
          );
        row('graph load / build (not in W1)', run.engine, num(run.buildS), NaN, '', '');
        continue;
      }
      const total = nearest + counts.s;
      row(
        'W1 total',
        run.engine,
        total,
        num(run.peakRssKiB),
        ratio(total, num(o.w1S)),
        `${near.mark ? 'nearest' + near.mark + '; ' : ''}${counts.mark ? 'counts' + counts.mark + '; ' : ''}${agreementText(agreement)}`,
      );
      row(
        'W1 nearest (≤ 2000 m)',
        run.engine,
        nearest,
        NaN,
        ratio(nearest, num(o.nearestS)),
        near.mark.trim(),
      );
      row(
        'W1 counts (within radius)',
        run.engine,
        counts.s,
        NaN,
        ratio(counts.s, num(o.w1BestS) - num(o.nearestS)),
        counts.mark.trim(),
      );
      row('graph load / build (not in W1)', run.engine, num(run.buildS), NaN, '', run.note ?? '');
    }
  }
  return rows.join('\n');
}

function goals(results: readonly NetworkResult[]): string[] {
  const lines: string[] = [];
  const big = results.find((r) => r.network === 'porto-x14');
  if (!big) return ['- The ≥1M-node network has not been run yet (`npm run bench -- --only porto-x14`).'];
  const oursW1 = num(big.ours.w1S);
  const peerTotal = (engine: string) => {
    const p = big.peers.find((x) => x.run.engine === engine);
    if (!p) return NaN;
    return peerNearest(p.run).s + peerCounts(p.run).s;
  };
  const extrapolated = (engine: string) => {
    const p = big.peers.find((x) => x.run.engine === engine);
    return p && (peerNearest(p.run).mark || peerCounts(p.run).mark) ? ' (peer time partly extrapolated)' : '';
  };
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const pg = peerTotal('pgrouting');
  const ig = peerTotal('igraph');
  lines.push(
    `- W1 ≥ 10× faster than pgRouting on the ≥1M-node graph: ${Number.isNaN(pg) ? 'not measured' : `${(pg / oursW1).toFixed(1)}×${extrapolated('pgrouting')} — ${verdict(pg / oursW1 >= 10)}`}.`,
  );
  lines.push(
    `- W1 ≥ 2× faster than igraph on the ≥1M-node graph: ${Number.isNaN(ig) ? 'not measured' : `${(ig / oursW1).toFixed(1)}×${extrapolated('igraph')} — ${verdict(ig / oursW1 >= 2)}`}.`,
  );
  if (big.import) {
    const s = num(big.import.wallS);
    const gib = num(big.import.peakRssKiB) / 2 ** 20;
    lines.push(
      `- Import of the ${big.graphNodes.toLocaleString('en')}-graph-node network (${big.osmNodes.toLocaleString('en')} OSM nodes, SYNTHETIC tiles) ≤ 20 s and ≤ 2 GB: ${s.toFixed(1)} s (${verdict(s <= 20)}), ${gib.toFixed(2)} GiB peak (${verdict(gib <= 2)}) — one timing, taken in the bench run; see the analysis below for repeats.`,
    );
  }
  return lines;
}

/** Everything after this line in docs/performance.md is written by hand and kept when the bench rewrites it. */
export const HAND_WRITTEN_MARKER =
  '<!-- Hand-written analysis below: kept when the bench regenerates this file. -->';

/** docs/performance.md, regenerated by every bench run from bench/results/*.json (keeping the hand-written tail). */
export function renderPerformanceDoc(results: readonly NetworkResult[], previous = ''): string {
  const at = previous.indexOf(HAND_WRITTEN_MARKER);
  const tail = at >= 0 ? previous.slice(at) : `${HAND_WRITTEN_MARKER}\n`;
  return `${generatedDoc(results)}\n${tail}`;
}

function generatedDoc(results: readonly NetworkResult[]): string {
  const machine = results[results.length - 1]?.machine;
  const dates = [...new Set(results.map((r) => r.ranAt.slice(0, 10)))].join(', ');
  const versions = machine
    ? Object.entries(machine.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')
    : '';
  const loads = results.map((r) => `${r.network}: ${r.machine.loadAverage}`).join('; ');
  return `# Performance

Generated by \`npm run bench\` (bench/run.ts) from \`bench/results/*.json\`; do not edit by hand — rerun the bench.
How to run it, what each workload is and what is synthetic: [bench/README.md](../bench/README.md).

- Run on: ${dates}.
- Machine: ${machine?.cpuModel ?? '?'}, ${machine?.cores ?? '?'} cores (nproc), ${machine?.memoryGiB ?? '?'} GiB memory.
- Software: ${versions}.
- The machine's 2 cores were shared with other engineers' jobs during these runs, so times carry noise of tens of
  per cent; the load average (1/5/15 min) recorded with each network was ${loads}.

## Workload W1

For every community and facility type: the walking distance to the nearest facility of the type (capped at
2000 m), and the number of facilities of the type within its service radius (300/500/1000 m, GB 50180-2018
working defaults, **unverified**). Ours is \`computeReach\` (src/access). Every peer gets the same graph, with each
community and facility inserted as a node that splits its edge, and answers the same questions; the bench compares
every distance (≤ 0.01 m) and every count with ours. "peer / ours" is the peer's time divided by ours (> 1 = we
are faster). Peak MiB is the peak resident memory of the process doing the work (PostgreSQL: the backend),
including its copy of the graph. Graph loading/building is reported separately and not included in W1.

"nodes OSM / graph": OSM nodes in the extract / nodes of our compressed walking graph (junctions and way ends).

## Results

${renderTable(results)}

## Goals of issue 2

${goals(results).join('\n')}

## Notes

${results
  .map((r) => {
    const parts = [`- **${r.network}** — ${r.label}. ${r.workload.description}.`];
    if (r.tiles)
      parts.push(
        `  SYNTHETIC network: ${r.tiles.copies} copies of Porto on a ${r.tiles.columns}-column grid, stitched by ${r.tiles.stitchCount} footways (length min ${r.tiles.stitchLengthM.min.toFixed(0)} m, median ${r.tiles.stitchLengthM.median.toFixed(0)} m, max ${r.tiles.stitchLengthM.max.toFixed(0)} m), written as a real .osm.pbf with pyosmium and imported with \`lifecircle network import\`.`,
      );
    return parts.join('\n');
  })
  .join('\n')}
- igraph 0.10 has no distance cutoff: its nearest search is one full Dijkstra per type from a super-node joined
  to the type's facilities (weight 1e-9 m, as igraph leaves Dijkstra for a slower algorithm on any zero weight),
  then capped at 2000 m; its count searches are full Dijkstras. igraph and NetworkX stop starting searches after a
  budget (default 300 s per part); the rest is extrapolated where marked, and only what they computed is compared.
- NetworkX uses its bounded searches (\`multi_source_dijkstra_path_length\` / \`single_source_dijkstra_path_length\`
  with \`cutoff\`); it is skipped on the ≥4M-node graph (memory: about 1 KiB per node and arc).
- pgRouting: one \`pgr_drivingDistance\` call per facility type from a super-source vertex linked at zero cost to
  the type's facilities, over the reversed edges (nearest; \`equicost => true\` gave wrong distances, see below);
  one call with every point of the smaller side as roots for the counts. The edges are read from a table by
  pgRouting's edges SQL on every call, as pgRouting always does.
- Our W1 total is the first run in a fresh process (JIT warm-up included) and is the one the ratios use; the
  best of three runs is shown beside it. Our nearest and counts parts are warm timings (nearest timed alone,
  counts = best total − nearest), so their ratios flatter us slightly. Peers are timed once.
`;
}
