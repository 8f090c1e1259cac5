// Data for integration tests: organisations, users and the actors that act as them.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { db } from '@/db';
import { appUser, auditEvent, organisation, type Role } from '@/db/schema';
import type { Actor } from '@/lib/access';
import { operatorCreateOrg, operatorCreateUser } from '@/lib/users';

/** A short random suffix so every test has its own slugs, e-mails and client addresses. */
export const uniq = () => randomBytes(5).toString('hex');

export const PASSWORD = 'a long passphrase for tests only';

export async function makeOrg(prefix = 'org') {
  return operatorCreateOrg({ slug: `${prefix}-${uniq()}`, name: `Organisation ${prefix}` });
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  orgId: string;
  orgSlug: string;
  role: Role;
}

export async function makeUser(org: { id: string; slug: string }, role: Role, password = PASSWORD): Promise<TestUser> {
  const email = `${role}-${uniq()}@${org.slug}.example`;
  const created = await operatorCreateUser(org.slug, { email, role, password });
  return { id: created.id, email, password, orgId: org.id, orgSlug: org.slug, role };
}

/** The actor a signed-in user is, read from the database as it stands. */
export async function actorOf(userId: string): Promise<Actor> {
  const database = await db();
  const [row] = await database
    .select({ user: appUser, org: organisation })
    .from(appUser)
    .innerJoin(organisation, eq(organisation.id, appUser.orgId))
    .where(eq(appUser.id, userId));
  if (!row) throw new Error(`no user ${userId}`);
  return { userId: row.user.id, orgId: row.org.id, orgSlug: row.org.slug, orgName: row.org.name, email: row.user.email, role: row.user.role, via: 'session' };
}

export async function userRow(userId: string) {
  const database = await db();
  const [row] = await database.select().from(appUser).where(eq(appUser.id, userId));
  if (!row) throw new Error(`no user ${userId}`);
  return row;
}

/** The audit actions recorded about one entity, oldest first. */
export async function auditActionsFor(entityId: string): Promise<string[]> {
  const database = await db();
  const rows = await database.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.entityId, entityId)).orderBy(auditEvent.id);
  return rows.map((r) => r.action);
}
