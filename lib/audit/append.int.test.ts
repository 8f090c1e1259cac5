import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { audit, verifyChain } from './index';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe(`appending to the audit chain on ${testDbKind}`, () => {
  it('20 transactions appending at once still form one verifiable chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction(async (tx) => {
          // Work before and after the append widens the window in which appends could interleave.
          await tx.execute(sql`select pg_sleep(0.005)`);
          await audit(tx, null, { action: 'test.concurrent', actorRole: 'operator', details: { i } });
          await tx.execute(sql`select pg_sleep(0.005)`);
          await audit(tx, null, { action: 'test.concurrent.second', actorRole: 'operator', details: { i } });
        }),
      ),
    );
    expect(await verifyChain(database.db)).toEqual({ ok: true, count: 40 });
    const [links] = await execRows<{ n: number }>(database.db, sql`select count(distinct prev_hash)::int as n from audit_event`);
    expect(Number(links?.n)).toBe(40); // no two events claim the same predecessor: no fork
  });

  it('a rolled-back transaction leaves no event and no gap in the chain', async () => {
    const before = await verifyChain(database.db);
    await database.db
      .transaction(async (tx) => {
        await audit(tx, null, { action: 'test.rolled_back', actorRole: 'operator' });
        throw new Error('roll back');
      })
      .catch(() => {});
    await database.db.transaction((tx) => audit(tx, null, { action: 'test.after', actorRole: 'operator' }));
    expect(before.ok).toBe(true);
    expect(await verifyChain(database.db)).toEqual({ ok: true, count: before.count + 1 });
  });

  it('details that JSON stores differently than JavaScript holds them (a Date, undefined) still verify', async () => {
    const before = await verifyChain(database.db);
    await database.db.transaction((tx) =>
      audit(tx, null, {
        action: 'test.details',
        actorRole: 'operator',
        details: { when: new Date('2025-03-01T10:00:00Z'), gone: undefined, list: [1, undefined], nested: { at: new Date(0) } },
      }),
    );
    expect(await verifyChain(database.db)).toEqual({ ok: true, count: (before as { count: number }).count + 1 });
  });

  it('verifies across page boundaries', async () => {
    const { count } = (await verifyChain(database.db)) as { count: number };
    expect(await verifyChain(database.db, 3)).toEqual({ ok: true, count });
  });
});
