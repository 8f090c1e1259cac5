// GET /api/v1/aggregates, called with a Bearer token like a client would: who sees which workers,
// suppression in the answer's shape, the k used, the refusals, and the audit of every query.
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as aggregates from '@/app/api/v1/aggregates/route';
import * as openapi from '@/app/api/v1/openapi.json/route';
import { auditEvent } from '@/db/schema';
import { AggregateAnswerOut } from '@/lib/api/schemas';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { approveTestimony, createTestimony, submitTestimony } from '@/lib/testimonies';
import type { NewTestimonyInput } from '@/lib/testimonies/input';
import { orgWithActors, type RoleActors } from './actors';
import { freshDatabase, testDbKind, type TestDatabase } from './db';
import { userRow } from './fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Cell = { by: Record<string, string>; count?: number; value?: number | null; suppressed?: true };
type Answer = { k: number; audience: string; by: string[]; cells: Cell[]; margins: Cell[]; values: Record<string, string[]>; perturbed?: boolean; perturbation?: { maxDeviation: number; variance: number } };

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;
const tokens: Record<string, string> = {};

async function tokenFor(userId: string) {
  const owner = await userRow(userId);
  return (await inTransaction((tx) => issueToken(tx, null, owner, 'aggregates api test', 1))).token;
}

async function call(query: string, token: string, method = 'GET') {
  const headers = { authorization: `Bearer ${token}` };
  const res = await (aggregates[method as 'GET'] as Handler)(new Request(`http://localhost/api/v1/aggregates${query}`, { method, headers }), { params: Promise.resolve({}) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** A 200 answer, checked against the documented schema (strict: a suppressed cell with a count fails). */
async function answer(query: string, token: string): Promise<Answer> {
  const res = await call(query, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  AggregateAnswerOut.parse(res.body);
  return res.body as unknown as Answer;
}

const cellOf = (ans: Answer, by: Record<string, string>) => [...ans.cells, ...ans.margins].find((c) => JSON.stringify(c.by) === JSON.stringify(by));

const D = 5; // CELL_KEY_MAX_DEVIATION's default
/** A researcher's perturbed count: shown (never 1..k−1) and within ±D of the true count, or hidden. */
function expectNear(ans: Answer, by: Record<string, string>, truth: number) {
  const cell = cellOf(ans, by)!;
  expect(cell, JSON.stringify(by)).toBeDefined();
  if (cell.suppressed) return;
  expect(Math.abs(cell.count! - truth), JSON.stringify(by)).toBeLessThanOrEqual(D);
  expect(cell.count === 0 || cell.count! >= ans.k).toBe(true);
}

async function record(org: RoleActors, n: number, site: 'construction' | 'logging' | 'factory', start: string, scopes: NewTestimonyInput['consent']['scopes'] = ['internal', 'research']) {
  for (let i = 0; i < n; i++) {
    const { id } = await createTestimony(org.caseworker, {
      interviewDate: '2025-02-01',
      deployment: { start, region: 'primorsky-krai', siteType: site, visaType: 'student', outcome: 'returned' },
      hours: { shiftStart: '06:00', shiftEnd: '22:00', daysPerWeek: 7 },
      consent: { scopes, method: 'oral' },
    });
    await submitTestimony(org.caseworker, id);
    await approveTestimony(org.reviewer, id);
  }
}

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('agg-api-a');
  b = await orgWithActors('agg-api-b');
  // A: 12 construction and 3 logging in 2023, and 2 more consented for internal use only.
  await record(a, 12, 'construction', '2023-03');
  await record(a, 3, 'logging', '2023-05');
  await record(a, 2, 'construction', '2023-05', ['internal']);
  // B: 7 construction and 6 factory in 2024.
  await record(b, 7, 'construction', '2024-02');
  await record(b, 6, 'factory', '2024-08');
  tokens.researcher = await tokenFor(a.researcher.userId);
  tokens.caseworkerA = await tokenFor(a.caseworker.userId);
  tokens.caseworkerB = await tokenFor(b.caseworker.userId);
  tokens.admin = await tokenFor(a.admin.userId);
}, 240_000);
afterAll(() => database.drop());

describe(`aggregates API on ${testDbKind}`, () => {
  it("a researcher gets every organisation's research-consented workers at k = 5, small cells suppressed", async () => {
    const bySite = await answer('?measure=workers&by=site_type', tokens.researcher!);
    // Perturbed (issue 15): each count within ±D of the truth, said so with the parameters.
    expect(bySite).toMatchObject({ k: 5, audience: 'research', by: ['site_type'], perturbed: true, perturbation: { maxDeviation: D, variance: 4 } });
    expectNear(bySite, { site_type: 'construction' }, 19); // A 12 + B 7
    expectNear(bySite, { site_type: 'logging' }, 3);
    expectNear(bySite, { site_type: 'factory' }, 6);
    expect(cellOf(bySite, { site_type: 'agriculture' })).toEqual({ by: { site_type: 'agriculture' }, count: 0, value: null }); // zeros stay zero
    expect(cellOf(bySite, {})!.count).toBeGreaterThanOrEqual(28 - D); // a total of 28 is always shown
    expectNear(bySite, {}, 28);
    for (const c of [...bySite.cells, ...bySite.margins]) if (c.count !== undefined) expect(c.count === 0 || c.count >= 5).toBe(true);
    // Asked again: the same numbers.
    expect(await answer('?measure=workers&by=site_type', tokens.researcher!)).toEqual(bySite);

    const byYear = await answer('?by=year', tokens.researcher!); // measure defaults to workers
    expectNear(byYear, { year: '2023' }, 15);
    expectNear(byYear, { year: '2024' }, 13);
    // The same workers, the same noise: the 2023 row is the 2023 workers, asked as a period.
    const alone = await answer('?from=2023&to=2023', tokens.researcher!);
    expect(cellOf(alone, {})!.count).toBe(cellOf(byYear, { year: '2023' })!.count);
  });

  it('a suppressed cell is exactly {by, suppressed: true}: no count, no value', async () => {
    // Staff answers are exact, so this table always hides the 3 loggers of 2023 (A: 14 construction, 3 logging).
    const table = await answer('?measure=hours_per_day&by=year&by=site_type', tokens.caseworkerA!);
    expect(table.by).toEqual(['year', 'site_type']);
    const suppressed = [...table.cells, ...table.margins].filter((c) => c.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const c of suppressed) expect(Object.keys(c).sort()).toEqual(['by', 'suppressed']);
    expect(cellOf(table, { year: '2023', site_type: 'logging' })).toEqual({ by: { year: '2023', site_type: 'logging' }, suppressed: true });
    expect(cellOf(table, {})).toEqual({ by: {}, count: 17, value: 16 });
    // The researcher's perturbed table: the same shape for whatever it hides; the median is not perturbed.
    const theirs = await answer('?measure=hours_per_day&by=year&by=site_type', tokens.researcher!);
    for (const c of [...theirs.cells, ...theirs.margins].filter((c) => c.suppressed)) expect(Object.keys(c).sort()).toEqual(['by', 'suppressed']);
    expect(cellOf(theirs, {})!.value).toBe(16);
    expectNear(theirs, {}, 28);
    // The schema refuses a suppressed cell that carries a count.
    expect(() => AggregateAnswerOut.parse({ ...table, cells: [{ by: { year: '2023' }, suppressed: true, count: 3 }] })).toThrow();
  });

  it("a caseworker gets their own organisation's workers (internal consent included), nothing of another", async () => {
    const mine = await answer('?by=year', tokens.caseworkerA!);
    expect(mine).toMatchObject({ k: 5, audience: 'internal', perturbed: false });
    expect(cellOf(mine, {})).toEqual({ by: {}, count: 17, value: null }); // 12 + 3 + 2 internal-only
    expect(mine.values.year).toEqual(['2023']);
    const theirs = await answer('?by=year', tokens.caseworkerB!);
    expect(cellOf(theirs, {})).toEqual({ by: {}, count: 13, value: null });
    expect(theirs.values.year).toEqual(['2024']);
  });

  it('the period narrows the workers counted', async () => {
    const q1 = await answer('?by=site_type&from=2024Q1&to=2024Q1', tokens.researcher!);
    expectNear(q1, {}, 7);
    expect(cellOf(await answer('?by=site_type&from=2024Q1&to=2024Q1', tokens.caseworkerB!), {})).toMatchObject({ count: 7 });
    expect(q1).toMatchObject({ period: { from: '2024Q1', to: '2024Q1' } });
  });

  // No Authorization header at all falls through to the session cookie, which needs Next's request
  // context: e2e/api-tokens-and-headers.spec.ts asks this route without credentials on a real server.
  it('an unknown or malformed token is 401', async () => {
    for (const token of ['tl_not-a-real-token', `tl_${'A'.repeat(43)}`, '']) {
      const res = await call('?by=year', token);
      expect(res.status, token).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('home province is 403 to everyone, by name', async () => {
    for (const token of [tokens.researcher!, tokens.admin!]) {
      const res = await call('?measure=workers&by=home_province', token);
      expect(res.status).toBe(403);
      expect((res.body.error as { message: string }).message).toMatch(/home_province/);
    }
    expect((await call('?by=year&by=home_province', tokens.researcher!)).status).toBe(403);
  });

  it('bad parameters are 422 with issues: unknown measure, free dates, three breakdowns, unknown parameter', async () => {
    const cases: [string, RegExp][] = [
      ['?measure=everything', /^measure: /],
      ['?by=year&from=2024-03-01', /^from: .*free dates/],
      ['?by=year&to=2023-12-31', /^to: /],
      ['?by=year&by=site_type&by=sex', /^by: .*one or two/],
      ['?by=year&by=year', /^by: /],
      ['?by=nonsense', /^by: .*nonsense/],
      // Names every object inherits are unknown like any other, not "for researchers only".
      ['?by=__proto__', /^by: .*__proto__/],
      ['?by=toString', /^by: .*toString/],
      ['?by=constructor', /^by: .*constructor/],
      ['?by=year&from=2024&to=2023', /^to: .*ends before/],
      ['?by=year&region=primorsky-krai', /^: .*region/],
      ['?measure=workers&measure=hours_per_day', /^measure: /],
    ];
    for (const [query, issue] of cases) {
      const res = await call(query, tokens.researcher!);
      expect(res.status, query).toBe(422);
      const error = res.body.error as { code: string; issues?: { path: string; message: string }[] };
      expect(error.code, query).toBe('bad_input');
      expect(error.issues?.length, query).toBeGreaterThan(0);
      expect(error.issues!.map((i) => `${i.path}: ${i.message}`).some((i) => issue.test(i)), `${query}: ${JSON.stringify(error.issues)}`).toBe(true);
    }
  });

  it('other methods are 405', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await call('?by=year', tokens.researcher!, method);
      expect(res.status, method).toBe(405);
      expect(res.body).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
  });

  it('every query is written to the audit log with its parameters', async () => {
    await answer('?measure=share_withheld&by=federal_district&by=site_type&from=2023&to=2024Q2', tokens.researcher!);
    const [event] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'aggregate.query'), eq(auditEvent.actorId, a.researcher.userId)))
      .orderBy(desc(auditEvent.id))
      .limit(1);
    expect(event?.details).toEqual({ measure: 'share_withheld', by: ['federal_district', 'site_type'], from: '2023', to: '2024Q2', audience: 'research', k: 5, perturbed: true, newTable: true, via: 'token' });
    // A refused question leaves no answer and no event claiming one.
    const before = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'aggregate.query'));
    await call('?by=home_province', tokens.researcher!);
    expect(await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'aggregate.query'))).toHaveLength(before.length);
  });

  it('the OpenAPI document describes the route, its parameters and the answer', async () => {
    const res = await (openapi.GET as Handler)(new Request('http://localhost/api/v1/openapi.json'), { params: Promise.resolve({}) });
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, { security: unknown; parameters: { name: string; schema: Record<string, unknown> }[]; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; anyOf?: unknown[] }> };
    };
    const get = doc.paths['/api/v1/aggregates']!.get!;
    expect(get.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(get.responses).sort()).toEqual(['200', '401', '403', '422', '429']);
    const params = Object.fromEntries(get.parameters.map((p) => [p.name, p]));
    expect(Object.keys(params).sort()).toEqual(['by', 'from', 'measure', 'to']);
    expect(params.measure!.schema.enum).toContain('share_withheld');
    expect(params.by!.schema).toMatchObject({ type: 'array', maxItems: 2, items: { enum: expect.arrayContaining(['year', 'site_type', 'sex']) } });
    expect((params.by!.schema.items as { enum: string[] }).enum).not.toContain('home_province');
    expect(new RegExp(params.from!.schema.pattern as string).test('2024Q2')).toBe(true);
    expect(new RegExp(params.from!.schema.pattern as string).test('2024-03-01')).toBe(false);
    expect(Object.keys(doc.components.schemas.AggregateAnswer!.properties!)).toEqual(expect.arrayContaining(['k', 'cells', 'margins']));
    expect(doc.components.schemas.AggregateCell!.anyOf).toHaveLength(2);
    // Every $ref points at something the document defines.
    for (const ref of JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []) {
      const pointer = ref.slice(8, -1);
      const target = pointer
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, pointer).toBeDefined();
    }
  });
});
