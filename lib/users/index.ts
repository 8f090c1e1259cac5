import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db';
import { apiToken, appUser, organisation, recoveryCode, roleEnum, type Role } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { hashPassword, NewPassword } from '../auth/password';
import { Conflict, NotFound, problem } from '../errors';
import { enforceRateLimit, RATE_LIMITS } from '../http/rate-limit';
import { inOrg, inTransaction } from '../scope';

export const Email = z.email('Enter a valid e-mail address.').max(320).transform((e) => e.trim().toLowerCase());
export const RoleInput = z.enum(roleEnum.enumValues);
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Use 2–63 lower-case letters, digits and hyphens.');

/** A readable generated password: 20 characters from a 32-letter alphabet, 100 bits. */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789'; // 32 letters: no l, o, 0, 1
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => alphabet[b & 31]).join('').match(/.{5}/g)!.join('-');
}

export const NewUser = z.object({ email: Email, role: RoleInput, password: NewPassword.optional() });
export type NewUserInput = z.input<typeof NewUser>;

async function insertUser(tx: Tx, orgId: string, input: z.output<typeof NewUser>) {
  const [existing] = await tx.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, input.email));
  if (existing) throw new Conflict(problem('emailTaken'));
  const password = input.password ?? generatePassword();
  const [row] = await tx
    .insert(appUser)
    .values({ orgId, email: input.email, role: input.role, passwordHash: await hashPassword(password) })
    .returning({ id: appUser.id });
  return { id: row!.id, password: input.password ? undefined : password };
}

/**
 * An admin creates a user in their own organisation; a generated password is returned once.
 * E-mail addresses are unique on the instance (sign-in takes the address alone). An address of a
 * user of the same organisation is named as such; one of another organisation gets a neutral answer
 * (it cannot be used), never which organisation, role or state, and the refusal is audited. Attempts
 * are limited per admin, so addresses cannot be tried in bulk (README, "Security notes").
 */
export async function createUser(actor: Actor, raw: NewUserInput) {
  const input = NewUser.parse(raw);
  assertCan(actor, 'user.create', { orgId: actor.orgId });
  await enforceRateLimit(RATE_LIMITS.userCreate, actor.userId);
  const outcome = await inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'user.create', { orgId });
    const [holder] = await tx.select({ orgId: appUser.orgId }).from(appUser).where(eq(appUser.email, input.email));
    if (holder?.orgId === orgId) throw new Conflict(problem('emailInOrganisation'), [{ path: 'email', message: problem('emailInOrganisation').text }]);
    if (holder) {
      await audit(tx, actor, { action: 'user.create_refused', entity: 'user', details: { reason: 'email_unavailable', role: input.role } });
      return null; // refused after the audit event commits
    }
    const created = await insertUser(tx, orgId, input);
    await audit(tx, actor, { action: 'user.create', entity: 'user', entityId: created.id, details: { role: input.role } });
    return created;
  });
  if (!outcome) throw new Conflict(problem('emailUnavailable'), [{ path: 'email', message: problem('emailUnavailable').text }]);
  return outcome;
}

export async function listUsers(actor: Actor) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'user.list', { orgId });
    return tx
      .select({
        id: appUser.id,
        email: appUser.email,
        role: appUser.role,
        disabledAt: appUser.disabledAt,
        totpEnabledAt: appUser.totpEnabledAt,
        lastSignInAt: appUser.lastSignInAt,
        createdAt: appUser.createdAt,
      })
      .from(appUser)
      .where(eq(appUser.orgId, orgId))
      .orderBy(asc(appUser.email));
  });
}

/** Loads a user of the actor's organisation; another organisation's id looks like a missing one. */
async function userInOrg(tx: Tx, orgId: string, userId: string) {
  const id = z.uuid().safeParse(userId);
  if (!id.success) throw new NotFound('user');
  const [user] = await tx.select().from(appUser).where(and(eq(appUser.id, id.data), eq(appUser.orgId, orgId)));
  if (!user) throw new NotFound('user');
  return user;
}

const bump = { sessionVersion: sql`${appUser.sessionVersion} + 1` };

export async function changeRole(actor: Actor, userId: string, role: Role) {
  const newRole = RoleInput.parse(role);
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'user.update', { orgId });
    const user = await userInOrg(tx, orgId, userId);
    if (user.id === actor.userId) throw new Conflict(problem('ownRole'));
    if (user.role === newRole) return;
    await tx.update(appUser).set({ role: newRole, ...bump }).where(eq(appUser.id, user.id));
    await audit(tx, actor, { action: 'user.role_change', entity: 'user', entityId: user.id, details: { from: user.role, to: newRole } });
  });
}

async function disableInTx(tx: Tx, userId: string) {
  await tx.update(appUser).set({ disabledAt: new Date(), ...bump }).where(and(eq(appUser.id, userId), isNull(appUser.disabledAt)));
  await tx.update(apiToken).set({ revokedAt: new Date() }).where(and(eq(apiToken.userId, userId), isNull(apiToken.revokedAt)));
}

export async function disableUser(actor: Actor, userId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'user.update', { orgId });
    const user = await userInOrg(tx, orgId, userId);
    if (user.id === actor.userId) throw new Conflict(problem('ownDisable'));
    if (user.disabledAt) return;
    await disableInTx(tx, user.id);
    await audit(tx, actor, { action: 'user.disable', entity: 'user', entityId: user.id });
  });
}

export async function enableUser(actor: Actor, userId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'user.update', { orgId });
    const user = await userInOrg(tx, orgId, userId);
    if (!user.disabledAt) return;
    await tx.update(appUser).set({ disabledAt: null, ...bump }).where(eq(appUser.id, user.id));
    await audit(tx, actor, { action: 'user.enable', entity: 'user', entityId: user.id });
  });
}

/** Removes a user's second factor (a lost phone); they must enrol again at next sign-in if their role needs one. */
export async function resetSecondFactor(actor: Actor, userId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'user.update', { orgId });
    const user = await userInOrg(tx, orgId, userId);
    await tx.update(appUser).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, ...bump }).where(eq(appUser.id, user.id));
    await tx.delete(recoveryCode).where(eq(recoveryCode.userId, user.id));
    await audit(tx, actor, { action: 'user.second_factor_reset', entity: 'user', entityId: user.id });
  });
}

/** An admin sets a new generated password (returned once); the user's sessions end. */
export async function resetPassword(actor: Actor, userId: string) {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'user.update', { orgId });
    const user = await userInOrg(tx, orgId, userId);
    const password = generatePassword();
    await tx.update(appUser).set({ passwordHash: await hashPassword(password), ...bump }).where(eq(appUser.id, user.id));
    await audit(tx, actor, { action: 'user.password_reset', entity: 'user', entityId: user.id });
    return { password };
  });
}

// ---- the command line: the operator has the machine, so acts on any organisation ----

export async function operatorCreateOrg(raw: { slug: string; name: string; contact?: string }) {
  const input = z.object({ slug: Slug, name: z.string().trim().min(2).max(200), contact: z.string().max(320).optional() }).parse(raw);
  return inTransaction(async (tx) => {
    const [existing] = await tx.select({ id: organisation.id }).from(organisation).where(eq(organisation.slug, input.slug));
    if (existing) throw new Conflict(problem('orgSlugTaken', { slug: input.slug }));
    const [row] = await tx.insert(organisation).values(input).returning();
    await audit(tx, null, { action: 'org.create', actorRole: 'operator', orgId: row!.id, entity: 'organisation', entityId: row!.id, details: { slug: input.slug } });
    return row!;
  });
}

export async function operatorCreateUser(orgSlug: string, raw: NewUserInput) {
  const input = NewUser.parse(raw);
  return inTransaction(async (tx) => {
    const [org] = await tx.select().from(organisation).where(eq(organisation.slug, orgSlug));
    if (!org) throw new NotFound(`organisation "${orgSlug}"`);
    const created = await insertUser(tx, org.id, input);
    await audit(tx, null, { action: 'user.create', actorRole: 'operator', orgId: org.id, entity: 'user', entityId: created.id, details: { role: input.role } });
    return created;
  });
}

export async function operatorDisableUser(rawEmail: string) {
  const email = Email.parse(rawEmail);
  return inTransaction(async (tx) => {
    const [user] = await tx.select().from(appUser).where(eq(appUser.email, email));
    if (!user) throw new NotFound('user');
    await disableInTx(tx, user.id);
    await audit(tx, null, { action: 'user.disable', actorRole: 'operator', orgId: user.orgId, entity: 'user', entityId: user.id });
  });
}

export async function findUserByEmail(tx: Tx, rawEmail: string) {
  const [user] = await tx.select().from(appUser).where(eq(appUser.email, Email.parse(rawEmail)));
  return user;
}

/**
 * The command line acting as one user of one organisation (import, export, aggregates): the user's
 * own role decides what is allowed, through the same can() as the web. A disabled user cannot be
 * used. Without an organisation the e-mail alone names the user (e-mails are unique).
 */
export async function operatorActingAs(orgSlug: string | undefined, rawEmail: string): Promise<Actor> {
  const email = Email.parse(rawEmail);
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select({ user: appUser, org: organisation })
      .from(appUser)
      .innerJoin(organisation, eq(organisation.id, appUser.orgId))
      .where(and(eq(appUser.email, email), orgSlug === undefined ? undefined : eq(organisation.slug, orgSlug), isNull(appUser.disabledAt)));
    if (!row) throw new NotFound(orgSlug === undefined ? `active user ${email}` : `active user ${email} in organisation "${orgSlug}"`);
    return { userId: row.user.id, orgId: row.org.id, orgSlug: row.org.slug, orgName: row.org.name, email: row.user.email, role: row.user.role, via: 'cli' };
  });
}
