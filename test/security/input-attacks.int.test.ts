// Input an attacker controls: ids guessed, swapped and malformed; bodies carrying fields that must
// not be set from outside (mass assignment); bodies over the limits; spreadsheet formulas in exports;
// HTML and script in Markdown; file names in uploads.
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/db';
import { claim, quote, sourceReport, summary, summaryVersion, testimony } from '@/db/schema';
import { MAX_JSON_BYTES } from '@/lib/http/route';
import { renderMarkdown } from '@/lib/summaries/markdown';
import { MAX_CSV_INJURIES } from '@/lib/testimonies/csv';
import { importMaxBytes } from '@/lib/testimonies/import';
import { freshDatabase, testDbKind, type TestDatabase } from '../db';
import { uniq } from '../fixtures';
import { draft, EXCERPT, securityOrg, SOURCE_TEXT, summaryDraft, SUMMARY_CONTENT, versionOf, type Org } from './fixtures';
import { call } from './routes';

vi.mock('@/lib/auth/config', async (original) => ({ ...(await original<typeof import('@/lib/auth/config')>()), auth: async () => null }));

let database: TestDatabase;
let A: Org;
let B: Org;

beforeAll(async () => {
  database = await freshDatabase();
  A = await securityOrg('inp-a');
  B = await securityOrg('inp-b');
});
afterAll(() => database.drop());

const rows = async <T,>(q: Promise<T[]>) => q;
const json = { 'content-type': 'application/json' };

describe(`input attacks on ${testDbKind}`, () => {
  it('guessed, malformed and hostile ids answer 404 in the error shape, never 5xx', async () => {
    const ids = [crypto.randomUUID(), '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%00', '\u0000', 'x'.repeat(10_000), "1' or '1'='1", '00000000-0000-0000-0000-000000000000', A.testimonyId.toUpperCase() + 'x', `${A.testimonyId}/../${B.testimonyId}`];
    const routes = [
      ['app/api/v1/testimonies/[id]/route.ts', 'GET'],
      ['app/api/v1/testimonies/[id]/quotes/route.ts', 'GET'],
      ['app/api/v1/testimonies/[id]/sources/route.ts', 'GET'],
      ['app/api/v1/testimonies/[id]/submit/route.ts', 'POST'],
      ['app/api/v1/quotes/[id]/reject/route.ts', 'POST'],
      ['app/api/v1/sources/[id]/route.ts', 'GET'],
      ['app/api/v1/imports/[id]/route.ts', 'GET'],
      ['app/api/v1/publications/[id]/route.ts', 'GET'],
      ['app/api/v1/publications/[id]/submit/route.ts', 'POST'],
      ['app/api/v1/publications/[id]/return/route.ts', 'POST'],
      ['app/api/v1/publications/[id]/approve/route.ts', 'POST'],
      ['app/api/v1/publications/[id]/versions/route.ts', 'POST'],
    ] as const;
    const wrong: string[] = [];
    for (const [file, method] of routes) {
      for (const id of ids) {
        const res = await call(file, method, { token: A.tokens.admin, params: { id } });
        const body = (await res.json()) as { error?: { code?: string } };
        if (res.status !== 404 || body.error?.code !== 'not_found') wrong.push(`${method} ${file} ${JSON.stringify(id.slice(0, 40))}: ${res.status}`);
      }
    }
    for (const slug of ['../../etc/passwd', '%00', 'x'.repeat(5000), 'UPPER', '']) {
      const res = await call('app/api/v1/summaries/[slug]/route.ts', 'GET', { params: { slug } });
      if (res.status !== 404) wrong.push(`summary ${slug.slice(0, 20)}: ${res.status}`);
      const dl = await call('app/(public)/summaries/[slug]/download/[format]/route.ts', 'GET', { params: { slug, format: '../../etc/passwd' } });
      if (dl.status !== 404) wrong.push(`download ${slug.slice(0, 20)}: ${dl.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("another organisation's ids inside a body are as missing: no link, no claim on B's internal report", async () => {
    const own = await draft(A);
    const link = await call('app/api/v1/testimonies/[id]/sources/route.ts', 'POST', { token: A.tokens.caseworker, params: { id: own }, body: JSON.stringify({ sourceId: B.internalSourceId, relation: 'context' }), headers: json });
    const missing = await call('app/api/v1/testimonies/[id]/sources/route.ts', 'POST', { token: A.tokens.caseworker, params: { id: own }, body: JSON.stringify({ sourceId: crypto.randomUUID(), relation: 'context' }), headers: json });
    expect([link.status, await link.text()]).toEqual([missing.status, await missing.text()]);
    expect(link.status).toBe(404);
    const claimBody = (sourceId: string) => JSON.stringify({ question: 'night-shifts', questionTitle: 'Night shifts', sourceId, valueKind: 'text', valueText: 'night shifts', excerpt: 'night shifts' });
    const c = await call('app/api/v1/claims/route.ts', 'POST', { token: A.tokens.caseworker, body: claimBody(B.internalSourceId), headers: json });
    const cm = await call('app/api/v1/claims/route.ts', 'POST', { token: A.tokens.caseworker, body: claimBody(crypto.randomUUID()), headers: json });
    expect([c.status, await c.text()]).toEqual([cm.status, await cm.text()]);
    expect(c.status).toBe(404);
  });

  describe('mass assignment: fields a client must not set are refused or ignored', () => {
    const hostile = () => ({ id: crypto.randomUUID(), organisationId: B.orgId, orgId: B.orgId, role: 'admin', status: 'approved', version: 99, approvedBy: A.reviewer.userId, approvedAt: new Date().toISOString(), enteredBy: B.caseworker.userId });

    it('creating a testimony: refused, or stored in the caller organisation as a version-1 draft by the caller', async () => {
      const res = await call('app/api/v1/testimonies/route.ts', 'POST', { token: A.tokens.caseworker, body: JSON.stringify({ consent: { scopes: ['internal'], method: 'oral' }, ...hostile() }), headers: json });
      if (res.status === 201) {
        const { id } = (await res.json()) as { id: string };
        const [row] = await rows((await db()).select().from(testimony).where(eq(testimony.id, id)));
        expect(row).toMatchObject({ orgId: A.orgId, status: 'draft', version: 1, approvedBy: null, enteredBy: A.caseworker.userId });
      } else expect(res.status).toBe(422);
    });

    it('editing a testimony: any field outside the editable ones is refused and nothing changes', async () => {
      const id = await draft(A);
      const version = await versionOf(id);
      for (const [k, v] of Object.entries(hostile())) {
        if (k === 'version') continue;
        const res = await call('app/api/v1/testimonies/[id]/route.ts', 'PATCH', { token: A.tokens.admin, params: { id }, body: JSON.stringify({ version, [k]: v }), headers: json });
        expect(res.status, k).toBe(422);
      }
      const [row] = await rows((await db()).select().from(testimony).where(eq(testimony.id, id)));
      expect(row).toMatchObject({ orgId: A.orgId, status: 'draft', version, approvedBy: null });
    });

    it('workflow and quote bodies are strict: extra fields are refused', async () => {
      const id = await draft(A);
      for (const [file, params, body] of [
        ['app/api/v1/testimonies/[id]/submit/route.ts', { id }, { approvedBy: A.reviewer.userId }],
        ['app/api/v1/testimonies/[id]/approve/route.ts', { id }, { status: 'approved' }],
        ['app/api/v1/testimonies/[id]/consent/withdraw/route.ts', { id }, { reason: 'asked', orgId: B.orgId }],
        ['app/api/v1/testimonies/[id]/quotes/route.ts', { id: A.testimonyId }, { originalText: EXCERPT, status: 'approved' }],
        ['app/api/v1/quotes/[id]/route.ts', { id: A.quoteId }, { redactedText: 'we worked', status: 'approved', approvedBy: A.reviewer.userId }],
        ['app/api/v1/quotes/[id]/approve/route.ts', { id: A.quoteId }, { approvedBy: A.caseworker.userId }],
        ['app/api/v1/quotes/[id]/reject/route.ts', { id: A.quoteId }, { status: 'proposed' }],
      ] as const) {
        const method = file.endsWith('quotes/[id]/route.ts') ? 'PATCH' : 'POST';
        const res = await call(file, method, { token: A.tokens.admin, params, body: JSON.stringify(body), headers: json });
        expect(res.status, file).toBe(422);
      }
      const [q] = await rows((await db()).select().from(quote).where(eq(quote.id, A.quoteId)));
      expect(q).toMatchObject({ status: 'proposed', approvedBy: null });
      const [t] = await rows((await db()).select().from(testimony).where(eq(testimony.id, id)));
      expect(t).toMatchObject({ status: 'draft', version: 1 });
    });

    it('publications: bodies are strict, so the organisation, author, status and revision come from the server', async () => {
      const id = await summaryDraft(A.reviewer);
      const create = await call('app/api/v1/publications/route.ts', 'POST', {
        token: A.tokens.reviewer,
        body: JSON.stringify({ slug: `mass-${uniq()}`, language: 'en', content: SUMMARY_CONTENT, ...hostile(), createdBy: B.reviewer.userId }),
        headers: json,
      });
      expect(create.status).toBe(422);
      for (const [file, body] of [
        ['app/api/v1/publications/[id]/route.ts', { content: SUMMARY_CONTENT, revision: 1, status: 'published', authorId: A.admin.userId }],
        ['app/api/v1/publications/[id]/route.ts', { content: { ...SUMMARY_CONTENT, orgId: B.orgId }, revision: 1 }],
        ['app/api/v1/publications/[id]/submit/route.ts', { status: 'published' }],
        ['app/api/v1/publications/[id]/return/route.ts', { status: 'draft' }],
        ['app/api/v1/publications/[id]/approve/route.ts', { approverId: A.admin.userId }],
        ['app/api/v1/publications/[id]/versions/route.ts', { number: 7 }],
        ['app/api/v1/publications/[id]/retract/route.ts', { reason: 'Figures under revision.', retractedBy: B.reviewer.userId }],
      ] as const) {
        const res = await call(file, file.endsWith('[id]/route.ts') ? 'PATCH' : 'POST', { token: A.tokens.reviewer, params: { id }, body: JSON.stringify(body), headers: json });
        expect(res.status, file).toBe(422);
      }
      const [s] = await rows((await db()).select().from(summary).where(eq(summary.id, id)));
      expect(s).toMatchObject({ orgId: A.orgId, createdBy: A.reviewer.userId, retractedAt: null });
      const versions = await rows((await db()).select().from(summaryVersion).where(eq(summaryVersion.summaryId, id)));
      expect(versions).toEqual([expect.objectContaining({ number: 1, status: 'draft', revision: 1, authorId: A.reviewer.userId, approverId: null })]);
    });

    it('sources and claims: the organisation, id, author and hash come from the server', async () => {
      const text = `${SOURCE_TEXT} ${uniq()}`;
      const res = await call('app/api/v1/sources/route.ts', 'POST', {
        token: A.tokens.caseworker,
        body: JSON.stringify({ title: 'Mass', language: 'en', text, ...hostile(), capturedBy: B.caseworker.userId, textHash: '0'.repeat(64) }),
        headers: json,
      });
      expect([201, 422]).toContain(res.status);
      if (res.status === 201) {
        const { id } = (await res.json()) as { id: string };
        const [row] = await rows((await db()).select().from(sourceReport).where(eq(sourceReport.id, id)));
        expect(row!.orgId).toBe(A.orgId);
        expect(row!.capturedBy).toBe(A.caseworker.userId);
        expect(row!.textHash).not.toBe('0'.repeat(64));
      }
      const patch = await call('app/api/v1/sources/[id]/route.ts', 'PATCH', { token: A.tokens.caseworker, params: { id: A.internalSourceId }, body: JSON.stringify({ title: 'Moved?', language: 'en', ...hostile() }), headers: json });
      expect([200, 422]).toContain(patch.status);
      const [src] = await rows((await db()).select().from(sourceReport).where(eq(sourceReport.id, A.internalSourceId)));
      expect(src!.orgId).toBe(A.orgId);
      const c = await call('app/api/v1/claims/route.ts', 'POST', {
        token: A.tokens.caseworker,
        body: JSON.stringify({ question: 'mass-assign', questionTitle: 'Mass', sourceId: A.internalSourceId, valueKind: 'text', valueText: 'x', excerpt: 'night shifts', ...hostile(), createdBy: B.caseworker.userId }),
        headers: json,
      });
      expect([201, 422]).toContain(c.status);
      if (c.status === 201) {
        const { id } = (await c.json()) as { id: string };
        const [row] = await rows((await db()).select().from(claim).where(eq(claim.id, id)));
        expect(row).toMatchObject({ orgId: A.orgId, createdBy: A.caseworker.userId });
      }
    });
  });

  it('every body-taking route answers 413 for a body over its limit, declared or not', async () => {
    const id = await draft(A);
    const publication = await summaryDraft(A.admin);
    const big = (n: number) => JSON.stringify({ narrative: 'x'.repeat(n) });
    const routes: [string, string, Record<string, string>, number][] = [
      ['app/api/v1/testimonies/route.ts', 'POST', {}, MAX_JSON_BYTES],
      ['app/api/v1/testimonies/[id]/route.ts', 'PATCH', { id }, MAX_JSON_BYTES],
      ['app/api/v1/testimonies/[id]/submit/route.ts', 'POST', { id }, MAX_JSON_BYTES],
      ['app/api/v1/testimonies/[id]/approve/route.ts', 'POST', { id }, MAX_JSON_BYTES],
      ['app/api/v1/testimonies/[id]/consent/withdraw/route.ts', 'POST', { id }, MAX_JSON_BYTES],
      ['app/api/v1/testimonies/[id]/sources/route.ts', 'POST', { id }, MAX_JSON_BYTES],
      ['app/api/v1/testimonies/[id]/quotes/route.ts', 'POST', { id }, MAX_JSON_BYTES],
      ['app/api/v1/quotes/[id]/route.ts', 'PATCH', { id: A.quoteId }, MAX_JSON_BYTES],
      ['app/api/v1/quotes/[id]/approve/route.ts', 'POST', { id: A.quoteId }, MAX_JSON_BYTES],
      ['app/api/v1/quotes/[id]/reject/route.ts', 'POST', { id: A.quoteId }, MAX_JSON_BYTES],
      ['app/api/v1/sources/route.ts', 'POST', {}, 2_000_000],
      ['app/api/v1/sources/[id]/route.ts', 'PATCH', { id: A.internalSourceId }, MAX_JSON_BYTES],
      ['app/api/v1/claims/route.ts', 'POST', {}, MAX_JSON_BYTES],
      ['app/api/v1/publications/route.ts', 'POST', {}, MAX_JSON_BYTES],
      ['app/api/v1/publications/[id]/route.ts', 'PATCH', { id: publication }, MAX_JSON_BYTES],
      ['app/api/v1/publications/[id]/submit/route.ts', 'POST', { id: publication }, MAX_JSON_BYTES],
      ['app/api/v1/publications/[id]/return/route.ts', 'POST', { id: publication }, MAX_JSON_BYTES],
      ['app/api/v1/publications/[id]/approve/route.ts', 'POST', { id: publication }, MAX_JSON_BYTES],
      ['app/api/v1/publications/[id]/versions/route.ts', 'POST', { id: publication }, MAX_JSON_BYTES],
      ['app/api/v1/publications/[id]/retract/route.ts', 'POST', { id: publication }, MAX_JSON_BYTES],
    ];
    const wrong: string[] = [];
    for (const [file, method, params, limit] of routes) {
      const sent = await call(file, method, { token: A.tokens.admin, params, body: big(limit), headers: json });
      const declared = await call(file, method, { token: A.tokens.admin, params, body: '{}', headers: { ...json, 'content-length': String(limit + 1) } });
      for (const [how, res] of [['sent', sent], ['declared', declared]] as const) {
        const code = ((await res.json()) as { error?: { code?: string } }).error?.code;
        if (res.status !== 413 || code !== 'too_large') wrong.push(`${method} ${file} (${how}): ${res.status}`);
      }
    }
    const csv = await call('app/api/v1/testimonies/import/route.ts', 'POST', { token: A.tokens.admin, body: 'a', headers: { 'content-type': 'text/csv', 'content-length': String(importMaxBytes() + 1) } });
    if (csv.status !== 413) wrong.push(`import: ${csv.status}`);
    expect(wrong).toEqual([]);
    // Nothing was written by any of them.
    expect(await versionOf(id)).toBe(1);
    const [open] = await rows((await db()).select().from(summaryVersion).where(eq(summaryVersion.summaryId, publication)));
    expect(open).toMatchObject({ status: 'draft', revision: 1 });
  });

  it('CSV export: a cell starting with = + - @, a tab or a carriage return is escaped', async () => {
    const payloads = ['=HYPERLINK("http://evil.example","x")', '+1+cmd|calc', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1'];
    for (let i = 0; i < payloads.length; i += MAX_CSV_INJURIES) {
      await draft(A, { injuries: payloads.slice(i, i + MAX_CSV_INJURIES).map((kind) => ({ kind, severity: 'minor', care: 'received' })) });
    }
    const res = await call('app/api/v1/testimonies/export/route.ts', 'GET', { token: A.tokens.admin });
    expect(res.status).toBe(200);
    const table = parse(await res.text(), { relax_column_count: true }) as string[][];
    const cells = table.flat();
    for (const p of payloads.slice(0, 4)) expect(cells, p).toContain(`'${p}`);
    // No cell of the export may start as a formula.
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });

  it('Markdown in a summary body renders no script, no event handler and no link but http(s)', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](  javascript:alert(1))',
      '[x](&#106;avascript:alert(1))',
      '[x](java\nscript:alert(1))',
      '<javascript:alert(1)>',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](vbscript:msgbox(1))',
      '![x](http://evil.example/pixel.png)',
      '[x](http://ok.example "title\\" onmouseover=\\"alert(1))',
      '<svg onload=alert(1)>',
      '<iframe src="http://evil.example"></iframe>',
      '[<img src=x onerror=alert(1)>](http://ok.example)',
      '`<script>`',
    ];
    for (const a of attacks) {
      const html = renderMarkdown(`Before ${a} after`);
      expect(html, a).not.toMatch(/<script|<img|<svg|<iframe/i);
      // Attributes only inside real tags: every tag's attributes are href and rel.
      for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
        expect(tag, a).not.toMatch(/\son\w+\s*=/i);
        const href = /href="([^"]*)"/.exec(tag)?.[1];
        if (href !== undefined) expect(href, a).toMatch(/^https?:\/\//i);
      }
    }
  });

  it('an uploaded file name is never a path: the import upload stores nothing under it', async () => {
    const name = `../../../tmp/atk-${uniq()}.csv`;
    const form = new FormData();
    form.set('file', new File(['subject_code\r\n'], name, { type: 'text/csv' }));
    const res = await call('app/(workspace)/testimonies/import/upload/route.ts', 'POST', { token: A.tokens.caseworker, body: form });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).not.toContain('tmp');
    const { existsSync } = await import('node:fs');
    expect(existsSync(name.replace(/^(\.\.\/)+/, '/'))).toBe(false);
  });
});
