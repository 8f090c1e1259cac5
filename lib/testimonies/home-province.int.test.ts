// Home province is the one field that is for no one (DESIGN.md): stored encrypted like the narrative,
// bound to its subject, under the same key rotation; values stored in clear before are sealed.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { subject, testimony } from '@/db/schema';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { decrypt, isEnvelope, keyIdOf } from '../crypto/envelope';
import { keyStatus, rotateKeys, sealLegacyPlaintext } from '../crypto/rotate';
import { createTestimony } from './index';

let database: TestDatabase;
let a: RoleActors;
const place = (subjectId: string) => ({ table: 'subject', column: 'home_province', rowId: subjectId });

async function provinceOf(testimonyId: string) {
  const [row] = await database.db.select({ id: subject.id, province: subject.homeProvince }).from(subject).innerJoin(testimony, eq(testimony.subjectId, subject.id)).where(eq(testimony.id, testimonyId));
  return row!;
}

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('province');
});
afterAll(() => database.drop());

describe(`home province at rest on ${testDbKind}`, () => {
  it('is stored as an envelope bound to its subject, never in clear', async () => {
    const { id } = await createTestimony(a.caseworker, { subject: { homeProvince: 'North Hamgyong' }, consent: { scopes: ['internal'], method: 'oral' } });
    const row = await provinceOf(id);
    expect(row.province).not.toContain('Hamgyong');
    expect(isEnvelope(row.province!)).toBe(true);
    expect(decrypt(row.province!, place(row.id))).toBe('North Hamgyong');
    // Copied to another subject, it does not open.
    expect(() => decrypt(row.province!, place(crypto.randomUUID()))).toThrow();
    const [dump] = await execRows<{ n: number }>(database.db, sql`select count(*)::int as n from subject where home_province ilike '%hamgyong%'`);
    expect(Number(dump!.n)).toBe(0);
  });

  it('a value stored in clear before is sealed by the start-up migration, and keys rotate covers the column', async () => {
    const { id } = await createTestimony(a.caseworker, { consent: { scopes: ['internal'], method: 'oral' } });
    const { id: subjectId } = await provinceOf(id);
    await database.db.update(subject).set({ homeProvince: 'Ryanggang' }).where(eq(subject.id, subjectId));
    const before = (await keyStatus()).columns.find((c) => c.column === 'subject.home_province');
    expect(before?.byKey).toMatchObject({ '(none)': 1 });

    expect(await sealLegacyPlaintext()).toMatchObject([{ column: 'subject.home_province', sealed: 1 }]);
    const sealed = (await provinceOf(id)).province!;
    expect(isEnvelope(sealed)).toBe(true);
    expect(decrypt(sealed, place(subjectId))).toBe('Ryanggang');
    expect((await keyStatus()).columns.find((c) => c.column === 'subject.home_province')?.byKey).toEqual({ t2: 2 });
    // Nothing left to seal: a second start-up writes nothing.
    expect(await sealLegacyPlaintext()).toEqual([]);

    // Under t1 (an old key), rotation moves it back under the current one.
    await database.db.update(subject).set({ homeProvince: (await import('../crypto/envelope')).encrypt('Ryanggang', place(subjectId), 't1') }).where(eq(subject.id, subjectId));
    const rotated = await rotateKeys();
    expect(rotated.columns.find((c) => c.column === 'subject.home_province')?.rotated).toBe(1);
    const after = (await provinceOf(id)).province!;
    expect(keyIdOf(after)).toBe('t2');
    expect(decrypt(after, place(subjectId))).toBe('Ryanggang');
  });
});
