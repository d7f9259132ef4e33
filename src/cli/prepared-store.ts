import { prepareStore } from '../analysis/index.js';
import { openStore, type Store } from '../store/index.js';

/** `--db` of the verbs that write to the store. */
export const DB_OPTION = [
  '--db <file>',
  'a SQLite store file (default: the PostgreSQL of DATABASE_URL when set, else LIFECIRCLE_DB)',
] as const;

/** Opens the store (`--db`, else the environment's), brings it to a usable state, runs `fn`, closes it. */
export async function withPreparedStore<T>(
  db: string | undefined,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore({ path: db });
  try {
    await prepareStore(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}
