// Backup and restore round trip: a populated database (the demo: organisations, actors, testimonies
// with narratives, consent, sources and claims, a published summary, the aggregate facts, plus a
// quote, a withdrawn consent, a draft and values under two data keys) is backed up, restored into a
// fresh database and compared table by table, row by row; the audit chain verifies. A tampered or
// truncated file and a non-empty target are refused with nothing written; a restore without one
// of the keys keeps every row and says which key the narratives wait for.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, type Db } from '@/db';
import { appUser, testimony } from '@/db/schema';
import { verifyChain } from '@/lib/audit';
import { decrypt, encrypt } from '@/lib/crypto/envelope';
import { seedDemoIfEmpty } from '@/lib/demo/seed';
import { approveQuote, proposeQuote } from '@/lib/testimonies/quotes';
import { saveFormDraft } from '@/lib/testimonies/drafts';
import { withdrawConsent } from '@/lib/testimonies';
import { actorOf } from '@/test/fixtures';
import { freshDatabase, spareDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { BackupRefused, missingKeyIds, restoreBackup, writeBackup, type BackupHeader } from './index';

const root = path.resolve(import.meta.dirname, '../..');
let source: TestDatabase;
let work: string;
let file: string;
let header: BackupHeader;
const spares: TestDatabase[] = [];

const narrativePlace = (id: string) => ({ table: 'testimony', column: 'narrative', rowId: id });
let oldKeyTestimony: { id: string; narrative: string };

async function spare(kind?: 'pglite' | 'postgres') {
  const d = await spareDatabase(kind);
  spares.push(d);
  return d;
}

/** Every table of the public schema, as the database lists it (not as the backup does). */
async function tableNames(db: Db) {
  const rows = await execRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
  );
  return rows.map((r) => r.name);
}

/** A table's rows in one stable order; audit events only up to `maxAudit`. */
async function rowsOf(db: Db, table: string, maxAudit: number, asJson = false) {
  const where = table === 'audit_event' ? sql`where id <= ${maxAudit}` : sql``;
  const t = sql.identifier(table);
  if (asJson) return execRows<{ r: string }>(db, sql`select row_to_json(t)::text as r from ${t} t ${where} order by t::text collate "C"`);
  return execRows<Record<string, unknown>>(db, sql`select * from ${t} t ${where} order by t::text collate "C"`);
}

async function sameTables(from: Db, to: Db, asJson = false) {
  const names = await tableNames(from);
  expect(await tableNames(to)).toEqual(names);
  expect(header.tables.map((t) => t.name).sort()).toEqual(names);
  const auditRows = header.tables.find((t) => t.name === 'audit_event')!.rows;
  let compared = 0;
  for (const name of names) {
    const a = await rowsOf(from, name, auditRows, asJson);
    const b = await rowsOf(to, name, auditRows, asJson);
    expect(b.length, name).toBe(header.tables.find((t) => t.name === name)!.rows);
    expect(b, name).toEqual(a);
    compared += a.length;
  }
  return compared;
}

async function isEmpty(db: Db) {
  for (const name of await tableNames(db)) {
    const [r] = await execRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(name)}`);
    expect(r!.n, name).toBe(0);
  }
}

beforeAll(async () => {
  source = await freshDatabase();
  work = mkdtempSync(path.join(tmpdir(), 'ledger-backup-'));
  file = path.join(work, 'ledger.backup.gz');
  await seedDemoIfEmpty(source.db);
  const [cw] = await source.db.select().from(appUser).where(eq(appUser.email, 'caseworker@haven.example'));
  const [rv] = await source.db.select().from(appUser).where(eq(appUser.email, 'reviewer@haven.example'));
  const caseworker = await actorOf(cw!.id);
  const reviewer = await actorOf(rv!.id);
  const withNarrative = await execRows<{ id: string; narrative: string }>(
    source.db,
    sql`select id, narrative from testimony where org_id = ${cw!.orgId} and narrative is not null order by id limit 3`,
  );
  // A quote, a withdrawn consent, a draft: more encrypted columns.
  const first = withNarrative[0]!;
  const text = decrypt(first.narrative, narrativePlace(first.id));
  const q = await proposeQuote(caseworker, first.id, text.split(/(?<=\.)\s/)[0]!);
  await approveQuote(reviewer, q.id, { redactedText: q.redactedText }).catch(() => undefined); // the demo's consent may not allow public quotes: a proposed quote is enough
  await withdrawConsent(caseworker, withNarrative[1]!.id, 'asked by phone to withdraw');
  await saveFormDraft(caseworker, 'new', [['region', 'primorsky-krai']]);
  // One narrative still under the old key t1 (the rest under t2): a restore needs both.
  const old = withNarrative[2]!;
  oldKeyTestimony = { id: old.id, narrative: decrypt(old.narrative, narrativePlace(old.id)) };
  await source.db.update(testimony).set({ narrative: encrypt(oldKeyTestimony.narrative, narrativePlace(old.id), 't1') }).where(eq(testimony.id, old.id));

  ({ header } = await writeBackup(source.db, testDbKind, file));
}, 300_000);

afterAll(async () => {
  for (const d of spares) await d.drop();
  await source?.drop();
  rmSync(work, { recursive: true, force: true });
});

describe(`backup and restore on ${testDbKind}`, { timeout: 60_000 }, () => {
  it('restores every table row by row into a fresh database, with a verifying audit chain and readable narratives', async () => {
    expect(header.secrets.included).toBe(false);
    expect(header.keyIds.t1).toBe(1);
    expect(header.keyIds.t2).toBeGreaterThan(40);
    expect(header.tables.find((t) => t.name === 'subject_fact')!.rows).toBeGreaterThan(0);
    expect(header.tables.find((t) => t.name === 'testimony_quote')!.rows).toBe(1);
    // The key material itself is nowhere in the file.
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    for (const part of process.env.DATA_KEYS!.split(',')) expect(text).not.toContain(part.split(':')[1]);
    expect(text).not.toContain(process.env.AUTH_SECRET);

    const target = await spare();
    const result = await restoreBackup(target.db, file);
    expect(result.missingKeys).toEqual([]);
    const compared = await sameTables(source.db, target.db);
    expect(compared).toBe(result.rows);
    expect(compared).toBeGreaterThan(1000);

    // The chain: the restored events verbatim, then the restore itself appended (the sequence continued).
    const chain = await verifyChain(target.db);
    const auditRows = header.tables.find((t) => t.name === 'audit_event')!.rows;
    expect(chain).toEqual({ ok: true, count: auditRows + 1 });
    const [last] = await execRows<{ id: number; action: string }>(target.db, sql`select id, action from audit_event order by id desc limit 1`);
    expect(last!.action).toBe('backup.restore');
    expect(Number(last!.id)).toBe(Number((await execRows<{ m: number }>(source.db, sql`select max(id) as m from audit_event where action <> 'backup.create'`))[0]!.m) + 1);

    // Narratives come back as the same ciphertext, and open with the keys.
    const [row] = await target.db.select({ narrative: testimony.narrative }).from(testimony).where(eq(testimony.id, oldKeyTestimony.id));
    expect(decrypt(row!.narrative!, narrativePlace(oldKeyTestimony.id))).toBe(oldKeyTestimony.narrative);

    // Only into an empty database.
    await expect(restoreBackup(target.db, file)).rejects.toThrow(/not empty/);
  });

  it('refuses a tampered or truncated backup and writes nothing', async () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    // One character of one testimony row changed, the JSON still valid.
    const at = lines.findIndex((l, i) => i > 0 && l.startsWith('{') && l.includes('"interview_language":"ko"'));
    expect(at).toBeGreaterThan(0);
    const tampered = [...lines];
    tampered[at] = tampered[at]!.replace('"interview_language":"ko"', '"interview_language":"en"');
    const bad = path.join(work, 'tampered.gz');
    writeFileSync(bad, gzipSync(tampered.join('\n')));
    const target = await spare();
    const err = await restoreBackup(target.db, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupRefused);
    expect((err as Error).message).toMatch(/table testimony: its rows do not match .*altered or damaged/);
    await isEmpty(target.db);

    // A row the database cannot take: refused in the same words, without the row in the message.
    const broken = [...lines];
    broken[at] = broken[at]!.replace('"interview_language":"ko"', '"interview_language":"ko",,');
    const brokenFile = path.join(work, 'broken.gz');
    writeFileSync(brokenFile, gzipSync(broken.join('\n')));
    const refused = (await restoreBackup(target.db, brokenFile).catch((e: unknown) => e)) as Error;
    expect(refused).toBeInstanceOf(BackupRefused);
    expect(refused.message).toMatch(/^table testimony: the database refuses the backup's rows \(.+\): the file was altered or damaged; nothing was restored$/);
    expect(refused.message).not.toContain('v1.t');
    await isEmpty(target.db);

    const cut = path.join(work, 'cut.gz');
    writeFileSync(cut, gzipSync(lines.slice(0, lines.length - 3).join('\n')));
    await expect(restoreBackup(target.db, cut)).rejects.toThrow(BackupRefused);
    const half = path.join(work, 'half.gz');
    const whole = readFileSync(file);
    writeFileSync(half, whole.subarray(0, Math.floor(whole.length * 0.7)));
    await expect(restoreBackup(target.db, half)).rejects.toThrow(/cut short|not a readable backup|SHA-256/);
    // A backup from another schema version (one migration fewer) or with other columns.
    const older = JSON.parse(lines[0]!) as BackupHeader;
    older.schema = { ...older.schema, migrations: older.schema.migrations - 1, lastHash: 'x' };
    const olderFile = path.join(work, 'older.gz');
    writeFileSync(olderFile, gzipSync([JSON.stringify(older), ...lines.slice(1)].join('\n')));
    await expect(restoreBackup(target.db, olderFile)).rejects.toThrow(/backup was made at schema \d+ migrations.*Restore it with the version of the app that made it/);
    const renamed = JSON.parse(lines[0]!) as BackupHeader;
    renamed.tables.find((t) => t.name === 'testimony')!.columns[1]!.name = 'organisation';
    const renamedFile = path.join(work, 'renamed.gz');
    writeFileSync(renamedFile, gzipSync([JSON.stringify(renamed), ...lines.slice(1)].join('\n')));
    await expect(restoreBackup(target.db, renamedFile)).rejects.toThrow(/table testimony: the backup's columns differ/);
    await isEmpty(target.db);
  });

  it('names the data keys a restore needs and DATA_KEYS lacks', async () => {
    expect(missingKeyIds(header.keyIds, ['t2'])).toEqual(['t1']);
    expect(missingKeyIds(header.keyIds, [])).toEqual(['t1', 't2']);
    expect(missingKeyIds(header.keyIds, ['t1', 't2', 't3'])).toEqual([]);
  });

  // One process spawned: on PostgreSQL only (the embedded database's restore is the same code, above).
  it.runIf(testDbKind === 'postgres')('restores without a key through the command line: rows intact, a clear warning naming the missing key', async () => {
    const t2Only = process.env.DATA_KEYS!.split(',').filter((p) => p.startsWith('t2:')).join(',');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      DATA_DIR: path.join(work, 'unused'),
      AUTH_SECRET: process.env.AUTH_SECRET!,
      DATA_KEYS: t2Only,
      AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY!,
      DATA_KEY_CURRENT: 't2',
    };
    const target = await spare();
    env.DATABASE_URL = target.url!;
    const cli = async (args: string[]) => {
      const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'cli/index.ts', ...args], { cwd: root, env: env as NodeJS.ProcessEnv });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const [code] = (await once(child, 'close')) as [number];
      return { code, out };
    };
    const { code, out } = await cli(['restore', file]);
    expect(out).toMatch(/^restored \d+ rows in \d+ tables .*every table matched its SHA-256$/m);
    expect(out).toMatch(/^audit chain: ok \d+ events$/m);
    expect(out).toMatch(/^warning: data restored intact, but 1 encrypted values .* are unreadable until data key "t1" is in DATA_KEYS \(embedded: DATA_DIR\/secrets\.json\)$/m);
    expect(out).not.toMatch(/"t2"/);
    expect(code).toBe(0);
    // Reading the value needs the key: the one command that decrypts everything says which, and changes nothing.
    const rotate = await cli(['keys', 'rotate']);
    expect(rotate.out).toMatch(/cannot re-encrypt testimony\.narrative of row [0-9a-f-]{36}: data key "t1" is not configured \(DATA_KEYS\)/);
    expect(rotate.code).toBe(1);

    await sameTables(source.db, target.db);
  }, 60_000);

  // Across databases (PostgreSQL 15 server, PGlite's PostgreSQL 18): the same rows, as JSON text.
  const other = testDbKind === 'postgres' ? 'pglite' : 'postgres';
  it.runIf(other === 'pglite' || !!process.env.TEST_PG_ADMIN_URL)(`restores a ${testDbKind} backup into ${other}, the same rows`, async () => {
    const target = await spare(other);
    await restoreBackup(target.db, file);
    await sameTables(source.db, target.db, true);
    expect((await verifyChain(target.db)).ok).toBe(true);
  });
});
