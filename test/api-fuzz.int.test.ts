// The API under generated input: whatever arrives, the answer is never a 5xx, always the error
// shape when it is an error, and never a stack trace. Route handlers are called directly with a
// Bearer token (the path that needs no Next request context), on PGlite and on PostgreSQL.
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as aggregates from '@/app/api/v1/aggregates/route';
import * as me from '@/app/api/v1/me/route';
import * as one from '@/app/api/v1/testimonies/[id]/route';
import * as approve from '@/app/api/v1/testimonies/[id]/approve/route';
import * as withdraw from '@/app/api/v1/testimonies/[id]/consent/withdraw/route';
import * as submit from '@/app/api/v1/testimonies/[id]/submit/route';
import * as list from '@/app/api/v1/testimonies/route';
import * as claims from '@/app/api/v1/claims/route';
import * as source from '@/app/api/v1/sources/[id]/route';
import * as sources from '@/app/api/v1/sources/route';
import * as links from '@/app/api/v1/testimonies/[id]/sources/route';
import * as catchAll from '@/app/api/[...path]/route';
import * as health from '@/app/api/health/route';
import * as importJob from '@/app/api/v1/imports/[id]/route';
import * as openapi from '@/app/api/v1/openapi.json/route';
import * as publicationApprove from '@/app/api/v1/publications/[id]/approve/route';
import * as publicationRetract from '@/app/api/v1/publications/[id]/retract/route';
import * as publicationReturn from '@/app/api/v1/publications/[id]/return/route';
import * as publicationOne from '@/app/api/v1/publications/[id]/route';
import * as publicationSubmit from '@/app/api/v1/publications/[id]/submit/route';
import * as publicationVersions from '@/app/api/v1/publications/[id]/versions/route';
import * as publications from '@/app/api/v1/publications/route';
import * as quoteApprove from '@/app/api/v1/quotes/[id]/approve/route';
import * as quoteReject from '@/app/api/v1/quotes/[id]/reject/route';
import * as quoteOne from '@/app/api/v1/quotes/[id]/route';
import * as testimonyQuotes from '@/app/api/v1/testimonies/[id]/quotes/route';
import * as exportCsv from '@/app/api/v1/testimonies/export/route';
import * as importCsv from '@/app/api/v1/testimonies/import/route';
import * as template from '@/app/api/v1/testimonies/import/template/route';
import { DIMENSION_IDS, MEASURE_IDS } from '@/lib/aggregates/definitions';
import { AggregateAnswerOut } from '@/lib/api/schemas';
import * as aggregatesCsv from '@/app/(workspace)/aggregates/csv/route';
import * as summaryDownload from '@/app/(public)/summaries/[slug]/download/[format]/route';
import * as summaryList from '@/app/api/v1/summaries/route';
import * as summaryOne from '@/app/api/v1/summaries/[slug]/route';
import { issueToken } from '@/lib/auth/tokens';
import { createSummary } from '@/lib/summaries';
import { createTestimony } from '@/lib/testimonies';
import { inTransaction } from '@/lib/scope';
import { orgWithActors, type RoleActors } from './actors';
import { freshDatabase, testDbKind, type TestDatabase } from './db';
import { userRow } from './fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

let database: TestDatabase;
let org: RoleActors;
let token: string;
let testimonyId: string;
// The publications routes answer a caseworker 403 before reading far: they are fuzzed as a reviewer, on a real summary.
let reviewerToken: string;
let summaryId: string;

beforeAll(async () => {
  database = await freshDatabase();
  org = await orgWithActors('fuzz');
  const owner = await userRow(org.caseworker.userId);
  token = (await inTransaction((tx) => issueToken(tx, null, owner, 'fuzz', 1))).token;
  testimonyId = (await createTestimony(org.caseworker, { consent: { scopes: ['internal'], method: 'oral' } })).id;
  const reviewer = await userRow(org.reviewer.userId);
  reviewerToken = (await inTransaction((tx) => issueToken(tx, null, reviewer, 'fuzz', 1))).token;
  summaryId = (
    await createSummary(org.reviewer, { slug: `fuzz-${testimonyId.slice(0, 8)}`, language: 'en', content: { title: 'Fuzzed', scope: { from: '2023', to: '2023' }, sections: [{ measure: 'workers', by: ['site_type'] }] } })
  ).id;
});
afterAll(() => database.drop());

async function call(handler: Handler, method: string, url: string, params: Record<string, string>, body: string | undefined, headers: Record<string, string>, as = token) {
  const req = new Request(`http://localhost${url}`, { method, headers: { authorization: `Bearer ${as}`, ...headers }, body: method === 'GET' ? undefined : body });
  return handler(req, { params: Promise.resolve(params) });
}

async function expectSane(res: Response) {
  expect(res.status, `status ${res.status}`).toBeLessThan(500);
  const text = await res.text();
  expect(text).not.toMatch(/\n\s+at |node_modules|Error: /);
  if (res.status >= 400) {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code).toBe('string');
    expect(typeof body.error?.message).toBe('string');
  }
}

interface FuzzedRoute {
  name: string;
  file: string;
  module: Record<string, unknown>;
  params: (id: string) => Record<string, string>;
  /** Called as a reviewer, with this id standing for "__real__" (default: the caseworker and the testimony). */
  asReviewer?: () => string;
}

const routes: FuzzedRoute[] = [
  { name: 'me', file: 'app/api/v1/me/route.ts', module: me, params: () => ({}) },
  { name: 'testimonies', file: 'app/api/v1/testimonies/route.ts', module: list, params: () => ({}) },
  { name: 'testimony', file: 'app/api/v1/testimonies/[id]/route.ts', module: one, params: (id) => ({ id }) },
  { name: 'submit', file: 'app/api/v1/testimonies/[id]/submit/route.ts', module: submit, params: (id) => ({ id }) },
  { name: 'approve', file: 'app/api/v1/testimonies/[id]/approve/route.ts', module: approve, params: (id) => ({ id }) },
  { name: 'withdraw', file: 'app/api/v1/testimonies/[id]/consent/withdraw/route.ts', module: withdraw, params: (id) => ({ id }) },
  { name: 'sources', file: 'app/api/v1/sources/route.ts', module: sources, params: () => ({}) },
  { name: 'source', file: 'app/api/v1/sources/[id]/route.ts', module: source, params: (id) => ({ id }) },
  { name: 'claims', file: 'app/api/v1/claims/route.ts', module: claims, params: () => ({}) },
  { name: 'aggregates', file: 'app/api/v1/aggregates/route.ts', module: aggregates, params: () => ({}) },
  { name: 'testimony sources', file: 'app/api/v1/testimonies/[id]/sources/route.ts', module: links, params: (id) => ({ id }) },
  { name: 'testimony quotes', file: 'app/api/v1/testimonies/[id]/quotes/route.ts', module: testimonyQuotes, params: (id) => ({ id }) },
  { name: 'quote', file: 'app/api/v1/quotes/[id]/route.ts', module: quoteOne, params: (id) => ({ id }) },
  { name: 'quote approve', file: 'app/api/v1/quotes/[id]/approve/route.ts', module: quoteApprove, params: (id) => ({ id }) },
  { name: 'quote reject', file: 'app/api/v1/quotes/[id]/reject/route.ts', module: quoteReject, params: (id) => ({ id }) },
  { name: 'import job', file: 'app/api/v1/imports/[id]/route.ts', module: importJob, params: (id) => ({ id }) },
  { name: 'import', file: 'app/api/v1/testimonies/import/route.ts', module: importCsv, params: () => ({}) },
  { name: 'import template', file: 'app/api/v1/testimonies/import/template/route.ts', module: template, params: () => ({}) },
  { name: 'export', file: 'app/api/v1/testimonies/export/route.ts', module: exportCsv, params: () => ({}) },
  { name: 'publications', file: 'app/api/v1/publications/route.ts', module: publications, params: () => ({}), asReviewer: () => summaryId },
  { name: 'publication', file: 'app/api/v1/publications/[id]/route.ts', module: publicationOne, params: (id) => ({ id }), asReviewer: () => summaryId },
  { name: 'publication submit', file: 'app/api/v1/publications/[id]/submit/route.ts', module: publicationSubmit, params: (id) => ({ id }), asReviewer: () => summaryId },
  { name: 'publication return', file: 'app/api/v1/publications/[id]/return/route.ts', module: publicationReturn, params: (id) => ({ id }), asReviewer: () => summaryId },
  { name: 'publication approve', file: 'app/api/v1/publications/[id]/approve/route.ts', module: publicationApprove, params: (id) => ({ id }), asReviewer: () => summaryId },
  { name: 'publication versions', file: 'app/api/v1/publications/[id]/versions/route.ts', module: publicationVersions, params: (id) => ({ id }), asReviewer: () => summaryId },
  { name: 'publication retract', file: 'app/api/v1/publications/[id]/retract/route.ts', module: publicationRetract, params: (id) => ({ id }), asReviewer: () => summaryId },
  { name: 'health', file: 'app/api/health/route.ts', module: health, params: () => ({}) },
  { name: 'summaries', file: 'app/api/v1/summaries/route.ts', module: summaryList, params: () => ({}) },
  { name: 'summary', file: 'app/api/v1/summaries/[slug]/route.ts', module: summaryOne, params: (id) => ({ slug: id }) },
  { name: 'openapi', file: 'app/api/v1/openapi.json/route.ts', module: openapi, params: () => ({}) },
  { name: 'unknown route', file: 'app/api/[...path]/route.ts', module: catchAll, params: () => ({ path: 'nope' }) },
  // Route handlers outside app/api that answer in the same error shape.
  { name: 'aggregates CSV', file: 'app/(workspace)/aggregates/csv/route.ts', module: aggregatesCsv, params: () => ({}) },
  { name: 'summary CSV', file: 'app/(public)/summaries/[slug]/download/[format]/route.ts', module: summaryDownload, params: (id) => ({ slug: id, format: 'csv' }) },
  { name: 'summary JSON', file: 'app/(public)/summaries/[slug]/download/[format]/route.ts', module: summaryDownload, params: (id) => ({ slug: id, format: 'json' }) },
];

// Text with what a database refuses: NUL and lone UTF-16 surrogates among ordinary characters.
const awkwardText = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: fc.constantFrom('\u0000', '\uD800', '\uDC00', 'a', '한', '\\'), minLength: 1, maxLength: 8 }));

// A testimony valid but for text the database cannot store (NUL, lone surrogates) in its free-text fields.
const awkwardTestimony = fc.record({
  consent: fc.constant({ scopes: ['internal'], method: 'oral' }),
  interviewLanguage: awkwardText,
  subject: fc.record({ homeProvince: awkwardText }),
  injuries: fc.array(fc.record({ kind: awkwardText, severity: fc.constant('minor'), care: fc.constant('denied') }), { maxLength: 2 }),
  narrative: awkwardText,
});

// A summary valid but for the text of its title and body (NUL, lone surrogates), and near misses of its edits.
const awkwardSummary = fc.record({
  slug: fc.oneof(fc.uuid().map((u) => `fuzz-${u.slice(0, 8)}`), awkwardText),
  language: fc.constantFrom('en', 'ko', 'fr'),
  content: fc.record({
    title: awkwardText.map((t) => `Title ${t}`),
    body: awkwardText,
    scope: fc.record({ from: fc.constantFrom('2023', '2023Q5', '1800', ''), to: fc.constantFrom('2023', '2022') }),
    sections: fc.constantFrom([{ measure: 'workers', by: ['site_type'] }], [{ measure: 'workers', by: ['home_province'] }], []),
  }),
});
const summaryEdit = fc.record({ content: awkwardSummary.map((s) => s.content), revision: fc.oneof(fc.integer(), fc.string()) }, { requiredKeys: [] });

// Bodies: valid JSON of any shape, near-misses of a testimony or a summary, and text that is not JSON at all.
const jsonBody = fc.oneof(
  awkwardSummary.map((o) => JSON.stringify(o)),
  summaryEdit.map((o) => JSON.stringify(o)),
  fc.json(),
  fc.record({ version: fc.oneof(fc.integer(), fc.string()), hours: fc.object(), pay: fc.anything(), reason: fc.string() }).map((o) => JSON.stringify(o)),
  fc.record({
    consent: fc.record({ scopes: fc.array(fc.string()), method: fc.string() }),
    hours: fc.record({ shiftStart: fc.string(), daysPerWeek: fc.double() }),
    injuries: fc.array(fc.object(), { maxLength: 3 }),
  }).map((o) => JSON.stringify(o)),
  awkwardTestimony.map((o) => JSON.stringify(o)),
  fc.string(),
);
const id = fc.oneof(fc.constant('__real__'), fc.uuid(), fc.string(), fc.constant('../../etc/passwd'), fc.constant('%00'));
const query = fc.dictionary(fc.constantFrom('version', 'status', 'limit', 'cursor', 'region', 'from', 'to', 'order', 'indicator', 'x', 'q', 'question', 'reliability', 'language', 'measure', 'by'), fc.string(), { maxKeys: 4 });
const headers = fc.record(
  { 'content-type': fc.constantFrom('application/json', 'text/plain', 'text/csv', ''), 'if-match': fc.oneof(fc.string(), fc.integer().map(String)) },
  { requiredKeys: [] },
);

describe(`API fuzzing on ${testDbKind}`, () => {
  it('covers every route file under app/api', () => {
    const files = readdirSync('app/api', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('route.ts'))
      .map((f) => `app/api/${f.split(sep).join('/')}`)
      .sort();
    expect(routes.map((r) => r.file).filter((f) => f.startsWith('app/api/')).sort()).toEqual(files);
  });

  for (const route of routes) {
    it(`${route.name}: generated bodies, ids, queries and headers never give a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...METHODS), id, jsonBody, query, headers, async (method, rawId, body, q, h) => {
          const handler = route.module[method] as Handler;
          const realId = rawId === '__real__' ? (route.asReviewer?.() ?? testimonyId) : rawId;
          const qs = new URLSearchParams(q).toString();
          await expectSane(await call(handler, method, `/api/v1/x${qs ? `?${qs}` : ''}`, route.params(realId), body, h, route.asReviewer ? reviewerToken : token));
        }),
        { numRuns: 60 },
      );
    });
  }

  it('testimonies: a record valid but for NUL characters or lone surrogates in its text is created or refused (201/422), never a 5xx', async () => {
    const json = { 'content-type': 'application/json' };
    await fc.assert(
      fc.asyncProperty(awkwardTestimony, async (record) => {
        const created = await call(list.POST as Handler, 'POST', '/api/v1/testimonies', {}, JSON.stringify(record), json);
        expect([201, 422]).toContain(created.status);
        await expectSane(created);
        const patch = { interviewLanguage: record.interviewLanguage, injuries: record.injuries, narrative: record.narrative };
        const edited = await call(one.PATCH as Handler, 'PATCH', `/api/v1/testimonies/${testimonyId}`, { id: testimonyId }, JSON.stringify(patch), { ...json, 'if-match': '999' });
        expect([409, 422]).toContain(edited.status);
        await expectSane(edited);
      }),
      { numRuns: 40 },
    );
  });

  it('publications: a summary valid but for NUL characters or lone surrogates in its text is created or refused (201/422), never a 5xx', async () => {
    const json = { 'content-type': 'application/json' };
    await fc.assert(
      fc.asyncProperty(awkwardSummary, async (record) => {
        const sane = { ...record, slug: `fuzz-${crypto.randomUUID().slice(0, 8)}`, language: 'en', content: { ...record.content, scope: { from: '2023', to: '2023' }, sections: [{ measure: 'workers', by: ['site_type'] }] } };
        const created = await call(publications.POST as Handler, 'POST', '/api/v1/publications', {}, JSON.stringify(sane), json, reviewerToken);
        expect([201, 422]).toContain(created.status);
        await expectSane(created);
        const edited = await call(publicationOne.PATCH as Handler, 'PATCH', `/api/v1/publications/${summaryId}`, { id: summaryId }, JSON.stringify({ content: sane.content, revision: 999 }), json, reviewerToken);
        expect([409, 422]).toContain(edited.status);
        await expectSane(edited);
      }),
      { numRuns: 40 },
    );
  });

  it('aggregates: near-miss questions (repeated by, real and unknown names, periods) answer 200 in the documented shape, 403 or 422', async () => {
    const value = fc.oneof(fc.constantFrom(...MEASURE_IDS, ...DIMENSION_IDS, 'home_province', '2024', '2024Q2', '2023Q5', '1800', '2024-03-01', ''), fc.string());
    const pairs = fc.array(fc.tuple(fc.constantFrom('measure', 'by', 'by', 'from', 'to', 'x'), value), { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(pairs, async (list) => {
        const qs = new URLSearchParams(list).toString();
        const res = await call(aggregates.GET as Handler, 'GET', `/api/v1/aggregates?${qs}`, {}, undefined, {});
        expect([200, 403, 422], qs).toContain(res.status);
        if (res.status === 200) AggregateAnswerOut.parse(await res.clone().json());
        await expectSane(res);
      }),
      { numRuns: 150 },
    );
  });

  it('aggregates CSV: generated questions (measures, breakdowns, periods, near misses) never give a 5xx', async () => {
    const value = (known: readonly string[]) => fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 50 }));
    const question = fc.record(
      {
        measure: fc.array(value(MEASURE_IDS), { maxLength: 2 }),
        by: fc.array(value([...DIMENSION_IDS, 'home_province']), { maxLength: 4 }),
        from: fc.array(value(['2023', '2024Q2', '2024-03-01', '1989', '2101Q1']), { maxLength: 2 }),
        to: fc.array(value(['2025', '2022Q4', 'Q3']), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(question, async (q) => {
        const qs = new URLSearchParams(Object.entries(q).flatMap(([k, vs]) => vs.map((v) => [k, v] as [string, string]))).toString();
        const res = await call(aggregatesCsv.GET as Handler, 'GET', `/aggregates/csv${qs ? `?${qs}` : ''}`, {}, undefined, {});
        if (res.status === 200) expect(res.headers.get('content-type')).toContain('text/csv');
        await expectSane(res);
      }),
      { numRuns: 150 },
    );
  });

  it('a wrong or malformed Authorization header is 401 in the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string().map((s) => `Bearer ${s}`), fc.constant('Bearer tl_'), fc.constant('Basic Zm9vOmJhcg==')), async (auth) => {
        let req: Request;
        try {
          req = new Request('http://localhost/api/v1/me', { headers: { authorization: auth } });
        } catch {
          return; // not a header value fetch can even send
        }
        const res = await (me.GET as Handler)(req, { params: Promise.resolve({}) });
        await expectSane(res);
        expect(res.status).toBe(401);
      }),
      { numRuns: 100 },
    );
  });
});
