// Every server action is a public POST endpoint. Each exported action is called here as Next would
// call it, with the cookie session of each role of organisation A (next-auth's auth() is replaced by
// a session of that user; the rest — actorForSession, formAction, lib — runs as in production),
// against resources of A, of B, and with no session at all. Expected outcomes come from can():
//   nobody → "sign in again"; a role the rule refuses → Forbidden; another organisation's id →
//   NotFound, like a missing one; an allowed role on its own resource → done (or the redirect).
// Each is posted from our own page (Origin = Host) unless a test says otherwise: a post without
// Origin or from another site is refused before anything runs.
import { readFileSync } from 'node:fs';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/db';
import { appUser, apiToken } from '@/db/schema';
import { ACTOR_ROLES, can, RULES, type Action, type Actor, type ActorRole, type Resource } from '@/lib/access';
import { issueToken } from '@/lib/auth/tokens';
import { translator } from '@/lib/i18n';
import { inTransaction } from '@/lib/scope';
import { approveSummary, createSummary, submitSummary } from '@/lib/summaries';
import { proposeQuote } from '@/lib/testimonies/quotes';
import { freshDatabase, testDbKind, type TestDatabase } from '../db';
import { actorOf, makeUser, uniq, userRow } from '../fixtures';
import { draft, EXCERPT, securityOrg, submitted, versionOf, type Org, type Role } from './fixtures';
import { SERVER_ACTION_FILES } from './server-action-files';

const session = vi.hoisted(() => ({ current: null as null | { uid: string; sv: number; authTime: number; sid: string } }));
vi.mock('@/lib/auth/config', async (original) => ({ ...(await original<typeof import('@/lib/auth/config')>()), auth: async () => session.current }));
vi.mock('@/lib/i18n', async (original) => {
  const real = await original<typeof import('@/lib/i18n')>();
  return { ...real, getT: async () => real.translator('en') };
});
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {}, updateTag: () => {} }));
const OWN_PAGE = { host: 'ledger.example.org', origin: 'https://ledger.example.org' };
const request = vi.hoisted(() => ({ headers: {} as Record<string, string>, cookiesSet: [] as string[] }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers(request.headers),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: (name: string) => void request.cookiesSet.push(name) }),
}));

import * as account from '@/app/(workspace)/account/actions';
import * as admin from '@/app/(workspace)/admin/actions';
import * as publications from '@/app/(workspace)/publications/actions';
import * as sources from '@/app/(workspace)/sources/actions';
import * as quotes from '@/app/(workspace)/testimonies/[id]/quote-actions';
import * as testimonies from '@/app/(workspace)/testimonies/actions';
import * as session_ from '@/app/_lib/session-actions';
import * as signIn_ from '@/app/sign-in/actions';

const t = translator('en');
type Outcome = 'done' | 'signedOut' | 'forbidden' | 'notFound' | 'refused';
type Whose = 'own' | 'foreign';
type Target = { form: Record<string, string | string[]>; resource?: Resource };

interface Case {
  file: string;
  name: string;
  fn: (prev: never, form: FormData) => Promise<unknown>;
  action: Action;
  /** The form for organisation o (fresh resources where the action changes them); `resource` feeds can(). */
  target: (o: Org, role: Role) => Promise<Target> | Target;
  /** The form names an id: B's id must answer like a missing one. */
  foreign?: boolean;
  /** The action whose roles lib checks before any lookup, when not `action` (revoking: anyone may revoke their own). */
  gate?: Action;
  /** What an allowed actor gets on its own resource, when not "done" (a form that cannot succeed here). */
  own?: Outcome;
}

let database: TestDatabase;
let A: Org;
let B: Org;

async function summaryIn(o: Org, state: 'draft' | 'in_review' | 'published') {
  const { id } = await createSummary(o.reviewer, {
    slug: `s-${uniq()}`,
    language: 'en',
    content: { title: 'Summary under attack', scope: { from: '2023', to: '2023' }, sections: [{ measure: 'workers', by: ['site_type'] }] },
  });
  if (state !== 'draft') await submitSummary(o.reviewer, id);
  if (state === 'published') await approveSummary(o.admin, id);
  return id;
}
const colleague = async (o: Org) => (await makeUser({ id: o.orgId, slug: o.slug }, 'researcher')).id;
const tokenOf = async (userId: string) => {
  const owner = await userRow(userId); // outside the transaction: PGlite has one connection
  return (await inTransaction((tx) => issueToken(tx, null, owner, 'victim', 1))).id;
};
const summaryForm = (extra: Record<string, string> = {}) => ({
  slug: `s-${uniq()}`,
  language: 'en',
  title: 'Summary from the form',
  fromYear: '2023',
  toYear: '2023',
  'sections.0.measure': 'workers',
  'sections.0.by0': 'site_type',
  'sections.0.chart': 'bars',
  ...extra,
});

const CASES: Case[] = [
  // account: the actor's own account (scope self); nothing there names another organisation.
  { file: 'app/(workspace)/account/actions.ts', name: 'confirmTotp', fn: account.confirmTotp, action: 'account.manage', target: () => ({ form: { code: '000000' } }), own: 'refused' },
  { file: 'app/(workspace)/account/actions.ts', name: 'newRecoveryCodes', fn: account.newRecoveryCodes, action: 'account.manage', target: () => ({ form: {} }) },
  { file: 'app/(workspace)/account/actions.ts', name: 'changePasswordAction', fn: account.changePasswordAction, action: 'account.manage', target: () => ({ form: { current: 'not the password', next: 'another long passphrase 42' } }), own: 'refused' },
  { file: 'app/(workspace)/account/actions.ts', name: 'createTokenAction', fn: account.createTokenAction, action: 'token.createOwn', target: () => ({ form: { name: 'mine', days: '5' } }) },
  { file: 'app/(workspace)/account/actions.ts', name: 'revokeOwnTokenAction', fn: account.revokeOwnTokenAction, action: 'token.revokeOwn', foreign: true, target: async (o, role) => ({ form: { id: await tokenOf(o === A ? A[role].userId : o[role].userId) }, resource: { ownerId: A[role].userId } }) },
  {
    file: 'app/(workspace)/account/actions.ts',
    name: "revokeOwnTokenAction (a colleague's token)",
    fn: account.revokeOwnTokenAction,
    action: 'token.revoke',
    gate: 'token.revokeOwn',
    foreign: true,
    target: async (o) => ({ form: { id: await tokenOf(await colleague(o)) } }),
  },
  // admin: users and tokens of the organisation.
  { file: 'app/(workspace)/admin/actions.ts', name: 'createUserAction', fn: admin.createUserAction, action: 'user.create', target: () => ({ form: { email: `new-${uniq()}@example.org`, role: 'researcher' } }) },
  { file: 'app/(workspace)/admin/actions.ts', name: 'changeRoleAction', fn: admin.changeRoleAction, action: 'user.update', foreign: true, target: async (o) => ({ form: { id: await colleague(o), role: 'caseworker' } }) },
  { file: 'app/(workspace)/admin/actions.ts', name: 'disableUserAction', fn: admin.disableUserAction, action: 'user.update', foreign: true, target: async (o) => ({ form: { id: await colleague(o) } }) },
  { file: 'app/(workspace)/admin/actions.ts', name: 'enableUserAction', fn: admin.enableUserAction, action: 'user.update', foreign: true, target: async (o) => ({ form: { id: await colleague(o) } }) },
  { file: 'app/(workspace)/admin/actions.ts', name: 'resetSecondFactorAction', fn: admin.resetSecondFactorAction, action: 'user.update', foreign: true, target: async (o) => ({ form: { id: await colleague(o) } }) },
  { file: 'app/(workspace)/admin/actions.ts', name: 'resetPasswordAction', fn: admin.resetPasswordAction, action: 'user.update', foreign: true, target: async (o) => ({ form: { id: await colleague(o) } }) },
  { file: 'app/(workspace)/admin/actions.ts', name: 'revokeTokenAction', fn: admin.revokeTokenAction, action: 'token.revoke', gate: 'token.revokeOwn', foreign: true, target: async (o) => ({ form: { id: await tokenOf(await colleague(o)) } }) },
  { file: 'app/(workspace)/admin/actions.ts', name: 'extendBudgetAction', fn: admin.extendBudgetAction, action: 'aggregate.budget', foreign: true, target: async (o) => ({ form: { id: await colleague(o), tables: '5' } }) },
  // publications: summaries authored by o's reviewer.
  { file: 'app/(workspace)/publications/actions.ts', name: 'createSummaryAction', fn: publications.createSummaryAction, action: 'summary.author', target: () => ({ form: summaryForm() }) },
  {
    file: 'app/(workspace)/publications/actions.ts',
    name: 'saveDraftAction',
    fn: publications.saveDraftAction,
    action: 'summary.edit',
    gate: 'summary.author',
    foreign: true,
    target: async (o) => ({ form: summaryForm({ id: await summaryIn(o, 'draft'), revision: '1' }), resource: { authorId: A.reviewer.userId } }),
  },
  { file: 'app/(workspace)/publications/actions.ts', name: 'submitAction', fn: publications.submitAction, action: 'summary.edit', gate: 'summary.author', foreign: true, target: async (o) => ({ form: { id: await summaryIn(o, 'draft') }, resource: { authorId: A.reviewer.userId } }) },
  { file: 'app/(workspace)/publications/actions.ts', name: 'returnAction', fn: publications.returnAction, action: 'summary.author', foreign: true, target: async (o) => ({ form: { id: await summaryIn(o, 'in_review') } }) },
  { file: 'app/(workspace)/publications/actions.ts', name: 'approveAction', fn: publications.approveAction, action: 'summary.approve', foreign: true, target: async (o) => ({ form: { id: await summaryIn(o, 'in_review') }, resource: { authorId: A.reviewer.userId } }) },
  { file: 'app/(workspace)/publications/actions.ts', name: 'newVersionAction', fn: publications.newVersionAction, action: 'summary.author', foreign: true, target: async (o) => ({ form: { id: await summaryIn(o, 'published') } }) },
  {
    file: 'app/(workspace)/publications/actions.ts',
    name: 'retractAction',
    fn: publications.retractAction,
    action: 'summary.author',
    foreign: true,
    target: async (o) => ({ form: { id: await summaryIn(o, 'published'), reason: 'Withdrawn for a check of its sources.' } }),
  },
  // sources and claims.
  { file: 'app/(workspace)/sources/actions.ts', name: 'captureSourceAction', fn: sources.captureSourceAction, action: 'source.create', target: () => ({ form: { title: 'Form capture', language: 'en', text: `Captured through the form ${uniq()}` } }) },
  { file: 'app/(workspace)/sources/actions.ts', name: 'updateSourceAction', fn: sources.updateSourceAction, action: 'source.update', foreign: true, target: (o) => ({ form: { id: o.internalSourceId, title: 'Renamed by form', language: 'en', visibility: 'internal' } }) },
  {
    file: 'app/(workspace)/sources/actions.ts',
    name: 'createClaimAction',
    fn: sources.createClaimAction,
    action: 'claim.create',
    foreign: true,
    target: (o) => ({ form: { sourceId: o.internalSourceId, newQuestionKey: `q-${uniq()}`, newQuestionTitle: 'Night shifts', valueKind: 'text', valueText: 'night shifts', excerpt: 'night shifts' } }),
  },
  { file: 'app/(workspace)/sources/actions.ts', name: 'createQuestionAction', fn: sources.createQuestionAction, action: 'claim.create', target: () => ({ form: { key: `q-${uniq()}`, title: 'A question' } }) },
  { file: 'app/(workspace)/sources/actions.ts', name: 'linkSourceAction', fn: sources.linkSourceAction, action: 'testimony.update', foreign: true, target: async (o) => ({ form: { testimonyId: await draft(o), sourceId: o.internalSourceId, relation: 'context' } }) },
  // quotes.
  { file: 'app/(workspace)/testimonies/[id]/quote-actions.ts', name: 'proposeQuoteAction', fn: quotes.proposeQuoteAction, action: 'testimony.update', foreign: true, target: (o) => ({ form: { testimonyId: o.testimonyId, originalText: EXCERPT } }) },
  { file: 'app/(workspace)/testimonies/[id]/quote-actions.ts', name: 'redactionAction (save)', fn: quotes.redactionAction, action: 'testimony.update', foreign: true, target: (o) => ({ form: { quoteId: o.quoteId, redactedText: 'we worked every night', intent: 'save' } }) },
  {
    file: 'app/(workspace)/testimonies/[id]/quote-actions.ts',
    name: 'redactionAction (save and approve)',
    fn: quotes.redactionAction,
    action: 'quote.approve',
    foreign: true,
    target: async (o) => {
      const q = await proposeQuote(o.caseworker, await draft(o), EXCERPT);
      return { form: { quoteId: q.id, redactedText: 'we worked every night on [place]', expectedText: q.redactedText, intent: 'approve' }, resource: { proposedBy: A.caseworker.userId } };
    },
  },
  { file: 'app/(workspace)/testimonies/[id]/quote-actions.ts', name: 'rejectQuoteAction', fn: quotes.rejectQuoteAction, action: 'quote.approve', foreign: true, target: async (o) => ({ form: { quoteId: (await proposeQuote(o.caseworker, await draft(o), EXCERPT)).id } }) },
  // testimonies.
  { file: 'app/(workspace)/testimonies/actions.ts', name: 'createTestimonyAction', fn: testimonies.createTestimonyAction, action: 'testimony.create', target: () => ({ form: { 'consent.method': 'oral' } }) },
  {
    file: 'app/(workspace)/testimonies/actions.ts',
    name: 'updateTestimonyAction',
    fn: testimonies.updateTestimonyAction,
    action: 'testimony.update',
    foreign: true,
    target: async (o) => {
      const id = await draft(o);
      return { form: { id, version: String(await versionOf(id)), narrative: 'rewritten by the form' } };
    },
  },
  { file: 'app/(workspace)/testimonies/actions.ts', name: 'submitAction', fn: testimonies.submitAction, action: 'testimony.update', foreign: true, target: async (o) => ({ form: { id: await draft(o), version: '1' } }) },
  { file: 'app/(workspace)/testimonies/actions.ts', name: 'approveAction', fn: testimonies.approveAction, action: 'testimony.approve', foreign: true, target: async (o) => ({ form: { id: await submitted(o), version: '2' }, resource: { enteredBy: A.caseworker.userId } }) },
  { file: 'app/(workspace)/testimonies/actions.ts', name: 'withdrawAction', fn: testimonies.withdrawAction, action: 'testimony.update', foreign: true, target: async (o) => ({ form: { id: await draft(o), reason: 'The worker asked to withdraw.' } }) },
  // Last: it ends every session of the user.
  { file: 'app/(workspace)/account/actions.ts', name: 'signOutEverywhereAction', fn: account.signOutEverywhereAction, action: 'account.manage', target: () => ({ form: {} }) },
];

// Exported actions that are not formAction(...) endpoints, each with where it is covered.
const OTHER_ACTIONS: Record<string, string> = {
  'app/(workspace)/account/actions.ts#startTotp': 'called below: redirects nobody to sign-in, a signed-in user to the QR step (own account only)',
  'app/(workspace)/testimonies/actions.ts#saveDraftAction': 'called below: nobody gets null, roles without testimony.create are refused',
  'app/_lib/session-actions.ts#setLocale': 'sets the language cookie only; reads and writes no data',
  'app/_lib/session-actions.ts#signOutAction': "ends the caller's own session (lib/actor endSession; e2e/sign-out-everywhere.spec.ts)",
  'app/sign-in/actions.ts#signInAction': 'sign-in itself (lib/auth/sign-in.int.test.ts, e2e/sign-in-lockout.spec.ts)',
};

async function signInAs(actor: Actor | null) {
  if (!actor) return void (session.current = null);
  const user = await userRow(actor.userId);
  session.current = { uid: actor.userId, sv: user.sessionVersion, authTime: Math.floor(Date.now() / 1000), sid: crypto.randomUUID() };
}

function formOf(fields: Record<string, string | string[]>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
  return form;
}

const FORBIDDEN = 'You are not allowed to do this.';
function classify(result: unknown, thrown: unknown): { outcome: Outcome; detail: string } {
  if (thrown) {
    const digest = (thrown as { digest?: string }).digest ?? '';
    if (digest.startsWith('NEXT_REDIRECT')) return { outcome: 'done', detail: digest };
    const message = (thrown as Error).message;
    if (message === FORBIDDEN) return { outcome: 'forbidden', detail: message };
    return { outcome: 'refused', detail: `threw ${message}` };
  }
  const r = result as { ok?: boolean; message?: string; fieldErrors?: unknown };
  if (r.ok) return { outcome: 'done', detail: r.message ?? '' };
  if (r.message === t('signIn.expired')) return { outcome: 'signedOut', detail: r.message };
  if (r.message === FORBIDDEN) return { outcome: 'forbidden', detail: r.message };
  if (r.message?.startsWith('No such')) return { outcome: 'notFound', detail: r.message };
  return { outcome: 'refused', detail: `${r.message} ${JSON.stringify(r.fieldErrors ?? '')}` };
}

function expected(c: Case, role: ActorRole, whose: Whose, resource: Resource = {}): Outcome {
  if (role === 'public') return 'signedOut';
  const actor = A[role as Role];
  // Role-level first, before any lookup: the roles of the rule.
  if (!(RULES[c.gate ?? c.action].roles as readonly ActorRole[]).includes(role)) return 'forbidden';
  if (whose === 'foreign') return 'notFound';
  if (!can(actor, c.action, { orgId: actor.orgId, ownerId: actor.userId, ...resource })) return 'forbidden';
  return c.own ?? 'done';
}

beforeAll(async () => {
  request.headers = OWN_PAGE;
  database = await freshDatabase();
  A = await securityOrg('act-a');
  B = await securityOrg('act-b');
  // Everyone has a second factor (reviewers and admins must, or formAction stops them before lib).
  const users = [A, B].flatMap((o) => [o.researcher, o.caseworker, o.reviewer, o.admin]).map((a) => a.userId);
  await (await db()).update(appUser).set({ totpEnabledAt: new Date() }).where(inArray(appUser.id, users));
});
afterAll(() => database.drop());

describe(`server actions × roles on ${testDbKind}`, () => {
  it('every exported action of every "use server" file is called here or listed with its coverage', () => {
    const exported = SERVER_ACTION_FILES.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^export (?:const|async function|function) (\w+)/gm)].map((m) => `${file}#${m[1]}`));
    const covered = new Set([...CASES.map((c) => `${c.file}#${c.name.split(' ')[0]}`), ...Object.keys(OTHER_ACTIONS)]);
    // Types exported beside the actions are not endpoints.
    expect(exported.filter((e) => !covered.has(e))).toEqual([]);
    expect(exported.length).toBeGreaterThan(30);
  });

  for (const c of CASES) {
    it(`${c.name}: nobody, every role of A, on A's and on B's resources`, async () => {
      const seen: string[] = [];
      for (const role of ACTOR_ROLES) {
        for (const whose of c.foreign ? (['own', 'foreign'] as const) : (['own'] as const)) {
          const { form, resource } = await c.target(whose === 'own' ? A : B, role === 'public' ? 'caseworker' : role);
          await signInAs(role === 'public' ? null : A[role]);
          let result: unknown;
          let thrown: unknown;
          try {
            result = await c.fn({} as never, formOf(form));
          } catch (e) {
            thrown = e;
          }
          const got = classify(result, thrown);
          const want = expected(c, role, whose, resource);
          seen.push(`${role}/${whose}: ${got.outcome}${got.outcome === want ? '' : ` (expected ${want}: ${got.detail.slice(0, 160)})`}`);
        }
      }
      expect(seen.filter((s) => s.includes('expected')), seen.join('\n')).toEqual([]);
    });
  }

  it('startTotp and the testimony autosave: nobody is sent to sign in / gets nothing; the rest as can() says', async () => {
    for (const role of ACTOR_ROLES) {
      // A user without a second factor yet.
      await signInAs(role === 'public' ? null : await actorOf((await makeUser({ id: A.orgId, slug: A.slug }, role)).id));
      const totp = await account.startTotp().then(
        () => 'none',
        (e: { digest?: string }) => e.digest ?? String(e),
      );
      expect(totp, role).toMatch(role === 'public' ? /NEXT_REDIRECT;\w+;\/sign-in;/ : /NEXT_REDIRECT;\w+;\/account\?step=scan/);
      await signInAs(role === 'public' ? null : A[role]);
      const saved = await testimonies.saveDraftAction('new', [['narrative', 'autosaved text']]).then(
        (v) => v,
        (e: Error) => e.message,
      );
      if (role === 'public') expect(saved).toBeNull();
      else if (can(A[role], 'testimony.create', { orgId: A.orgId })) expect(saved).toMatch(/^\d\d:\d\d:\d\d$/);
      else expect(saved).toBe(FORBIDDEN);
    }
  });

  it('a post without Origin (and without Sec-Fetch-Site: same-origin) or from another site is refused before the action runs', async () => {
    const crossSite = t('problems.crossSite');
    const foreign: Record<string, string>[] = [
      { host: OWN_PAGE.host },
      { host: OWN_PAGE.host, origin: 'null' },
      { host: OWN_PAGE.host, 'sec-fetch-site': 'cross-site' },
      { host: OWN_PAGE.host, origin: 'https://evil.example' },
    ];
    const madeByForm = async () => (await (await db()).select({ id: apiToken.id }).from(apiToken).where(eq(apiToken.name, 'mine'))).length; // createTokenAction's form
    const before = await madeByForm();
    const seen: string[] = [];
    try {
      for (const c of CASES) {
        // The role every rule allows, on its own organisation's resource: only the origin is wrong.
        const role: Role = (RULES[c.gate ?? c.action].roles as readonly ActorRole[]).includes('reviewer') ? 'reviewer' : 'admin';
        const { form } = await c.target(A, role);
        await signInAs(A[role]);
        for (const headers of foreign) {
          request.headers = headers;
          const result = (await c.fn({} as never, formOf(form)).catch((e: Error) => ({ threw: e.message }))) as { ok?: boolean; message?: string };
          if (result.ok !== false || result.message !== crossSite) seen.push(`${c.name} ${JSON.stringify(headers)}: ${JSON.stringify(result).slice(0, 160)}`);
        }
      }
      // The actions outside formAction: nothing done, nothing set.
      await signInAs(A.reviewer);
      for (const headers of foreign) {
        request.headers = headers;
        request.cookiesSet = [];
        const what = JSON.stringify(headers);
        expect(await account.startTotp().catch((e: Error) => e.message), what).toBe('Cross-site request refused.');
        expect(await testimonies.saveDraftAction('new', [['narrative', 'forged autosave']]), what).toBeNull();
        expect(await signIn_.signInAction(formOf({ email: 'attacker@example.org', password: 'x' })).catch((e: Error) => e.message), what).toBe('Cross-site request refused.');
        const locale = new FormData();
        locale.set('locale', 'ko');
        await session_.setLocale(locale);
        expect(await session_.signOutAction(), what).toBeUndefined(); // returned before signing out (which redirects)
        expect(request.cookiesSet, what).toEqual([]);
      }
    } finally {
      request.headers = OWN_PAGE;
    }
    expect(seen, seen.join('\n')).toEqual([]);
    expect(await madeByForm()).toBe(before);
  });

  it('proxy.ts answers such a post to a page with 403 in the error shape (Next would run it without Origin, or answer a bare 500)', async () => {
    const { NextRequest } = await import('next/server');
    const { default: proxy } = await import('@/proxy');
    const cases: Record<string, string>[] = [{}, { origin: 'https://evil.example' }, { origin: 'null', 'sec-fetch-site': 'cross-site' }];
    for (const headers of cases) {
      const req = new NextRequest(`https://${OWN_PAGE.host}/publications/new`, { method: 'POST', headers: { host: OWN_PAGE.host, 'next-action': '7f0a', ...headers }, body: '[]' });
      const res = await proxy(req, {} as never);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden', message: 'Cross-site request refused.' } });
    }
  });

  it('a plain form post with "Origin: null" passes on the browser\'s Sec-Fetch-Site: same-origin', async () => {
    await signInAs(A.reviewer);
    request.headers = { host: OWN_PAGE.host, origin: 'null', 'sec-fetch-site': 'same-origin' };
    try {
      const result = await account.createTokenAction({} as never, formOf({ name: 'form post', days: '5' }));
      expect(result).toMatchObject({ ok: true, secret: expect.stringMatching(/^tl_/) });
    } finally {
      request.headers = OWN_PAGE;
    }
  });

  it("the tokens of B's users survived every attempt from A", async () => {
    const rows = await (await db()).select({ revokedAt: apiToken.revokedAt }).from(apiToken).where(eq(apiToken.orgId, B.orgId));
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.filter((r) => r.revokedAt !== null)).toEqual([]);
  });
});

