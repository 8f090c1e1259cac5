import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consent, testimony } from '@/db/schema';
import { orgWithActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { AUDIENCES, consentCovers, countsFor, rowCountsFor, scopesOf } from './audience';
import { createTestimony } from './index';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe(`the audience rule on ${testDbKind}`, () => {
  it('countsFor (SQL) and rowCountsFor (loaded rows) agree on every status × scope × withdrawal combination', async () => {
    const org = await orgWithActors('aud');
    const statuses = ['draft', 'submitted', 'approved'] as const;
    for (const status of statuses) {
      for (let mask = 0; mask < 16; mask++) {
        for (const withdrawn of [false, true]) {
          const { id } = await createTestimony(org.caseworker, { consent: { scopes: ['internal'], method: 'oral' } });
          await database.db.update(testimony).set({ status }).where(eq(testimony.id, id));
          await database.db
            .update(consent)
            .set({
              internal: !!(mask & 1),
              research: !!(mask & 2),
              publicAggregate: !!(mask & 4),
              publicQuote: !!(mask & 8),
              withdrawnAt: withdrawn ? new Date() : null,
            })
            .where(eq(consent.testimonyId, id));
        }
      }
    }
    const rows = await database.db
      .select({ t: testimony, c: consent })
      .from(testimony)
      .innerJoin(consent, eq(consent.testimonyId, testimony.id))
      .where(eq(testimony.orgId, org.orgId));
    expect(rows).toHaveLength(96);
    for (const audience of AUDIENCES) {
      const bySql = await database.db
        .select({ id: testimony.id })
        .from(testimony)
        .innerJoin(consent, eq(consent.testimonyId, testimony.id))
        .where(and(eq(testimony.orgId, org.orgId), countsFor(audience)));
      const byRows = rows.filter((r) => rowCountsFor(r.t, r.c, audience)).map((r) => r.t.id);
      expect(bySql.map((r) => r.id).sort(), audience).toEqual(byRows.sort());
      expect(byRows).toHaveLength(8); // approved, not withdrawn, this scope's bit set: 8 choices of the other three bits
    }
  });

  it('withdrawal ends every audience; scopesOf lists granted scopes in order', () => {
    const c = { internal: true, research: true, publicAggregate: false, publicQuote: true, withdrawnAt: null };
    expect(scopesOf(c)).toEqual(['internal', 'research', 'public_quote']);
    expect(AUDIENCES.filter((a) => consentCovers(c, a))).toEqual(['internal', 'research', 'public_quote']);
    expect(AUDIENCES.filter((a) => consentCovers({ ...c, withdrawnAt: new Date() }, a))).toEqual([]);
    expect(rowCountsFor({ status: 'submitted' }, c, 'research')).toBe(false);
  });
});
