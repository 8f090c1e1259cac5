import 'server-only';
import { db, type Tx } from '@/db';
import type { Actor } from './access';

/** A transaction bound to one organisation: the only way lib/ reaches organisation data. */
export interface OrgScope {
  tx: Tx;
  orgId: string;
  actor: Actor;
}

/**
 * Runs `work` in one transaction scoped to the actor's organisation. Every query inside must put
 * `scope.orgId` in its WHERE (never compare after fetching: that would confirm a foreign id exists).
 */
export async function inOrg<T>(actor: Actor, work: (scope: OrgScope) => Promise<T>): Promise<T> {
  const database = await db();
  return database.transaction((tx) => work({ tx, orgId: actor.orgId, actor }));
}

/** A transaction for work that is not tied to one organisation (sign-in, instance-wide aggregates). */
export async function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const database = await db();
  return database.transaction(work);
}
