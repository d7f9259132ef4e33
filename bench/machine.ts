import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  /** 1/5/15-minute load averages when the bench started: above the core count means shared with other jobs. */
  loadAverage: string;
  versions: Record<string, string>;
}

function debianVersion(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'not installed';
}

export function describeMachine(): Machine {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return {
    cpuModel: model ? model[1].trim() : (cpus()[0]?.model ?? 'unknown'),
    cores: Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
    versions: {
      node: process.version,
      'postgresql-15-pgrouting': debianVersion('postgresql-15-pgrouting'),
      'postgresql-15': debianVersion('postgresql-15'),
      'python3-igraph': debianVersion('python3-igraph'),
      'python3-networkx': debianVersion('python3-networkx'),
      'python3-pyosmium': debianVersion('python3-pyosmium'),
      python3: debianVersion('python3'),
    },
  };
}

/** The Debian packages behind each peer (Debian 12 names: pyosmium is python3-pyosmium there). */
const PACKAGES: Record<string, { check: () => boolean; packages: string[] }> = {
  pgrouting: {
    check: () => existsSync('/usr/share/postgresql/15/extension/pgrouting.control'),
    packages: ['postgresql-15', 'postgresql-15-pgrouting'],
  },
  igraph: { check: () => pythonHas('igraph'), packages: ['python3-igraph'] },
  networkx: { check: () => pythonHas('networkx'), packages: ['python3-networkx'] },
  pyosmium: { check: () => pythonHas('osmium'), packages: ['python3-pyosmium'] },
};

function pythonHas(module: string): boolean {
  return spawnSync('/usr/bin/python3', ['-c', `import ${module}`]).status === 0;
}

/** Installs the Debian packages of the peers that are missing (apt-get; the bench runs as root). */
export function ensurePeerPackages(peers: readonly string[], log: (message: string) => void): void {
  const missing = peers.filter((p) => !PACKAGES[p].check()).flatMap((p) => PACKAGES[p].packages);
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
  if (update.status !== 0 || install.status !== 0)
    throw new Error(`apt-get install ${missing.join(' ')} failed; install them by hand or use --peers`);
}
