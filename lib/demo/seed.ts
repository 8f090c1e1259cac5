import 'server-only';
import type { Db } from '@/db';
import { organisation } from '@/db/schema';
import { ROLES, type Actor } from '../access';
import { Conflict } from '../errors';
import { DifferencingRefused } from '../summaries';
import { generateSynthetic, type SynthTarget } from '../synthetic';
import { operatorCreateOrg, operatorCreateUser } from '../users';
import { seedDemoTestimonies } from './testimonies';
import { seedDemoSources } from './sources';
import { DEMO_SUMMARY_SLUG, DEMO_SUMMARY_SLUG_KO, publishDemoSummaries } from './summary';

export const DEMO_ORGS = [
  { slug: 'haven', name: 'Haven Documentation Centre', contact: 'contact@haven.example' },
  { slug: 'northlight', name: 'Northlight Labour Rights Institute', contact: 'office@northlight.example' },
] as const;

/** Synthetic workers over the demo organisations (lib/synthetic), for summaries with visible and suppressed cells. */
export const DEMO_WORKERS = [200, 100] as const;
/** Consent to public aggregates among them: as in the demo testimonies, more than synth's usual half, so a summary shows cells. */
const DEMO_PUBLIC_AGGREGATE = 0.85;
const DEMO_SYNTH_SEED = 2019;
/** In the synthetic ids, in place of `synth-n`'s n: above that range, so a `synth` run never meets them. */
const DEMO_SYNTH_NUMBER = 0xde00;

/** The second reviewer of each demo organisation: the one who approves what the first wrote. */
export const secondReviewerEmail = (orgSlug: string) => `second-reviewer@${orgSlug}.example`;

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
    const targets: SynthTarget[] = [];
    const reviewers: [Actor, Actor][] = [];
    for (const [n, org] of DEMO_ORGS.entries()) {
      const row = await operatorCreateOrg(org);
      const account = async (role: (typeof ROLES)[number], email: string): Promise<Actor> => {
        const { id, password } = await operatorCreateUser(org.slug, { email, role });
        created.push({ org: org.slug, email, role, password: password! });
        return { userId: id, orgId: row.id, orgSlug: row.slug, orgName: row.name, email, role, via: 'cli' };
      };
      const actors: Partial<Record<(typeof ROLES)[number], Actor>> = {};
      for (const role of ROLES) actors[role] = await account(role, `${role}@${org.slug}.example`);
      reviewers.push([actors.reviewer!, await account('reviewer', secondReviewerEmail(org.slug))]);
      await seedDemoTestimonies(actors.caseworker!, actors.reviewer!, n === 0 ? 32 : 16, n + 1);
      targets.push({ number: DEMO_SYNTH_NUMBER + n + 1, slug: row.slug, orgId: row.id, caseworkerId: actors.caseworker!.userId, reviewerId: actors.reviewer!.userId, workers: DEMO_WORKERS[n], publicAggregate: DEMO_PUBLIC_AGGREGATE });
    }
    const sources = await seedDemoSources(DEMO_ORGS[0].slug);
    const workers = DEMO_WORKERS.reduce((a, b) => a + b, 0);
    await generateSynthetic({ orgs: targets.length, workers, seed: DEMO_SYNTH_SEED, batch: workers }, undefined, targets);
    // Haven's reviewer writes the summary, its second reviewer approves it.
    await publishDemoSummaries(reviewers[0]![0], reviewers[0]![1], sources);
  } catch (e) {
    if (e instanceof Conflict && !(e instanceof DifferencingRefused)) return []; // another instance seeded first
    throw e;
  }
  return created;
}

export function printDemoAccounts(accounts: DemoAccount[]) {
  const lines = [
    '',
    'Demo accounts (passwords are shown this once; reviewers and admins set up two-step sign-in at first sign-in):',
    ...accounts.map((a) => `  ${a.org.padEnd(11)} ${a.role.padEnd(11)} ${a.email.padEnd(35)} ${a.password}`),
    '',
    `Demo public summary (synthetic workers): /summaries/${DEMO_SUMMARY_SLUG} and in Korean /summaries/${DEMO_SUMMARY_SLUG_KO}`,
    '',
  ];
  // A banner for the person who started the server, not a log line: written as it is, once.
  process.stdout.write(`${lines.join('\n')}\n`);
}
