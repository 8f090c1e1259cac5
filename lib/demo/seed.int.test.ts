import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsByQuestion } from '@/lib/claims';
import { searchSources } from '@/lib/sources';
import { actorOf } from '@/test/fixtures';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { appUser } from '@/db/schema';
import { eq, sql } from 'drizzle-orm';
import { execRows } from '@/db';
import { verifyChain } from '@/lib/audit';
import { getPublishedSummary, listPublishedSummaries } from '@/lib/summaries';
import { DEMO_WORKERS, secondReviewerEmail, seedDemoIfEmpty, type DemoAccount } from './seed';
import { DEMO_SUMMARY_SLUG, DEMO_SUMMARY_SLUG_KO } from './summary';

let database: TestDatabase;
let accounts: DemoAccount[];
beforeAll(async () => {
  database = await freshDatabase();
  accounts = await seedDemoIfEmpty(database.db);
}, 300_000);
afterAll(() => database.drop());

describe(`demo seed on ${testDbKind}`, () => {
  it('adds five public paraphrased reports with claims side by side, once', async () => {
    // Four roles and a second reviewer in each organisation.
    expect(accounts.map((a) => `${a.role} ${a.email}`)).toEqual(
      ['haven', 'northlight'].flatMap((org) => [...['researcher', 'caseworker', 'reviewer', 'admin'].map((r) => `${r} ${r}@${org}.example`), `reviewer ${secondReviewerEmail(org)}`]),
    );
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

  it('writes the synthetic workers over both organisations, signed by their demo caseworker and reviewer, once', async () => {
    const rows = await execRows<{ slug: string; synthetic: number; approver: string }>(
      database.db,
      sql`select o.slug, count(*)::int as synthetic, min(a.email) as approver from testimony t join organisation o on o.id = t.org_id join app_user a on a.id = t.approved_by
          where t.narrative is null and t.status = 'approved' and t.entered_by = (select id from app_user where email = 'caseworker@' || o.slug || '.example') group by o.slug order by o.slug`,
    );
    // Demo testimonies carry a narrative; the synthetic ones none.
    expect(rows).toEqual([
      { slug: 'haven', synthetic: DEMO_WORKERS[0], approver: 'reviewer@haven.example' },
      { slug: 'northlight', synthetic: DEMO_WORKERS[1], approver: 'reviewer@northlight.example' },
    ]);
    expect(await seedDemoIfEmpty(database.db)).toEqual([]);
    const [again] = await execRows<{ n: number }>(database.db, sql`select count(*)::int as n from testimony`);
    expect(again!.n).toBe(DEMO_WORKERS[0] + DEMO_WORKERS[1] + 32 + 16);
  });

  it('publishes one summary and its Korean translation, written by one reviewer and approved by the other, with visible and suppressed cells at k=10', async () => {
    const listed = await listPublishedSummaries();
    expect(listed.map((s) => s.slug).sort()).toEqual([DEMO_SUMMARY_SLUG, DEMO_SUMMARY_SLUG_KO]);
    const page = await getPublishedSummary(DEMO_SUMMARY_SLUG);
    expect(page.translationSlug).toBe(DEMO_SUMMARY_SLUG_KO);
    const snapshot = page.snapshot!;
    expect(snapshot.k).toBe(10);
    expect(snapshot.sections.map((s) => [s.measure, s.by.join('×')])).toEqual([
      ['workers', 'year×site_type'],
      ['hours_per_day', 'federal_district'],
      ['share_withheld', 'visa_type'],
    ]);
    for (const section of snapshot.sections) {
      const cells = section.answer.cells;
      expect(cells.some((c) => 'count' in c && c.count >= 10), section.measure).toBe(true);
      expect(cells.some((c) => 'suppressed' in c && c.suppressed), section.measure).toBe(true);
      // No shown count below k, whatever the section.
      expect(cells.every((c) => !('count' in c) || c.count === 0 || c.count >= 10), section.measure).toBe(true);
    }
    const medians = snapshot.sections[1]!.answer.cells.filter((c) => 'value' in c && c.value !== null);
    expect(medians.length).toBeGreaterThan(0);
    expect(snapshot.sources.map((s) => s.publisher)).toEqual(expect.arrayContaining(['Euromaidan Press', 'The Straits Times', 'Kyiv Independent']));
    expect(snapshot.claims.map((c) => c.question).sort()).toEqual(['Monthly pay of a worker', 'Monthly pay of a worker', 'Working hours a day']);
    expect(snapshot.organisation).toBe('Haven Documentation Centre');
    expect(snapshot.body).toContain('synthetic');

    // The Korean translation: the same numbers, its own words.
    const ko = (await getPublishedSummary(DEMO_SUMMARY_SLUG_KO)).snapshot!;
    expect(ko.language).toBe('ko');
    expect(ko.sections.map((s) => s.answer.cells)).toEqual(snapshot.sections.map((s) => s.answer.cells));
    expect(ko.title).not.toBe(snapshot.title);

    // Two people: the author and a different approver, both Haven reviewers.
    const people = await execRows<{ slug: string; author: string; approver: string }>(
      database.db,
      sql`select s.slug, au.email as author, ap.email as approver from summary_version v join summary s on s.id = v.summary_id
          join app_user au on au.id = v.author_id join app_user ap on ap.id = v.approver_id where v.status = 'published' order by s.slug`,
    );
    expect(people).toEqual([
      { slug: DEMO_SUMMARY_SLUG, author: 'reviewer@haven.example', approver: secondReviewerEmail('haven') },
      { slug: DEMO_SUMMARY_SLUG_KO, author: 'reviewer@haven.example', approver: secondReviewerEmail('haven') },
    ]);
  });

  it('leaves an audit chain that verifies, with one synth event and both publications', async () => {
    expect(await verifyChain(database.db)).toMatchObject({ ok: true });
    const actions = await execRows<{ action: string; n: number }>(
      database.db,
      sql`select action, count(*)::int as n from audit_event where action in ('synth.generate', 'summary.publish') group by action order by action`,
    );
    expect(actions).toEqual([
      { action: 'summary.publish', n: 2 },
      { action: 'synth.generate', n: 1 },
    ]);
  });
});
