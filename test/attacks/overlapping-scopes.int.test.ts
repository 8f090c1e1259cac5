// Attack: three overlapping scopes (issue 14). No two of them nest, so comparing publications two by
// two sees nothing; but construction + factory, factory + logging and construction + logging, all
// for the Far East in 2023, are three equations in three unknowns:
//   construction = (C+F + C+L − F+L) / 2.
// The attacker waits for the third summary; the audit of the whole published record must refuse it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewSummary } from '@/lib/summaries';
import type { Actor } from '@/lib/access';
import { orgWithActors, type RoleActors } from '../actors';
import { freshDatabase, testDbKind, type TestDatabase } from '../db';
import { actorOf, auditActionsFor, makeUser } from '../fixtures';
import { addWorkers, approveOver, content, draftAndSubmit, findingsOf, newVersion, publicSummaries, publicSummary, readOver, shown, storedVersions, tokenFor } from './support';

let database: TestDatabase;
let org: RoleActors;
let second: Actor;
/** Two reviewers of one organisation: each publishes what the other wrote. */
const token = { first: '', second: '' };

const TITLE = { cf: 'Sites 2023 (construction and factory)', fl: 'Sites 2023 (factory and logging)', cl: 'Sites 2023 (construction and logging)' };
const pair = (title: string, siteTypes: ('construction' | 'factory' | 'logging')[]) =>
  content(title, { districts: ['far-eastern'], siteTypes }, { measure: 'workers', by: ['year'], chart: 'bars', caption: 'Workers interviewed' });

const published: Record<'cf' | 'fl', { id: string; slug: string }> = {} as never;
/** What the public API showed: each summary's total. */
const totals: Record<string, number> = {};

beforeAll(async () => {
  database = await freshDatabase();
  org = await orgWithActors('attack-overlap');
  second = await actorOf((await makeUser({ id: org.orgId, slug: org.slug }, 'reviewer')).id);
  token.first = await tokenFor(org.reviewer.userId);
  token.second = await tokenFor(second.userId);
  // The truth in the Far East, 2023: construction 4 (the group to protect), factory 30, logging 25.
  await addWorkers(org.caseworker, org.reviewer, 4, { region: 'primorsky-krai', siteType: 'construction' });
  await addWorkers(org.caseworker, org.reviewer, 30, { region: 'khabarovsk-krai', siteType: 'factory' });
  await addWorkers(org.caseworker, org.reviewer, 25, { region: 'amur-oblast', siteType: 'logging' });
}, 300_000);
afterAll(() => database.drop());

describe(`attack: three overlapping scopes, on ${testDbKind}`, () => {
  it('the first two summaries publish (200), and the attacker keeps their totals: construction + factory 34, factory + logging 55', async () => {
    published.cf = await draftAndSubmit(token.first, pair(TITLE.cf, ['construction', 'factory']));
    expect((await approveOver(token.second, published.cf.id)).status).toBe(200);
    published.fl = await draftAndSubmit(token.second, pair(TITLE.fl, ['factory', 'logging']));
    expect((await approveOver(token.first, published.fl.id)).status).toBe(200);

    for (const key of ['cf', 'fl'] as const) totals[key] = shown(await publicSummary(published[key].slug), {})!.count!;
    expect(totals).toEqual({ cf: 34, fl: 55 });
    // Alone, neither pins construction: it could be anything from 0 to 34.
    console.log(`[overlapping scopes] public totals kept: construction+factory ${totals.cf}, factory+logging ${totals.fl}; construction still anywhere in 0..${totals.cf}`);
  });

  it('the third (construction + logging) is refused with 409 naming the construction cell and both summaries; nothing is written', async () => {
    const third = await draftAndSubmit(token.first, pair(TITLE.cl, ['construction', 'logging']));
    const listBefore = await publicSummaries();
    const versionsBefore = await storedVersions(third.id);

    const refused = await approveOver(token.second, third.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('conflict');
    const findings = findingsOf(refused);
    const construction = findings.find((f) => f.includes('Site type: Construction'));
    expect(construction, findings.join('\n')).toBeDefined();
    expect(construction).toContain(`‘${TITLE.cf}’ v1`);
    expect(construction).toContain(`‘${TITLE.fl}’ v1`);
    expect(construction).toMatch(/Federal district: Far Eastern; Period: 2023: 4, fewer than 10\./);
    // Factory 30 and logging 25 are not small: only the construction cell is named.
    expect(findings.every((f) => f.includes('Site type: Construction')), findings.join('\n')).toBe(true);

    // Nothing written: still in review, no snapshot, the public list as it was, no publication in the audit log.
    expect(await storedVersions(third.id)).toEqual(versionsBefore);
    expect(versionsBefore).toEqual([expect.objectContaining({ number: 1, status: 'in_review', sha: null, publishedAt: null })]);
    expect((await readOver(token.first, third.id)).body).toMatchObject({ status: 'in_review', open: { version: 1, status: 'in_review' } });
    expect(await publicSummaries()).toEqual(listBefore);
    expect(listBefore.map((s) => s.title).sort()).toEqual([TITLE.cf, TITLE.fl].sort());
    expect(await auditActionsFor(third.id)).not.toContain('summary.publish');

    // What it would have given away: its total, as the reviewers' preview computes it.
    const preview = await previewSummary(second, third.id);
    const cl = (preview.sections[0]!.answer.margins.find((c) => Object.keys(c.by).length === 0) as { count: number }).count;
    const recovered = (totals.cf! + cl - totals.fl!) / 2;
    expect(recovered).toBe(4);
    console.log(`[overlapping scopes] refused; had it published ${cl}, the attacker would recover construction = (${totals.cf} + ${cl} − ${totals.fl}) / 2 = ${recovered} workers. Refusal: ${construction}`);
  });

  it('control: republishing the first summary unchanged as v2 passes (200) and tells the attacker nothing new', async () => {
    await newVersion(token.first, published.cf.id);
    const res = await approveOver(token.second, published.cf.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const v2 = await publicSummary(published.cf.slug);
    expect(v2.snapshot!.version).toBe(2);
    expect(shown(v2, {})!.count).toBe(totals.cf);
    console.log(`[overlapping scopes] control: ‘${TITLE.cf}’ v2 published, total ${shown(v2, {})!.count} as before; construction still not recoverable`);
  });
});
