import 'server-only';

/** Start-up: configuration, secrets, migrations, the demo on an empty embedded database. Exits on failure. */
export async function boot() {
  const { describeError, log, routeConsoleToLog } = await import('./log');
  try {
    // Imported here, not at the top: an invalid environment throws at import, and must stop the server too.
    const { env, embedded } = await import('./env');
    // From here on Next's own messages and errors are JSON lines too, reduced like ours (after the
    // environment check, whose list of invalid variables is for a person to read).
    routeConsoleToLog();
    const { pinForwardedFor } = await import('./http/client-address');
    pinForwardedFor(env.TRUST_PROXY);
    const { auditSigningKey, checkSecrets } = await import('./secrets');
    const { checkDisclosureSettings } = await import('./disclosure/k');
    const { db, dbKind } = await import('@/db');
    const { printDemoAccounts, seedDemoIfEmpty } = await import('./demo/seed');
    checkSecrets();
    // Public: whoever keeps exported checkpoints checks them with it.
    log.info('audit checkpoints are signed by this public key', { auditPublicKey: auditSigningKey().publicKey });
    checkDisclosureSettings();
    const { failAbandonedImports } = await import('./testimonies/import-recovery');
    const database = await db(); // opens and migrates
    // Before any request: imports a dead process left running are failed, their temporary files removed.
    const abandoned = await failAbandonedImports();
    if (abandoned.jobs || abandoned.folders) log.warn('imports left by a stopped process marked failed', abandoned);
    // The data migration of columns that became encrypted: values stored in clear before are sealed.
    const { sealLegacyPlaintext } = await import('./crypto/rotate');
    for (const { column, sealed } of await sealLegacyPlaintext()) log.info('encrypted values stored in clear', { column, rows: sealed });
    const seed = env.SEED_DEMO === 'yes' || (env.SEED_DEMO === 'auto' && embedded());
    if (seed) {
      const accounts = await seedDemoIfEmpty(database);
      if (accounts.length) printDemoAccounts(accounts);
    }
    log.info('ready', { database: await dbKind() });
  } catch (e) {
    const known = e instanceof Error && ['ConfigError', 'DatabaseBusy'].includes(e.name);
    const invalidEnv = e instanceof Error && /Invalid environment variables/.test(e.message);
    if (known) log.error(`cannot start: ${(e as Error).message}`);
    else if (invalidEnv) console.error('[ledger] cannot start: the configuration above is not valid (README, "Configuration").');
    else log.error('cannot start', { err: describeError(e) });
    process.exit(1);
  }
}
