import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { apiToken, appUser, organisation } from '@/db/schema';
import type { Actor } from '../access';
import { audit } from '../audit';

export const TOKEN_PREFIX = 'tl_';
// 32 random bytes → 43 base64url characters; at least 128 bits as the issue asks, 256 in fact.
const TOKEN_SHAPE = /^tl_[A-Za-z0-9_-]{43}$/;
export const MAX_TOKEN_DAYS = 365;

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');

export function looksLikeToken(token: string) {
  return TOKEN_SHAPE.test(token);
}

/** Creates a token for `owner` (already authorised by the caller). The plaintext is returned once. */
export async function issueToken(tx: Tx, actor: Actor | null, owner: { id: string; orgId: string; sessionVersion: number }, name: string, days: number) {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  const [row] = await tx
    .insert(apiToken)
    .values({
      orgId: owner.orgId,
      userId: owner.id,
      name,
      tokenHash: tokenDigest(token),
      hint: `${token.slice(0, 7)}…${token.slice(-4)}`,
      sessionVersion: owner.sessionVersion,
      expiresAt,
    })
    .returning({ id: apiToken.id });
  await audit(tx, actor, { action: 'token.create', orgId: owner.orgId, entity: 'api_token', entityId: row!.id, details: { owner: owner.id, name, days } });
  return { id: row!.id, token, expiresAt };
}

/** The actor a token acts as, or null when it is unknown, revoked, expired, or its owner changed. */
export async function actorForToken(tx: Tx, token: string): Promise<Actor | null> {
  if (!looksLikeToken(token)) return null;
  const [row] = await tx
    .select({ token: apiToken, user: appUser, org: organisation })
    .from(apiToken)
    .innerJoin(appUser, eq(appUser.id, apiToken.userId))
    .innerJoin(organisation, eq(organisation.id, appUser.orgId))
    .where(and(eq(apiToken.tokenHash, tokenDigest(token)), isNull(apiToken.revokedAt), sql`${apiToken.expiresAt} > now()`));
  if (!row || row.user.disabledAt || row.token.sessionVersion !== row.user.sessionVersion) return null;
  // Written at most once a minute per token: enough to answer "is this token still used?".
  await tx
    .update(apiToken)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiToken.id, row.token.id), or(isNull(apiToken.lastUsedAt), lt(apiToken.lastUsedAt, sql`now() - interval '1 minute'`))));
  return {
    userId: row.user.id,
    orgId: row.org.id,
    orgSlug: row.org.slug,
    orgName: row.org.name,
    email: row.user.email,
    role: row.user.role,
    via: 'token',
    tokenId: row.token.id,
  };
}

export function listTokens(tx: Tx, where: { orgId: string; userId?: string }) {
  return tx
    .select({
      id: apiToken.id,
      name: apiToken.name,
      hint: apiToken.hint,
      createdAt: apiToken.createdAt,
      expiresAt: apiToken.expiresAt,
      lastUsedAt: apiToken.lastUsedAt,
      revokedAt: apiToken.revokedAt,
      ownerId: appUser.id,
      ownerEmail: appUser.email,
    })
    .from(apiToken)
    .innerJoin(appUser, eq(appUser.id, apiToken.userId))
    .where(and(eq(apiToken.orgId, where.orgId), where.userId ? eq(apiToken.userId, where.userId) : undefined))
    .orderBy(desc(apiToken.createdAt));
}
