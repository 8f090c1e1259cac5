// An organisation's admin can never see or change another organisation's users, tokens or audit
// events: a foreign id answers exactly like a missing one, and lists hold only the own organisation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, makeOrg, makeUser, userRow, type TestUser } from '@/test/fixtures';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import type { Actor } from './access';
import { createOwnToken, listOrgTokens, listOwnTokens, revokeToken, signOutEverywhere } from './account';
import { listAuditEvents } from './audit/read';
import { actorForToken } from './auth/tokens';
import { Forbidden, NotFound } from './errors';
import { changeRole, createUser, disableUser, enableUser, listUsers, resetPassword, resetSecondFactor } from './users';

let database: TestDatabase;
let adminA: Actor;
let orgA: { id: string; slug: string };
let orgB: { id: string; slug: string };
let adminB: Actor;
let userB: TestUser;
let tokenB: { id: string; token: string };
let userBBefore: Awaited<ReturnType<typeof userRow>>;

beforeAll(async () => {
  database = await freshDatabase();
  orgA = await makeOrg('org-a');
  orgB = await makeOrg('org-b');
  adminA = await actorOf((await makeUser(orgA, 'admin')).id);
  adminB = await actorOf((await makeUser(orgB, 'admin')).id);
  userB = await makeUser(orgB, 'reviewer');
  await changeRole(adminB, (await makeUser(orgB, 'caseworker')).id, 'researcher'); // some audit history in B
  await signOutEverywhere(await actorOf(userB.id)); // an action only B's log holds
  await createOwnToken(await actorOf((await makeUser(orgA, 'caseworker')).id), { name: 'A token' });
  tokenB = await createOwnToken(await actorOf(userB.id), { name: 'B token' });
  userBBefore = await userRow(userB.id);
});
afterAll(() => database.drop());

const MISSING = '00000000-0000-4000-8000-000000000000';

/** Admin functions that act on one user of the admin's organisation. */
const onUser: [string, (actor: Actor, userId: string) => Promise<unknown>][] = [
  ['disableUser', (a, id) => disableUser(a, id)],
  ['enableUser', (a, id) => enableUser(a, id)],
  ['changeRole', (a, id) => changeRole(a, id, 'admin')],
  ['resetSecondFactor', (a, id) => resetSecondFactor(a, id)],
  ['resetPassword', (a, id) => resetPassword(a, id)],
];

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return undefined;
}

describe(`organisation isolation on ${testDbKind}`, () => {
  for (const [name, act] of onUser) {
    it(`${name}: works on the own organisation's user, answers NotFound for another organisation's`, async () => {
      const own = await makeUser(orgA, 'caseworker');
      await act(adminA, own.id); // throws if the own organisation's user were refused
      const foreign = await thrown(act(adminA, userB.id));
      expect(foreign).toBeInstanceOf(NotFound);
      // Exactly the answer for an id that exists nowhere, or is not an id at all.
      const missing = await thrown(act(adminA, MISSING));
      const garbage = await thrown(act(adminA, 'not-a-uuid'));
      expect((foreign as Error).message).toBe((missing as Error).message);
      expect((foreign as Error).message).toBe((garbage as Error).message);
    });
  }

  it("revokeToken: another organisation's token is NotFound, like a missing one", async () => {
    expect(await thrown(revokeToken(adminA, tokenB.id))).toBeInstanceOf(NotFound);
    expect(await thrown(revokeToken(adminA, MISSING))).toBeInstanceOf(NotFound);
    expect(await thrown(revokeToken(adminA, 'nope'))).toBeInstanceOf(NotFound);
  });

  it("lists hold the own organisation's users and tokens only", async () => {
    const users = await listUsers(adminA);
    expect(users.length).toBeGreaterThan(1);
    expect(users.map((u) => u.id)).toContain(adminA.userId);
    expect(users.map((u) => u.id)).not.toContain(userB.id);
    expect(users.map((u) => u.id)).not.toContain(adminB.userId);
    expect(users.every((u) => !u.email.endsWith(`@${orgB.slug}.example`))).toBe(true);

    const tokens = await listOrgTokens(adminA);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.map((t) => t.id)).not.toContain(tokenB.id);
    expect(tokens.every((t) => t.ownerEmail.endsWith(`@${orgA.slug}.example`))).toBe(true);
    expect((await listOrgTokens(adminB)).map((t) => t.id)).toContain(tokenB.id);
  });

  it("the audit log shows the own organisation's events and people only", async () => {
    const { events, actors, actions } = await listAuditEvents(adminA, { limit: 1000 });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.orgId === orgA.id)).toBe(true);
    expect(events.map((e) => e.entityId)).not.toContain(tokenB.id);
    expect(actors.has(userB.id)).toBe(false);
    expect(actors.has(adminA.userId)).toBe(true);
    expect(actions).not.toContain('account.sign_out_everywhere');
    expect((await listAuditEvents(adminB, { limit: 1000 })).actions).toContain('account.sign_out_everywhere');
    // Filtering by another organisation's actor finds nothing, though B's log has their events.
    expect((await listAuditEvents(adminA, { actorId: adminB.userId, limit: 1000 })).events).toEqual([]);
    const ofB = await listAuditEvents(adminB, { actorId: adminB.userId, limit: 1000 });
    expect(ofB.events.length).toBeGreaterThan(0);
  });

  it('nothing of the other organisation changed through all of the above', async () => {
    const after = await userRow(userB.id);
    expect(after).toEqual(userBBefore);
    const actor = await database.db.transaction((tx) => actorForToken(tx, tokenB.token));
    expect(actor?.userId).toBe(userB.id);
  });

  describe('roles below admin', () => {
    for (const role of ['researcher', 'caseworker', 'reviewer'] as const) {
      it(`${role}: Forbidden for every admin function, and nothing changes`, async () => {
        const actor = await actorOf((await makeUser(orgA, role)).id);
        const target = await makeUser(orgA, 'caseworker');
        const before = await userRow(target.id);
        for (const [name, act] of onUser) {
          expect(await thrown(act(actor, target.id)), name).toBeInstanceOf(Forbidden);
        }
        expect(await thrown(listUsers(actor))).toBeInstanceOf(Forbidden);
        expect(await thrown(listOrgTokens(actor))).toBeInstanceOf(Forbidden);
        expect(await thrown(listAuditEvents(actor, { limit: 10 }))).toBeInstanceOf(Forbidden);
        expect(await thrown(createUser(actor, { email: `x-${target.id}@a.example`, role: 'admin' }))).toBeInstanceOf(Forbidden);
        expect(await userRow(target.id)).toEqual(before);

        // Someone else's token in the own organisation: Forbidden; in another organisation: not even found.
        const othersToken = await createOwnToken(await actorOf(target.id), { name: 'theirs' });
        expect(await thrown(revokeToken(actor, othersToken.id))).toBeInstanceOf(Forbidden);
        expect(await thrown(revokeToken(actor, tokenB.id))).toBeInstanceOf(NotFound);
        expect(await database.db.transaction((tx) => actorForToken(tx, othersToken.token))).not.toBeNull();

        // Their own things they may manage.
        const mine = await createOwnToken(actor, { name: 'mine' });
        expect((await listOwnTokens(actor)).map((t) => t.id)).toEqual([mine.id]);
        await revokeToken(actor, mine.id);
        expect(await database.db.transaction((tx) => actorForToken(tx, mine.token))).toBeNull();
      });
    }
  });
});
