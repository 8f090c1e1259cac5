// The database going away and coming back (issue 8): while PostgreSQL refuses connections, requests
// get 503 in the error shape (never a 500, nothing half-written); once it accepts them again the same
// process serves again, without a restart. Route handlers are called directly with a Bearer token.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as health from '@/app/api/health/route';
import * as list from '@/app/api/v1/testimonies/route';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { orgWithActors } from './actors';
import { freshDatabase, testDbKind, type TestDatabase } from './db';
import { userRow } from './fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const noParams = { params: Promise.resolve({}) };

describe.runIf(testDbKind === 'postgres')('the database away and back', () => {
  let database: TestDatabase;
  let admin: postgres.Sql;
  let token: string;
  let name: string;

  beforeAll(async () => {
    database = await freshDatabase();
    name = new URL(database.url!).pathname.slice(1);
    admin = postgres(process.env.TEST_PG_ADMIN_URL!, { max: 1, onnotice: () => {} });
    const org = await orgWithActors('outage');
    const owner = await userRow(org.caseworker.userId); // read before the transaction: PGlite has one connection
    token = (await inTransaction((tx) => issueToken(tx, null, owner, 'outage', 1))).token;
  });
  afterAll(async () => {
    await admin.unsafe(`alter database ${name} allow_connections true`).catch(() => {});
    await admin.end();
    await database.drop();
  });

  const authed = (init: RequestInit = {}) => ({ ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const listTestimonies = () => (list.GET as Handler)(new Request('http://localhost/api/v1/testimonies', authed()), noParams);
  const createTestimony = () =>
    (list.POST as Handler)(new Request('http://localhost/api/v1/testimonies', authed({ method: 'POST', body: JSON.stringify({ consent: { scopes: ['internal'], method: 'oral' } }) })), noParams);
  const ping = () => (health.GET as Handler)(new Request('http://localhost/api/health'), noParams);

  async function expectUnavailable(res: Response) {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const text = await res.text();
    expect(text).not.toMatch(/\n\s+at |node_modules|select |insert /i);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'unavailable' } });
  }

  it('answers 503 while the database refuses connections, and serves again once it is back', async () => {
    expect((await createTestimony()).status).toBe(201);
    const before = ((await (await listTestimonies()).json()) as { testimonies: unknown[] }).testimonies.length;

    // Away: no new connections, and the open ones are cut.
    await admin.unsafe(`alter database ${name} allow_connections false`);
    await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
    await expectUnavailable(await listTestimonies());
    await expectUnavailable(await createTestimony());
    await expectUnavailable(await listTestimonies());
    expect((await ping()).status).toBe(503);

    // Back: the same process reconnects on its own (a pooled connection cut while away may fail one
    // more request with 503 before it is replaced).
    await admin.unsafe(`alter database ${name} allow_connections true`);
    const answers: number[] = [];
    for (let i = 0; i < 20 && answers.at(-1) !== 200; i++) {
      answers.push((await ping()).status);
      if (answers.at(-1) !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answers.at(-1), `health after the database came back: ${answers.join(', ')}`).toBe(200);
    expect(answers.every((s) => s === 200 || s === 503)).toBe(true);
    const after = await listTestimonies();
    expect(after.status).toBe(200);
    expect(((await after.json()) as { testimonies: unknown[] }).testimonies.length, 'the refused write left nothing behind').toBe(before);
    expect((await createTestimony()).status).toBe(201);
  });
});
