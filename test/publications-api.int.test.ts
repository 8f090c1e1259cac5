// Authoring public summaries over the API (/api/v1/publications…), called with Bearer tokens like a
// client would, on testimonies approved through the workflow: the whole lifecycle, two people to
// publish, roles and organisations kept apart, optimistic revisions, bad input, refusal at publication.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as openapi from '@/app/api/v1/openapi.json/route';
import * as approve from '@/app/api/v1/publications/[id]/approve/route';
import * as retract from '@/app/api/v1/publications/[id]/retract/route';
import * as giveBack from '@/app/api/v1/publications/[id]/return/route';
import * as one from '@/app/api/v1/publications/[id]/route';
import * as submit from '@/app/api/v1/publications/[id]/submit/route';
import * as versions from '@/app/api/v1/publications/[id]/versions/route';
import * as list from '@/app/api/v1/publications/route';
import { summary, summaryVersion } from '@/db/schema';
import { PublicationCreated, PublicationListOut, PublicationOut, PublicationPublished } from '@/lib/api/schemas';
import { issueToken } from '@/lib/auth/tokens';
import { MAX_JSON_BYTES } from '@/lib/http/route';
import { inTransaction } from '@/lib/scope';
import type { SummaryContentInput } from '@/lib/summaries/content';
import { getPublishedSummary } from '@/lib/summaries';
import { approveTestimony, createTestimony, submitTestimony } from '@/lib/testimonies';
import { orgWithActors, type RoleActors } from './actors';
import { freshDatabase, testDbKind, type TestDatabase } from './db';
import { makeUser, uniq, userRow } from './fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Body = Record<string, unknown> & { error?: { code: string; message: string; issues?: { path: string; message: string }[] } };

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;
/** Tokens: the author (A's reviewer), a second reviewer and the admin of A, A's caseworker and researcher, B's reviewer. */
const token: Record<'author' | 'second' | 'admin' | 'caseworker' | 'researcher' | 'other', string> = {} as never;

async function tokenFor(userId: string) {
  const owner = await userRow(userId);
  return (await inTransaction((tx) => issueToken(tx, null, owner, 'publications api test', 1))).token;
}

/** Calls a handler; `body` is sent as JSON unless it is already a string. */
async function call(handler: unknown, as: string, method: string, opts: { id?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const req = new Request(`http://localhost/api/v1/publications${opts.id ? `/${opts.id}` : ''}`, {
    method,
    headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json', ...opts.headers },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const res = await (handler as Handler)(req, { params: Promise.resolve<Record<string, string>>(opts.id === undefined ? {} : { id: opts.id }) });
  return { status: res.status, body: (await res.json()) as Body };
}

const read = async (id: string, as = token.author) => {
  const res = await call(one.GET, as, 'GET', { id });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return PublicationOut.parse(res.body);
};

/** Versions as stored: what a refused or forbidden call must leave untouched. */
const stored = (id: string) => database.db.select({ number: summaryVersion.number, status: summaryVersion.status, revision: summaryVersion.revision, sha: summaryVersion.snapshotSha256 }).from(summaryVersion).where(eq(summaryVersion.summaryId, id)).orderBy(summaryVersion.number);

// 2023: construction 12 in the Far East and 3 in Moscow, factory 10 in Moscow.
async function worker(region: 'primorsky-krai' | 'moscow', siteType: 'construction' | 'factory') {
  const { id } = await createTestimony(a.caseworker, {
    interviewDate: '2024-05-01',
    deployment: { start: '2023-04', region, siteType, visaType: 'student', outcome: 'returned' },
    hours: { shiftStart: '06:00', shiftEnd: '02:00', daysPerWeek: 7 },
    consent: { scopes: ['internal', 'research', 'public_aggregate'], method: 'oral' },
  });
  await submitTestimony(a.caseworker, id);
  await approveTestimony(a.reviewer, id);
}

const content = (title: string, scope: Partial<SummaryContentInput['scope']> = {}): SummaryContentInput => ({
  title,
  body: 'Workers **interviewed** in 2024.',
  scope: { from: '2023', to: '2023', ...scope },
  sections: [{ measure: 'workers', by: ['site_type'], chart: 'bars', caption: 'Workers by type of site' }],
});

async function create(slug: string, c = content('Sites in 2023'), as = token.author) {
  const res = await call(list.POST, as, 'POST', { body: { slug, language: 'en', content: c } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return PublicationCreated.parse(res.body);
}

const countOf = (snap: { sections: { answer: { cells: { by: Record<string, string>; count?: number }[]; margins: { by: Record<string, string>; count?: number }[] } }[] }, by: Record<string, string>) =>
  [...snap.sections[0]!.answer.cells, ...snap.sections[0]!.answer.margins].find((c) => JSON.stringify(c.by) === JSON.stringify(by))?.count;

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('api-pa');
  b = await orgWithActors('api-pb');
  const second = await makeUser({ id: a.orgId, slug: a.slug }, 'reviewer');
  token.author = await tokenFor(a.reviewer.userId);
  token.second = await tokenFor(second.id);
  token.admin = await tokenFor(a.admin.userId);
  token.caseworker = await tokenFor(a.caseworker.userId);
  token.researcher = await tokenFor(a.researcher.userId);
  token.other = await tokenFor(b.reviewer.userId);
  for (let i = 0; i < 12; i++) await worker('primorsky-krai', 'construction');
  for (let i = 0; i < 3; i++) await worker('moscow', 'construction');
  for (let i = 0; i < 10; i++) await worker('moscow', 'factory');
}, 300_000);
afterAll(() => database.drop());

describe(`publications API on ${testDbKind}`, () => {
  let sites: { id: string; slug: string };

  it('POST creates a summary and its first draft: 201 with id, slug, version 1 and revision 1; GET reads it back', async () => {
    const slug = `sites-${uniq()}`;
    const created = await create(slug.toUpperCase()); // the slug is normalised like the form's
    expect(created).toEqual({ id: expect.any(String), slug, version: 1, revision: 1 });
    sites = created;
    const got = await read(created.id);
    expect(got).toMatchObject({ id: created.id, slug, language: 'en', title: 'Sites in 2023', status: 'draft', flagged: false, retracted: null });
    expect(got.open).toMatchObject({ version: 1, status: 'draft', revision: 1, submittedAt: null });
    expect(got.open!.content).toMatchObject({ title: 'Sites in 2023', scope: { from: '2023', to: '2023' }, sections: [{ measure: 'workers', by: ['site_type'], chart: 'bars' }], quoteIds: [], sourceIds: [] });
    expect(got.versions).toEqual([{ number: 1, status: 'draft', publishedAt: null, sha256: null }]);
    // The same address again is a conflict, not a second summary.
    const again = await call(list.POST, token.second, 'POST', { body: { slug, language: 'en', content: content('Other') } });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('conflict');
  });

  it('PATCH saves the draft with its revision; a stale revision is 409 and changes nothing; only the author edits', async () => {
    const saved = await call(one.PATCH, token.author, 'PATCH', { id: sites.id, body: { content: content('Sites in 2023, by type'), revision: 1 } });
    expect(saved).toEqual({ status: 200, body: { revision: 2 } });
    const stale = await call(one.PATCH, token.author, 'PATCH', { id: sites.id, body: { content: content('Lost update'), revision: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('conflict');
    const other = await call(one.PATCH, token.second, 'PATCH', { id: sites.id, body: { content: content('Not the author'), revision: 2 } });
    expect(other.status).toBe(403);
    const got = await read(sites.id);
    expect(got.title).toBe('Sites in 2023, by type');
    expect(got.open).toMatchObject({ revision: 2, content: { title: 'Sites in 2023, by type' } });
  });

  it('caseworkers and researchers are refused every route (403), and nothing is written', async () => {
    const before = await stored(sites.id);
    for (const as of [token.caseworker, token.researcher]) {
      const answers = [
        await call(list.GET, as, 'GET'),
        await call(list.POST, as, 'POST', { body: { slug: `no-${uniq()}`, language: 'en', content: content('Refused') } }),
        await call(one.GET, as, 'GET', { id: sites.id }),
        await call(one.PATCH, as, 'PATCH', { id: sites.id, body: { content: content('Refused'), revision: 2 } }),
        await call(submit.POST, as, 'POST', { id: sites.id }),
        await call(giveBack.POST, as, 'POST', { id: sites.id }),
        await call(approve.POST, as, 'POST', { id: sites.id }),
        await call(versions.POST, as, 'POST', { id: sites.id }),
        await call(retract.POST, as, 'POST', { id: sites.id, body: { reason: 'Refused to this role.' } }),
      ];
      expect(answers.map((r) => `${r.status} ${r.body.error?.code}`)).toEqual(Array(answers.length).fill('403 forbidden'));
    }
    expect(await stored(sites.id)).toEqual(before);
    expect((await database.db.select().from(summary).where(eq(summary.orgId, a.orgId))).map((s) => s.id)).toEqual([sites.id]);
  });

  it("another organisation's id answers 404 like a missing one on every route, and changes nothing", async () => {
    const before = await stored(sites.id);
    const missing = crypto.randomUUID();
    const routes = [
      [one.GET, 'GET', undefined],
      [one.PATCH, 'PATCH', { content: content('Taken over'), revision: 2 }],
      [submit.POST, 'POST', undefined],
      [giveBack.POST, 'POST', undefined],
      [approve.POST, 'POST', undefined],
      [versions.POST, 'POST', undefined],
      [retract.POST, 'POST', { reason: 'Retracted by an outsider.' }],
    ] as const;
    for (const [handler, method, body] of routes) {
      const foreign = await call(handler, token.other, method, { id: sites.id, body });
      const absent = await call(handler, token.other, method, { id: missing, body });
      expect(foreign.status, `${method} ${foreign.body.error?.message}`).toBe(404);
      expect({ ...foreign.body.error, requestId: undefined }).toEqual({ ...absent.body.error, requestId: undefined });
    }
    expect(await stored(sites.id)).toEqual(before);
    expect((await call(list.GET, token.other, 'GET')).body).toEqual({ publications: [] });
  });

  it('bad input answers the error shape with 400, 404, 413 or 422, never a 500, and saves nothing', async () => {
    const before = await stored(sites.id);
    const cases: [unknown, string, { id?: string; body?: unknown; headers?: Record<string, string> }, number][] = [
      [list.POST, 'POST', { body: '{"slug": "not-json",' }, 400],
      [list.POST, 'POST', { body: '' }, 400],
      [list.POST, 'POST', { body: { slug: 'Bad Slug!', language: 'en', content: content('Bad slug') } }, 422],
      [list.POST, 'POST', { body: { slug: `x-${uniq()}`, language: 'fr', content: content('French') } }, 422],
      [list.POST, 'POST', { body: { slug: `x-${uniq()}`, language: 'en', content: { ...content('Home province'), sections: [{ measure: 'workers', by: ['home_province'] }] } } }, 422],
      [list.POST, 'POST', { body: { slug: `x-${uniq()}`, language: 'en', content: content('Extra'), orgId: b.orgId } }, 422],
      // A free date where a period goes, text the database cannot store (jsonb refuses NUL and lone surrogates).
      [list.POST, 'POST', { body: { slug: `x-${uniq()}`, language: 'en', content: content('Free date', { from: '2023-01-01' }) } }, 422],
      [list.POST, 'POST', { body: { slug: `x-${uniq()}`, language: 'en', content: content('Title with NUL \u0000') } }, 422],
      [one.PATCH, 'PATCH', { id: sites.id, body: { content: { ...content('Lone surrogate'), body: 'half \udc00 a character' }, revision: 2 } }, 422],
      [list.POST, 'POST', { body: { slug: `x-${uniq()}`, language: 'en', content: content('Huge'), pad: 'x'.repeat(MAX_JSON_BYTES) } }, 413],
      [list.POST, 'POST', { body: { slug: `x-${uniq()}`, language: 'en', translationOf: 'no-such-summary', content: content('Translation') } }, 404],
      [one.PATCH, 'PATCH', { id: sites.id, body: { content: content('No revision') } }, 422],
      [one.PATCH, 'PATCH', { id: sites.id, body: { content: content('Revision as text'), revision: '2' } }, 422],
      [one.PATCH, 'PATCH', { id: sites.id, body: { content: { ...content('No sections'), sections: [] }, revision: 2 } }, 422],
      [one.PATCH, 'PATCH', { id: sites.id, body: { content: content('Published?'), revision: 2, status: 'published' } }, 422],
      [one.PATCH, 'PATCH', { id: sites.id, body: '[1, 2' }, 400],
      [one.PATCH, 'PATCH', { id: 'not-a-uuid', body: { content: content('Bad id'), revision: 2 } }, 404],
      [one.GET, 'GET', { id: '../../etc/passwd' }, 404],
      [submit.POST, 'POST', { id: sites.id, body: { status: 'in_review' } }, 422],
      [approve.POST, 'POST', { id: sites.id, body: { approverId: a.reviewer.userId } }, 422],
      [versions.POST, 'POST', { id: sites.id, body: { number: 9 } }, 422],
      [retract.POST, 'POST', { id: sites.id, body: { reason: 'no' } }, 422],
      [retract.POST, 'POST', { id: sites.id, body: { reason: 42 } }, 422],
      [retract.POST, 'POST', { id: sites.id }, 400],
      [retract.POST, 'POST', { id: '%00', body: { reason: 'A hostile id, not a summary.' } }, 404],
    ];
    const wrong: string[] = [];
    for (const [handler, method, opts, want] of cases) {
      const res = await call(handler, token.author, method, opts);
      const shaped = typeof res.body.error?.code === 'string' && typeof res.body.error?.message === 'string';
      if (res.status !== want || !shaped) wrong.push(`${method} ${JSON.stringify(opts.body ?? opts.id).slice(0, 80)}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    // A schema refusal names the field.
    const named = await call(one.PATCH, token.author, 'PATCH', { id: sites.id, body: { content: { ...content('No sections'), sections: [] }, revision: 2 } });
    expect(named.body.error?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'content.sections' })]));
    const unstorable = await call(list.POST, token.author, 'POST', { body: { slug: `x-${uniq()}`, language: 'en', content: content('Title with NUL \u0000') } });
    expect(unstorable.body.error?.issues).toEqual([expect.objectContaining({ path: 'content.title' })]);
    expect(await stored(sites.id)).toEqual(before);
  });

  it('submit, then the author cannot approve (403); another reviewer publishes the snapshot of the real testimonies', async () => {
    expect(await call(submit.POST, token.author, 'POST', { id: sites.id })).toEqual({ status: 200, body: { status: 'in_review' } });
    // Nothing edits a version in review.
    expect((await call(one.PATCH, token.author, 'PATCH', { id: sites.id, body: { content: content('During review'), revision: 2 } })).status).toBe(409);
    const own = await call(approve.POST, token.author, 'POST', { id: sites.id });
    expect(own.status).toBe(403);
    expect((await read(sites.id)).status).toBe('in_review');

    const published = await call(approve.POST, token.second, 'POST', { id: sites.id });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const { version, sha256, k } = PublicationPublished.parse(published.body);
    expect({ version, k }).toEqual({ version: 1, k: 10 });
    const got = await read(sites.id);
    expect(got).toMatchObject({ status: 'published', open: null, title: 'Sites in 2023, by type' });
    expect(got.versions).toEqual([{ number: 1, status: 'published', publishedAt: expect.any(String), sha256 }]);
    // The public page shows what was approved, counted from the approved testimonies.
    const page = await getPublishedSummary(sites.slug);
    expect(page.sha256).toBe(sha256);
    expect(page.snapshot!.title).toBe('Sites in 2023, by type');
    expect(countOf(page.snapshot!, { site_type: 'construction' })).toBe(15);
    expect(countOf(page.snapshot!, { site_type: 'factory' })).toBe(10);
    expect(countOf(page.snapshot!, {})).toBe(25);
    // Published once: approving again is a conflict.
    expect((await call(approve.POST, token.admin, 'POST', { id: sites.id })).status).toBe(409);
  });

  it('a publication that would reveal a small count is refused with 409 and the findings in error.issues; nothing is published', async () => {
    // The Far East alone: 12 construction workers, against 15 in the published whole: 3 elsewhere.
    const nested = await create(`far-east-${uniq()}`, content('The Far East in 2023', { districts: ['far-eastern'] }));
    expect((await call(submit.POST, token.author, 'POST', { id: nested.id })).status).toBe(200);
    const refused = await call(approve.POST, token.second, 'POST', { id: nested.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('conflict');
    expect(refused.body.error?.issues?.length).toBeGreaterThan(0);
    for (const issue of refused.body.error!.issues!) expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
    expect(JSON.stringify(refused.body.error?.issues)).toMatch(/Site type: Construction; Federal district: all except Far Eastern; Period: 2023: 3, fewer than 10/);
    const got = await read(nested.id);
    expect(got).toMatchObject({ status: 'in_review', open: { version: 1, status: 'in_review' } });
    expect(got.versions).toEqual([{ number: 1, status: 'in_review', publishedAt: null, sha256: null }]);
    await expect(getPublishedSummary(nested.slug)).rejects.toMatchObject({ status: 404 });

    // Back to the author, who can edit again.
    expect(await call(giveBack.POST, token.second, 'POST', { id: nested.id })).toEqual({ status: 200, body: { status: 'draft' } });
    expect((await call(giveBack.POST, token.second, 'POST', { id: nested.id })).status).toBe(409);
    const draft = await read(nested.id);
    expect(draft.open).toMatchObject({ status: 'draft', submittedAt: null });
    expect((await call(one.PATCH, token.author, 'PATCH', { id: nested.id, body: { content: content('The Far East in 2023 (draft)', { districts: ['far-eastern'] }), revision: draft.open!.revision } })).status).toBe(200);
  });

  it('a new version starts from the published content; publishing it adds a version with its own hash', async () => {
    const started = await call(versions.POST, token.admin, 'POST', { id: sites.id });
    expect(started).toEqual({ status: 201, body: { version: 2, revision: 1 } });
    expect((await call(versions.POST, token.admin, 'POST', { id: sites.id })).status).toBe(409); // one open version at a time
    const got = await read(sites.id);
    expect(got).toMatchObject({ status: 'draft', open: { version: 2, status: 'draft', revision: 1, content: { title: 'Sites in 2023, by type' } } });
    // The admin started it, so the admin is its author: the first author may not edit it, and may approve it.
    expect((await call(one.PATCH, token.author, 'PATCH', { id: sites.id, body: { content: content('Not mine'), revision: 1 } })).status).toBe(403);
    expect((await call(one.PATCH, token.admin, 'PATCH', { id: sites.id, body: { content: content('Sites in 2023 (second edition)'), revision: 1 } })).body).toEqual({ revision: 2 });
    expect((await call(submit.POST, token.admin, 'POST', { id: sites.id })).status).toBe(200);
    expect((await call(approve.POST, token.admin, 'POST', { id: sites.id })).status).toBe(403);
    const published = await call(approve.POST, token.author, 'POST', { id: sites.id });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const after = await read(sites.id);
    expect(after.versions.map((v) => [v.number, v.status])).toEqual([
      [1, 'published'],
      [2, 'published'],
    ]);
    expect(after.versions[1]!.sha256).toBe(PublicationPublished.parse(published.body).sha256);
    expect(after.versions[1]!.sha256).not.toBe(after.versions[0]!.sha256);
    expect((await getPublishedSummary(sites.slug)).snapshot!.title).toBe('Sites in 2023 (second edition)');
  });

  it('retract keeps the page with the reason, withdraws the numbers and discards the open version; then nothing more', async () => {
    expect((await call(versions.POST, token.author, 'POST', { id: sites.id })).status).toBe(201);
    const res = await call(retract.POST, token.second, 'POST', { id: sites.id, body: { reason: '  Figures under revision.  ' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ retractedAt: expect.any(String) });
    const got = await read(sites.id);
    expect(got).toMatchObject({ status: 'retracted', open: null, retracted: { at: res.body.retractedAt, reason: 'Figures under revision.' } });
    expect(got.versions.map((v) => v.status)).toEqual(['published', 'published', 'discarded']);
    const page = await getPublishedSummary(sites.slug);
    expect(page.snapshot).toBeNull();
    expect(page.retracted?.reason).toBe('Figures under revision.');
    expect((await call(retract.POST, token.second, 'POST', { id: sites.id, body: { reason: 'Retracted twice.' } })).status).toBe(409);
    expect((await call(versions.POST, token.author, 'POST', { id: sites.id })).status).toBe(409);
  });

  it("GET lists the organisation's summaries with their states, and only its own", async () => {
    const res = await call(list.GET, token.admin, 'GET');
    expect(res.status).toBe(200);
    const { publications } = PublicationListOut.parse(res.body);
    const byId = Object.fromEntries(publications.map((p) => [p.id, p]));
    expect(byId[sites.id]).toMatchObject({ slug: sites.slug, status: 'retracted', retracted: true, open: null, published: { version: 2 } });
    expect(publications.find((p) => p.title === 'The Far East in 2023 (draft)')).toMatchObject({ status: 'draft', open: { version: 1, status: 'draft' }, published: null, retracted: false });
    expect(publications).toHaveLength(2);
  });

  it('the OpenAPI document describes every publications route, its methods and schemas', async () => {
    const res = await (openapi.GET as Handler)(new Request('http://localhost/api/v1/openapi.json'), { params: Promise.resolve({}) });
    const doc = (await res.json()) as { paths: Record<string, Record<string, { security: unknown; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    const want: Record<string, string[]> = {
      '/api/v1/publications': ['get', 'post'],
      '/api/v1/publications/{id}': ['get', 'patch'],
      '/api/v1/publications/{id}/submit': ['post'],
      '/api/v1/publications/{id}/return': ['post'],
      '/api/v1/publications/{id}/approve': ['post'],
      '/api/v1/publications/{id}/versions': ['post'],
      '/api/v1/publications/{id}/retract': ['post'],
    };
    for (const [path, methods] of Object.entries(want)) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual(methods.sort());
      for (const m of methods) {
        expect(doc.paths[path]![m]!.security, `${m} ${path}`).toEqual([{ bearer: [] }]);
        expect(Object.keys(doc.paths[path]![m]!.responses), `${m} ${path}`).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(Object.keys(doc.paths['/api/v1/publications/{id}/approve']!.post!.responses)).toContain('409');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['NewSummary', 'SummaryContent', 'SummaryDraftEdit', 'SummaryRetraction', 'Publication', 'PublicationList', 'PublicationCreated', 'PublicationPublished']));
  });
});
