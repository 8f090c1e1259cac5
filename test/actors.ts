// An organisation with one user per role, as actors lib/ functions accept.
import type { Actor } from '@/lib/access';
import { actorOf, makeOrg, makeUser } from './fixtures';

export type RoleActors = Record<'researcher' | 'caseworker' | 'reviewer' | 'admin', Actor> & { orgId: string; slug: string };

export async function orgWithActors(prefix = 'org'): Promise<RoleActors> {
  const org = await makeOrg(prefix);
  const out = { orgId: org.id, slug: org.slug } as RoleActors;
  for (const role of ['researcher', 'caseworker', 'reviewer', 'admin'] as const) {
    out[role] = await actorOf((await makeUser(org, role)).id);
  }
  return out;
}
