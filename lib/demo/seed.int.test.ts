import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsByQuestion } from '@/lib/claims';
import { searchSources } from '@/lib/sources';
import { actorOf } from '@/test/fixtures';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { appUser } from '@/db/schema';
import { eq } from 'drizzle-orm';
import { seedDemoIfEmpty } from './seed';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.drop());

describe(`demo seed on ${testDbKind}`, () => {
  it('adds five public paraphrased reports with claims side by side, once', async () => {
    expect((await seedDemoIfEmpty(database.db)).length).toBe(8);
    const [cw] = await database.db.select().from(appUser).where(eq(appUser.email, 'caseworker@haven.example'));
    const actor = await actorOf(cw!.id);
    const { sources } = await searchSources(actor, {});
    expect(sources).toHaveLength(5);
    expect(sources.every((s) => s.visibility === 'public')).toBe(true);
    const [entries] = await claimsByQuestion(actor, { question: 'north-korean-entries-to-russia' });
    expect(entries!.claims.length).toBe(3);
    expect(entries!.claims.some((c) => c.agreement === 'differs')).toBe(true);
    expect(entries!.claims.some((c) => c.unreliable)).toBe(true); // the Polish text, graded E
    // The Polish paraphrase is found by a Polish query.
    expect((await searchSources(actor, { q: 'obywateli edukacyjny' })).sources.map((s) => s.language)).toEqual(['pl']);
    // Northlight sees Haven's public reports too, but none of its claims.
    const [nl] = await database.db.select().from(appUser).where(eq(appUser.email, 'caseworker@northlight.example'));
    const other = await actorOf(nl!.id);
    expect((await searchSources(other, {})).sources).toHaveLength(5);
    expect(await claimsByQuestion(other)).toEqual([]);
    expect(await seedDemoIfEmpty(database.db)).toEqual([]);
  });
});
