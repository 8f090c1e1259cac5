// Issue 16: the browser upload route read a `Transfer-Encoding: chunked` body whole before refusing it
// (370 MB took the server to a 1.48 GB peak). A chunked body declares no length: the route now counts
// bytes as they arrive and stops reading at the limit with 413. Here a generated body that would go on
// for 300 MB, with IMPORT_MAX_BYTES at 1 MB: the answer says "too large" and little more than the
// limit was ever pulled from the stream.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const LIMIT = vi.hoisted(() => {
  process.env.IMPORT_MAX_BYTES = String(1024 * 1024);
  return 1024 * 1024;
});
const session = vi.hoisted(() => ({ current: null as null | { uid: string; sv: number; authTime: number; sid: string } }));
vi.mock('@/lib/auth/config', async (original) => ({ ...(await original<typeof import('@/lib/auth/config')>()), auth: async () => session.current }));

import * as upload from '@/app/(workspace)/testimonies/import/upload/route';
import { CSV_HEADER } from '@/lib/testimonies/csv';
import { importMaxBytes } from '@/lib/testimonies/import';
import { orgWithActors } from './actors';
import { freshDatabase, type TestDatabase } from './db';
import { userRow } from './fixtures';

const BOUNDARY = '----ledger-test-boundary';
const CHUNK = 64 * 1024;
const WOULD_SEND = 300 * 1024 * 1024;

let database: TestDatabase;

/** A multipart form with one CSV file that goes on for `total` bytes, sent chunk by chunk (no Content-Length). */
function chunkedUpload(total: number) {
  const encoder = new TextEncoder();
  const head = encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${CSV_HEADER.join(',')}\r\n`);
  const row = encoder.encode(`${CSV_HEADER.map(() => '').join(',')}\r\n`);
  const filler = new Uint8Array(CHUNK);
  for (let i = 0; i < CHUNK; i += row.length) filler.set(row.subarray(0, Math.min(row.length, CHUNK - i)), i);
  const stats = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = stats.pulled === 0 ? head : filler;
      if (stats.pulled >= total) {
        controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}--\r\n`));
        controller.close();
        return;
      }
      stats.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const req = new Request('http://localhost/testimonies/import/upload', {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked', 'sec-fetch-site': 'same-origin' },
    body,
    duplex: 'half',
  } as RequestInit);
  return { req, stats };
}

beforeAll(async () => {
  database = await freshDatabase();
  const org = await orgWithActors('chunked');
  const row = await userRow(org.caseworker.userId);
  session.current = { uid: row.id, sv: row.sessionVersion, authTime: Math.floor(Date.now() / 1000), sid: crypto.randomUUID() };
});
afterAll(() => database.drop());

describe('a chunked upload over the limit', () => {
  it('is refused as too large once the limit is passed, without reading the rest', async () => {
    expect(importMaxBytes()).toBe(LIMIT);
    const { req, stats } = chunkedUpload(WOULD_SEND);
    const started = performance.now();
    const res = await upload.POST(req);
    console.log(`answer ${res.status} ${res.headers.get('location')} after ${(stats.pulled / 1024 / 1024).toFixed(1)} MB pulled of ${WOULD_SEND / 1024 / 1024} MB, ${Math.round(performance.now() - started)} ms`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/testimonies/import?error=too_large');
    // The limit, the multipart allowance (64 kB) and a chunk or two in flight: never the whole body.
    expect(stats.pulled).toBeLessThanOrEqual(LIMIT + 64 * 1024 + 4 * CHUNK);
  });

  it('a file under the limit sent the same way still imports', async () => {
    const { req } = chunkedUpload(3 * CHUNK);
    const res = await upload.POST(req);
    expect(res.status).toBe(303);
    // Every row is empty, so the import refuses them by line: the file was read and parsed, not refused as too large.
    expect(res.headers.get('location')).toMatch(/^\/testimonies\/import\?job=[0-9a-f-]{36}$/);
  });
});
