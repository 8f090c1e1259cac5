// Issue 16: a researcher's cookie session sent 700 aggregate requests (API, /aggregates, /aggregates/csv)
// without a 429; only tokens were limited. Signed-in browser traffic now counts per user on the
// expensive routes (aggregates, imports, exports, search): the API answers 429 with Retry-After, the
// upload form goes back with the reason, and pages show a readable "too many requests" page in the
// reader's language. Routes and pages are called directly with a mocked session cookie.
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const session = vi.hoisted(() => ({ current: null as null | { uid: string; sv: number; authTime: number; sid: string } }));
const locale = vi.hoisted(() => ({ current: 'en' }));
vi.mock('@/lib/auth/config', async (original) => ({ ...(await original<typeof import('@/lib/auth/config')>()), auth: async () => session.current }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers(),
  cookies: async () => ({ get: (name: string) => (name === 'tl.locale' ? { name, value: locale.current } : undefined), getAll: () => [] }),
}));

import AggregatesPage from '@/app/(workspace)/aggregates/page';
import * as aggregatesCsv from '@/app/(workspace)/aggregates/csv/route';
import SourcesPage from '@/app/(workspace)/sources/page';
import * as upload from '@/app/(workspace)/testimonies/import/upload/route';
import { TooManyRequests } from '@/app/_components/too-many-requests';
import * as aggregatesApi from '@/app/api/v1/aggregates/route';
import * as sourcesApi from '@/app/api/v1/sources/route';
import * as exportApi from '@/app/api/v1/testimonies/export/route';
import * as importApi from '@/app/api/v1/testimonies/import/route';
import { RateLimited } from '@/lib/errors';
import { effectiveLimit, RATE_LIMITS, rateKey } from '@/lib/http/rate-limit';
import { CSV_HEADER } from '@/lib/testimonies/csv';
import { orgWithActors, type RoleActors } from './actors';
import { freshDatabase, type TestDatabase } from './db';
import { userRow } from './fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const noParams = { params: Promise.resolve({}) };
const csv = stringify([CSV_HEADER, CSV_HEADER.map((n) => ({ consent_scopes: 'internal;research', consent_method: 'oral' })[n] ?? '')]);
// A changing request from our own page (the cross-site check wants it).
const OWN_PAGE = { 'sec-fetch-site': 'same-origin' };

let database: TestDatabase;
let org: RoleActors;

async function signIn(userId: string) {
  const row = await userRow(userId);
  session.current = { uid: row.id, sv: row.sessionVersion, authTime: Math.floor(Date.now() / 1000), sid: crypto.randomUUID() };
}

/** Brings the user's counter to its limit: the next expensive request is the first one over it. */
async function fillUp(userId: string) {
  const rule = RATE_LIMITS.sessionExpensive;
  await database.db.execute(
    sql`insert into rate_limit (key, hits, window_ends_at) values (${rateKey(rule, userId)}, ${effectiveLimit(rule)}, now() + interval '30 seconds')
        on conflict (key) do update set hits = excluded.hits, window_ends_at = excluded.window_ends_at`,
  );
}

const get = (mod: Record<string, unknown>, path: string) => (mod.GET as Handler)(new Request(`http://localhost${path}`), noParams);
const postCsv = (mod: Record<string, unknown>, path: string) =>
  (mod.POST as Handler)(new Request(`http://localhost${path}`, { method: 'POST', headers: { ...OWN_PAGE, 'content-type': 'text/csv' }, body: csv }), noParams);
function postForm() {
  const form = new FormData();
  form.set('file', new File([csv], 'rows.csv', { type: 'text/csv' }));
  return upload.POST(new Request('http://localhost/testimonies/import/upload', { method: 'POST', headers: OWN_PAGE, body: form }));
}

async function expectTooMany(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
}

/** A page's answer when over the limit: the "too many requests" page, rendered in English and Korean. */
async function expectTooManyPage(page: unknown) {
  const el = page as { type: unknown; props: Parameters<typeof TooManyRequests>[0] };
  expect(el.type).toBe(TooManyRequests);
  expect(el.props.refused).toBeInstanceOf(RateLimited);
  const html: Record<string, string> = {};
  for (const lang of ['en', 'ko']) {
    locale.current = lang;
    html[lang] = renderToStaticMarkup(await TooManyRequests(el.props));
  }
  locale.current = 'en';
  expect(html.en).toContain('Too many requests');
  expect(html.en).toMatch(/Wait \d+ seconds, then try again/);
  expect(html.ko).toContain('요청이 너무 많습니다');
  expect(html.ko).toMatch(/\d+초 기다린 뒤/);
  return html;
}

beforeAll(async () => {
  database = await freshDatabase();
  org = await orgWithActors('ses-limit');
  // Reviewers and admins sign in with a second factor; these sessions have passed it.
  await database.db.execute(sql`update app_user set totp_enabled_at = now() where id in (${org.reviewer.userId}, ${org.admin.userId})`);
});
afterAll(() => database.drop());

describe('request limits of cookie sessions on the expensive routes', () => {
  it('a researcher over the limit gets 429 from the aggregates API and CSV, and the page says so', async () => {
    await signIn(org.researcher.userId);
    expect((await get(aggregatesApi, '/api/v1/aggregates?measure=workers&by=year')).status).toBe(200);
    expect((await get(aggregatesCsv, '/aggregates/csv?measure=workers&by=year')).status).toBe(200);

    await fillUp(org.researcher.userId);
    await expectTooMany(await get(aggregatesApi, '/api/v1/aggregates?measure=workers&by=year'));
    await expectTooMany(await get(aggregatesCsv, '/aggregates/csv?measure=workers&by=year'));
    const html = await expectTooManyPage(await AggregatesPage({ searchParams: Promise.resolve({ measure: 'workers', by: 'year' }) }));
    expect(html.en).toContain('href="/aggregates?measure=workers&amp;by=year"');
  });

  it('a caseworker over the limit cannot import, export or search until the window ends; another user can', async () => {
    await signIn(org.reviewer.userId);
    expect((await get(exportApi, '/api/v1/testimonies/export')).status).toBe(200);
    await signIn(org.caseworker.userId);
    expect((await postCsv(importApi, '/api/v1/testimonies/import')).status).toBe(201);
    expect((await get(sourcesApi, '/api/v1/sources?q=ledger')).status).toBe(200);

    await fillUp(org.caseworker.userId);
    await expectTooMany(await postCsv(importApi, '/api/v1/testimonies/import'));
    await expectTooMany(await get(sourcesApi, '/api/v1/sources?q=ledger'));
    const back = await postForm();
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/testimonies/import?error=too_many_requests');
    await expectTooManyPage(await SourcesPage({ searchParams: Promise.resolve({ q: 'ledger' }) }));

    await fillUp(org.reviewer.userId);
    await signIn(org.reviewer.userId);
    await expectTooMany(await get(exportApi, '/api/v1/testimonies/export'));
    // The admin's own counter is untouched.
    await signIn(org.admin.userId);
    expect((await get(exportApi, '/api/v1/testimonies/export')).status).toBe(200);
  });
});
