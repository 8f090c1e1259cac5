import { sql } from 'drizzle-orm';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, makeOrg, makeUser, PASSWORD, userRow, type TestUser } from '@/test/fixtures';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import type { Actor } from './access';
import { changePassword, signOutEverywhere, beginTotpEnrolment, confirmTotpEnrolment, pendingTotpEnrolment } from './account';
import { ABSOLUTE_SECONDS, actorForSession, endSession, type SessionClaims } from './actor';
import { changeRole, disableUser, resetPassword, resetSecondFactor } from './users';

let database: TestDatabase;
let org: { id: string; slug: string };
let admin: Actor;
beforeAll(async () => {
  database = await freshDatabase();
  org = await makeOrg('sessions');
  admin = await actorOf((await makeUser(org, 'admin')).id);
});
afterAll(() => database.drop());

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims a fresh sign-in would put in the session cookie. */
async function signedIn(user: TestUser): Promise<SessionClaims> {
  return { uid: user.id, sv: (await userRow(user.id)).sessionVersion, authTime: nowSeconds(), sid: crypto.randomUUID() };
}

describe(`session revocation on ${testDbKind}`, () => {
  it('a session that signed out is refused, while another session of the same user goes on', async () => {
    const user = await makeUser(org, 'caseworker');
    const laptop = await signedIn(user);
    const phone = await signedIn(user);
    await endSession(laptop);
    await endSession(laptop); // twice is harmless
    expect(await actorForSession(laptop)).toBeNull();
    expect(await actorForSession(phone)).not.toBeNull();
  });

  it('resolves valid claims to the user, with role and organisation', async () => {
    const user = await makeUser(org, 'caseworker');
    const resolved = await actorForSession(await signedIn(user));
    expect(resolved).toEqual({
      actor: { userId: user.id, orgId: org.id, orgSlug: org.slug, orgName: 'Organisation sessions', email: user.email, role: 'caseworker', via: 'session' },
      secondFactorPending: false,
    });
  });

  it('refuses an unknown user id and a session version from the future', async () => {
    const user = await makeUser(org, 'caseworker');
    const claims = await signedIn(user);
    expect(await actorForSession({ ...claims, sv: claims.sv + 1 })).toBeNull();
    expect(await actorForSession({ ...claims, uid: '00000000-0000-4000-8000-000000000000' })).toBeNull();
  });

  const revokers: [string, (user: TestUser) => Promise<unknown>][] = [
    ['an admin changes their role', (u) => changeRole(admin, u.id, 'researcher')],
    ['an admin disables them', (u) => disableUser(admin, u.id)],
    ['an admin resets their password', (u) => resetPassword(admin, u.id)],
    ['an admin resets their second factor', (u) => resetSecondFactor(admin, u.id)],
    ['they sign out everywhere', async (u) => signOutEverywhere(await actorOf(u.id))],
    ['they change their password', async (u) => changePassword(await actorOf(u.id), { current: PASSWORD, next: 'another long passphrase here' })],
  ];
  for (const [what, revoke] of revokers) {
    it(`ends existing sessions when ${what}`, async () => {
      const user = await makeUser(org, 'caseworker');
      const old = await signedIn(user);
      expect(await actorForSession(old)).not.toBeNull();
      await revoke(user);
      expect(await actorForSession(old)).toBeNull();
    });
  }

  it('a new sign-in after sign-out-everywhere works (under the new version)', async () => {
    const user = await makeUser(org, 'caseworker');
    await signOutEverywhere(await actorOf(user.id));
    const fresh = await signedIn(user);
    expect(fresh.sv).toBe(2);
    expect((await actorForSession(fresh))?.actor.userId).toBe(user.id);
  });

  it('a user disabled directly in the database is refused even with the current version', async () => {
    const user = await makeUser(org, 'caseworker');
    const claims = await signedIn(user);
    await database.db.execute(sql`update app_user set disabled_at = now() where id = ${user.id}`);
    expect(await actorForSession(claims)).toBeNull();
  });

  it(`ends a session ${ABSOLUTE_SECONDS / 3600} hours after sign-in, however active`, async () => {
    const user = await makeUser(org, 'caseworker');
    const claims = await signedIn(user);
    const now = claims.authTime * 1000;
    expect(await actorForSession(claims, now + (ABSOLUTE_SECONDS - 60) * 1000)).not.toBeNull();
    expect(await actorForSession(claims, now + (ABSOLUTE_SECONDS + 1) * 1000)).toBeNull();
    expect(await actorForSession({ ...claims, authTime: nowSeconds() - 13 * 3600 })).toBeNull();
  });

  it('a reviewer or admin without a second factor is pending; a caseworker or researcher is not', async () => {
    for (const role of ['reviewer', 'admin'] as const) {
      const resolved = await actorForSession(await signedIn(await makeUser(org, role)));
      expect(resolved?.secondFactorPending, role).toBe(true);
    }
    for (const role of ['caseworker', 'researcher'] as const) {
      const resolved = await actorForSession(await signedIn(await makeUser(org, role)));
      expect(resolved?.secondFactorPending, role).toBe(false);
    }
  });

  it('a reviewer who enrolled a second factor is no longer pending; a started but unconfirmed enrolment does not count', async () => {
    const user = await makeUser(org, 'reviewer');
    const actor = await actorOf(user.id);
    await beginTotpEnrolment(actor);
    expect((await actorForSession(await signedIn(user)))?.secondFactorPending).toBe(true);
    const pending = await pendingTotpEnrolment(actor);
    await confirmTotpEnrolment(actor, generateSync({ secret: pending!.secret }));
    expect((await actorForSession(await signedIn(user)))?.secondFactorPending).toBe(false);
  });
});
