import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerGraph } from '../peer-export.js';
import { countSide, writePeerEdgesCsv } from '../peer-export.js';
import type { W1Workload } from '../workload.js';
import type { PeerRun } from './python.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const UNKNOWN = 0xffffffff;
/** Edge ids of the zero-cost links from the super-source (vertex 0; graph vertices are numbered from 1). */
const SUPER_EDGE_ID = 4_000_000_000;

/**
 * A throwaway PostgreSQL 15 cluster with pgRouting, in a temp dir, run as the `postgres` user on a Unix socket
 * only (no TCP), removed by stop().
 */
export class PgCluster {
  readonly dir: string;
  readonly port = 55432 + (process.pid % 1000);

  constructor(baseDir: string) {
    this.dir = join(baseDir, `pg-${process.pid}`);
  }

  private asPostgres(command: string, args: string[], timeoutMs = 120_000) {
    const result = spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], {
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    if (result.status !== 0)
      throw new Error(`${command} failed: ${result.stderr || result.stdout || result.error?.message}`);
    return result.stdout;
  }

  start(): void {
    mkdirSync(this.dir, { recursive: true });
    chmodSync(this.dir, 0o777);
    spawnSync('chown', ['postgres', this.dir]);
    this.asPostgres(`${PG_BIN}/initdb`, ['-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres']);
    this.asPostgres(`${PG_BIN}/pg_ctl`, [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses='' -c shared_buffers=256MB -c work_mem=256MB -c max_parallel_workers_per_gather=0`,
      'start',
    ]);
    this.psql('CREATE EXTENSION pgrouting CASCADE;');
  }

  stop(): void {
    if (!existsSync(join(this.dir, 'data'))) return;
    try {
      this.asPostgres(`${PG_BIN}/pg_ctl`, ['-D', join(this.dir, 'data'), '-m', 'fast', 'stop']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** Runs SQL through psql (as root, the socket trusts local users); returns stdout; throws on any error. */
  psql(sql: string, timeoutMs = 600_000): { stdout: string; timedOut: boolean } {
    const file = join(this.dir, `script-${Date.now()}.sql`);
    writeFileSync(file, sql);
    const result = spawnSync(
      'psql',
      [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        this.dir,
        '-p',
        String(this.port),
        '-U',
        'postgres',
        '-f',
        file,
      ],
      {
        encoding: 'utf8',
        timeout: timeoutMs,
        maxBuffer: 1 << 28,
        env: { ...process.env, PGOPTIONS: `-c statement_timeout=${timeoutMs}` },
      },
    );
    const killed = result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    // The server may cancel first (statement_timeout): psql then fails with that message; both are timeouts.
    const timedOut = killed || /canceling statement due to statement timeout/.test(result.stderr ?? '');
    if (!timedOut && result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return { stdout: result.stdout, timedOut };
  }

  version(): string {
    return this.psql("SELECT version() || ' / pgRouting ' || pgr_version();").stdout.trim();
  }
}

/** SQL that ends a script by printing the backend's peak resident memory (VmHWM, kB) from /proc. */
const PEAK_SQL = `SELECT 'VmHWM ' || substring(pg_read_file('/proc/self/status') from 'VmHWM:\\s*(\\d+)');\n`;

function peakFrom(stdout: string): number {
  const m = /VmHWM (\d+)/.exec(stdout);
  return m ? Number(m[1]) : NaN;
}

/**
 * W1 in pgRouting: one pgr_drivingDistance call per facility type from a super-source linked to all its
 * facilities, over the reversed edges, for the nearest distances; and one call with every point of the smaller
 * side as a root (equicost off: every root's own search) for the counts within radius.
 */
export function runPgRouting(
  cluster: PgCluster,
  peer: PeerGraph,
  workload: W1Workload,
  out: string,
  limitS: number,
): PeerRun {
  const csv = join(cluster.dir, 'edges.csv');
  writePeerEdgesCsv(csv, peer);
  chmodSync(csv, 0o644);
  const points: string[] = [];
  peer.communityNode.forEach((node, c) => points.push(`c,${c},${node + 1},-1,0`));
  workload.types.forEach((type, t) =>
    peer.facilityNode[t].forEach((node, f) => points.push(`f,${f},${node + 1},${t},${type.radiusM}`)),
  );
  const pointsCsv = join(cluster.dir, 'points.csv');
  writeFileSync(pointsCsv, points.join('\n') + '\n');
  chmodSync(pointsCsv, 0o644);

  const t0 = performance.now();
  cluster.psql(`
DROP TABLE IF EXISTS w1_edges, w1_points;
CREATE TABLE w1_edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8);
COPY w1_edges FROM '${csv}' CSV;
CREATE TABLE w1_points (kind char(1), idx int, node bigint, type int, radius float8);
COPY w1_points FROM '${pointsCsv}' CSV;
CREATE INDEX ON w1_points (node);
ANALYZE w1_edges; ANALYZE w1_points;
`);
  const loadS = (performance.now() - t0) / 1000;

  const C = workload.communities.length;
  const T = workload.types.length;
  const nearest = new Float64Array(C * T).fill(Infinity);
  const counts = new Uint32Array(C * T).fill(UNKNOWN);
  const reversed = `'SELECT id, source, target, reverse_cost AS cost, cost AS reverse_cost FROM w1_edges'`;
  const forward = `'SELECT id, source, target, cost, reverse_cost FROM w1_edges'`;
  const deadline = performance.now() + limitS * 1000;
  const remainingMs = () => Math.round(Math.max(1000, deadline - performance.now()));

  // Nearest: one call per type, from a super-source joined to the type's facilities at zero cost — one
  // multi-source search. (equicost => true over all facilities was tried first: pgRouting 3.4.2 then returned a
  // longer-than-shortest distance for ~1 % of communities, checked against pgr_dijkstraCost; see bench/README.md.)
  const nearestSql: string[] = [];
  workload.types.forEach((type, t) => {
    if (type.facilities.length === 0) return;
    const edges = `$q$SELECT id, source, target, reverse_cost AS cost, cost AS reverse_cost FROM w1_edges
      UNION ALL SELECT ${SUPER_EDGE_ID} + idx, 0, node, 0, -1 FROM w1_points WHERE kind = 'f' AND type = ${t}$q$`;
    nearestSql.push(`SELECT ${t}, p.idx, d.agg_cost FROM pgr_drivingDistance(${edges}, 0, ${workload.maxDistanceM},
  directed => true) d JOIN w1_points p ON p.kind = 'c' AND p.node = d.node;`);
  });
  const t1 = performance.now();
  const nearestRun = cluster.psql(nearestSql.join('\n') + PEAK_SQL, remainingMs());
  const nearestS = (performance.now() - t1) / 1000;
  let peak = peakFrom(nearestRun.stdout);
  if (!nearestRun.timedOut) {
    for (const line of nearestRun.stdout.split('\n')) {
      const [t, c, d] = line.split('|');
      if (d === undefined) continue;
      const i = Number(t) * C + Number(c);
      nearest[i] = Math.min(nearest[i], Number(d));
    }
  }

  // Counts: one call from every point of the smaller side.
  let countsS = NaN;
  let countsTimedOut = nearestRun.timedOut;
  if (!nearestRun.timedOut) {
    const side = countSide(workload);
    const sql =
      side === 'from-communities'
        ? `SELECT c.idx, f.type, count(*) FROM pgr_drivingDistance(${forward},
  (SELECT array_agg(node) FROM w1_points WHERE kind = 'c'), ${Math.max(...workload.types.map((t) => t.radiusM))},
  directed => true, equicost => false) d
  JOIN w1_points c ON c.kind = 'c' AND c.node = d.from_v
  JOIN w1_points f ON f.kind = 'f' AND f.node = d.node AND d.agg_cost <= f.radius
  GROUP BY c.idx, f.type;`
        : workload.types
            .map(
              (type, t) => `SELECT c.idx, ${t}, count(*) FROM pgr_drivingDistance(${reversed},
  (SELECT coalesce(array_agg(node), '{}') FROM w1_points WHERE kind = 'f' AND type = ${t}), ${type.radiusM},
  directed => true, equicost => false) d
  JOIN w1_points c ON c.kind = 'c' AND c.node = d.node GROUP BY c.idx;`,
            )
            .join('\n');
    const t2 = performance.now();
    const run = cluster.psql(sql + PEAK_SQL, remainingMs());
    countsS = (performance.now() - t2) / 1000;
    countsTimedOut = run.timedOut;
    peak = Math.max(peak, peakFrom(run.stdout));
    if (!run.timedOut) {
      counts.fill(0);
      for (const line of run.stdout.split('\n')) {
        const [c, t, n] = line.split('|');
        if (n === undefined) continue;
        counts[Number(t) * C + Number(c)] = Number(n);
      }
    }
  }
  writeFileSync(`${out}.nearest.f64`, nearest);
  writeFileSync(`${out}.count.u32`, counts);
  return {
    engine: 'pgrouting',
    buildS: loadS,
    nearestS: nearestRun.timedOut ? NaN : nearestS,
    countsS: countsTimedOut ? NaN : countsS,
    timedOut: countsTimedOut,
    limitS,
    countSources: 0,
    countSourcesDone: 0,
    peakRssKiB: peak,
    note: countsTimedOut
      ? `cancelled at the ${limitS} s limit; peak = PostgreSQL backend VmHWM`
      : 'peak = PostgreSQL backend VmHWM',
  };
}
