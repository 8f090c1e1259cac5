import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db/client';
import { summary, summaryVersion } from '@/db/schema';
import { inTransaction } from '../scope';
import { factGroups } from './record-audit';
import type { Actor } from '@/lib/access';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { actorOf, makeUser } from '@/test/fixtures';
import { approveTestimony, createTestimony, submitTestimony, withdrawConsent } from '../testimonies';
import type { SummaryContentInput } from './content';
import { approveSummary, createSummary, getPublishedSummary, listPublishedSummaries, returnToDraft, retractSummary, startNewVersion, submitSummary, updateDraft } from './index';

// Issue 7's workflow on both databases: two-person approval, frozen snapshots, the differencing check
// at publication, consent withdrawal flagging a summary, retraction.

let database: TestDatabase;
let org: RoleActors;
let reviewerB: Actor;
const construction: string[] = [];

async function worker(region: 'primorsky-krai' | 'moscow', site: 'construction' | 'factory') {
  const { id } = await createTestimony(org.caseworker, {
    interviewDate: '2024-05-01',
    deployment: { start: '2023-04', region, siteType: site, visaType: 'student', outcome: 'returned' },
    hours: { shiftStart: '06:00', shiftEnd: '02:00', daysPerWeek: 7 },
    consent: { scopes: ['internal', 'research', 'public_aggregate'], method: 'oral' },
  });
  await submitTestimony(org.caseworker, id);
  await approveTestimony(org.reviewer, id);
  return id;
}

const content = (over: Partial<SummaryContentInput['scope']> = {}, title = 'Construction sites in 2023'): SummaryContentInput => ({
  title,
  body: 'Workers **interviewed** in 2024.',
  scope: { from: '2023', to: '2023', ...over },
  sections: [{ measure: 'workers', by: ['site_type'], chart: 'bars', caption: 'Workers by type of site' }],
});

const cell = (snap: { sections: { answer: { cells: { by: Record<string, string> }[]; margins: { by: Record<string, string> }[] } }[] }, by: Record<string, string>) =>
  [...snap.sections[0]!.answer.cells, ...snap.sections[0]!.answer.margins].find((c) => JSON.stringify(c.by) === JSON.stringify(by));

beforeAll(async () => {
  database = await freshDatabase();
  org = await orgWithActors('sum');
  reviewerB = await actorOf((await makeUser({ id: org.orgId, slug: org.slug }, 'reviewer')).id);
  // 2023: construction 25 in the Far East and 3 in Moscow, factory 12 in Moscow.
  for (let i = 0; i < 25; i++) construction.push(await worker('primorsky-krai', 'construction'));
  for (let i = 0; i < 3; i++) construction.push(await worker('moscow', 'construction'));
  for (let i = 0; i < 12; i++) await worker('moscow', 'factory');
}, 300_000);
afterAll(() => database.drop());

describe(`public summaries on ${testDbKind}`, () => {
  let first: { id: string };

  it('the author cannot approve their own summary; another reviewer publishes a frozen snapshot at public k', async () => {
    first = await createSummary(org.reviewer, { slug: 'sites-2023', language: 'en', content: content() });
    await submitSummary(org.reviewer, first.id);
    await expect(approveSummary(org.reviewer, first.id)).rejects.toMatchObject({ status: 403 });
    await expect(approveSummary(org.caseworker, first.id)).rejects.toMatchObject({ status: 403 });
    const published = await approveSummary(reviewerB, first.id);
    expect(published.k).toBe(10);
    expect(published.sha256).toMatch(/^[0-9a-f]{64}$/);
    const page = await getPublishedSummary('sites-2023');
    expect(cell(page.snapshot!, { site_type: 'construction' })).toEqual({ by: { site_type: 'construction' }, count: 28, value: null });
    expect(cell(page.snapshot!, { site_type: 'factory' })).toEqual({ by: { site_type: 'factory' }, count: 12, value: null });
    expect(cell(page.snapshot!, {})).toMatchObject({ count: 40 });
    expect(page.snapshot!.citation).toContain('version 1');
    expect((await listPublishedSummaries()).map((s) => s.slug)).toContain('sites-2023');
  });

  it('the data digest of a scope does not change when its facts are rewritten with the same values', async () => {
    // Facts are deleted and inserted again on every approval: their order on disk changes, the digest must not.
    const groups = () => inTransaction((tx) => factGroups(tx, org.orgId));
    const original = await groups();
    const first = sql`(select subject_id from subject_fact where audience = 'public_aggregate' and org_id = ${org.orgId} order by subject_id limit 1)`;
    const [row] = await execRows<{ outcome: string }>(database.db, sql`select outcome::text as outcome from subject_fact where audience = 'public_aggregate' and subject_id = ${first}`);
    // Values that differ within one group, so the order of the rows matters to a careless digest.
    await database.db.execute(sql`update subject_fact set outcome = 'escaped' where audience = 'public_aggregate' and subject_id = ${first}`);
    const before = await groups();
    expect(before).not.toEqual(original);
    for (const order of [sql`subject_id desc`, sql`subject_id asc`]) {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`create temp table facts_copy on commit drop as select * from subject_fact where audience = 'public_aggregate' and org_id = ${org.orgId}`);
        await tx.execute(sql`delete from subject_fact where audience = 'public_aggregate' and org_id = ${org.orgId}`);
        await tx.execute(sql`insert into subject_fact select * from facts_copy order by ${order}`);
      });
      expect(await groups()).toEqual(before);
    }
    // Back as it was: the published version describes today's data again.
    await database.db.execute(sql`update subject_fact set outcome = ${row!.outcome}::outcome where audience = 'public_aggregate' and subject_id = ${first}`);
    expect(await groups()).toEqual(original);
    expect(before.size).toBeGreaterThan(0);
  });

  it('the database refuses any change to a published version', async () => {
    await expect(database.db.update(summaryVersion).set({ k: 3 }).where(eq(summaryVersion.summaryId, first.id))).rejects.toThrow();
    await expect(database.db.delete(summaryVersion).where(eq(summaryVersion.summaryId, first.id))).rejects.toThrow();
    await expect(database.db.execute(sql`truncate summary_version cascade`)).rejects.toThrow();
  });

  it('refuses a nested scope whose count differs by 1..k-1, naming the cell', async () => {
    const nested = await createSummary(org.reviewer, { slug: 'far-east-2023', language: 'en', content: content({ districts: ['far-eastern'] }, 'The Far East in 2023') });
    await submitSummary(org.reviewer, nested.id);
    const refused = approveSummary(reviewerB, nested.id);
    await expect(refused).rejects.toMatchObject({ status: 409 });
    await expect(refused).rejects.toThrow(/With ‘Construction sites in 2023’ v1, this would show the number of workers in Site type: Construction; Federal district: all except Far Eastern; Period: 2023: 3, fewer than 10/);
    const [row] = await database.db.select().from(summaryVersion).where(eq(summaryVersion.summaryId, nested.id));
    expect(row!.status).toBe('in_review'); // nothing half-written
  });

  it('only the author edits a draft; the snapshot stays frozen when consent is withdrawn, and the summary is flagged', async () => {
    await withdrawConsent(org.caseworker, construction[0]!, 'family at risk');
    const [flagged] = await database.db.select().from(summary).where(eq(summary.id, first.id));
    expect(flagged!.flaggedAt).not.toBeNull();
    const page = await getPublishedSummary('sites-2023');
    expect(cell(page.snapshot!, { site_type: 'construction' })).toMatchObject({ count: 28 });

    const next = await startNewVersion(reviewerB, first.id);
    expect(next.number).toBe(2);
    await expect(updateDraft(org.reviewer, first.id, { content: content(), revision: 1 })).rejects.toMatchObject({ status: 403 });
    await updateDraft(reviewerB, first.id, { content: content({}, 'Construction sites in 2023 (revised)'), revision: 1 });
    await expect(updateDraft(reviewerB, first.id, { content: content(), revision: 1 })).rejects.toMatchObject({ status: 409 });
    await submitSummary(reviewerB, first.id);
    // One worker fewer than version 1: publishing would reveal that one worker left.
    await expect(approveSummary(org.reviewer, first.id)).rejects.toThrow(/Compared with ‘Construction sites in 2023’ v1, this would show how many workers \(Site type: Construction; Period: 2023\) came or left since: 1\./);
    await returnToDraft(reviewerB, first.id);
  });

  it('retraction keeps the page, shows the reason and serves no numbers', async () => {
    await retractSummary(org.admin, first.id, 'Figures under revision after a consent withdrawal.');
    const page = await getPublishedSummary('sites-2023');
    expect(page.snapshot).toBeNull();
    expect(page.retracted?.reason).toBe('Figures under revision after a consent withdrawal.');
    expect(page.versions.map((v) => v.number)).toEqual([1]);
    await expect(approveSummary(reviewerB, first.id)).rejects.toMatchObject({ status: 409 });
  });

  it('links a translation only once it is published', async () => {
    const en = await createSummary(org.reviewer, { slug: 'sites-2023-en', language: 'en', content: content({ districts: ['central'] }, 'Central district in 2023') });
    await submitSummary(org.reviewer, en.id);
    await approveSummary(reviewerB, en.id);
    const ko = await createSummary(org.reviewer, { slug: 'sites-2023-ko', language: 'ko', translationOf: 'sites-2023-en', content: content({ districts: ['central'] }, '2023년 중앙 관구') });
    expect((await getPublishedSummary('sites-2023-en')).translationSlug).toBeNull(); // the Korean draft is not readable yet
    await submitSummary(org.reviewer, ko.id);
    await approveSummary(reviewerB, ko.id);
    expect((await getPublishedSummary('sites-2023-en')).translationSlug).toBe('sites-2023-ko');
    expect((await getPublishedSummary('sites-2023-ko')).translationSlug).toBe('sites-2023-en');
  });

  it('answers bad input with 4xx and never exposes a draft', async () => {
    await expect(createSummary(org.reviewer, { slug: 'Bad Slug!', language: 'en', content: content() })).rejects.toMatchObject({ name: 'ZodError' });
    await expect(createSummary(org.reviewer, { slug: 'sites-2023', language: 'en', content: content() })).rejects.toMatchObject({ status: 409 });
    await expect(createSummary(org.reviewer, { slug: 'x-home', language: 'en', content: { ...content(), sections: [{ measure: 'workers', by: ['region'] }] } as never })).rejects.toMatchObject({ name: 'ZodError' });
    await expect(createSummary(org.caseworker, { slug: 'by-caseworker', language: 'en', content: content() })).rejects.toMatchObject({ status: 403 });
    await expect(getPublishedSummary('far-east-2023')).rejects.toMatchObject({ status: 404 });
    await expect(getPublishedSummary('no-such-summary')).rejects.toMatchObject({ status: 404 });
  });
});
