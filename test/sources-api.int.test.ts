// The source and claim routes, called with a Bearer token like a client would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as claims from '@/app/api/v1/claims/route';
import * as openapi from '@/app/api/v1/openapi.json/route';
import * as oneSource from '@/app/api/v1/sources/[id]/route';
import * as sources from '@/app/api/v1/sources/route';
import * as links from '@/app/api/v1/testimonies/[id]/sources/route';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { createTestimony } from '@/lib/testimonies';
import { orgWithActors, type RoleActors } from './actors';
import { freshDatabase, testDbKind, type TestDatabase } from './db';
import { userRow } from './fixtures';
import { ENGLISH_ENTRIES, POLISH_ENTRIES } from './source-fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;
let tokenA: string;
let tokenB: string;

async function tokenFor(userId: string) {
  const owner = await userRow(userId);
  return (await inTransaction((tx) => issueToken(tx, null, owner, 'api test', 1))).token;
}

async function call(handler: unknown, token: string, method: string, url: string, body?: unknown, params: Record<string, string> = {}) {
  const req = new Request(`http://localhost${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await (handler as Handler)(req, { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('api-sa');
  b = await orgWithActors('api-sb');
  tokenA = await tokenFor(a.caseworker.userId);
  tokenB = await tokenFor(b.caseworker.userId);
});
afterAll(() => database.drop());

describe(`sources API on ${testDbKind}`, () => {
  let enId: string;

  it('POST /sources: 201 for a new report, 200 with the same id for the same text', async () => {
    const first = await call(sources.POST, tokenA, 'POST', '/api/v1/sources', { text: ENGLISH_ENTRIES, publisher: 'Border Monitor', reliability: 'B', credibility: '2' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, language: 'en' });
    enId = first.body.id as string;
    const again = await call(sources.POST, tokenA, 'POST', '/api/v1/sources', { text: `${ENGLISH_ENTRIES.replace(/\n/g, '\r\n')}\n\n` });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: enId, duplicate: true });
  });

  it('GET /sources?q= finds a Polish report with a Polish query and gives snippets', async () => {
    const pl = await call(sources.POST, tokenA, 'POST', '/api/v1/sources', { text: POLISH_ENTRIES });
    expect(pl.status).toBe(201);
    const found = await call(sources.GET, tokenA, 'GET', `/api/v1/sources?q=${encodeURIComponent('wizy studenckie')}`);
    expect(found.status).toBe(200);
    const list = found.body.sources as { id: string; snippet: { hit: boolean }[] }[];
    expect(list.map((s) => s.id)).toEqual([pl.body.id]);
    expect(list[0]!.snippet.some((p) => p.hit)).toBe(true);
    expect((await call(sources.GET, tokenA, 'GET', '/api/v1/sources?reliability=Z')).status).toBe(422);
  });

  it("GET /sources/{id}: another organisation's internal report is 404, and absent from its search", async () => {
    expect((await call(oneSource.GET, tokenA, 'GET', `/api/v1/sources/${enId}`, undefined, { id: enId })).status).toBe(200);
    const other = await call(oneSource.GET, tokenB, 'GET', `/api/v1/sources/${enId}`, undefined, { id: enId });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: { code: 'not_found', message: 'No such source report.', requestId: expect.any(String) } });
    const search = await call(sources.GET, tokenB, 'GET', '/api/v1/sources?q=arrivals');
    expect(search.body.sources).toEqual([]);
  });

  it('POST /claims: 422 with a clear message for an excerpt not in the text; 201 and listed side by side otherwise', async () => {
    const claim = { question: 'north-korean-entries-to-russia', questionTitle: 'North Korean entries to Russia', sourceId: enId, valueKind: 'number', value: 13500, unit: 'people', period: '2024' };
    const bad = await call(claims.POST, tokenA, 'POST', '/api/v1/claims', { ...claim, excerpt: 'counted 14,000 arrivals' });
    expect(bad.status).toBe(422);
    expect((bad.body.error as { message: string }).message).toMatch(/excerpt is not in the captured text/);
    const good = await call(claims.POST, tokenA, 'POST', '/api/v1/claims', { ...claim, excerpt: 'counted 13,500 arrivals' });
    expect(good.status).toBe(201);
    const listed = await call(claims.GET, tokenA, 'GET', '/api/v1/claims?question=north-korean-entries-to-russia');
    expect(listed.status).toBe(200);
    const [q] = listed.body.questions as { claims: { valueLow: number; agreement: string }[] }[];
    expect(q!.claims).toEqual([expect.objectContaining({ valueLow: 13500, agreement: 'alone' })]);
    expect((await call(claims.GET, tokenB, 'GET', '/api/v1/claims?question=north-korean-entries-to-russia')).status).toBe(404);
  });

  it('POST /testimonies/{id}/sources links a report; another organisation gets 404', async () => {
    const { id } = await createTestimony(a.caseworker, { consent: { scopes: ['internal'], method: 'oral' } });
    const made = await call(links.POST, tokenA, 'POST', `/api/v1/testimonies/${id}/sources`, { sourceId: enId, relation: 'corroborates', note: 'same year' }, { id });
    expect(made.status).toBe(201);
    const listed = await call(links.GET, tokenA, 'GET', `/api/v1/testimonies/${id}/sources`, undefined, { id });
    expect(listed.body.links).toEqual([expect.objectContaining({ sourceId: enId, relation: 'corroborates', note: 'same year' })]);
    expect((await call(links.GET, tokenB, 'GET', `/api/v1/testimonies/${id}/sources`, undefined, { id })).status).toBe(404);
    expect((await call(links.POST, tokenA, 'POST', `/api/v1/testimonies/${id}/sources`, { sourceId: enId, relation: 'corroborates' }, { id })).status).toBe(409);
  });

  it('the OpenAPI document describes every new route and schema', async () => {
    const res = await (openapi.GET as Handler)(new Request('http://localhost/api/v1/openapi.json'), { params: Promise.resolve({}) });
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths['/api/v1/sources']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/v1/sources/{id}']!)).toContain('get');
    expect(Object.keys(doc.paths['/api/v1/claims']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/v1/testimonies/{id}/sources']!)).toContain('post');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['NewSource', 'NewClaim', 'NewSourceLink', 'SourceCaptured', 'SourceSearchResult', 'ClaimsByQuestion']));
  });
});
