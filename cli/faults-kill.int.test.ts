// kill -9 in the middle of the long-running operator commands, `keys rotate`, `synth` and `restore`:
// what they committed stays whole, nothing is half-written, the audit chain verifies, and running the
// command again finishes the work. One process spawned per scenario, killed with SIGKILL while it writes.
// PostgreSQL: the child writes into the test's database. PGlite (one process per data folder, db/client.ts's
// pid lock): the child owns a data folder of its own, and the test opens that folder only once the child
// is dead, as a server or the next command would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, useDatabase, type Db } from '@/db';
import { openDatabase, type Database } from '@/db/client';
import { checkFacts } from '@/lib/aggregates/facts';
import { verifyChain } from '@/lib/audit';
import { decrypt, encrypt, keyIdOf } from '@/lib/crypto/envelope';
import { rotateKeys } from '@/lib/crypto/rotate';
import { restoreBackup, writeBackup, type BackupHeader } from '@/lib/backup';
import { generateSynthetic } from '@/lib/synthetic';
import { freshDatabase, spareDatabase, testDbKind, type TestDatabase } from '@/test/db';

const root = path.resolve(import.meta.dirname, '..');
const SYNTH = { orgs: 2, workers: 4000, seed: 9, batch: 250 };
const ENCRYPTED = 3000;

let database: TestDatabase;
let env: Record<string, string>;
let work: string;

// node itself, not the tsx wrapper: SIGKILL cannot be relayed, so it must reach the process doing the work.
const start = (args: string[]) => {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'cli/index.ts', ...args], { cwd: root, env: env as NodeJS.ProcessEnv });
  child.stdin.end();
  return child;
};

/** Resolves with the match once the child's output (stdout or stderr) shows `pattern` and `accept` agrees. */
function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, accept: (m: RegExpExecArray) => boolean) {
  return new Promise<RegExpExecArray>((resolve, reject) => {
    let seen = '';
    const global = new RegExp(pattern.source, 'gm');
    child[stream]!.on('data', (c: Buffer) => {
      seen += c.toString();
      global.lastIndex = 0;
      for (let m = global.exec(seen); m; m = global.exec(seen)) if (accept(m)) return resolve(m);
    });
    child.on('close', (code) => reject(new Error(`the command ended (exit ${code}) before ${pattern}: ${seen.slice(-500)}`)));
  });
}

async function killNow(child: ChildProcess) {
  child.kill('SIGKILL');
  const [, signal] = (await once(child, 'close')) as [number | null, string | null];
  expect(signal).toBe('SIGKILL');
}

const countIn = async (db: Db, query: ReturnType<typeof sql>) => Number((await execRows<{ n: number }>(db, query))[0]!.n);

// The checks, the same on both databases; `db` is where the killed child wrote, and lib/ uses it too.

/** synth was killed after `atLeast` workers were reported written: only whole batches, nothing dangling. Returns how many are there. */
async function checkSynthKilled(db: Db, atLeast: number) {
  const subjects = await execRows<{ slug: string; n: number }>(
    db,
    sql`select o.slug, count(s.id)::int as n from organisation o left join subject s on s.org_id = o.id where o.slug like 'synth-%' group by 1 order by 1`,
  );
  const written = subjects.reduce((n, s) => n + Number(s.n), 0);
  // What the child reported as written had been committed: it is all still there.
  expect(written).toBeGreaterThanOrEqual(atLeast);
  expect(written).toBeLessThan(SYNTH.workers);
  // Each batch is one transaction: whole batches only, and every worker complete.
  for (const s of subjects) expect(Number(s.n) % SYNTH.batch, s.slug).toBe(0);
  expect(await countIn(db, sql`select count(*)::int as n from subject s where not exists (select 1 from testimony t where t.subject_id = s.id)`)).toBe(0);
  expect(await countIn(db, sql`select count(*)::int as n from testimony t where not exists (select 1 from testimony_consent c where c.testimony_id = t.id)`)).toBe(0);
  // Facts exactly as the testimonies written imply (a worker without consent to any audience has none).
  expect((await checkFacts()).differing).toEqual([]);
  expect(await countIn(db, sql`select count(*)::int as n from testimony`)).toBe(written);
  expect((await verifyChain(db)).ok).toBe(true);
  return written;
}

/** The same options again: what is there is found present, the rest written. */
async function checkSynthRerun(db: Db, written: number) {
  const again = await generateSynthetic(SYNTH);
  expect(again.present).toBe(written);
  expect(again.written).toBe(SYNTH.workers - written);
  expect(await countIn(db, sql`select count(*)::int as n from testimony`)).toBe(SYNTH.workers);
  expect((await checkFacts()).differing).toEqual([]);
  expect((await verifyChain(db)).ok).toBe(true);
}

const place = (id: string) => ({ table: 'testimony', column: 'narrative', rowId: id });
const plain = (id: string) => `narrative of ${id}, under the old key`;

/** The synth workers (written when missing), ENCRYPTED of them with a narrative under the old key t1, and no rotation yet. */
async function prepareRotation(db: Db) {
  await generateSynthetic(SYNTH);
  const ids = await execRows<{ id: string }>(db, sql`select id from testimony order by id limit ${ENCRYPTED}`);
  expect(ids).toHaveLength(ENCRYPTED);
  const values = ids.map(({ id }) => ({ id, n: encrypt(plain(id), place(id), 't1') }));
  await db.execute(sql`update testimony t set narrative = v.n from json_to_recordset(${JSON.stringify(values)}::json) as v(id uuid, n text) where t.id = v.id`);
  expect(await countIn(db, sql`select count(*)::int as n from audit_event where action = 'keys.rotate'`)).toBe(0);
}

/** keys rotate was killed after `atLeast` values were reported re-encrypted: every value decrypts under one key or the other. */
async function checkRotateKilled(db: Db, atLeast: number) {
  const rows = await execRows<{ id: string; narrative: string }>(db, sql`select id, narrative from testimony where narrative is not null`);
  expect(rows).toHaveLength(ENCRYPTED);
  const byKey = { t1: 0, t2: 0 };
  for (const r of rows) {
    byKey[keyIdOf(r.narrative) as 't1' | 't2'] += 1;
    expect(decrypt(r.narrative, place(r.id))).toBe(plain(r.id));
  }
  expect(byKey.t2).toBeGreaterThanOrEqual(atLeast);
  expect(byKey.t1).toBeGreaterThan(0);
  expect(byKey.t1 + byKey.t2).toBe(ENCRYPTED);
  // Each committed batch wrote its audit event in the same transaction: they account for every re-encrypted value.
  const [logged] = await execRows<{ rows: number }>(db, sql`select coalesce(sum((details->>'rows')::int), 0)::int as rows from audit_event where action = 'keys.rotate'`);
  expect(Number(logged!.rows)).toBe(byKey.t2);
  expect((await verifyChain(db)).ok).toBe(true);
  return byKey;
}

/** Run again: it resumes with what is left under t1. */
async function checkRotateRerun(db: Db, left: number) {
  const resumed = await rotateKeys({ batchSize: 500 });
  expect(resumed.complete).toBe(true);
  expect(resumed.columns.find((c) => c.column === 'testimony.narrative')!.rotated).toBe(left);
  const after = await execRows<{ id: string; narrative: string }>(db, sql`select id, narrative from testimony where narrative is not null`);
  expect(after).toHaveLength(ENCRYPTED);
  for (const r of after) {
    expect(keyIdOf(r.narrative)).toBe('t2');
    expect(decrypt(r.narrative, place(r.id))).toBe(plain(r.id));
  }
  expect((await verifyChain(db)).ok).toBe(true);
}

/** A restore killed mid-way left the target as empty as before; the same restore then completes. */
async function checkRestoreKilled(target: Db, file: string, header: BackupHeader) {
  for (const t of header.tables) {
    const [r] = await execRows<{ n: number }>(target, sql`select count(*)::int as n from ${sql.identifier(t.name)}`);
    expect(Number(r!.n), t.name).toBe(0);
  }
  const result = await restoreBackup(target, file);
  expect(result.rows).toBe(header.tables.reduce((n, t) => n + t.rows, 0));
  expect(await verifyChain(target)).toEqual({ ok: true, count: header.tables.find((t) => t.name === 'audit_event')!.rows + 1 });
}

const synthArgs = ['synth', '--orgs', String(SYNTH.orgs), '--workers', String(SYNTH.workers), '--seed', String(SYNTH.seed), '--batch', String(SYNTH.batch)];
// Killed once at least four batches are committed, long before the 16 batches are.
const SYNTH_KILL_AT = 4 * SYNTH.batch;
const synthProgress = /^synth-\d: [\d,]+\/[\d,]+ workers, ([\d,]+) written/;
const synthWritten = (m: RegExpExecArray) => Number(m[1]!.replaceAll(',', ''));
const ROTATE_KILL_AT = 500;
const rotateProgress = /^testimony\.narrative: \d+ re-encrypted \((\d+) so far\)$/;

const baseEnv = () => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? tmpdir(),
  AUTH_SECRET: process.env.AUTH_SECRET!,
  DATA_KEYS: process.env.DATA_KEYS!,
  AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY!,
  DATA_KEY_CURRENT: 't2',
});

describe.runIf(testDbKind === 'postgres')('kill -9 during long operator commands (PostgreSQL)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    database = await freshDatabase();
    work = mkdtempSync(path.join(tmpdir(), 'ledger-faults-'));
    env = { ...baseEnv(), DATA_DIR: path.join(tmpdir(), 'ledger-faults-unused'), DATABASE_URL: database.url! };
  });
  afterAll(async () => {
    await database?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('synth killed mid-way (PostgreSQL): only whole batches, and a rerun with the same options completes with verifying facts', async () => {
    const child = start(synthArgs);
    child.stdout!.resume();
    await waitFor(child, 'stderr', synthProgress, (m) => synthWritten(m) >= SYNTH_KILL_AT);
    await killNow(child);

    const written = await checkSynthKilled(database.db, SYNTH_KILL_AT);
    await checkSynthRerun(database.db, written);
  });

  it('keys rotate killed mid-way (PostgreSQL): no value lost, every value decrypts, the chain verifies, a second run completes', async () => {
    await prepareRotation(database.db); // on the workers of the synth scenario (written here when run alone)

    const child = start(['keys', 'rotate', '--batch', '100']);
    child.stderr!.resume();
    await waitFor(child, 'stdout', rotateProgress, (m) => Number(m[1]) >= ROTATE_KILL_AT);
    await killNow(child);

    const byKey = await checkRotateKilled(database.db, ROTATE_KILL_AT);
    await checkRotateRerun(database.db, byKey.t1);
  });

  it('restore killed mid-way (PostgreSQL): the target stays empty, and the same restore then completes', async () => {
    await generateSynthetic(SYNTH); // rows enough that the restore is caught half-way
    const file = path.join(work, 'ledger.backup.gz');
    const { header } = await writeBackup(database.db, 'postgres', file);
    const target = await spareDatabase('postgres');
    try {
      env.DATABASE_URL = target.url!;
      const child = start(['restore', file]);
      child.stdout!.resume();
      // The testimonies are in (and checked), their consent, facts and injuries not yet: kill.
      await waitFor(child, 'stderr', /^checked testimony: (\d+) rows$/, () => true);
      await killNow(child);
      await checkRestoreKilled(target.db, file, header);
    } finally {
      env.DATABASE_URL = database.url!;
      await target.drop();
    }
  });
});

/**
 * Opens a PGlite data folder in this process, after its CLI child is gone (never both at once), and makes
 * it the database lib/ uses while `work` runs.
 */
async function inFolder<T>(dataDir: string, body: (db: Db) => Promise<T>): Promise<T> {
  const opened: Database = await openDatabase({ dataDir });
  useDatabase(opened);
  try {
    return await body(opened.db);
  } finally {
    await opened.close();
  }
}

describe.runIf(testDbKind === 'pglite')('kill -9 during long operator commands (PGlite data folder)', { timeout: 120_000 }, () => {
  // One data folder, created by the first command (synth) as an operator's first command would; a restore
  // goes into a folder of its own. Both outlive the tests only until afterAll.
  let folder: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'ledger-faults-'));
    folder = path.join(work, 'data');
    env = { ...baseEnv(), DATA_DIR: folder };
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('synth killed mid-way (PGlite): only whole batches, and a rerun with the same options completes with verifying facts', async () => {
    const child = start(synthArgs);
    child.stdout!.resume();
    await waitFor(child, 'stderr', synthProgress, (m) => synthWritten(m) >= SYNTH_KILL_AT);
    await killNow(child);

    await inFolder(folder, async (db) => {
      const written = await checkSynthKilled(db, SYNTH_KILL_AT);
      await checkSynthRerun(db, written);
    });
  });

  it('keys rotate killed mid-way (PGlite): no value lost, every value decrypts, the chain verifies, a second run completes', async () => {
    await inFolder(folder, prepareRotation); // on the workers of the synth scenario (written here when run alone)

    const child = start(['keys', 'rotate', '--batch', '100']);
    child.stderr!.resume();
    await waitFor(child, 'stdout', rotateProgress, (m) => Number(m[1]) >= ROTATE_KILL_AT);
    await killNow(child);

    await inFolder(folder, async (db) => {
      const byKey = await checkRotateKilled(db, ROTATE_KILL_AT);
      await checkRotateRerun(db, byKey.t1);
    });
  });

  it('restore killed mid-way (PGlite): the new folder holds no restored row, and the same restore then completes', async () => {
    const file = path.join(work, 'ledger.backup.gz');
    const { header } = await inFolder(folder, async (db) => {
      await generateSynthetic(SYNTH); // rows enough that the restore is caught half-way
      return writeBackup(db, 'pglite', file);
    });
    // Into an empty folder, as an operator restores an embedded database: the child creates and migrates it.
    const target = path.join(work, 'restored');
    env.DATA_DIR = target;
    try {
      const child = start(['restore', file]);
      child.stdout!.resume();
      // The testimonies are in (and checked), their consent, facts and injuries not yet: kill.
      await waitFor(child, 'stderr', /^checked testimony: (\d+) rows$/, () => true);
      await killNow(child);
    } finally {
      env.DATA_DIR = folder;
    }
    await inFolder(target, (db) => checkRestoreKilled(db, file, header));
  });
});
