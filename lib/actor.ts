import 'server-only';
import { and, eq, isNull, lt, notExists, sql } from 'drizzle-orm';
import { cache } from 'react';
import { db } from '@/db';
import { appUser, endedSession, organisation } from '@/db/schema';
import type { Actor } from './access';
import { auth } from './auth/config';
import { actorForToken } from './auth/tokens';
import { Forbidden, RateLimited, SecondFactorRequired, Unauthenticated, problem } from './errors';
import { enforceRateLimit, RATE_LIMITS, takeHit } from './http/rate-limit';
import { isSameOrigin, SAFE_METHODS } from './http/same-origin';

export const IDLE_SECONDS = 30 * 60;
export const ABSOLUTE_SECONDS = 12 * 60 * 60;
export const SECOND_FACTOR_ROLES = ['reviewer', 'admin'] as const;

/** Reviewers and admins must use a second factor (they approve records and manage users). */
export function requiresSecondFactor(role: string): boolean {
  return (SECOND_FACTOR_ROLES as readonly string[]).includes(role);
}

export interface SessionClaims {
  uid: string;
  sv: number;
  authTime: number;
  /** This session's id: signing out records it in ended_session. */
  sid: string;
}

export interface ResolvedActor {
  actor: Actor;
  /** A reviewer or admin who has not set up a second factor yet may only do that. */
  secondFactorPending: boolean;
}

/** Checked on every request: a bumped session version, a disabled user or an old sign-in ends the session. */
export async function actorForSession(claims: SessionClaims, now = Date.now()): Promise<ResolvedActor | null> {
  if (now / 1000 - claims.authTime > ABSOLUTE_SECONDS) return null;
  const database = await db();
  const [row] = await database
    .select({ user: appUser, org: organisation })
    .from(appUser)
    .innerJoin(organisation, eq(organisation.id, appUser.orgId))
    .where(
      and(
        eq(appUser.id, claims.uid),
        eq(appUser.sessionVersion, claims.sv),
        isNull(appUser.disabledAt),
        notExists(database.select({ one: sql`1` }).from(endedSession).where(eq(endedSession.sessionId, claims.sid))),
      ),
    );
  if (!row) return null;
  const { user, org } = row;
  return {
    actor: { userId: user.id, orgId: org.id, orgSlug: org.slug, orgName: org.name, email: user.email, role: user.role, via: 'session' },
    secondFactorPending: requiresSecondFactor(user.role) && !user.totpEnabledAt,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function claimsOf(session: unknown): SessionClaims | null {
  const s = session as { uid?: unknown; sv?: unknown; authTime?: unknown; sid?: unknown } | null;
  if (!s || typeof s.uid !== 'string' || typeof s.sv !== 'number' || typeof s.authTime !== 'number') return null;
  if (typeof s.sid !== 'string' || !UUID.test(s.sid) || !UUID.test(s.uid)) return null;
  return { uid: s.uid, sv: s.sv, authTime: s.authTime, sid: s.sid };
}

/** Ends one session for good: its cookie is refused from now on, even a copy or a re-issued one. */
export async function endSession(claims: SessionClaims): Promise<void> {
  const database = await db();
  await database.transaction(async (tx) => {
    await tx.delete(endedSession).where(lt(endedSession.expiresAt, sql`now()`)); // no longer needed
    await tx
      .insert(endedSession)
      .values({ sessionId: claims.sid, userId: claims.uid, expiresAt: new Date((claims.authTime + ABSOLUTE_SECONDS) * 1000) })
      .onConflictDoNothing();
  });
}

/** Sign-out of the current request's session (the caller then clears the cookie). */
export async function endCurrentSession(): Promise<void> {
  const claims = claimsOf(await auth());
  if (claims) await endSession(claims);
}

/** The signed-in user of this request (cookie session), resolved once per request. */
export const sessionActor = cache(async (): Promise<ResolvedActor | null> => {
  const claims = claimsOf(await auth());
  return claims ? actorForSession(claims) : null;
});

/**
 * Resolves the caller of an API request: a Bearer token when the header is present (and then
 * only that), otherwise the session cookie. Returns null for the public.
 */
/**
 * Counts one request of a signed-in user (cookie session) to an expensive route and throws
 * RateLimited (429, Retry-After) over RATE_LIMITS.sessionExpensive. Tokens have their own limit.
 */
export async function limitExpensiveSession(actor: Actor): Promise<void> {
  const decision = await takeHit(RATE_LIMITS.sessionExpensive, actor.userId);
  if (!decision.allowed) throw new RateLimited(decision.retryAfterSeconds, problem('tooManyRequests', { seconds: decision.retryAfterSeconds }));
}

export interface ActorOptions {
  allowSecondFactorPending?: boolean;
  /** An expensive route (aggregates, imports, exports, search): a cookie session counts toward its limit. */
  expensive?: boolean;
}

export async function optionalActor(req: Request, opts: ActorOptions = {}): Promise<Actor | null> {
  const header = req.headers.get('authorization');
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new Unauthenticated('The Authorization header must be "Bearer <token>".');
    const database = await db();
    const actor = await database.transaction((tx) => actorForToken(tx, match[1]!));
    if (!actor) throw new Unauthenticated('The token is not valid: unknown, revoked, expired, or its owner changed.');
    await enforceRateLimit(RATE_LIMITS.apiToken, actor.tokenId!);
    return actor;
  }
  const resolved = await sessionActor();
  if (!resolved) return null;
  // Cookies ride along on cross-site requests; a changing request must come from our own pages.
  if (!SAFE_METHODS.has(req.method) && !isSameOrigin(req.headers)) throw new Forbidden(problem('crossSite'));
  if (resolved.secondFactorPending && !opts.allowSecondFactorPending) throw new SecondFactorRequired();
  if (opts.expensive) await limitExpensiveSession(resolved.actor);
  return resolved.actor;
}

export async function requireActor(req: Request, opts: ActorOptions = {}): Promise<Actor> {
  const actor = await optionalActor(req, opts);
  if (!actor) throw new Unauthenticated();
  return actor;
}

