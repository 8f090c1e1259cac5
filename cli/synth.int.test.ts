// `npm run cli -- synth` as an operator runs it: progress on stderr, a summary on stdout, the rows in
// the database, one audit event per run, a second run that finds everything present.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { cliHarness, type CliHarness } from '@/test/cli';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';

let database: TestDatabase;
let harness: CliHarness;

beforeAll(async () => {
  database = await freshDatabase();
  harness = cliHarness(database);
});
afterAll(async () => {
  await database.drop();
  harness.cleanup();
});

describe(`synth on the command line (${testDbKind})`, { timeout: 300_000 }, () => {
  it('writes the workers in batches with progress, then finds them present on a second run', async () => {
    const run = await harness.run(['synth', '--orgs', '2', '--workers', '60', '--seed', '5', '--batch', '25']);
    expect(run.code, run.stderr).toBe(0);
    // Batches may finish out of order on PostgreSQL (two are written at once): check each organisation
    // reports progress and that the last report counts every worker.
    expect(run.stderr).toMatch(/^synth-1: \d+\/60 workers, \d+ written, /m);
    expect(run.stderr).toMatch(/^synth-2: \d+\/60 workers, \d+ written, /m);
    expect(run.stderr).toMatch(/^synth-\d: 60\/60 workers, 60 written, /m);
    expect(run.stdout).toMatch(/^synthetic data: 60 workers written, 0 already present, in [\d.]+ s \(60 testimonies, \d+ injuries, \d+ indicator answers, \d+ facts\)$/m);
    expect(run.stdout).toMatch(/^ {2}synth-1 \([0-9a-f-]{36}\): 30 workers, 30 written now$/m);
    const again = await harness.run(['synth', '--orgs', '2', '--workers', '60', '--seed', '5']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^synthetic data: 0 workers written, 60 already present/m);
    const counts = await harness.inDatabase(async (db) => ({
      subjects: await execRows<{ slug: string; n: number }>(db, sql`select o.slug, count(*)::int as n from subject s join organisation o on o.id = s.org_id group by 1 order by 1`),
      events: await execRows<{ actor_role: string; details: { written: number } }>(db, sql`select actor_role, details from audit_event where action = 'synth.generate' order by id`),
    }));
    expect(counts.subjects).toEqual([
      { slug: 'synth-1', n: 30 },
      { slug: 'synth-2', n: 30 },
    ]);
    expect(counts.events.map((e) => [e.actor_role, e.details.written])).toEqual([
      ['operator', 60],
      ['operator', 0],
    ]);
  });

  it('refuses bad options with a message: missing (exit 2) or out of range (exit 1)', async () => {
    const missing = await harness.run(['synth', '--orgs', '2', '--workers', '10']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--seed is required/);
    const negative = await harness.run(['synth', '--orgs', '2', '--workers', '10', '--seed', '4294967296']);
    expect(negative.code).toBe(1);
    expect(negative.stderr).toMatch(/^error: seed: /m);
  });

  it('is described in --help, with no narratives', async () => {
    const help = await harness.run(['--help']);
    expect(help.stdout).toMatch(/synth --orgs <n> --workers <n> --seed <n>/);
    expect(help.stdout).toMatch(/narratives and notes are left empty/);
  });
});
