// Attacks refused before the whole-record audit existed (the pairwise differencing check of issue 7),
// which must stay refused now that the audit does the work:
// - a nested scope: all districts show 28 construction workers in 2023; a Far Eastern summary showing
//   25 would tell the attacker that 3 worked elsewhere;
// - a new version after one worker withdrew consent: one fewer worker points at the one who left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access';
import { previewSummary } from '@/lib/summaries';
import type { SummaryContentInput } from '@/lib/summaries/content';
import { withdrawConsent } from '@/lib/testimonies';
import { orgWithActors, type RoleActors } from '../actors';
import { freshDatabase, testDbKind, type TestDatabase } from '../db';
import { actorOf, auditActionsFor, makeUser } from '../fixtures';
import { addWorkers, approveOver, content, draftAndSubmit, findingsOf, newVersion, publicSummaries, publicSummary, shown, storedVersions, tokenFor } from './support';

let database: TestDatabase;
let org: RoleActors;
let second: Actor;
const token = { first: '', second: '' };
const TITLE = { all: 'Construction sites, all districts, 2023', farEast: 'Construction sites in the Far East, 2023' };
const bySite: SummaryContentInput['sections'][number] = { measure: 'workers', by: ['site_type'], chart: 'bars', caption: 'Workers by type of site' };
let all: { id: string; slug: string };
let farEastWorkers: string[];

const previewCount = async (id: string, by: Record<string, string>) =>
  ((await previewSummary(second, id)).sections[0]!.answer.cells.find((c) => JSON.stringify(c.by) === JSON.stringify(by)) as { count: number }).count;

beforeAll(async () => {
  database = await freshDatabase();
  org = await orgWithActors('attack-nested');
  second = await actorOf((await makeUser({ id: org.orgId, slug: org.slug }, 'reviewer')).id);
  token.first = await tokenFor(org.reviewer.userId);
  token.second = await tokenFor(second.userId);
  // Construction in 2023: 25 in the Far East, 3 in Moscow (the group to protect).
  farEastWorkers = await addWorkers(org.caseworker, org.reviewer, 25, { region: 'primorsky-krai', siteType: 'construction' });
  await addWorkers(org.caseworker, org.reviewer, 3, { region: 'moscow', siteType: 'construction' });
}, 300_000);
afterAll(() => database.drop());

describe(`attack: nested scopes and versions, on ${testDbKind}`, () => {
  it('the all-districts summary publishes (200): construction 28', async () => {
    all = await draftAndSubmit(token.first, content(TITLE.all, {}, bySite));
    expect((await approveOver(token.second, all.id)).status).toBe(200);
    expect(shown(await publicSummary(all.slug), { site_type: 'construction' })?.count).toBe(28);
    console.log('[nested] kept: construction, all districts, 2023: 28');
  });

  it('a nested Far Eastern summary (construction 25) is refused (409): the audit names the 3 workers outside the Far East and the published summary', async () => {
    const farEast = await draftAndSubmit(token.first, content(TITLE.farEast, { districts: ['far-eastern'] }, bySite));
    const listBefore = await publicSummaries();
    const refused = await approveOver(token.second, farEast.id);
    expect(refused.status).toBe(409);
    const findings = findingsOf(refused);
    // The audit's sentence (not the older pairwise check's "differs from … by 3").
    const outside = findings.find((f) => f.startsWith(`With ‘${TITLE.all}’ v1, this would show the number of workers in Site type: Construction;`));
    expect(outside, findings.join('\n')).toBeDefined();
    expect(outside).toMatch(/Federal district: all except Far Eastern; Period: 2023: 3, fewer than 10\.$/);
    expect(await storedVersions(farEast.id)).toEqual([expect.objectContaining({ number: 1, status: 'in_review', sha: null })]);
    expect(await publicSummaries()).toEqual(listBefore);
    expect(await auditActionsFor(farEast.id)).not.toContain('summary.publish');
    const would = await previewCount(farEast.id, { site_type: 'construction' });
    console.log(`[nested] refused; had it published ${would}, the attacker would recover 28 − ${would} = ${28 - would} construction workers outside the Far East. Refusal: ${outside}`);
  });

  it('control: a new version of the all-districts summary with no change in the data publishes (200)', async () => {
    expect(await newVersion(token.first, all.id)).toBe(2);
    const res = await approveOver(token.second, all.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(shown(await publicSummary(all.slug), { site_type: 'construction' })?.count).toBe(28);
    console.log('[versions] control: v2 with the same 28 published');
  });

  it('after one worker withdraws consent, the next version (27) is refused (409) naming the change since the published versions', async () => {
    await withdrawConsent(org.caseworker, farEastWorkers[0]!, 'The worker asked to be taken out of every count.');
    expect(await newVersion(token.first, all.id)).toBe(3);
    const before = await storedVersions(all.id);
    const refused = await approveOver(token.second, all.id);
    expect(refused.status).toBe(409);
    const findings = findingsOf(refused);
    // Against each published version: the construction cell (and the total) lost one worker.
    for (const v of [1, 2]) {
      expect(findings, findings.join('\n')).toContain(`Compared with ‘${TITLE.all}’ v${v}, this would show how many workers (Site type: Construction; Period: 2023) came or left since: 1.`);
    }
    const change = findings[0]!;
    expect(await storedVersions(all.id)).toEqual(before);
    expect(before.map((v) => v.status)).toEqual(['published', 'published', 'in_review']);
    const page = await publicSummary(all.slug);
    expect(page.versions.map((v) => v.number)).toEqual([2, 1]);
    expect((await auditActionsFor(all.id)).filter((a) => a === 'summary.publish')).toHaveLength(2);
    const would = await previewCount(all.id, { site_type: 'construction' });
    expect(would).toBe(27);
    console.log(`[versions] refused; had v3 published ${would}, the attacker would learn that 28 − ${would} = ${28 - would} construction worker left the count since v2. Refusal: ${change}`);
  });
});
