// All or nothing, even when the process dies: a CSV import killed with SIGKILL while it is writing
// leaves no testimony, subject or consent behind, and the audit chain still verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, useDatabase } from '@/db';
import { openDatabase } from '@/db/client';
import { verifyChain } from '@/lib/audit';
import { failAbandonedImports } from '@/lib/testimonies/import-recovery';
import { syntheticCsv } from '@/lib/testimonies/synthetic';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { uniq } from '@/test/fixtures';

const root = path.resolve(import.meta.dirname, '..');
const ROWS = 40_000;

let database: TestDatabase;
let work: string;
let env: Record<string, string>;
let file: string;

// node itself, not the tsx wrapper: SIGKILL cannot be relayed, so it must reach the process doing the work.
const start = (args: string[]) =>
  spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'cli/index.ts', ...args], { cwd: root, env: env as NodeJS.ProcessEnv });

async function cli(args: string[]) {
  const child = start(args);
  child.stdin!.end(); // `user create` reads a password from stdin when it is not a terminal
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const [code] = (await once(child, 'close')) as [number];
  return { code, out };
}

/** Resolves once the child's stderr has shown a line matching `pattern`. */
function waitFor(child: ChildProcess, pattern: RegExp) {
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (c: Buffer) => {
      seen += c.toString();
      const m = pattern.exec(seen);
      if (m) resolve(m[0]);
    });
    child.on('close', (code) => reject(new Error(`the import ended (exit ${code}) before ${pattern}: ${seen.slice(-500)}`)));
  });
}

beforeAll(async () => {
  database = await freshDatabase();
  work = mkdtempSync(path.join(tmpdir(), 'ledger-kill-'));
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    DATA_DIR: path.join(work, 'data'),
    AUTH_SECRET: process.env.AUTH_SECRET!,
    DATA_KEYS: process.env.DATA_KEYS!,
    TMPDIR: path.join(work, 'tmp'), // where the import's spool folder is left behind
    AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY!,
  };
  mkdirSync(env.TMPDIR!);
  // PostgreSQL: the test's fresh database. PGlite: a data folder of the CLI's own, opened here after the kill.
  if (testDbKind === 'postgres') env.DATABASE_URL = database.url!;
  file = path.join(work, 'big.csv');
  const out = createWriteStream(file);
  for (const chunk of syntheticCsv(ROWS, { seed: 7 })) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}, 120_000);

afterAll(async () => {
  await database.drop();
  rmSync(work, { recursive: true, force: true });
});

describe(`kill -9 during a CSV import on ${testDbKind}`, () => {
  it('leaves no partial rows and an intact audit chain; the next start fails the job and removes its spool folder', async () => {
    const slug = `kill-${uniq()}`;
    expect((await cli(['org', 'create', '--slug', slug, '--name', 'Kill test'])).code).toBe(0);
    const email = `cw@${slug}.example`;
    expect((await cli(['user', 'create', '--org', slug, '--email', email, '--role', 'caseworker'])).code).toBe(0);

    const child = start(['import', 'testimonies', '--org', slug, '--as', email, file]);
    child.stdin!.end();
    child.stdout!.resume();
    // At least two batches are inside the open transaction when the process dies.
    await waitFor(child, /writing [2-9]\d{3}\//);
    child.kill('SIGKILL');
    const [, signal] = (await once(child, 'close')) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');

    const opened = testDbKind === 'pglite' ? await openDatabase({ dataDir: env.DATA_DIR! }) : undefined;
    const db = opened?.db ?? database.db;
    try {
      const count = async (table: string) =>
        Number((await execRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = (select id from organisation where slug = ${slug})`))[0]!.n);
      expect(await count('testimony')).toBe(0);
      expect(await count('subject')).toBe(0);
      expect(await count('testimony_consent')).toBe(0);
      expect(await count('testimony_indicator')).toBe(0);
      // The job was caught mid-write: its status was committed before the write transaction began.
      const [job] = await execRows<{ status: string; rows_total: number }>(db, sql`select status, rows_total from import_job order by created_at desc limit 1`);
      expect(job).toEqual({ status: 'writing', rows_total: ROWS });
      expect((await verifyChain(db)).ok).toBe(true);

      // The next start marks the job failed and removes the dead process's spool folder.
      const spools = () => readdirSync(env.TMPDIR!).filter((name) => name.startsWith('ledger-import-')); // tsx keeps its cache there too
      expect(spools()).toEqual([expect.stringMatching(new RegExp(`^ledger-import-${child.pid}-`))]);
      if (opened) useDatabase(opened);
      expect(await failAbandonedImports({ spoolRoot: env.TMPDIR })).toEqual({ jobs: 1, folders: 1 });
      expect(spools()).toEqual([]);
      const [after] = await execRows<{ status: string }>(db, sql`select status from import_job order by created_at desc limit 1`);
      expect(after).toEqual({ status: 'failed' });
    } finally {
      await opened?.close();
    }
    const verify = await cli(['audit', 'verify']);
    expect(verify.out).toMatch(/^ok \d+ events/m);
    expect(verify.code).toBe(0);
  }, 180_000);
});
