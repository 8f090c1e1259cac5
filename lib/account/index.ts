import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { apiToken, appUser, recoveryCode } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { NewPassword, verifyPassword } from '../auth/password';
import { hashPassword } from '../auth/password';
import { totpPlace } from '../auth/sign-in';
import { issueToken, listTokens, MAX_TOKEN_DAYS } from '../auth/tokens';
import { checkTotp, newRecoveryCodes, newTotpSecret, qrDataUrl, recoveryCodeHash, totpUri } from '../auth/totp';
import { decrypt, encrypt } from '../crypto/envelope';
import { BadInput, Conflict, NotFound, problem } from '../errors';
import { inOrg } from '../scope';

const bump = { sessionVersion: sql`${appUser.sessionVersion} + 1` };

async function me(tx: Parameters<Parameters<typeof inOrg>[1]>[0]['tx'], actor: Actor) {
  const [user] = await tx.select().from(appUser).where(and(eq(appUser.id, actor.userId), eq(appUser.orgId, actor.orgId)));
  if (!user) throw new NotFound('user');
  return user;
}

export async function accountStatus(actor: Actor) {
  return inOrg(actor, async ({ tx }) => {
    assertCan(actor, 'account.manage', { ownerId: actor.userId });
    const user = await me(tx, actor);
    const [codes] = await tx
      .select({ left: sql<number>`count(*)::int` })
      .from(recoveryCode)
      .where(and(eq(recoveryCode.userId, user.id), isNull(recoveryCode.usedAt)));
    return { email: user.email, role: user.role, totpEnabled: !!user.totpEnabledAt, recoveryCodesLeft: codes?.left ?? 0 };
  });
}

/** Starts (or restarts) enrolment: a new secret is stored encrypted, not yet active until confirmed. */
export async function beginTotpEnrolment(actor: Actor) {
  return inOrg(actor, async ({ tx }) => {
    assertCan(actor, 'account.manage', { ownerId: actor.userId });
    const user = await me(tx, actor);
    if (user.totpEnabledAt) throw new Conflict(problem('totpAlreadySet'));
    const secret = newTotpSecret();
    await tx.update(appUser).set({ totpSecret: encrypt(secret, totpPlace(user.id)) }).where(eq(appUser.id, user.id));
    await audit(tx, actor, { action: 'account.second_factor_begin', entity: 'user', entityId: user.id });
  });
}

/** The enrolment in progress (secret not yet confirmed), to show as a QR code and a typed key. */
export async function pendingTotpEnrolment(actor: Actor) {
  return inOrg(actor, async ({ tx }) => {
    assertCan(actor, 'account.manage', { ownerId: actor.userId });
    const user = await me(tx, actor);
    if (user.totpEnabledAt || !user.totpSecret) return null;
    const secret = decrypt(user.totpSecret, totpPlace(user.id));
    const uri = totpUri(secret, user.email);
    return { secret, uri, qr: await qrDataUrl(uri) };
  });
}

/** Confirms enrolment with a first code; returns the recovery codes, shown once. */
export async function confirmTotpEnrolment(actor: Actor, rawCode: string) {
  const code = z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your app.').parse(rawCode);
  return inOrg(actor, async ({ tx }) => {
    assertCan(actor, 'account.manage', { ownerId: actor.userId });
    const user = await me(tx, actor);
    if (user.totpEnabledAt) throw new Conflict(problem('totpAlreadySet'));
    if (!user.totpSecret) throw new Conflict(problem('totpStartFirst'));
    const step = await checkTotp(decrypt(user.totpSecret, totpPlace(user.id)), code, null);
    if (step == null) throw new BadInput(problem('totpWrongCode'), [{ path: 'code', message: 'wrong code' }]);
    const codes = newRecoveryCodes();
    await tx.update(appUser).set({ totpEnabledAt: new Date(), totpLastStep: step }).where(eq(appUser.id, user.id));
    await tx.delete(recoveryCode).where(eq(recoveryCode.userId, user.id));
    await tx.insert(recoveryCode).values(codes.map((c) => ({ userId: user.id, codeHash: recoveryCodeHash(c) })));
    await audit(tx, actor, { action: 'account.second_factor_enrol', entity: 'user', entityId: user.id });
    return { recoveryCodes: codes };
  });
}

export async function regenerateRecoveryCodes(actor: Actor) {
  return inOrg(actor, async ({ tx }) => {
    assertCan(actor, 'account.manage', { ownerId: actor.userId });
    const user = await me(tx, actor);
    if (!user.totpEnabledAt) throw new Conflict(problem('totpNotSet'));
    const codes = newRecoveryCodes();
    await tx.delete(recoveryCode).where(eq(recoveryCode.userId, user.id));
    await tx.insert(recoveryCode).values(codes.map((c) => ({ userId: user.id, codeHash: recoveryCodeHash(c) })));
    await audit(tx, actor, { action: 'account.recovery_codes_regenerate', entity: 'user', entityId: user.id });
    return { recoveryCodes: codes };
  });
}

/** Ends every session and token of the actor at their next request. */
export async function signOutEverywhere(actor: Actor) {
  return inOrg(actor, async ({ tx }) => {
    assertCan(actor, 'account.manage', { ownerId: actor.userId });
    await tx.update(appUser).set(bump).where(eq(appUser.id, actor.userId));
    await audit(tx, actor, { action: 'account.sign_out_everywhere', entity: 'user', entityId: actor.userId });
  });
}

export const PasswordChange = z.object({ current: z.string().min(1).max(1024), next: NewPassword });

export async function changePassword(actor: Actor, raw: z.input<typeof PasswordChange>) {
  const input = PasswordChange.parse(raw);
  return inOrg(actor, async ({ tx }) => {
    assertCan(actor, 'account.manage', { ownerId: actor.userId });
    const user = await me(tx, actor);
    if (!(await verifyPassword(user.passwordHash, input.current))) {
      throw new BadInput(problem('wrongPassword'), [{ path: 'current', message: 'wrong password' }]);
    }
    await tx.update(appUser).set({ passwordHash: await hashPassword(input.next), ...bump }).where(eq(appUser.id, user.id));
    await audit(tx, actor, { action: 'account.password_change', entity: 'user', entityId: user.id });
  });
}

export const NewToken = z.object({
  name: z.string().trim().min(1, 'Give the token a name.').max(100),
  days: z.coerce.number().int().min(1).max(MAX_TOKEN_DAYS).default(90),
});

export async function createOwnToken(actor: Actor, raw: z.input<typeof NewToken>) {
  const input = NewToken.parse(raw);
  return inOrg(actor, async ({ tx }) => {
    assertCan(actor, 'token.createOwn', { ownerId: actor.userId });
    const user = await me(tx, actor);
    return issueToken(tx, actor, user, input.name, input.days);
  });
}

export async function listOwnTokens(actor: Actor) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'account.manage', { ownerId: actor.userId });
    return listTokens(tx, { orgId, userId: actor.userId });
  });
}

export async function listOrgTokens(actor: Actor) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'token.list', { orgId });
    return listTokens(tx, { orgId });
  });
}

/** Revokes a token: the owner their own, an admin any of the organisation's. */
export async function revokeToken(actor: Actor, tokenId: string) {
  const id = z.uuid().safeParse(tokenId);
  if (!id.success) throw new NotFound('token');
  return inOrg(actor, async ({ tx, orgId }) => {
    const [token] = await tx.select().from(apiToken).where(and(eq(apiToken.id, id.data), eq(apiToken.orgId, orgId)));
    if (!token) throw new NotFound('token');
    if (token.userId === actor.userId) assertCan(actor, 'token.revokeOwn', { ownerId: token.userId });
    else assertCan(actor, 'token.revoke', { orgId: token.orgId });
    if (token.revokedAt) return;
    await tx.update(apiToken).set({ revokedAt: new Date() }).where(eq(apiToken.id, token.id));
    await audit(tx, actor, { action: 'token.revoke', entity: 'api_token', entityId: token.id, details: { owner: token.userId } });
  });
}
