// Attack: shares across versions (issue 14). A whole percent of n workers is a narrow range of
// counts: 25 % of 40 can only be 10 injured (9/40 rounds to 23 %, 11/40 to 28 %). The attacker keeps
// v1 and waits for v2 after new testimonies arrive: 24 % of 50 is exactly 12, so 2 of the 10 new
// workers were injured. Counting workers alone, the two versions differ by 10 and look harmless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access';
import { previewSummary } from '@/lib/summaries';
import { orgWithActors, type RoleActors } from '../actors';
import { freshDatabase, testDbKind, type TestDatabase } from '../db';
import { actorOf, auditActionsFor, makeUser } from '../fixtures';
import { addWorkers, approveOver, content, draftAndSubmit, findingsOf, newVersion, publicSummary, returnOver, reviseAndSubmit, shown, storedVersions, tokenFor } from './support';

let database: TestDatabase;
let org: RoleActors;
let second: Actor;
const token = { first: '', second: '' };
const TITLE = 'Injuries in the Far East, 2023';
let injuries: { id: string; slug: string };

/** The attribute counts a whole percent of n allows (rounding half up, as lib/disclosure/round.ts). */
const countsBehind = (n: number, percent: number) => Array.from({ length: n + 1 }, (_, y) => y).filter((y) => (2 * percent - 1) * n <= 200 * y && 200 * y < (2 * percent + 1) * n);
const FAR_EAST = { region: 'primorsky-krai', siteType: 'construction' } as const;

beforeAll(async () => {
  database = await freshDatabase();
  org = await orgWithActors('attack-shares');
  second = await actorOf((await makeUser({ id: org.orgId, slug: org.slug }, 'reviewer')).id);
  token.first = await tokenFor(org.reviewer.userId);
  token.second = await tokenFor(second.userId);
  // 40 construction workers in the Far East in 2023, 10 of them injured.
  await addWorkers(org.caseworker, org.reviewer, 10, { ...FAR_EAST, injured: true });
  await addWorkers(org.caseworker, org.reviewer, 30, FAR_EAST);
}, 300_000);
afterAll(() => database.drop());

describe(`attack: shares across versions, on ${testDbKind}`, () => {
  it('v1 publishes (200): construction 40 workers, 25 % injured, which the attacker reads as exactly 10', async () => {
    injuries = await draftAndSubmit(token.first, content(TITLE, { districts: ['far-eastern'] }, { measure: 'injury_any', by: ['site_type'], chart: 'bars', caption: 'Share injured' }));
    expect((await approveOver(token.second, injuries.id)).status).toBe(200);
    const v1 = shown(await publicSummary(injuries.slug), { site_type: 'construction' })!;
    expect(v1).toMatchObject({ count: 40, value: 25 });
    expect(countsBehind(40, 25)).toEqual([10]);
    console.log(`[shares across versions] v1: construction ${v1.count} workers at ${v1.value} % → injured ∈ {${countsBehind(40, 25).join(', ')}}`);
  });

  it('10 workers are added (2 injured) and approved; v2 of the same summary is refused (409) naming the change; v1 stays the published one', async () => {
    await addWorkers(org.caseworker, org.reviewer, 2, { ...FAR_EAST, injured: true });
    await addWorkers(org.caseworker, org.reviewer, 8, FAR_EAST);
    expect(await newVersion(token.first, injuries.id)).toBe(2);
    const before = await storedVersions(injuries.id);

    const refused = await approveOver(token.second, injuries.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('conflict');
    const findings = findingsOf(refused);
    const change = findings.find((f) => f.startsWith(`Compared with ‘${TITLE}’ v1,`) && f.includes('came or left since'));
    expect(change, findings.join('\n')).toBeDefined();
    // The change named is in injured workers, and it is the 2 of the new 10.
    expect(change).toMatch(/counted in “[^”]*[Ii]njur[^”]*”/);
    expect(change).toMatch(/Site type: Construction/);
    expect(change).toMatch(/came or left since: 2\.$/);

    // Nothing written: v2 still in review; the public summary is v1 alone, with its v1 numbers.
    expect(await storedVersions(injuries.id)).toEqual(before);
    expect(before.map((v) => [v.number, v.status])).toEqual([
      [1, 'published'],
      [2, 'in_review'],
    ]);
    const page = await publicSummary(injuries.slug);
    expect(page.versions.map((v) => v.number)).toEqual([1]);
    expect(shown(page, { site_type: 'construction' })).toMatchObject({ count: 40, value: 25 });
    expect((await auditActionsFor(injuries.id)).filter((a) => a === 'summary.publish')).toHaveLength(1);

    // What v2 would have shown, and what the attacker would have taken from it.
    const preview = await previewSummary(second, injuries.id);
    const v2 = preview.sections[0]!.answer.cells.find((c) => c.by.site_type === 'construction') as { count: number; value: number };
    expect(v2).toMatchObject({ count: 50, value: 24 });
    const [then] = countsBehind(40, 25);
    const now = countsBehind(v2.count, v2.value);
    expect(now).toEqual([12]);
    console.log(`[shares across versions] refused; had v2 published ${v2.count} at ${v2.value} % (injured ∈ {${now.join(', ')}}), the attacker would recover ${now[0]! - then!} injured among the ${v2.count - 40} new workers. Refusal: ${change}`);
  });

  it('control: the same v2 with worker counts only (no share) publishes (200); the attacker learns only that 10 came', async () => {
    expect((await returnOver(token.second, injuries.id)).status).toBe(200);
    // The author drops the share and keeps the worker counts.
    await reviseAndSubmit(token.first, injuries.id, content(TITLE, { districts: ['far-eastern'] }, { measure: 'workers', by: ['site_type'], chart: 'bars', caption: 'Workers' }));
    const res = await approveOver(token.second, injuries.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = await publicSummary(injuries.slug);
    expect(page.versions.map((v) => v.number)).toEqual([2, 1]);
    expect(shown(page, { site_type: 'construction' })).toMatchObject({ count: 50 });
    console.log(`[shares across versions] control: v2 with counts only published: construction ${shown(page, { site_type: 'construction' })!.count} (10 came since v1); injured among them unknown`);
  });
});
