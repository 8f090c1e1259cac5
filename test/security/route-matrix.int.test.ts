// The route × role matrix: every route handler and method, called with the API token of each role of
// organisation A (and with none), against resources of A, of organisation B and against ids that do
// not exist. The expected answer is derived from RULES in lib/access.ts:
//  - a route that needs a caller, called by nobody: 401;
//  - a role the rule does not list: 403 (before any lookup, so the same for A's, B's and missing ids);
//  - an allowed role on its own organisation's resource: the route's success status;
//  - an allowed role on another organisation's resource: 404, byte for byte the answer to a missing id;
//  - a method the route does not serve: 405, whoever asks.
// Routes that perform no can() action say what they answer instead (public: the same to everyone).
import { readdirSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTOR_ROLES, RULES, type Action, type ActorRole } from '@/lib/access';
import { approveSummary, createSummary, submitSummary } from '@/lib/summaries';
import { freshDatabase, testDbKind, type TestDatabase } from '../db';
import { uniq } from '../fixtures';
import { draft, EXCERPT, proposed, securityOrg, SOURCE_TEXT, submitted, summaryDraft, summaryInReview, summaryPublished, SUMMARY_CONTENT, templateCsv, versionOf, type Org } from './fixtures';
import { call, HTTP_METHODS, ROUTE_MODULES, type HttpMethod } from './routes';
import { SERVER_ACTION_FILES } from './server-action-files';

// No cookie session outside a Next request: the public is a request without any credential.
vi.mock('@/lib/auth/config', async (original) => ({ ...(await original<typeof import('@/lib/auth/config')>()), auth: async () => null }));

type Params = Record<string, string>;
interface Probe {
  name: string;
  file: string;
  method: HttpMethod;
  /** The can() action the route performs; null: none (say what it answers in `open`). */
  action: Action | null;
  /** Without an action: the status every caller gets, signed in or not. */
  open?: number;
  /** The route resolves its caller first (requireActor): nobody gets 401. */
  signIn?: boolean;
  /**
   * A resource of organisation `o` the route acts on (fresh when the call changes it); none for collections.
   * `role` is the caller's, for resources that depend on who asks (a draft its author edits, a version another approves).
   */
  target?: (o: Org, role: ActorRole) => Promise<Params> | Params;
  /** A resource of another organisation this role may see anyway (public source reports). */
  foreignVisible?: boolean;
  /** Roles the rule refuses get this instead of 403 (the report is simply not visible to them). */
  refusedAs?: number;
  body?: (o: Org, params: Params) => Promise<string> | string;
  contentType?: string;
  query?: string;
  ok: number;
}

const idOf = (id: string) => ({ id });
const json = 'application/json';
// Summaries: the caller's own draft (only its author edits it), or one another senior wrote (never approved by its author).
const mine = (o: Org, role: ActorRole) => (role === 'admin' ? o.admin : o.reviewer);
const theirs = (o: Org, role: ActorRole) => (role === 'admin' ? o.reviewer : o.admin);
const PUBLISHED = `published-${uniq()}`;

const PROBES: Probe[] = [
  { name: 'me', file: 'app/api/v1/me/route.ts', method: 'GET', action: 'account.manage', signIn: true, ok: 200 },
  { name: 'list testimonies', file: 'app/api/v1/testimonies/route.ts', method: 'GET', action: 'testimony.read', signIn: true, ok: 200 },
  {
    name: 'create testimony',
    file: 'app/api/v1/testimonies/route.ts',
    method: 'POST',
    action: 'testimony.create',
    signIn: true,
    body: () => JSON.stringify({ consent: { scopes: ['internal'], method: 'oral' } }),
    contentType: json,
    ok: 201,
  },
  { name: 'read testimony', file: 'app/api/v1/testimonies/[id]/route.ts', method: 'GET', action: 'testimony.read', signIn: true, target: (o) => idOf(o.testimonyId), ok: 200 },
  {
    name: 'edit testimony',
    file: 'app/api/v1/testimonies/[id]/route.ts',
    method: 'PATCH',
    action: 'testimony.update',
    signIn: true,
    target: (o) => idOf(o.testimonyId),
    body: async (_o, p) => JSON.stringify({ version: await versionOf(p.id!), hours: { daysPerWeek: 6 } }),
    contentType: json,
    ok: 200,
  },
  { name: 'submit testimony', file: 'app/api/v1/testimonies/[id]/submit/route.ts', method: 'POST', action: 'testimony.update', signIn: true, target: async (o) => idOf(await draft(o)), ok: 200 },
  { name: 'approve testimony', file: 'app/api/v1/testimonies/[id]/approve/route.ts', method: 'POST', action: 'testimony.approve', signIn: true, target: async (o) => idOf(await submitted(o)), ok: 200 },
  {
    name: 'withdraw consent',
    file: 'app/api/v1/testimonies/[id]/consent/withdraw/route.ts',
    method: 'POST',
    action: 'testimony.update',
    signIn: true,
    target: async (o) => idOf(await draft(o)),
    body: () => JSON.stringify({ reason: 'The worker asked to withdraw.' }),
    contentType: json,
    ok: 200,
  },
  { name: 'list sources of a testimony', file: 'app/api/v1/testimonies/[id]/sources/route.ts', method: 'GET', action: 'testimony.read', signIn: true, target: (o) => idOf(o.testimonyId), ok: 200 },
  {
    name: 'link a source to a testimony',
    file: 'app/api/v1/testimonies/[id]/sources/route.ts',
    method: 'POST',
    action: 'testimony.update',
    signIn: true,
    target: async (o) => idOf(await draft(o)),
    body: (o) => JSON.stringify({ sourceId: o.internalSourceId, relation: 'context' }),
    contentType: json,
    ok: 201,
  },
  { name: 'list quotes', file: 'app/api/v1/testimonies/[id]/quotes/route.ts', method: 'GET', action: 'testimony.read', signIn: true, target: (o) => idOf(o.testimonyId), ok: 200 },
  {
    name: 'propose a quote',
    file: 'app/api/v1/testimonies/[id]/quotes/route.ts',
    method: 'POST',
    action: 'testimony.update',
    signIn: true,
    target: (o) => idOf(o.testimonyId),
    body: () => JSON.stringify({ originalText: EXCERPT }),
    contentType: json,
    ok: 201,
  },
  {
    name: 'edit a redaction',
    file: 'app/api/v1/quotes/[id]/route.ts',
    method: 'PATCH',
    action: 'testimony.update',
    signIn: true,
    target: (o) => idOf(o.quoteId),
    body: () => JSON.stringify({ redactedText: 'we worked every night on the roof' }),
    contentType: json,
    ok: 200,
  },
  {
    name: 'approve a quote',
    file: 'app/api/v1/quotes/[id]/approve/route.ts',
    method: 'POST',
    action: 'quote.approve',
    signIn: true,
    target: async (o) => idOf(await proposed(o)),
    body: () => JSON.stringify({ redactedText: 'we worked every night on the roof' }),
    contentType: json,
    ok: 200,
  },
  { name: 'reject a quote', file: 'app/api/v1/quotes/[id]/reject/route.ts', method: 'POST', action: 'quote.approve', signIn: true, target: async (o) => idOf(await proposed(o)), ok: 200 },
  { name: 'search sources', file: 'app/api/v1/sources/route.ts', method: 'GET', action: 'source.readPublic', signIn: true, ok: 200 },
  {
    name: 'capture a source',
    file: 'app/api/v1/sources/route.ts',
    method: 'POST',
    action: 'source.create',
    signIn: true,
    body: () => JSON.stringify({ title: 'Captured', language: 'en', text: `${SOURCE_TEXT} ${uniq()}` }),
    contentType: json,
    ok: 201,
  },
  // An internal report is not visible to a researcher at all: "no such report", as for a missing id.
  { name: 'read an internal source', file: 'app/api/v1/sources/[id]/route.ts', method: 'GET', action: 'source.read', signIn: true, target: (o) => idOf(o.internalSourceId), refusedAs: 404, ok: 200 },
  { name: 'read a public source', file: 'app/api/v1/sources/[id]/route.ts', method: 'GET', action: 'source.readPublic', signIn: true, target: (o) => idOf(o.publicSourceId), foreignVisible: true, ok: 200 },
  {
    name: 'edit a source',
    file: 'app/api/v1/sources/[id]/route.ts',
    method: 'PATCH',
    action: 'source.update',
    signIn: true,
    target: (o) => idOf(o.publicSourceId),
    body: () => JSON.stringify({ title: 'Renamed report', language: 'en', visibility: 'public' }),
    contentType: json,
    ok: 200,
  },
  { name: 'list claims', file: 'app/api/v1/claims/route.ts', method: 'GET', action: 'source.read', signIn: true, ok: 200 },
  {
    name: 'create a claim',
    file: 'app/api/v1/claims/route.ts',
    method: 'POST',
    action: 'claim.create',
    signIn: true,
    body: (o) => JSON.stringify({ question: 'night-shifts', questionTitle: 'Night shifts', sourceId: o.internalSourceId, valueKind: 'text', valueText: 'night shifts', excerpt: 'night shifts' }),
    contentType: json,
    ok: 201,
  },
  { name: 'aggregates', file: 'app/api/v1/aggregates/route.ts', method: 'GET', action: 'aggregate.read', signIn: true, query: 'measure=workers&by=site_type', ok: 200 },
  { name: 'aggregates CSV', file: 'app/(workspace)/aggregates/csv/route.ts', method: 'GET', action: 'aggregate.read', signIn: true, query: 'measure=workers&by=site_type', ok: 200 },
  { name: 'import job', file: 'app/api/v1/imports/[id]/route.ts', method: 'GET', action: 'testimony.import', signIn: true, target: (o) => idOf(o.importJobId), ok: 200 },
  { name: 'import CSV', file: 'app/api/v1/testimonies/import/route.ts', method: 'POST', action: 'testimony.import', signIn: true, body: () => templateCsv(), contentType: 'text/csv', ok: 201 },
  { name: 'export CSV', file: 'app/api/v1/testimonies/export/route.ts', method: 'GET', action: 'testimony.export', signIn: true, ok: 200 },
  { name: 'list publications', file: 'app/api/v1/publications/route.ts', method: 'GET', action: 'summary.read', signIn: true, ok: 200 },
  {
    name: 'create a publication',
    file: 'app/api/v1/publications/route.ts',
    method: 'POST',
    action: 'summary.author',
    signIn: true,
    body: () => JSON.stringify({ slug: `matrix-${uniq()}`, language: 'en', content: SUMMARY_CONTENT }),
    contentType: json,
    ok: 201,
  },
  { name: 'read a publication', file: 'app/api/v1/publications/[id]/route.ts', method: 'GET', action: 'summary.read', signIn: true, target: async (o) => idOf(await summaryDraft(o.reviewer)), ok: 200 },
  {
    name: 'edit a publication draft',
    file: 'app/api/v1/publications/[id]/route.ts',
    method: 'PATCH',
    action: 'summary.edit',
    signIn: true,
    target: async (o, role) => idOf(await summaryDraft(mine(o, role))),
    body: () => JSON.stringify({ content: { ...SUMMARY_CONTENT, title: 'Edited over the API' }, revision: 1 }),
    contentType: json,
    ok: 200,
  },
  { name: 'submit a publication', file: 'app/api/v1/publications/[id]/submit/route.ts', method: 'POST', action: 'summary.edit', signIn: true, target: async (o, role) => idOf(await summaryDraft(mine(o, role))), ok: 200 },
  { name: 'return a publication to draft', file: 'app/api/v1/publications/[id]/return/route.ts', method: 'POST', action: 'summary.author', signIn: true, target: async (o, role) => idOf(await summaryInReview(theirs(o, role))), ok: 200 },
  { name: 'approve a publication', file: 'app/api/v1/publications/[id]/approve/route.ts', method: 'POST', action: 'summary.approve', signIn: true, target: async (o, role) => idOf(await summaryInReview(theirs(o, role))), ok: 200 },
  { name: 'start a new version', file: 'app/api/v1/publications/[id]/versions/route.ts', method: 'POST', action: 'summary.author', signIn: true, target: async (o) => idOf(await summaryPublished(o)), ok: 201 },
  {
    name: 'retract a publication',
    file: 'app/api/v1/publications/[id]/retract/route.ts',
    method: 'POST',
    action: 'summary.author',
    signIn: true,
    target: async (o) => idOf(await summaryPublished(o)),
    body: () => JSON.stringify({ reason: 'Figures under revision.' }),
    contentType: json,
    ok: 200,
  },
  // No can() action: documentation and public reads, the same answer for everyone.
  { name: 'import template', file: 'app/api/v1/testimonies/import/template/route.ts', method: 'GET', action: null, open: 200, ok: 200 },
  { name: 'health', file: 'app/api/health/route.ts', method: 'GET', action: null, open: 200, ok: 200 },
  { name: 'openapi', file: 'app/api/v1/openapi.json/route.ts', method: 'GET', action: null, open: 200, ok: 200 },
  { name: 'unknown API path', file: 'app/api/[...path]/route.ts', method: 'GET', action: null, open: 404, target: () => ({ path: 'testimonies-all' }), ok: 404 },
  // summary.readPublished: instance scope, the public included.
  { name: 'published summaries', file: 'app/api/v1/summaries/route.ts', method: 'GET', action: 'summary.readPublished', ok: 200 },
  { name: 'a published summary', file: 'app/api/v1/summaries/[slug]/route.ts', method: 'GET', action: 'summary.readPublished', target: () => ({ slug: PUBLISHED }), foreignVisible: true, ok: 200 },
  {
    name: 'a published summary as CSV',
    file: 'app/(public)/summaries/[slug]/download/[format]/route.ts',
    method: 'GET',
    action: 'summary.readPublished',
    target: () => ({ slug: PUBLISHED, format: 'csv' }),
    foreignVisible: true,
    ok: 200,
  },
];

// Served outside PROBES, with their own tests below.
const SPECIAL = new Set(['app/(workspace)/testimonies/import/upload/route.ts']);


type Whose = 'own' | 'foreign' | 'missing';

function expected(p: Probe, role: ActorRole, whose: Whose): number {
  if (p.action === null) return p.open!;
  if (p.signIn && role === 'public') return 401;
  const rule = RULES[p.action];
  if (!(rule.roles as readonly ActorRole[]).includes(role)) return p.refusedAs ?? (role === 'public' ? 401 : 403);
  if (whose === 'missing') return 404;
  if (whose === 'foreign' && rule.scope === 'org') return 404;
  return p.ok;
}

let database: TestDatabase;
let A: Org;
let B: Org;

beforeAll(async () => {
  database = await freshDatabase();
  A = await securityOrg('atk-a');
  B = await securityOrg('atk-b');
  // A published summary (of B: public is public, whoever wrote it).
  const { id } = await createSummary(B.reviewer, {
    slug: PUBLISHED,
    language: 'en',
    content: { title: 'Published for the matrix', scope: { from: '2023', to: '2023' }, sections: [{ measure: 'workers', by: ['site_type'] }], sourceIds: [B.publicSourceId] },
  });
  await submitSummary(B.reviewer, id);
  await approveSummary(B.admin, id);
});
afterAll(() => database.drop());

async function probe(p: Probe, role: ActorRole, whose: Whose) {
  const o = whose === 'foreign' ? B : A;
  let params: Params = {};
  if (p.target) {
    params = await p.target(o, role);
    if (whose === 'missing') params = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, k === 'format' || k === 'path' ? v : k === 'slug' ? `missing-${uniq()}` : crypto.randomUUID()]));
  }
  const res = await call(p.file, p.method, {
    token: role === 'public' ? undefined : A.tokens[role],
    params,
    query: p.query,
    body: p.body ? await p.body(A, params) : undefined,
    headers: p.contentType ? { 'content-type': p.contentType } : {},
  });
  const text = await res.text();
  return { status: res.status, text };
}

const scrub = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>').replace(/missing-[0-9a-f]+|published-[0-9a-f]+/g, '<slug>');

describe(`route × role matrix on ${testDbKind}`, () => {
  it('every route file under app/ is in the matrix', () => {
    const files = readdirSync('app', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith(`${sep}route.ts`) || f === 'route.ts')
      .map((f) => `app/${f.split(sep).join('/')}`)
      .sort();
    expect(Object.keys(ROUTE_MODULES).sort()).toEqual(files);
    const probed = new Set([...PROBES.map((p) => p.file), ...SPECIAL]);
    expect(files.filter((f) => !probed.has(f))).toEqual([]);
  });

  it('every API route and method the matrix probes is in the OpenAPI document, and the document describes no other', async () => {
    const doc = (await (await call('app/api/v1/openapi.json/route.ts', 'GET')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    const probed = PROBES.filter((p) => p.file.startsWith('app/api/') && p.file !== 'app/api/[...path]/route.ts').map(
      (p) => `${p.method} ${p.file.slice('app'.length, -'/route.ts'.length).replace(/\[(\w+)\]/g, '{$1}')}`,
    );
    expect(probed.filter((r) => !documented.includes(r)), 'served but not documented').toEqual([]);
    expect(documented.filter((r) => !probed.includes(r)), 'documented but not probed').toEqual([]);
  });

  it("every server action file under app/ is listed (and its actions covered in server-actions.int.test.ts)", () => {
    const files = readdirSync('app', { recursive: true, encoding: 'utf8' })
      .map((f) => `app/${f.split(sep).join('/')}`)
      .filter((f) => /\.(ts|tsx)$/.test(f))
      .filter((f) => /^\s*['"]use server['"]/m.test(readFileSync(f, 'utf8')))
      .sort();
    expect(SERVER_ACTION_FILES.slice().sort()).toEqual(files);
  });

  for (const p of PROBES) {
    it(`${p.method} ${p.name}: ${ACTOR_ROLES.join(', ')} × own, foreign and missing answer as RULES say`, async () => {
      const seen: string[] = [];
      for (const role of ACTOR_ROLES) {
        const wholes: Whose[] = p.target ? ['own', 'foreign', 'missing'] : ['own'];
        const answers: Partial<Record<Whose, { status: number; text: string }>> = {};
        for (const whose of wholes) {
          const a = await probe(p, role, whose);
          answers[whose] = a;
          seen.push(`${role}/${whose}: ${a.status}${a.status === expected(p, role, whose) ? '' : ` (expected ${expected(p, role, whose)}) ${a.text.slice(0, 200)}`}`);
        }
        // A foreign resource the role may not see answers exactly like a missing one.
        if (answers.foreign && answers.missing && !(p.foreignVisible && expected(p, role, 'foreign') === p.ok)) {
          expect(scrub(answers.foreign.text), `${role}: foreign vs missing`).toBe(scrub(answers.missing.text));
        }
      }
      const wrong = seen.filter((s) => s.includes('expected'));
      expect(wrong, seen.join('\n')).toEqual([]);
    });
  }

  it('the no-JavaScript import upload answers every role with a redirect that names only a code or its own job', async () => {
    const locations: Record<string, string> = {};
    for (const role of ACTOR_ROLES) {
      const form = new FormData();
      form.set('file', new File([templateCsv()], '../../etc/passwd', { type: 'text/csv' }));
      const res = await call('app/(workspace)/testimonies/import/upload/route.ts', 'POST', { token: role === 'public' ? undefined : A.tokens[role], body: form });
      expect(res.status).toBe(303);
      locations[role] = res.headers.get('location')!.replace(/[0-9a-f-]{36}/, '<job>');
    }
    const want = (role: ActorRole) =>
      role === 'public' ? '/testimonies/import?error=unauthenticated' : RULES['testimony.import'].roles.includes(role as never) ? '/testimonies/import?job=<job>' : '/testimonies/import?error=forbidden';
    expect(locations).toEqual(Object.fromEntries(ACTOR_ROLES.map((r) => [r, want(r)])));
  });

  it('methods a route does not serve answer 405, whoever asks', async () => {
    const served = new Map<string, Set<string>>();
    for (const p of PROBES) served.set(p.file, new Set([...(served.get(p.file) ?? []), p.method, ...(p.method === 'GET' ? ['HEAD'] : [])]));
    const wrong: string[] = [];
    let n = 0;
    for (const [file, ms] of served) {
      for (const method of HTTP_METHODS) {
        if (ms.has(method) || file === 'app/api/[...path]/route.ts') continue;
        for (const token of [undefined, A.tokens.admin]) {
          const res = await call(file, method, { token, params: { id: A.testimonyId, slug: PUBLISHED, format: 'csv' } });
          n++;
          if (res.status !== 405) wrong.push(`${method} ${file}: ${res.status}`);
        }
      }
    }
    expect(n).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });
});
