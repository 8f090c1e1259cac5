// The command line as an operator runs it: a real process, on a real data folder or database.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, type Db } from '@/db';
import { actorForToken } from '@/lib/auth/tokens';
import { verifyPassword } from '@/lib/auth/password';
import { cliHarness, type CliHarness } from '@/test/cli';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { uniq } from '@/test/fixtures';
import { ENGLISH_ENTRIES, ENGLISH_SHIFTS, KOREAN_ENTRIES, POLISH_ENTRIES } from '@/test/source-fixtures';

let database: TestDatabase;
let harness: CliHarness;
let dataDir: string;
let pgliteEnv: Record<string, string>;
const cli = (args: string[], opts?: { stdin?: string; env?: Record<string, string> }) => harness.run(args, opts);
const inCliDatabase = <T>(work: (db: Db) => Promise<T>) => harness.inDatabase(work);

beforeAll(async () => {
  database = await freshDatabase();
  harness = cliHarness(database);
  ({ dataDir, pgliteEnv } = harness);
});
afterAll(async () => {
  await database.drop();
  harness.cleanup();
});

const slug = `ngo-${uniq()}`;
const adminEmail = `Admin-${uniq()}@${slug}.example`;
const password = 'a passphrase typed into a pipe';

describe(`command line on ${testDbKind}`, { timeout: 90_000 }, () => {
  it('--help, no command, and an unknown command need no database', async () => {
    const [help, bare, unknown, badOption] = await Promise.all([cli(['--help']), cli([]), cli(['frobnicate', 'now']), cli(['audit', 'verify', '--bogus'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: /m);
    expect(help.stdout).toMatch(/token create/);
    for (const command of ['aggregate --as', 'facts verify', 'facts rebuild']) expect(help.stdout).toContain(`  ${command}`);
    expect(bare).toMatchObject({ code: 0, stdout: help.stdout });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate now"/);
    expect(unknown.stdout).toBe('');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--bogus/);
  });

  it('org create', async () => {
    const run = await cli(['org', 'create', '--slug', slug, '--name', 'An NGO']);
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(new RegExp(`^created organisation ${slug} \\([0-9a-f-]{36}\\)\\n$`));
    const again = await cli(['org', 'create', '--slug', slug, '--name', 'An NGO']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('sources import: a folder twice creates each report once; the second run names them duplicates', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'ledger-sources-'));
    writeFileSync(path.join(folder, 'en-entries.txt'), ENGLISH_ENTRIES);
    writeFileSync(path.join(folder, 'en-shifts.md'), ENGLISH_SHIFTS.replace(/\n/g, '\r\n'));
    writeFileSync(path.join(folder, 'pl-entries.txt'), POLISH_ENTRIES);
    writeFileSync(path.join(folder, 'ko-entries.html'), `<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>${KOREAN_ENTRIES}</p></body></html>`);
    const manifest = path.join(folder, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ sources: [{ file: 'en-entries.txt', language: 'en', publisher: 'Border Monitor', title: 'Border statistics', published: null }] }));
    const first = await cli(['sources', 'import', '--org', slug, '--manifest', manifest, folder]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/4 files: 4 new, 0 duplicates/);
    expect(first.stdout).toMatch(/new +\S+ pl +\S+pl-entries\.txt/);
    expect(first.stdout).toMatch(/new +\S+ ko +\S+ko-entries\.html/);
    const second = await cli(['sources', 'import', '--org', slug, '--manifest', manifest, folder]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/4 files: 0 new, 4 duplicates/);
    const rows = await inCliDatabase((db) =>
      execRows<{ title: string; publisher: string | null; captured_text: string }>(db, sql`select s.title, s.publisher, s.captured_text from source_report s join organisation o on o.id = s.org_id where o.slug = ${slug} order by s.title`),
    );
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.publisher === 'Border Monitor')?.title).toBe('Border statistics');
    const korean = rows.find((r) => r.captured_text.includes('북한'))!;
    expect(korean.captured_text).not.toMatch(/alert|color/);
    rmSync(folder, { recursive: true, force: true });
  });

  it('user create reads the password from stdin and prints no password', async () => {
    const run = await cli(['user', 'create', '--org', slug, '--email', adminEmail, '--role', 'admin'], { stdin: `${password}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^created user ${adminEmail.toLowerCase().replaceAll('.', '\\.')} \\([0-9a-f-]{36}\\)\\n$`));
    expect(run.stdout).not.toMatch(/password/);
    const hash = await inCliDatabase(async (db) => {
      const [row] = await execRows<{ password_hash: string }>(db, sql`select password_hash from app_user where email = ${adminEmail.toLowerCase()}`);
      return row?.password_hash;
    });
    expect(await verifyPassword(hash!, password)).toBe(true);
  });

  it('user create with nothing on stdin generates a password and shows it once', async () => {
    const email = `caseworker-${uniq()}@${slug}.example`;
    const run = await cli(['user', 'create', '--org', slug, '--email', email, '--role', 'caseworker']);
    expect(run.code).toBe(0);
    const shown = /^password \(shown once\): (\S+)$/m.exec(run.stdout)?.[1];
    expect(shown).toBeDefined();
    const hash = await inCliDatabase(async (db) => {
      const [row] = await execRows<{ password_hash: string }>(db, sql`select password_hash from app_user where email = ${email}`);
      return row?.password_hash;
    });
    expect(await verifyPassword(hash!, shown!)).toBe(true);
  });

  it('user create refuses a bad role with a clear message and exit 1', async () => {
    const run = await cli(['user', 'create', '--org', slug, '--email', `x-${uniq()}@${slug}.example`, '--role', 'boss'], { stdin: `${password}\n` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: role: /);
    for (const role of ['researcher', 'caseworker', 'reviewer', 'admin']) expect(run.stderr).toContain(role);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stdout).toBe('');
  });

  it('token create prints the token alone, and it acts as the user', async () => {
    const run = await cli(['token', 'create', '--email', adminEmail, '--days', '7']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^tl_[A-Za-z0-9_-]{43}\n$/);
    const token = run.stdout.trim();
    const actor = await inCliDatabase((db) => db.transaction((tx) => actorForToken(tx, token)));
    expect(actor).toMatchObject({ email: adminEmail.toLowerCase(), role: 'admin', orgSlug: slug, via: 'token' });

    const nobody = await cli(['token', 'create', '--email', `nobody-${uniq()}@${slug}.example`]);
    expect(nobody.code).toBe(1);
    expect(nobody.stdout).toBe('');
    expect(nobody.stderr).toMatch(/^error: No such active user/);
  });

  it('audit verify: "ok <n> events" on an intact chain; after a row is altered it names the row and fails', async () => {
    const count = await inCliDatabase(async (db) => {
      const [row] = await execRows<{ n: number }>(db, sql`select count(*)::int as n from audit_event`);
      return Number(row?.n);
    });
    expect(count).toBeGreaterThanOrEqual(4); // org, two users, a token
    // --verbose: the same plain answer on stdout, and the command's JSON log lines (debug) on stderr.
    const ok = await cli(['audit', 'verify', '--verbose']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^ok ${count} events; 1 signed checkpoint, the latest at event 1 \\(.+\\); ${count - 1} events after it\\n$`));
    const logLines = ok.stderr.trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string; requestId: string; time: string });
    expect(logLines.map((l) => l.msg)).toEqual(expect.arrayContaining(['command started', 'command finished']));
    expect(new Set(logLines.map((l) => l.level))).toEqual(new Set(['debug']));
    expect(new Set(logLines.map((l) => l.requestId)).size).toBe(1);

    const altered = await inCliDatabase(async (db) => {
      const [row] = await execRows<{ id: number }>(db, sql`select min(id) + 1 as id from audit_event`);
      await db.execute(sql`alter table audit_event disable trigger audit_event_no_update_delete`);
      await db.execute(sql`update audit_event set details = '{"role": "researcher"}' where id = ${row!.id}`);
      await db.execute(sql`alter table audit_event enable trigger audit_event_no_update_delete`);
      return Number(row!.id);
    });
    const broken = await cli(['audit', 'verify']);
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toMatch(new RegExp(`^broken at event ${altered}: .*hash`));
    expect(broken.stdout).not.toMatch(/^ok/);
  });

  it('refuses, saying "in use", while another process holds the embedded data folder', async () => {
    // Alive until killed below, however long the two runs take on a slow machine (a holder that ends
    // on its own leaves a stale pid file, which the command rightly ignores).
    const holder = spawn('sleep', ['3600']);
    try {
      writeFileSync(path.join(dataDir, 'ledger.pid'), String(holder.pid));
      const runs = await Promise.all([
        cli(['audit', 'verify'], { env: pgliteEnv }),
        cli(['org', 'create', '--slug', `other-${uniq()}`, '--name', 'Other'], { env: pgliteEnv }),
      ]);
      for (const run of runs) {
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/in use/);
        expect(run.stderr).toContain(String(holder.pid));
      }
    } finally {
      const exited = new Promise((r) => holder.once('exit', r));
      holder.kill();
      await exited;
    }
    if (testDbKind === 'pglite') {
      // A pid file left by a process that has ended does not lock the folder for ever.
      const run = await cli(['db', 'migrate'], { env: pgliteEnv });
      expect(run).toMatchObject({ code: 0, stdout: 'ok: migrations applied (pglite)\n' });
    }
  });
});
