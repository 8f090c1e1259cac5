// Links never leak: a public summary citing reports, a testimony linked to reports, a claim standing
// on a report. No public or researcher answer — nor a staff answer of another organisation — may
// reveal the title, existence or text of an internal report through a link, a count or an error.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClaim } from '@/lib/claims';
import { captureSource, updateSource } from '@/lib/sources';
import { linkSource } from '@/lib/sources/links';
import { approveSummary, createSummary, getOrgSummary, listOrgSummaries, submitSummary, updateDraft } from '@/lib/summaries';
import { freshDatabase, testDbKind, type TestDatabase } from '../db';
import { uniq } from '../fixtures';
import { draft, securityOrg, type Org } from './fixtures';
import { call } from './routes';

vi.mock('@/lib/auth/config', async (original) => ({ ...(await original<typeof import('@/lib/auth/config')>()), auth: async () => null }));

const SECRET_TITLE = `Shelter address list ${uniq()}`;
const SECRET_TEXT = `Names of the families sheltered near the border ${uniq()}`;
const TURNED_TITLE = `Report withdrawn to internal ${uniq()}`;
const TURNED_TEXT = `Text of a report its organisation later made internal ${uniq()}`;

let database: TestDatabase;
let A: Org;
let B: Org;
let secretId: string;
let turnedId: string;
let slug: string;
let linkedTestimony: string;

const content = (sourceIds: string[], claimIds: string[] = []) => ({
  title: 'Sites in 2023',
  scope: { from: '2023', to: '2023' },
  sections: [{ measure: 'workers' as const, by: ['site_type'] }],
  sourceIds,
  claimIds,
});

beforeAll(async () => {
  database = await freshDatabase();
  A = await securityOrg('leak-a');
  B = await securityOrg('leak-b');
  secretId = (await captureSource(A.caseworker, { title: SECRET_TITLE, language: 'en', visibility: 'internal', text: SECRET_TEXT })).id;
  // B's report is public when A links it and makes a claim on it; B later makes it internal.
  turnedId = (await captureSource(B.caseworker, { title: TURNED_TITLE, publisher: 'Turned publisher', language: 'en', visibility: 'public', text: TURNED_TEXT })).id;
  linkedTestimony = await draft(A);
  await linkSource(A.caseworker, linkedTestimony, { sourceId: turnedId, relation: 'corroborates' });
  await createClaim(A.caseworker, { question: 'turned-report', questionTitle: 'Turned report', sourceId: turnedId, valueKind: 'text', valueText: 'later internal', excerpt: 'Text of a report' });
  await updateSource(B.caseworker, turnedId, { title: TURNED_TITLE, publisher: 'Turned publisher', language: 'en', visibility: 'internal' });
  slug = `leak-${uniq()}`;
  const { id } = await createSummary(A.reviewer, { slug, language: 'en', content: content([A.publicSourceId]) });
  await submitSummary(A.reviewer, id);
  await approveSummary(A.admin, id);
});
afterAll(() => database.drop());

const secrets = () => [SECRET_TITLE, SECRET_TEXT, secretId, A.internalSourceId, B.internalSourceId, TURNED_TITLE, TURNED_TEXT, 'Turned publisher'];
const expectNoSecret = (text: string, where: string) => {
  for (const s of secrets()) expect(text.includes(s), `${where} reveals ${s.slice(0, 30)}`).toBe(false);
};

describe(`links never leak on ${testDbKind}`, () => {
  it('a summary may cite only public reports of its organisation; the refusal names nothing', async () => {
    for (const ids of [[secretId], [B.publicSourceId], [crypto.randomUUID()]]) {
      const err = await createSummary(A.reviewer, { slug: `x-${uniq()}`, language: 'en', content: content(ids) })
        .then(async ({ id }) => {
          await submitSummary(A.reviewer, id);
          return approveSummary(A.admin, id);
        })
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(err, String(ids)).not.toBeNull();
      expectNoSecret(err!.message, 'the refusal');
    }
    // An internal report and a missing one are refused with the same words.
    const msg = async (id: string) =>
      createSummary(A.reviewer, { slug: `y-${uniq()}`, language: 'en', content: content([id]) })
        .then(async ({ id: s }) => {
          await submitSummary(A.reviewer, s);
          await approveSummary(A.admin, s);
          return 'published';
        })
        .catch((e: Error) => e.message);
    expect(await msg(secretId)).toBe(await msg(crypto.randomUUID()));
  });

  it("a draft refuses at save what it could not publish; another organisation's source, claim or quote answers like a missing id (422), nothing stored", async () => {
    const claimOf = (o: Org, sourceId: string) =>
      createClaim(o.caseworker, { question: `q-${uniq()}`, questionTitle: 'Night shifts', sourceId, valueKind: 'text', valueText: 'night shifts', excerpt: 'night shifts' }).then((c) => c.id);
    const ownClaim = await claimOf(A, A.publicSourceId);
    const foreignClaim = await claimOf(B, B.publicSourceId);
    const missing = crypto.randomUUID();
    const kinds: [string, string[], string][] = [
      // [field, ids refused like a missing one, an id that is fine]
      ['sourceIds', [B.internalSourceId, B.publicSourceId, secretId, A.internalSourceId], A.publicSourceId],
      ['claimIds', [foreignClaim], ownClaim],
      ['quoteIds', [B.quoteId], ''],
    ];
    const refusal = async (promise: Promise<unknown>) =>
      promise.then(
        () => 'stored',
        (e: Error & { status?: number; issues?: unknown }) => JSON.stringify({ status: e.status, message: e.message, issues: e.issues }),
      );
    const draftId = (await createSummary(A.reviewer, { slug: `d-${uniq()}`, language: 'en', content: content([A.publicSourceId], [ownClaim]) })).id;
    for (const [field, refused, fine] of kinds) {
      const slug = `z-${uniq()}`;
      const asMissing = await refusal(createSummary(A.reviewer, { slug, language: 'en', content: { ...content([]), [field]: [missing] } }));
      expect(asMissing, field).toMatch(/^{"status":422,/);
      for (const id of refused) {
        expect(await refusal(createSummary(A.reviewer, { slug, language: 'en', content: { ...content([]), [field]: fine ? [fine, id] : [id] } })), `${field} ${id}`).toBe(asMissing);
        expect(await refusal(updateDraft(A.reviewer, draftId, { content: { ...content([]), [field]: [id] }, revision: 1 })), `${field} ${id}`).toBe(asMissing);
        expectNoSecret(asMissing, field);
      }
      // Nothing was created, nothing saved.
      expect((await listOrgSummaries(A.reviewer)).map((x) => x.slug)).not.toContain(slug);
    }
    const kept = await getOrgSummary(A.reviewer, draftId);
    expect(kept.versions).toMatchObject([{ revision: 1, content: { sourceIds: [A.publicSourceId], claimIds: [ownClaim] } }]);
    // Through the API, the answers are the same bytes.
    const patch = (ids: string[]) =>
      call('app/api/v1/publications/[id]/route.ts', 'PATCH', { token: A.tokens.reviewer, params: { id: draftId }, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: content(ids), revision: 1 }) });
    const [foreign, none] = [await patch([B.internalSourceId]), await patch([missing])];
    expect(foreign.status).toBe(422);
    expect(await foreign.text()).toBe(await none.text());
  });

  it('the public answers of a published summary carry its public sources only', async () => {
    const answers = [
      await call('app/api/v1/summaries/[slug]/route.ts', 'GET', { params: { slug } }),
      await call('app/api/v1/summaries/route.ts', 'GET'),
      await call('app/(public)/summaries/[slug]/download/[format]/route.ts', 'GET', { params: { slug, format: 'json' } }),
      await call('app/(public)/summaries/[slug]/download/[format]/route.ts', 'GET', { params: { slug, format: 'csv' } }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(200);
      expectNoSecret(await res.text(), res.url);
    }
    const one = (await (await call('app/api/v1/summaries/[slug]/route.ts', 'GET', { params: { slug } })).json()) as { snapshot: { sources: { id: string }[] } };
    expect(one.snapshot.sources.map((s) => s.id)).toEqual([A.publicSourceId]);
  });

  it('a researcher finds no internal report by id, search, filter or count, and the answers match a missing id', async () => {
    const token = A.tokens.researcher;
    const internal = await call('app/api/v1/sources/[id]/route.ts', 'GET', { token, params: { id: secretId } });
    const missing = await call('app/api/v1/sources/[id]/route.ts', 'GET', { token, params: { id: crypto.randomUUID() } });
    expect([internal.status, await internal.text()]).toEqual([404, await missing.text()]);
    const all = (await (await call('app/api/v1/sources/route.ts', 'GET', { token })).json()) as { sources: { id: string }[] };
    expect(all.sources.length).toBeGreaterThan(0);
    expect(all.sources.every((s) => s.id !== secretId)).toBe(true);
    for (const query of [`q=${encodeURIComponent(SECRET_TEXT.split(' ').slice(0, 3).join(' '))}`, 'visibility=internal', `q=${encodeURIComponent(SECRET_TITLE)}`]) {
      const res = await call('app/api/v1/sources/route.ts', 'GET', { token, query });
      const text = await res.text();
      expectNoSecret(text, query);
      expect((JSON.parse(text) as { sources: unknown[] }).sources, query).toEqual([]);
    }
    // Aggregates: figures only, no source at all.
    const agg = await call('app/api/v1/aggregates/route.ts', 'GET', { token, query: 'measure=workers&by=site_type' });
    expect(agg.status).toBe(200);
    const aggText = await agg.text();
    expectNoSecret(aggText, 'aggregates');
    expect(aggText).not.toMatch(/source/i);
  });

  it("a report another organisation made internal after it was linked is no longer shown through A's link", async () => {
    const res = await call('app/api/v1/testimonies/[id]/sources/route.ts', 'GET', { token: A.tokens.caseworker, params: { id: linkedTestimony } });
    expect(res.status).toBe(200);
    expectNoSecret(await res.text(), 'testimony links');
  });

  it("nor through A's claims standing on it", async () => {
    const res = await call('app/api/v1/claims/route.ts', 'GET', { token: A.tokens.caseworker });
    expect(res.status).toBe(200);
    expectNoSecret(await res.text(), 'claims');
  });
});
