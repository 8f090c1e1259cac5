import 'server-only';
import { forbidden, notFound, redirect } from 'next/navigation';
import { can, type Action, type Actor, type Resource } from '@/lib/access';
import { limitExpensiveSession, sessionActor } from '@/lib/actor';
import { Forbidden, NotFound, RateLimited } from '@/lib/errors';

/** For signed-in pages: the actor, or a redirect to sign in (or to set up the required second factor). */
export async function requirePageActor(opts: { allowSecondFactorPending?: boolean } = {}): Promise<Actor> {
  const resolved = await sessionActor();
  if (!resolved) redirect('/sign-in');
  if (resolved.secondFactorPending && !opts.allowSecondFactorPending) redirect('/account?setup=required');
  return resolved.actor;
}

/** A page that needs one action: 403 page otherwise (the data functions check again). */
export async function requirePageAction(action: Action, resource: (actor: Actor) => Resource = (a) => ({ orgId: a.orgId })) {
  const actor = await requirePageActor();
  if (!can(actor, action, resource(actor))) forbidden();
  return actor;
}

/** Data for a page: lib's NotFound and Forbidden become the 404 and 403 pages instead of an error. */
export async function pageData<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (e) {
    if (e instanceof NotFound) notFound();
    if (e instanceof Forbidden) forbidden();
    throw e;
  }
}

/**
 * For an expensive page (aggregates, source search): counts the request toward the user's limit and
 * returns the refusal to render (<TooManyRequests>) in place of the page, or null to go on.
 */
export async function expensivePageRefusal(actor: Actor): Promise<RateLimited | null> {
  try {
    await limitExpensiveSession(actor);
    return null;
  } catch (e) {
    if (e instanceof RateLimited) return e;
    throw e;
  }
}
