// Runs once when a server process starts: configuration, secrets, migrations, first-start demo.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  try {
    const { boot } = await import('./lib/boot');
    await boot();
  } catch {
    // lib/env.ts has already printed which variable is wrong and why.
    console.error('[ledger] cannot start: the configuration above is not valid (README, "Configuration").');
    process.exit(1);
  }
}
