// Seeds the e2e database: the real demo (its printed accounts captured to a file the specs read),
// plus accounts only the specs use, so one journey cannot disturb another.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { closeDb, useDatabase } from '@/db';
import { openDatabase } from '@/db/client';
import { appUser } from '@/db/schema';
import { totpPlace } from '@/lib/auth/sign-in';
import { newTotpSecret } from '@/lib/auth/totp';
import { encrypt } from '@/lib/crypto/envelope';
import { seedDemoIfEmpty } from '@/lib/demo/seed';
import { env } from '@/lib/env';
import { approveTestimony, createTestimony, submitTestimony } from '@/lib/testimonies';
import { operatorActingAs, operatorCreateUser } from '@/lib/users';
import type { E2eAccounts } from './accounts';
import { seedPublications } from './publications';

const PASSWORD = 'e2e passphrase that is long enough';

async function main() {
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  useDatabase(database);
  const demo = await seedDemoIfEmpty(database.db);
  const extra: E2eAccounts['extra'] = {};
  const add = async (key: string, org: string, role: 'researcher' | 'caseworker' | 'reviewer' | 'admin', totp: boolean) => {
    const email = `${key}@${org}.example`;
    const { id } = await operatorCreateUser(org, { email, role, password: PASSWORD });
    let totpSecret: string | undefined;
    if (totp) {
      totpSecret = newTotpSecret();
      await database.db.update(appUser).set({ totpSecret: encrypt(totpSecret, totpPlace(id)), totpEnabledAt: new Date() }).where(eq(appUser.id, id));
    }
    extra[key] = { email, password: PASSWORD, role, org, totpSecret };
  };
  await add('lockout', 'haven', 'caseworker', false);
  await add('enrol', 'haven', 'caseworker', false);
  await add('everywhere', 'haven', 'researcher', false);
  await add('korean', 'haven', 'caseworker', false);
  await add('drafter', 'haven', 'caseworker', false);
  await add('admin2', 'haven', 'admin', true);
  await add('reviewer2', 'haven', 'reviewer', true);
  await add('exporter', 'haven', 'reviewer', true); // caseworker-imports-csv: a second-factor code cannot be used twice
  await add('nladmin', 'northlight', 'admin', true);
  await add('a11yadmin', 'haven', 'admin', true);
  await add('apiuser', 'haven', 'caseworker', false);
  await add('apinl', 'northlight', 'caseworker', false);
  await add('apiresearcher', 'haven', 'researcher', false); // researcher-dashboard: an individual record refused to a token too
  await add('author', 'haven', 'reviewer', true); // reviewer-publishes-summary: drafts summaries
  await add('budgetresearcher', 'haven', 'researcher', false); // admin-extends-research-budget
  await add('budgetadmin', 'haven', 'admin', true);
  await add('cspreviewer', 'haven', 'reviewer', true); // security/attacks: the CSP crawl of a reviewer's pages
  await add('a11yreviewer', 'haven', 'reviewer', true);
  await add('approver', 'haven', 'reviewer', true); // reviewer-approves-quote: edits and approves at once (own second factor)
  await add('approvernojs', 'haven', 'reviewer', true); // the same without JavaScript
  await add('instances', 'haven', 'caseworker', false); // two-instances: sessions and revocation across instances
  await add('instanceslock', 'haven', 'caseworker', false); // two-instances: a lockout counted on one holds on the other
  await seedWorkers2016();
  const publications = await seedPublications();
  await closeDb();

  // Tokens made by the real command line, after the seed let go of the database (PGlite allows one process).
  const cliTokens: Record<string, string> = {};
  for (const key of ['apiuser', 'apinl', 'apiresearcher']) cliTokens[key] = cliToken(extra[key]!.email);

  const accounts: E2eAccounts = { demo, extra, cliTokens, publications };
  mkdirSync(env.DATA_DIR, { recursive: true });
  writeFileSync(path.join(env.DATA_DIR, 'accounts.json'), JSON.stringify(accounts, null, 2));
}

/**
 * reviewer-publishes-summary.spec.ts, and only it, reads deployments that started in 2016 (the demo's
 * start in 2023 or later): haven's approved testimonies with public-aggregate consent, 39 workers.
 * Construction: 20 in Primorsky Krai (Far Eastern district) and 3 in Moscow (Central); factory: 12 in
 * Moscow; fishing: 4 in Moscow (the spec records a fifth through the form). So 2016 by site type shows fishing as "fewer than 10", and 2016 in the
 * Far Eastern district alone differs from it by 3 construction workers: a refused publication.
 */
async function seedWorkers2016() {
  const caseworker = await operatorActingAs('haven', 'caseworker@haven.example');
  const reviewer = await operatorActingAs('haven', 'reviewer@haven.example');
  const groups = [
    { n: 20, region: 'primorsky-krai', siteType: 'construction' },
    { n: 3, region: 'moscow', siteType: 'construction' },
    { n: 12, region: 'moscow', siteType: 'factory' },
    { n: 4, region: 'moscow', siteType: 'fishing' },
  ] as const;
  for (const g of groups) {
    for (let i = 0; i < g.n; i++) {
      const { id } = await createTestimony(caseworker, {
        interviewDate: '2019-06-01',
        deployment: { start: `2016-${String(1 + (i % 12)).padStart(2, '0')}`, region: g.region, siteType: g.siteType, visaType: 'student', outcome: 'returned' },
        hours: { shiftStart: '06:00', shiftEnd: '02:00', daysPerWeek: 7 },
        consent: { scopes: ['internal', 'research', 'public_aggregate'], method: 'oral' },
      });
      await submitTestimony(caseworker, id);
      await approveTestimony(reviewer, id);
    }
  }
}

function cliToken(email: string): string {
  const r = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'cli/index.ts', 'token', 'create', '--email', email, '--name', 'e2e cli'], {
    env: process.env,
    encoding: 'utf8',
  });
  const token = r.stdout.trim();
  if (r.status !== 0 || !/^tl_\S+$/.test(token)) throw new Error(`cli token create failed for ${email}: ${r.stderr}`);
  return token;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
