// Issue 16: ten parallel imports (template row × 1,500) on a pool of 10 stopped the whole instance until a
// restart: every import held a connection in its write transaction and waited for a second one.
// Twenty at once now each get an answer (201, or 429/503 with Retry-After), /api/health answers
// throughout, and no connection is left idle in a transaction. Route handlers called in this process.
import { stringify } from 'csv-stringify/sync';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as health from '@/app/api/health/route';
import * as importRoute from '@/app/api/v1/testimonies/import/route';
import { useDatabase } from '@/db';
import { issueToken } from '@/lib/auth/tokens';
import { env } from '@/lib/env';
import { inTransaction } from '@/lib/scope';
import { templateRows } from '@/lib/testimonies/csv';
import { countRows } from '@/lib/testimonies/import';
import { orgWithActors, type RoleActors } from './actors';
import { spareDatabase, testDbKind, type TestDatabase } from './db';
import { userRow } from './fixtures';

const IMPORTS = 20;
const ORGS = 4; // so that both the organisation's limit and the instance's are reached
const noParams = { params: Promise.resolve({}) };
const sleep = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms));

describe.runIf(testDbKind === 'postgres')(`${IMPORTS} parallel imports with the default pool`, () => {
  let database: TestDatabase;
  let orgs: RoleActors[];
  let tokens: string[];

  beforeAll(async () => {
    database = await spareDatabase('postgres', env.DATABASE_POOL_MAX);
    useDatabase(database);
    orgs = await Promise.all(Array.from({ length: ORGS }, (_, i) => orgWithActors(`par${i}`)));
    tokens = [];
    for (const org of orgs) {
      const owner = await userRow(org.caseworker.userId);
      tokens.push((await inTransaction((tx) => issueToken(tx, null, owner, 'parallel imports', 1))).token);
    }
  });
  afterAll(() => database?.drop());

  it('each is answered within 120 s, health within 2 s throughout, nothing left idle in a transaction', { timeout: 200_000 }, async () => {
    const [header, example] = templateRows();
    const csv = stringify([header!, ...Array<string[]>(1500).fill(example!)]);

    let importing = true;
    const healthMs: number[] = [];
    const probing = (async () => {
      while (importing) {
        const started = performance.now();
        const res = await Promise.race([health.GET(new Request('http://localhost/api/health'), noParams), sleep(10_000)]);
        healthMs.push(res !== 'timeout' && res.status === 200 ? performance.now() - started : Infinity);
        await sleep(200);
      }
    })();

    const answers = await Promise.all(
      Array.from({ length: IMPORTS }, async (_, i) => {
        const req = new Request('http://localhost/api/v1/testimonies/import', {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[i % ORGS]}`, 'content-type': 'text/csv' },
          body: csv,
        });
        const started = performance.now();
        const res = await Promise.race([importRoute.POST(req, noParams), sleep(120_000)]);
        if (res === 'timeout') return { status: 'no answer in 120 s' };
        const body = (await res.json()) as { imported?: number; error?: { code: string } };
        return { status: res.status, seconds: (performance.now() - started) / 1000, retryAfter: res.headers.get('retry-after'), code: body.error?.code, imported: body.imported };
      }),
    );
    importing = false;
    await probing;

    const statuses = answers.map((a) => a.status);
    console.log(`statuses ${JSON.stringify(statuses)}; slowest answer ${Math.max(...answers.map((a) => a.seconds ?? Infinity)).toFixed(1)} s; health probes ${healthMs.length}, slowest ${Math.max(...healthMs).toFixed(0)} ms`);
    expect(statuses.filter((s) => s !== 201 && s !== 429 && s !== 503)).toEqual([]);
    expect(statuses).toContain(201);
    for (const refused of answers.filter((a) => a.status !== 201)) expect(refused).toMatchObject({ retryAfter: expect.stringMatching(/^\d+$/), code: expect.stringMatching(/^(rate_limited|unavailable)$/) });
    expect(healthMs.length).toBeGreaterThan(0);
    expect(healthMs.filter((ms) => ms >= 2000)).toEqual([]);
    // All or nothing: exactly the accepted files were written.
    const written = (await Promise.all(orgs.map((o) => countRows(o.orgId)))).reduce((n, c) => n + c.testimonies, 0);
    expect(written).toBe(1500 * statuses.filter((s) => s === 201).length);

    const admin = postgres(process.env.TEST_PG_ADMIN_URL!, { max: 1, onnotice: () => {} });
    try {
      const stuck = await admin`select pid, state, now() - state_change as for from pg_stat_activity
                                where datname = ${new URL(database.url!).pathname.slice(1)} and state like 'idle in transaction%'`;
      expect(stuck).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
