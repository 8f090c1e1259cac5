// Disk full on the embedded database (issue 8): the data folder sits on a small tmpfs. PGlite can stop
// answering when a write finds no space (db/client.ts), so once less than the reserve is free every
// transaction is answered 503 `storage_full` in the error shape, nothing of it is kept, and once there
// is room again the same folder opens with every accepted row and an intact audit chain.
// Needs permission to mount a tmpfs (root, as in CI); skipped, and said so, without it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as list from '@/app/api/v1/testimonies/route';
import { closeDb, useDatabase } from '@/db';
import { openDatabase, type Database } from '@/db/client';
import { verifyChain } from '@/lib/audit';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { orgWithActors } from './actors';
import { testDbKind } from './db';
import { userRow } from './fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const noParams = { params: Promise.resolve({}) };

function tryMount(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const mountPoint = mkdtempSync(path.join(tmpdir(), 'ledger-diskfull-'));
// 40 MB hold the migrated empty database; with 20 MB in reserve, what is left fills after about a
// hundred large narratives.
const RESERVE_MB = '20';
const mounted = testDbKind === 'pglite' && tryMount(mountPoint, '72m');
if (!mounted) rmSync(mountPoint, { recursive: true, force: true });
if (testDbKind === 'pglite' && !mounted) console.warn('disk-full test skipped: cannot mount a tmpfs here (needs root)');

describe.runIf(mounted)('disk full on the embedded database', () => {
  const dataDir = path.join(mountPoint, 'data');
  let database: Database;
  let token: string;

  beforeAll(async () => {
    process.env.PGLITE_DISK_RESERVE_MB = RESERVE_MB;
    database = await openDatabase({ dataDir });
    useDatabase(database);
    const org = await orgWithActors('diskfull');
    const owner = await userRow(org.caseworker.userId); // read before the transaction: PGlite has one connection
    token = (await inTransaction((tx) => issueToken(tx, null, owner, 'diskfull', 1))).token;
  }, 120_000);
  afterAll(async () => {
    delete process.env.PGLITE_DISK_RESERVE_MB;
    await closeDb().catch(() => {});
    execFileSync('umount', ['-l', mountPoint]); // lazy: even if something still holds a file there
    rmSync(mountPoint, { recursive: true, force: true });
  });

  const call = (method: 'GET' | 'POST', body?: unknown) =>
    (list[method] as Handler)(
      new Request('http://localhost/api/v1/testimonies', { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }),
      noParams,
    );
  // Random text: the ciphertext of a narrative does not compress, so each write takes its full size.
  const narrative = () => Array.from({ length: 95_000 / 32 }, () => crypto.randomUUID().replaceAll('-', '')).join(' ').slice(0, 95_000);

  it('refuses what does not fit with a clear 503, keeps every accepted row, and reopens intact', async () => {
    let accepted = 0;
    let refused: Response | undefined;
    for (let i = 0; i < 400 && !refused; i++) {
      const res = await call('POST', { narrative: narrative(), consent: { scopes: ['internal'], method: 'oral' } });
      if (res.status === 201) accepted += 1;
      else refused = res;
    }
    expect(refused, 'the disk never filled').toBeDefined();
    expect(refused!.status).toBe(503);
    expect(await refused!.json()).toMatchObject({ error: { code: 'storage_full', message: expect.stringContaining('no space left') } });
    expect(accepted).toBeGreaterThan(0);

    // The server still answers (reads outside a transaction, such as the health check, go on); what
    // was accepted is there, what was refused is not.
    expect((await call('GET')).status).toBe(503);
    const count = async () => Number(((await database.db.execute(sql`select count(*)::int as n from testimony`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    expect(await count()).toBe(accepted);

    // Room again: the same folder opens with every accepted row and an intact chain, and takes writes.
    await closeDb();
    execFileSync('mount', ['-o', 'remount,size=160m', mountPoint]);
    database = await openDatabase({ dataDir });
    useDatabase(database);
    expect(await count()).toBe(accepted);
    expect((await verifyChain(database.db)).ok).toBe(true);
    expect((await call('POST', { narrative: 'after the disk was freed', consent: { scopes: ['internal'], method: 'oral' } })).status).toBe(201);
  }, 180_000);
});
