import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describeError, log } from '../log';

// Signed-out summary pages, kept rendered in this process's memory.
//
// A summary page for a reader without a session is a function of its ETag (snapshot hash, version,
// retraction, interface language) and of its address, nothing else (see proxy.ts), so its bytes can
// be kept and served again without rendering: a page of ~120 KiB costs Next ~30 ms to render and a
// stored copy well under one. Freshness does not depend on this cache: proxy.ts reads the summary's
// current tag from the database on every request, so a retraction or a new version changes the key
// at once on every instance, and a stale entry is simply never asked for again (LRU evicts it).
//
// A miss is filled by asking this same server for the page with RENDER_HEADER (its value an HMAC of
// the server secret, so a visitor cannot make every request skip the cache); concurrent misses of
// one key share a single render.

export const RENDER_HEADER = 'x-ledger-render';
export const CACHE_STATUS_HEADER = 'x-ledger-cache';

/** At most this many bytes of stored pages per process; least recently used go first. */
const MAX_BYTES = 24 * 1024 * 1024;
const MAX_ENTRY_BYTES = 2 * 1024 * 1024;

export interface StoredPage {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

const sizeOf = (page: StoredPage) => page.body.byteLength;

/**
 * Headers of the rendered answer that are about its transport or a session, never stored. The body is
 * kept uncompressed: Next compresses what proxy.ts answers for readers that accept it.
 */
const NOT_STORED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date', 'set-cookie', 'content-encoding']);

/** After a render into the store fails (the server could not reach itself), pages render as usual for this long. */
const PAUSE_AFTER_FAILURE_MS = 60_000;

export class PageCache {
  private readonly entries = new Map<string, StoredPage>();
  private readonly pending = new Map<string, Promise<StoredPage | null>>();
  private bytes = 0;
  private pausedUntil = 0;

  constructor(private readonly maxBytes = MAX_BYTES) {}

  /** True for a while after a failed render: no reader waits on a self-request that does not work. */
  get paused() {
    return Date.now() < this.pausedUntil;
  }

  get size() {
    return this.entries.size;
  }

  get storedBytes() {
    return this.bytes;
  }

  get(key: string): StoredPage | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: moving the entry to the end makes the first one the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, page: StoredPage) {
    if (sizeOf(page) > MAX_ENTRY_BYTES || sizeOf(page) > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= sizeOf(old);
    }
    this.entries.set(key, page);
    this.bytes += sizeOf(page);
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(v);
    }
  }

  /** The stored page, or the one `render` produces (shared by concurrent callers; null is not stored). */
  async getOrRender(key: string, render: () => Promise<StoredPage | null>): Promise<{ page: StoredPage | null; hit: boolean }> {
    const hit = this.get(key);
    if (hit) return { page: hit, hit: true };
    let job = this.pending.get(key);
    if (!job) {
      job = render()
        .then((page) => {
          if (page) this.set(key, page);
          return page;
        })
        .catch((e: unknown) => {
          if (!this.paused) log.warn('summary page store: rendering into it failed; pages render as usual for a minute', { err: describeError(e) });
          this.pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
          return null;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, job);
    }
    return { page: await job, hit: false };
  }
}

const holder = globalThis as unknown as { __ledgerPageCache?: PageCache };
export const pageCache = () => (holder.__ledgerPageCache ??= new PageCache());

export const renderToken = (secret: string) => createHmac('sha256', secret).update('summary-page-render').digest('base64url');

export function isRenderRequest(value: string | null, secret: string): boolean {
  if (!value) return false;
  const expected = Buffer.from(renderToken(secret));
  const given = Buffer.from(value);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * This server's own address, for rendering a page into the cache. `next start` records the address
 * it listens on; without it (another runner), there is no cache and every page renders as usual.
 */
export function ownOrigin(): string | null {
  const origin = process.env.__NEXT_PRIVATE_ORIGIN;
  if (origin && /^https?:\/\/[^/]+$/.test(origin)) return origin;
  return process.env.PORT && /^\d+$/.test(process.env.PORT) ? `http://127.0.0.1:${process.env.PORT}` : null;
}

/** Asks this server to render `pathAndQuery` as a signed-out reader in `language` would see it. */
export async function renderOwnPage(origin: string, pathAndQuery: string, headers: Record<string, string>, secret: string): Promise<StoredPage | null> {
  const res = await fetch(`${origin}${pathAndQuery}`, {
    headers: { ...headers, 'accept-encoding': 'identity', [RENDER_HEADER]: renderToken(secret) },
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  // Only a complete page is worth keeping: a 404 or an error renders again next time.
  if (res.status !== 200 || !(res.headers.get('content-type') ?? '').startsWith('text/html')) {
    await res.body?.cancel();
    return null;
  }
  const body = new Uint8Array(await res.arrayBuffer());
  const kept: [string, string][] = [];
  res.headers.forEach((value, name) => {
    if (!NOT_STORED.has(name)) kept.push([name, value]);
  });
  return { status: res.status, headers: kept, body };
}
