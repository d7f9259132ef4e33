import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Output of a child until `pattern` appears (or the child ends, or 120 s pass). */
function waitFor(child: ReturnType<typeof spawn>, pattern: RegExp, seen: { text: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}:\n${seen.text}`)),
      120_000,
    );
    const check = () => {
      const match = seen.text.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before ${pattern}:\n${seen.text}`));
    });
    check();
  });
}

const childPids = (pid: number): number[] =>
  spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);

test(
  'start --processes 2 serves one port from two processes, replaces one that dies and stops on SIGTERM',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifecircle-processes-'));
    const child = spawn(
      process.execPath,
      ['bin/lifecircle.js', 'start', '--processes', '2', '--port', '0', '--db', join(dir, 'store.db')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        // A plain `lifecircle` run, not a child of the test runner (NODE_TEST_CONTEXT), with a known password.
        env: {
          ...process.env,
          NODE_TEST_CONTEXT: undefined,
          LIFECIRCLE_ADMIN_PASSWORD: 'synthetic admin pw',
        },
      },
    );
    const seen = { text: '' };
    child.stdout.on('data', (d: Buffer) => (seen.text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (seen.text += d.toString()));
    try {
      await waitFor(child, /processes {2}2 on one port \(pids \d+, \d+\)/, seen);
      const url = seen.text.match(/dashboard {2}(http:\/\/[^/\s]+)\//)![1];
      assert.ok(!/:0$/.test(url!), url);
      for (let i = 0; i < 6; i++) assert.equal((await fetch(`${url}/api/health`)).status, 200);
      const workers = childPids(child.pid!);
      assert.equal(workers.length, 2, seen.text);

      // A serving process that dies is replaced; the port keeps answering meanwhile.
      process.kill(workers[0]!, 'SIGKILL');
      await waitFor(child, /starting another/, seen);
      assert.equal((await fetch(`${url}/api/health`)).status, 200);

      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 0, seen.text);
      assert.equal(childPids(child.pid!).length, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('--processes must be a whole number from 1 to 64', () => {
  const r = spawnSync(process.execPath, ['bin/lifecircle.js', 'start', '--processes', 'many'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--processes: expected a whole number 1–64, got 'many'/);
});
