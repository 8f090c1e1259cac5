import 'server-only';
import { forbidden, redirect } from 'next/navigation';
import { can, type Action, type Actor, type Resource } from '@/lib/access';
import { sessionActor } from '@/lib/actor';

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
