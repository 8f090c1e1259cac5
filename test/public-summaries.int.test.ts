// The public side of summaries on both databases: the API and the downloads answer from the frozen
// snapshot, with ETags and 304; retracted summaries serve no numbers; drafts and unknown slugs are 404.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as download from '@/app/(public)/summaries/[slug]/download/[format]/route';
import * as one from '@/app/api/v1/summaries/[slug]/route';
import * as list from '@/app/api/v1/summaries/route';
import type { Actor } from '@/lib/access';
import { PublicSummaryOut, SummaryList } from '@/lib/api/schemas';
import type { OutCell } from '@/lib/aggregates';
import { captureSource } from '@/lib/sources';
import { getPublicSource } from '@/lib/sources/public';
import { approveSummary, createSummary, getPublishedSummary, retractSummary, submitSummary } from '@/lib/summaries';
import type { SummaryContentInput } from '@/lib/summaries/content';
import type { SummarySnapshot } from '@/lib/summaries/snapshot';
import { summaryTag } from '@/lib/summaries/public';
import { approveTestimony, createTestimony, submitTestimony } from '@/lib/testimonies';
import { orgWithActors, type RoleActors } from './actors';
import { freshDatabase, testDbKind, type TestDatabase } from './db';
import { actorOf, makeUser } from './fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const get = (handler: unknown, url: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
  (handler as Handler)(new Request(`http://localhost${url}`, { headers }), { params: Promise.resolve(params) });

let database: TestDatabase;
let org: RoleActors;
let reviewerB: Actor;
let snapshot: SummarySnapshot;
let sha256: string;
let publicSourceId: string;
let internalSourceId: string;

async function worker(site: 'construction' | 'factory') {
  const { id } = await createTestimony(org.caseworker, {
    interviewDate: '2024-05-01',
    deployment: { start: '2023-04', region: 'primorsky-krai', siteType: site, visaType: 'student', outcome: 'returned' },
    hours: { shiftStart: '06:00', shiftEnd: '02:00', daysPerWeek: 7 },
    consent: { scopes: ['internal', 'research', 'public_aggregate'], method: 'oral' },
  });
  await submitTestimony(org.caseworker, id);
  await approveTestimony(org.reviewer, id);
}

const content = (title: string, sourceIds: string[] = []): SummaryContentInput => ({
  title,
  body: 'Workers **interviewed** in 2024. <script>alert(1)</script>',
  scope: { from: '2023', to: '2023' },
  sections: [
    { measure: 'workers', by: ['site_type'], chart: 'bars', caption: 'Workers by type of site' },
    { measure: 'workers', by: ['year', 'site_type'], chart: 'heat-table', caption: 'By year and site' },
  ],
  sourceIds,
});

async function publish(slug: string, title: string, sourceIds: string[] = []) {
  const { id } = await createSummary(org.reviewer, { slug, language: 'en', content: content(title, sourceIds) });
  await submitSummary(org.reviewer, id);
  await approveSummary(reviewerB, id);
  return id;
}

beforeAll(async () => {
  database = await freshDatabase();
  org = await orgWithActors('pub');
  reviewerB = await actorOf((await makeUser({ id: org.orgId, slug: org.slug }, 'reviewer')).id);
  for (let i = 0; i < 12; i++) await worker('construction');
  for (let i = 0; i < 3; i++) await worker('factory');
  publicSourceId = (await captureSource(org.reviewer, { title: 'A public report', language: 'en', visibility: 'public', reliability: 'B', credibility: '2', text: 'A report anyone may read about sites in the Far East.' })).id;
  internalSourceId = (await captureSource(org.reviewer, { title: 'Field notes', language: 'en', visibility: 'internal', text: 'Notes for staff only about one site and its routine.' })).id;
  await publish('sites-2023', 'Sites in 2023', [publicSourceId]);
  const s = await getPublishedSummary('sites-2023');
  snapshot = s.snapshot!;
  sha256 = s.sha256!;
  // The same figures published again and retracted.
  const retracted = await publish('withdrawn-2023', 'Withdrawn');
  await retractSummary(org.reviewer, retracted, 'Published before its sources were checked.');
  // A draft nobody approved.
  await createSummary(org.reviewer, { slug: 'draft-2023', language: 'en', content: content('Draft') });
}, 300_000);
afterAll(() => database.drop());

const cellsOf = (snap: SummarySnapshot) => snap.sections.flatMap((s, i) => [...s.answer.cells, ...s.answer.margins].map((c) => ({ section: i + 1, c })));
const keyOf = (by: Record<string, string>, dims: string[]) => dims.map((d) => by[d] ?? 'All').join('|');

async function expectNotFound(res: Response) {
  expect(res.status).toBe(404);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('not_found');
}

describe(`public summaries API and downloads on ${testDbKind}`, () => {
  it('the snapshot has a hidden cell at k=10 (the test would prove nothing otherwise)', () => {
    expect(snapshot.k).toBe(10);
    expect(cellsOf(snapshot).some(({ c }) => 'suppressed' in c)).toBe(true);
    expect(cellsOf(snapshot).some(({ c }) => !('suppressed' in c) && c.count > 0)).toBe(true);
  });

  it('lists published summaries, retracted ones flagged, drafts absent', async () => {
    const res = await get(list.GET, '/api/v1/summaries', {});
    expect(res.status).toBe(200);
    const body = SummaryList.parse(await res.json()); // the documented shape, strictly
    expect(body.summaries.map((s) => s.slug).sort()).toEqual(['sites-2023', 'withdrawn-2023']);
    expect(body.summaries.find((s) => s.slug === 'withdrawn-2023')!.retracted).toBe(true);
  });

  it('gives one summary as its snapshot, with a long-lived cache header, an ETag and 304 on a match', async () => {
    const res = await get(one.GET, '/api/v1/summaries/sites-2023', { slug: 'sites-2023' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d{4,}/);
    const raw = await res.json();
    PublicSummaryOut.parse(raw); // the documented shape, strictly
    const body = raw as { snapshot: SummarySnapshot; sha256: string };
    expect(body.snapshot).toEqual(snapshot);
    expect(body.sha256).toBe(sha256);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await get(one.GET, '/api/v1/summaries/sites-2023', { slug: 'sites-2023' }, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await get(one.GET, '/api/v1/summaries/sites-2023', { slug: 'sites-2023' }, { 'if-none-match': '"stale"' })).status).toBe(200);
    expect((await get(one.GET, '/api/v1/summaries/sites-2023?version=1', { slug: 'sites-2023' })).status).toBe(200);
    await expectNotFound(await get(one.GET, '/api/v1/summaries/sites-2023?version=2', { slug: 'sites-2023' }));
    expect((await get(one.GET, '/api/v1/summaries/sites-2023?version=abc', { slug: 'sites-2023' })).status).toBe(422);
  });

  it('a retracted summary: the notice and its reason, no numbers, no downloads', async () => {
    const res = await get(one.GET, '/api/v1/summaries/withdrawn-2023', { slug: 'withdrawn-2023' });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = PublicSummaryOut.parse(JSON.parse(text));
    expect(body.snapshot).toBeNull();
    expect(body.sha256).toBeNull();
    expect(body.retracted!.reason).toBe('Published before its sources were checked.');
    expect(text).not.toMatch(/"count"|"cells"|"margins"/);
    await expectNotFound(await get(download.GET, '/summaries/withdrawn-2023.csv', { slug: 'withdrawn-2023', format: 'csv' }));
    await expectNotFound(await get(download.GET, '/summaries/withdrawn-2023.json', { slug: 'withdrawn-2023', format: 'json' }));
    expect((await summaryTag('withdrawn-2023'))!.sha256).toBeNull();
  });

  it('the tag of a page names its version, hash, the latest version and no translation link', async () => {
    expect(await summaryTag('sites-2023')).toEqual({ sha256, version: 1, language: 'en', retractedAt: null, latest: 1, translation: null });
    expect(await summaryTag('sites-2023', '1')).toMatchObject({ version: 1, latest: 1 });
    expect(await summaryTag('sites-2023', '2')).toBeNull();
    expect((await summaryTag('withdrawn-2023'))!.retractedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('404 in the error shape for an unknown slug and for a draft, in the API and the downloads', async () => {
    for (const slug of ['no-such-summary', 'draft-2023', '../etc', 'x'.repeat(300)]) {
      await expectNotFound(await get(one.GET, `/api/v1/summaries/${slug}`, { slug }));
      await expectNotFound(await get(download.GET, `/summaries/${slug}.csv`, { slug, format: 'csv' }));
      await expectNotFound(await get(download.GET, `/summaries/${slug}.json`, { slug, format: 'json' }));
    }
    await expectNotFound(await get(download.GET, '/summaries/sites-2023.xml', { slug: 'sites-2023', format: 'xml' }));
    expect(await summaryTag('draft-2023')).toBeNull();
  });

  it('the CSV holds every cell and margin of every section, counts equal to the snapshot, hidden ones flagged with k', async () => {
    const res = await get(download.GET, '/summaries/sites-2023.csv', { slug: 'sites-2023', format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('sites-2023-v1.csv');
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    const expected = cellsOf(snapshot);
    expect(rows).toHaveLength(expected.length);
    for (const { section, c } of expected) {
      const dims = snapshot.sections[section - 1]!.answer.by;
      const row = rows.find((r) => r.section === String(section) && keyOf({ [r.breakdown_1!]: r.value_1!, ...(r.breakdown_2 ? { [r.breakdown_2]: r.value_2! } : {}) }, dims) === keyOf(c.by, dims));
      expect(row, JSON.stringify(c)).toBeDefined();
      expect(row!.k).toBe('10');
      if ('suppressed' in c) expect(row).toMatchObject({ count: '', suppressed: 'true' });
      else expect(row).toMatchObject({ count: String((c as Extract<OutCell, { count: number }>).count), suppressed: 'false' });
    }
    const etag = res.headers.get('etag')!;
    expect((await get(download.GET, '/summaries/sites-2023.csv', { slug: 'sites-2023', format: 'csv' }, { 'if-none-match': etag })).status).toBe(304);
  });

  it('the JSON is the stored snapshot: its bytes hash to the published SHA-256, which a header repeats', async () => {
    const res = await get(download.GET, '/summaries/sites-2023.json', { slug: 'sites-2023', format: 'json' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(createHash('sha256').update(text).digest('hex')).toBe(sha256);
    expect(res.headers.get('x-snapshot-sha256')).toBe(sha256);
    expect(JSON.parse(text)).toEqual(snapshot);
    const etag = res.headers.get('etag')!;
    expect(etag).not.toBe((await get(download.GET, '/summaries/sites-2023.csv', { slug: 'sites-2023', format: 'csv' })).headers.get('etag'));
    expect((await get(download.GET, '/summaries/sites-2023.json', { slug: 'sites-2023', format: 'json' }, { 'if-none-match': etag })).status).toBe(304);
  });

  it('public source reports are readable; an internal one answers exactly like a missing id', async () => {
    expect((await getPublicSource(publicSourceId)).title).toBe('A public report');
    const internal = (await getPublicSource(internalSourceId).then(() => new Error('found'), (e: Error) => e)) as Error;
    const missing = (await getPublicSource('00000000-0000-4000-8000-000000000000').then(() => new Error('found'), (e: Error) => e)) as Error;
    expect(internal.message).not.toBe('found');
    expect(internal.constructor).toBe(missing.constructor);
    expect(internal.message).toBe(missing.message);
    expect(snapshot.sources.map((s) => s.id)).toEqual([publicSourceId]);
  });
});
