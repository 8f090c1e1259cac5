// Request limits held in the database: the next request over the limit gets 429 with Retry-After,
// counters are shared by separate connection pools (two instances), and parallel requests are
// counted exactly. Routes are called directly, as in test/api-fuzz.int.test.ts.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { openDatabase, type Database } from '@/db/client';
import * as me from '@/app/api/v1/me/route';
import * as summaryDownload from '@/app/(public)/summaries/[slug]/download/[format]/route';
import * as summaryList from '@/app/api/v1/summaries/route';
import * as summaryOne from '@/app/api/v1/summaries/[slug]/route';
import { attemptSignIn } from '@/lib/auth/sign-in';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { makeOrg, makeUser, PASSWORD, uniq, userRow } from '@/test/fixtures';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { effectiveLimit, RATE_LIMITS, rateKey, sweepRateLimits, takeHit, type RateRule } from './rate-limit';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

const rule = (limit: number, windowSeconds = 60): RateRule => ({ name: `test-${uniq()}`, limit, windowSeconds });
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${uniq()}`;

/** Brings a counter to its limit in one statement: the next request is the first one over it. */
async function fillUp(r: RateRule, subject: string) {
  await database.db.execute(
    sql`insert into rate_limit (key, hits, window_ends_at) values (${rateKey(r, subject)}, ${effectiveLimit(r)}, now() + interval '30 seconds')
        on conflict (key) do update set hits = excluded.hits, window_ends_at = excluded.window_ends_at`,
  );
}

async function expectRateLimited(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(30);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('rate_limited');
  expect(typeof body.error.message).toBe('string');
}

describe('takeHit', () => {
  it('lets the limit through, refuses the next call with the seconds left in the window, and starts over in a new window', async () => {
    const r = rule(3, 60);
    const subject = address();
    const decisions = [];
    const started = Date.now();
    for (let i = 0; i < 5; i++) decisions.push(await takeHit(r, subject, { scale: 1 }));
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions.map((d) => d.hits)).toEqual([1, 2, 3, 4, 5]);
    // The window opened with the first call: what is left of its 60 s when the fourth call is refused
    // (whole seconds, rounded up). Not a fixed 59: on a loaded machine the calls may take seconds.
    expect(decisions[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(60 - elapsedSeconds);
    expect(decisions[3]!.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another subject and another rule have their own counters.
    expect((await takeHit(r, address(), { scale: 1 })).allowed).toBe(true);
    expect((await takeHit(rule(3), subject, { scale: 1 })).allowed).toBe(true);

    await database.db.execute(sql`update rate_limit set window_ends_at = now() - interval '1 second' where key = ${rateKey(r, subject)}`);
    expect(await takeHit(r, subject, { scale: 1 })).toMatchObject({ allowed: true, hits: 1 });
  });

  it('stores a keyed digest, never the address', async () => {
    const subject = `203.0.113.${uniq()}`;
    await takeHit(rule(5), subject, { scale: 1 });
    const rows = await execRows<{ key: string }>(database.db, sql`select key from rate_limit where key like ${`%${subject}%`}`);
    expect(rows).toEqual([]);
  });

  it('counts 50 parallel calls exactly: a limit of 10 lets exactly 10 through', async () => {
    // Its own pool on PostgreSQL, so the calls really run side by side on separate connections.
    const pool = testDbKind === 'postgres' ? await openDatabase({ url: database.url!, poolMax: 25, migrate: false }) : null;
    try {
      const r = rule(10);
      const subject = address();
      const decisions = await Promise.all(Array.from({ length: 50 }, () => takeHit(r, subject, { scale: 1, database: pool?.db })));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      expect(decisions.map((d) => d.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    } finally {
      await pool?.close();
    }
  });

  it.skipIf(testDbKind === 'pglite')('shares one counter between two instances (two connection pools on one database)', async () => {
    const instances: Database[] = [
      await openDatabase({ url: database.url!, poolMax: 5, migrate: false }),
      await openDatabase({ url: database.url!, poolMax: 5, migrate: false }),
    ];
    try {
      const r = rule(4);
      const subject = address();
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await takeHit(r, subject, { scale: 1, database: instances[i % 2]!.db }));
      expect(answers.map((a) => a.allowed)).toEqual([true, true, true, true, false, false]);
      // Both at once, from both instances: still one count.
      const both = await Promise.all(instances.flatMap((inst) => Array.from({ length: 10 }, () => takeHit(r, subject, { scale: 1, database: inst.db }))));
      expect(both.map((a) => a.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 7));
    } finally {
      await Promise.all(instances.map((i) => i.close()));
    }
  });

  it('sweeps counters whose window ended and keeps the others', async () => {
    const old = rule(5);
    const live = rule(5);
    await takeHit(old, 'a', { scale: 1 });
    await takeHit(live, 'a', { scale: 1 });
    await database.db.execute(sql`update rate_limit set window_ends_at = now() - interval '2 minutes' where key = ${rateKey(old, 'a')}`);
    expect(await sweepRateLimits(database.db)).toBeGreaterThanOrEqual(1);
    const left = await execRows<{ key: string }>(database.db, sql`select key from rate_limit where key in (${rateKey(old, 'a')}, ${rateKey(live, 'a')})`);
    expect(left.map((r) => r.key)).toEqual([rateKey(live, 'a')]);
  });
});

describe('limited routes', () => {
  const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
  const publicGet = (path: string, ip: string) => new Request(`http://localhost${path}`, { headers: { 'x-forwarded-for': ip } });

  it('public downloads and the public API answer 429 with Retry-After per client address', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
    await fillUp(RATE_LIMITS.publicRead, ip);
    await expectRateLimited(await summaryList.GET(publicGet('/api/v1/summaries', ip), ctx({})));
    await expectRateLimited(await summaryOne.GET(publicGet('/api/v1/summaries/no-such', ip), ctx({ slug: 'no-such' })));
    await expectRateLimited(await summaryDownload.GET(publicGet('/summaries/no-such.csv', ip), ctx({ slug: 'no-such', format: 'csv' })));
    // Another address is not held back.
    expect((await summaryList.GET(publicGet('/api/v1/summaries', `${ip}0`), ctx({}))).status).toBe(200);
    expect((await summaryDownload.GET(publicGet('/summaries/no-such.json', `${ip}0`), ctx({ slug: 'no-such', format: 'json' }))).status).toBe(404);
  });

  it('an API token over its limit gets 429 with Retry-After; another token goes on', async () => {
    const org = await makeOrg('rate');
    const owner = await userRow((await makeUser(org, 'caseworker')).id);
    const issued = await inTransaction((tx) => issueToken(tx, null, owner, 'busy', 1));
    const other = await inTransaction((tx) => issueToken(tx, null, owner, 'quiet', 1));
    const [row] = await execRows<{ id: string }>(database.db, sql`select id from api_token where name = 'busy' and user_id = ${owner.id}`);
    await fillUp(RATE_LIMITS.apiToken, row!.id);
    const withToken = (t: string) => new Request('http://localhost/api/v1/me', { headers: { authorization: `Bearer ${t}` } });
    await expectRateLimited(await me.GET(withToken(issued.token), ctx({})));
    expect((await me.GET(withToken(other.token), ctx({}))).status).toBe(200);
  });

  it('sign-in attempts from one address over the limit are refused before the password is checked', async () => {
    const org = await makeOrg('rate');
    const user = await makeUser(org, 'researcher');
    const ip = `10.200.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    await fillUp(RATE_LIMITS.signIn, ip);
    const refused = await attemptSignIn({ email: user.email, password: PASSWORD, ip });
    expect(refused).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // The refusal is audited once per window, not once per attempt.
    await attemptSignIn({ email: user.email, password: PASSWORD, ip });
    const audited = await execRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_event where action = 'auth.sign_in.rate_limited'`);
    expect(Number(audited[0]!.n)).toBe(1);
    expect((await attemptSignIn({ email: user.email, password: PASSWORD, ip: `${ip}9` })).ok).toBe(true);
  });
});
