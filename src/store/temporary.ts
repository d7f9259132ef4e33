import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundledDivisions } from './divisions.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';
import type { Clock } from '../time/index.js';

/** A store in a fresh temporary folder (a real SQLite file, as in production), for tests and dry runs. */
export async function openTemporaryStore(options: { divisions?: boolean; clock?: Clock } = {}): Promise<{
  store: Store;
  path: string;
  dispose: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-store-'));
  const path = join(dir, 'lifecircle.db');
  const store = await openSqliteStore({ path, clock: options.clock });
  if (options.divisions) await loadBundledDivisions(store);
  return {
    store,
    path,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
