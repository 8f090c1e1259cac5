// An organisation with one user per role, as actors lib/ functions accept.
import { randomBytes } from 'node:crypto';
import type { Actor } from '@/lib/access';
import { operatorCreateOrg, operatorCreateUser } from '@/lib/users';

export type RoleActors = Record<'researcher' | 'caseworker' | 'reviewer' | 'admin', Actor> & { orgId: string; slug: string };

export async function orgWithActors(prefix = 'org'): Promise<RoleActors> {
  const slug = `${prefix}-${randomBytes(4).toString('hex')}`;
  const org = await operatorCreateOrg({ slug, name: `Org ${slug}` });
  const out = { orgId: org.id, slug } as RoleActors;
  for (const role of ['researcher', 'caseworker', 'reviewer', 'admin'] as const) {
    const email = `${role}@${slug}.example`;
    const { id } = await operatorCreateUser(slug, { email, role, password: 'a long enough test passphrase' });
    out[role] = { userId: id, orgId: org.id, orgSlug: slug, orgName: org.name, email, role, via: 'session' };
  }
  return out;
}
