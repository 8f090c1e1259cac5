import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseError, freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { audit, verifyChain } from './index';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
  for (let i = 0; i < 5; i++) {
    await database.db.transaction((tx) => audit(tx, null, { action: 'test.event', actorRole: 'operator', details: { i, nested: { b: 1, a: [1, 2] } } }));
  }
});
afterAll(() => database.drop());

describe(`audit log on ${testDbKind}`, () => {
  it('verifies a clean chain', async () => {
    expect(await verifyChain(database.db)).toEqual({ ok: true, count: 5 });
  });

  it('refuses UPDATE', async () => {
    expect(await databaseError(database.db.execute(sql`update audit_event set action = 'x'`))).toMatch(/append-only: UPDATE refused/);
  });

  it('refuses DELETE', async () => {
    expect(await databaseError(database.db.execute(sql`delete from audit_event`))).toMatch(/append-only: DELETE refused/);
  });

  it('refuses TRUNCATE', async () => {
    expect(await databaseError(database.db.execute(sql`truncate audit_event`))).toMatch(/append-only: TRUNCATE refused/);
  });

  it('detects a row altered with the trigger disabled, naming it', async () => {
    await database.db.execute(sql`alter table audit_event disable trigger audit_event_no_update_delete`);
    await database.db.execute(sql`update audit_event set details = '{"i": 99}' where id = (select min(id) + 2 from audit_event)`);
    await database.db.execute(sql`alter table audit_event enable trigger audit_event_no_update_delete`);
    const result = await verifyChain(database.db);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.count).toBe(2);
      expect(result.reason).toMatch(/hash/);
    }
  });
});
