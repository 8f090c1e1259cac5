import 'server-only';
import type { Db } from '@/db';
import { organisation } from '@/db/schema';
import { ROLES, type Actor } from '../access';
import { Conflict } from '../errors';
import { operatorCreateOrg, operatorCreateUser } from '../users';
import { seedDemoTestimonies } from './testimonies';
import { seedDemoSources } from './sources';

export const DEMO_ORGS = [
  { slug: 'haven', name: 'Haven Documentation Centre', contact: 'contact@haven.example' },
  { slug: 'northlight', name: 'Northlight Labour Rights Institute', contact: 'office@northlight.example' },
] as const;

export interface DemoAccount {
  org: string;
  email: string;
  role: string;
  password: string;
}

/** Seeds the demo only into an empty database; returns the accounts created (none when it was not empty). */
export async function seedDemoIfEmpty(database: Db): Promise<DemoAccount[]> {
  const [existing] = await database.select({ id: organisation.id }).from(organisation).limit(1);
  if (existing) return [];
  const created: DemoAccount[] = [];
  try {
    for (const [n, org] of DEMO_ORGS.entries()) {
      const row = await operatorCreateOrg(org);
      const actors: Partial<Record<(typeof ROLES)[number], Actor>> = {};
      for (const role of ROLES) {
        const email = `${role}@${org.slug}.example`;
        const { id, password } = await operatorCreateUser(org.slug, { email, role });
        created.push({ org: org.slug, email, role, password: password! });
        actors[role] = { userId: id, orgId: row.id, orgSlug: row.slug, orgName: row.name, email, role, via: 'cli' };
      }
      await seedDemoTestimonies(actors.caseworker!, actors.reviewer!, n === 0 ? 32 : 16, n + 1);
    }
    await seedDemoSources(DEMO_ORGS[0].slug);
  } catch (e) {
    if (e instanceof Conflict) return []; // another instance seeded first
    throw e;
  }
  return created;
}

export function printDemoAccounts(accounts: DemoAccount[]) {
  const lines = [
    '',
    'Demo accounts (passwords are shown this once; reviewers and admins set up two-step sign-in at first sign-in):',
    ...accounts.map((a) => `  ${a.org.padEnd(11)} ${a.role.padEnd(11)} ${a.email.padEnd(28)} ${a.password}`),
    '',
  ];
  console.log(lines.join('\n'));
}
