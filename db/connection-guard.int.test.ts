// The harness of issue 16: code holding a transaction that asks the pool for another connection fails
// the test at once (it deadlocks a full pool, and PGlite's one connection at the first call).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { connectionViolations, SecondConnectionInTransaction } from './connection-guard';

let database: TestDatabase;
// drizzle wraps a failed query's error as `cause`.
const refused = (e: unknown) => e instanceof SecondConnectionInTransaction || (e as { cause?: unknown }).cause instanceof SecondConnectionInTransaction;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe(`the second-connection detector on ${testDbKind}`, () => {
  it('refuses a query on the pool and a second transaction inside a transaction; the transaction itself and later pool queries go on', async () => {
    const { db } = database;
    const outcome = await db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      const query = await db.execute(sql`select 2`).then(() => 'ran', (e: unknown) => e);
      const second = await db.transaction(async (t) => t.execute(sql`select 3`)).then(() => 'ran', (e: unknown) => e);
      // Work started from the transaction, e.g. a timer, is in its context too.
      const later = await new Promise((resolve) => setTimeout(() => void db.execute(sql`select 4`).then(() => resolve('ran'), resolve), 1));
      await tx.transaction(async (savepoint) => savepoint.execute(sql`select 5`)); // a savepoint: the same connection
      // The driver's own client, as db/bulk.ts uses it: postgres.js a tagged template, PGlite query().
      const client = (db as unknown as { $client: ((s: TemplateStringsArray) => Promise<unknown>) & { query(q: string): Promise<unknown> } }).$client;
      const raw = await (async () => (testDbKind === 'postgres' ? client`select 9` : client.query('select 9')))().then(() => 'ran', (e: unknown) => e);
      return { query, second, later, raw };
    });
    expect([outcome.query, outcome.second, outcome.later, outcome.raw].map(refused)).toEqual([true, true, true, true]);
    expect(connectionViolations.splice(0)).toHaveLength(4); // seen here; test/setup-int.ts fails any other test that leaves one
    await expect(db.execute(sql`select 6`)).resolves.toBeDefined();
    await expect(Promise.all([db.transaction((tx) => tx.execute(sql`select 7`)), db.transaction((tx) => tx.execute(sql`select 8`))])).resolves.toHaveLength(2);
  });
});
