import 'server-only';

/** Start-up: configuration, secrets, migrations, the demo on an empty embedded database. Exits on failure. */
export async function boot() {
  try {
    // Imported here, not at the top: an invalid environment throws at import, and must stop the server too.
    const { env, embedded } = await import('./env');
    const { checkSecrets } = await import('./secrets');
    const { checkDisclosureSettings } = await import('./disclosure/k');
    const { db, dbKind } = await import('@/db');
    const { printDemoAccounts, seedDemoIfEmpty } = await import('./demo/seed');
    checkSecrets();
    checkDisclosureSettings();
    const database = await db(); // opens and migrates
    const seed = env.SEED_DEMO === 'yes' || (env.SEED_DEMO === 'auto' && embedded());
    if (seed) {
      const accounts = await seedDemoIfEmpty(database);
      if (accounts.length) printDemoAccounts(accounts);
    }
    console.log(`[ledger] database: ${await dbKind()}; ready.`);
  } catch (e) {
    const known = e instanceof Error && ['ConfigError', 'DatabaseBusy'].includes(e.name);
    const invalidEnv = e instanceof Error && /Invalid environment variables/.test(e.message);
    console.error(`[ledger] cannot start: ${known ? (e as Error).message : invalidEnv ? 'the configuration above is not valid (README, "Configuration").' : String(e)}`);
    process.exit(1);
  }
}
