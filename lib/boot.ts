import 'server-only';
import { db, dbKind } from '@/db';
import { printDemoAccounts, seedDemoIfEmpty } from './demo/seed';
import { embedded, env } from './env';
import { checkSecrets, ConfigError } from './secrets';

/** Start-up: configuration, secrets, migrations, the demo on an empty embedded database. */
export async function boot() {
  try {
    checkSecrets();
    const database = await db(); // opens and migrates
    const seed = env.SEED_DEMO === 'yes' || (env.SEED_DEMO === 'auto' && embedded());
    if (seed) {
      const accounts = await seedDemoIfEmpty(database);
      if (accounts.length) printDemoAccounts(accounts);
    }
    console.log(`[ledger] database: ${await dbKind()}; ready.`);
  } catch (e) {
    const message = e instanceof ConfigError || (e instanceof Error && e.name === 'DatabaseBusy') ? e.message : String(e);
    console.error(`[ledger] cannot start: ${message}`);
    process.exit(1);
  }
}
