// `aggregate` and `facts verify|rebuild` as an operator runs them: a real process, on a real data folder or database.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { AggregateAnswerOut } from '@/lib/api/schemas';
import { approveTestimony, createTestimony, submitTestimony } from '@/lib/testimonies';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { cliHarness, type CliHarness } from '@/test/cli';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';

let database: TestDatabase;
let harness: CliHarness;
let a: RoleActors;
let b: RoleActors;
const cli = (args: string[]) => harness.run(args);

async function record(org: RoleActors, n: number, site: 'construction' | 'logging' | 'factory', start: string) {
  for (let i = 0; i < n; i++) {
    const { id } = await createTestimony(org.caseworker, {
      interviewDate: '2025-02-01',
      deployment: { start, region: 'primorsky-krai', siteType: site, visaType: 'student', outcome: 'returned' },
      hours: { shiftStart: '06:00', shiftEnd: '22:00', daysPerWeek: 7 },
      consent: { scopes: ['internal', 'research'], method: 'oral' },
    });
    await submitTestimony(org.caseworker, id);
    await approveTestimony(org.reviewer, id);
  }
}

const SUBJECTS = 28;

beforeAll(async () => {
  database = await freshDatabase();
  harness = cliHarness(database);
  await harness.withLib(async () => {
    a = await orgWithActors('cli-agg-a');
    b = await orgWithActors('cli-agg-b');
    await record(a, 12, 'construction', '2023-03');
    await record(a, 3, 'logging', '2023-05');
    await record(b, 7, 'construction', '2024-02');
    await record(b, 6, 'factory', '2024-08');
  });
}, 240_000);
afterAll(async () => {
  await database.drop();
  harness.cleanup();
});

type Cell = { by: Record<string, string>; count?: number; suppressed?: true };
const cellOf = (answer: { cells: Cell[]; margins: Cell[] }, by: Record<string, string>) => [...answer.cells, ...answer.margins].find((c) => JSON.stringify(c.by) === JSON.stringify(by));

describe(`aggregate and facts commands on ${testDbKind}`, { timeout: 180_000 }, () => {
  it('aggregate as a researcher prints the answer as JSON with k, every organisation counted, small cells suppressed; it is audited', async () => {
    const run = await cli(['aggregate', '--as', a.researcher.email, '--measure', 'workers', '--by', 'site_type', '--by', 'year', '--from', '2023', '--to', '2024Q4']);
    expect(run.code).toBe(0);
    // Perturbed (issue 15): said in the JSON and, in English and Korean, on the terminal.
    expect(run.stderr).toMatch(/^note: Researchers’ counts are perturbed: .*±5 .*Totals therefore do not equal the sum of their cells\.[^\n]*\n참고: .*합계는 칸들의 합과 같지 않습니다\./);
    const answer = AggregateAnswerOut.parse(JSON.parse(run.stdout));
    expect(answer).toMatchObject({ k: 5, audience: 'research', by: ['site_type', 'year'], period: { from: '2023', to: '2024Q4' }, perturbed: true, perturbation: { maxDeviation: 5, variance: 4 } });
    const near = (by: Record<string, string>, truth: number) => {
      const cell = cellOf(answer, by)!;
      if (cell.count !== undefined) expect(Math.abs(cell.count - truth), JSON.stringify(by)).toBeLessThanOrEqual(5);
    };
    near({ site_type: 'construction' }, 19); // A 12 + B 7
    near({ site_type: 'logging', year: '2023' }, 3);
    expect(cellOf(answer, {})!.count).toBeGreaterThanOrEqual(SUBJECTS - 5);
    near({}, SUBJECTS);
    for (const c of [...answer.cells, ...answer.margins]) if ('count' in c) expect(c.count === 0 || c.count >= 5).toBe(true);
    const events = await harness.inDatabase((db) =>
      execRows<{ details: Record<string, unknown> }>(db, sql`select details from audit_event where action = 'aggregate.query' and actor_id = ${a.researcher.userId}`),
    );
    expect(events.map((e) => e.details)).toEqual([{ measure: 'workers', by: ['site_type', 'year'], from: '2023', to: '2024Q4', audience: 'research', k: 5, perturbed: true, newTable: true }]);
  });

  it("aggregate as a caseworker (with or without --org) gives that organisation's workers only", async () => {
    for (const args of [['--as', b.caseworker.email], ['--org', b.slug, '--as', b.caseworker.email]]) {
      const run = await cli(['aggregate', ...args, '--by', 'year']);
      expect(run.code).toBe(0);
      const answer = AggregateAnswerOut.parse(JSON.parse(run.stdout));
      expect(answer.audience).toBe('internal');
      expect(answer.values.year).toEqual(['2024']);
      expect(cellOf(answer, {})).toMatchObject({ count: 13 });
    }
    const wrongOrg = await cli(['aggregate', '--org', a.slug, '--as', b.caseworker.email]);
    expect(wrongOrg.code).toBe(1);
    expect(wrongOrg.stderr).toMatch(/^error: No such active user .* in organisation/);
  });

  it('aggregate refuses with a message and exit 1: home province, a bad period, a disabled user, no user', async () => {
    const province = await cli(['aggregate', '--as', a.researcher.email, '--by', 'home_province']);
    expect(province).toMatchObject({ code: 1, stdout: '' });
    expect(province.stderr).toMatch(/^error: Breaking down by home_province is not allowed to anyone/);
    const freeDates = await cli(['aggregate', '--as', a.researcher.email, '--from', '2024-03-01']);
    expect(freeDates).toMatchObject({ code: 1, stdout: '' });
    expect(freeDates.stderr).toMatch(/^error: from: .*free dates/);

    expect((await cli(['user', 'disable', '--email', b.researcher.email])).code).toBe(0);
    const disabled = await cli(['aggregate', '--as', b.researcher.email]);
    expect(disabled).toMatchObject({ code: 1, stdout: '' });
    expect(disabled.stderr).toMatch(/^error: No such active user/);
    const noUser = await cli(['aggregate', '--by', 'year']);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/--as is required/);
  });

  it('facts verify says ok; after facts are tampered with it names the subjects and fails; facts rebuild fixes them; verify says ok again', async () => {
    expect(await cli(['facts', 'verify'])).toMatchObject({ code: 0, stdout: `ok ${SUBJECTS} subjects\n` });

    // One subject loses its research row, another gets a wrong figure; batches of 5 cover the whole table in six transactions.
    const tampered = await harness.inDatabase(async (db) => {
      const rows = await execRows<{ subject_id: string }>(db, sql`select subject_id from subject_fact where audience = 'research' order by subject_id`);
      const [first, last] = [rows[0]!.subject_id, rows[rows.length - 1]!.subject_id];
      await db.execute(sql`delete from subject_fact where subject_id = ${first} and audience = 'research'`);
      await db.execute(sql`update subject_fact set hours_per_day = 3 where subject_id = ${last}`);
      return [first, last].sort();
    });
    const differs = await cli(['facts', 'verify', '--batch', '5']);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toMatch(new RegExp(`^2 of ${SUBJECTS} subjects differ from their testimonies; run "facts rebuild"\\n`));
    expect([...differs.stdout.matchAll(/^differs: subject (\S+)$/gm)].map((m) => m[1]).sort()).toEqual(tampered);

    const rebuilt = await cli(['facts', 'rebuild', '--batch', '5']);
    expect(rebuilt).toMatchObject({ code: 0, stdout: `fixed 2 subjects (${SUBJECTS} checked)\n` });
    expect(await cli(['facts', 'verify'])).toMatchObject({ code: 0, stdout: `ok ${SUBJECTS} subjects\n` });

    const after = await harness.inDatabase(async (db) => ({
      restored: await execRows<{ n: number }>(db, sql`select count(*)::int as n from subject_fact where subject_id = ${tampered[0]!} or subject_id = ${tampered[1]!}`),
      wrong: await execRows<{ n: number }>(db, sql`select count(*)::int as n from subject_fact where hours_per_day = 3`),
      audited: await execRows<{ details: { subjects: number } }>(db, sql`select details from audit_event where action = 'facts.rebuild'`),
    }));
    expect(Number(after.restored[0]!.n)).toBe(4); // internal and research for each
    expect(Number(after.wrong[0]!.n)).toBe(0);
    expect(after.audited.reduce((sum, e) => sum + e.details.subjects, 0)).toBe(2);
    expect(await cli(['audit', 'verify'])).toMatchObject({ code: 0 });
  });
});
