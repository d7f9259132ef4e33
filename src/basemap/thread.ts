import { Worker } from 'node:worker_threads';
import { ERROR_CODES, LifeCircleError, type ErrorCode } from '../errors.js';
import type { PlaceHit } from './search.js';
import type { ThreadReply, ThreadRequest } from './thread-worker.js';

const ENTRY = new URL(`./thread-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** A basemap as the thread receives it: the stored bytes, their SHA-256, and how errors name it. */
export interface ThreadBasemap {
  /** One StoredBasemap of this process (the thread keeps one basemap per key). */
  key: string;
  sha256: string;
  /** E.g. "the basemap of city 5101 (chengdu.osm)". */
  what: string;
  data: Uint8Array;
}

type Answer = Exclude<ThreadReply, { type: 'error' }>;

interface Live {
  worker: Worker;
  /** The SHA-256 of the basemap each key has in this worker. */
  loaded: Map<string, string>;
  pending: Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>;
  /** Set when the server closes the thread, so its pending requests are told so rather than of a crash. */
  closing: boolean;
}

/**
 * One worker thread that owns the decoded basemaps and their geojson-vt indexes and answers tiles and place
 * searches by message, so decoding and indexing a big basemap never holds up the server's other requests. Started
 * on the first request; a basemap is sent to it before the first request that needs it (again after a restart).
 * When it crashes, its pending requests fail with LC_BUSY (503) and the next request starts a new one. It keeps
 * the process alive only while a request waits.
 */
export class BasemapThread {
  private live: Live | undefined;
  private nextId = 1;

  /** `entry`: the worker's module (tests start one that crashes on demand). */
  constructor(private readonly options: { entry?: URL } = {}) {}

  /** The tile z/x/y of the basemap (BasemapTiles.tile); null when empty. */
  async tile(basemap: ThreadBasemap, z: number, x: number, y: number): Promise<Uint8Array | null> {
    const { key, sha256 } = basemap;
    const answer = await this.ask(basemap, (id) => ({ type: 'tile', id, key, sha256, z, x, y }));
    return answer.type === 'tile' ? answer.tile : null;
  }

  /** Named features of the basemap matching `query` (PlaceIndex.search). */
  async search(basemap: ThreadBasemap, query: string, limit: number): Promise<PlaceHit[]> {
    const { key, sha256 } = basemap;
    const answer = await this.ask(basemap, (id) => ({ type: 'search', id, key, sha256, query, limit }));
    return answer.type === 'search' ? answer.hits : [];
  }

  /** Forgets a key's basemap (its city has none any more), freeing the thread's memory. */
  drop(key: string): void {
    if (!this.live?.loaded.delete(key)) return;
    this.live.worker.postMessage({ type: 'drop', key } satisfies ThreadRequest);
  }

  /** Stops the thread; requests still waiting fail with LC_BUSY. A later request starts it again. */
  async close(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    live.closing = true;
    await live.worker.terminate();
  }

  private ask(basemap: ThreadBasemap, request: (id: number) => ThreadRequest): Promise<Answer> {
    const live = (this.live ??= this.start());
    if (live.loaded.get(basemap.key) !== basemap.sha256) {
      const { key, sha256, what, data } = basemap;
      // Copied, not transferred: the caller keeps the bytes for the next thread should this one crash.
      live.worker.postMessage({ type: 'load', key, sha256, what, data } satisfies ThreadRequest);
      live.loaded.set(key, sha256);
    }
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      if (live.pending.size === 0) live.worker.ref();
      live.pending.set(id, { resolve, reject });
      live.worker.postMessage(request(id));
    });
  }

  private start(): Live {
    const worker = new Worker(this.options.entry ?? ENTRY);
    const live: Live = { worker, loaded: new Map(), pending: new Map(), closing: false };
    // An idle thread does not keep the process alive (a CLI command that showed a tile may end).
    worker.unref();
    let failure: Error | undefined;
    worker.on('message', (reply: ThreadReply) => {
      const waiting = live.pending.get(reply.id);
      if (!waiting) return;
      live.pending.delete(reply.id);
      if (live.pending.size === 0) worker.unref();
      if (reply.type === 'error') waiting.reject(new LifeCircleError(knownCode(reply.code), reply.message));
      else waiting.resolve(reply);
    });
    worker.on('error', (error) => (failure = error));
    // A reply that cannot be read would leave its request waiting for ever: end the thread, which fails them all.
    worker.on('messageerror', (error) => {
      failure = error;
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      if (this.live === live) this.live = undefined;
      const why = live.closing
        ? 'the basemap thread was stopped with the server; retry'
        : `the basemap thread stopped (${failure?.message ?? `exit code ${code}`}) before answering; ` +
          'the next request starts it again — retry';
      for (const { reject } of live.pending.values())
        reject(new LifeCircleError('LC_BUSY', why, { cause: failure }));
      live.pending.clear();
    });
    return live;
  }
}

function knownCode(code: string): ErrorCode {
  return code in ERROR_CODES ? (code as ErrorCode) : 'LC_INTERNAL';
}

let shared: BasemapThread | undefined;
let holders = 0;

/** The process's basemap thread: one for every StoredBasemap of a server process. */
export function sharedBasemapThread(): BasemapThread {
  return (shared ??= new BasemapThread());
}

/**
 * Holds the process's basemap thread for one server (the map routes call it when registered); the function
 * returned lets go, and the last server to let go stops the thread, so a closed server leaves no thread behind.
 */
export function holdBasemapThread(): () => Promise<void> {
  holders++;
  let held = true;
  return async () => {
    if (!held) return;
    held = false;
    if (--holders === 0) await shared?.close();
  };
}
