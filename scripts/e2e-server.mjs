#!/usr/bin/env node
// Starts a production server for the Playwright suite on a fresh database, seeded by e2e/support/seed.ts.
// Usage: node scripts/e2e-server.mjs <pglite|postgres> <port>
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const [kind, port] = process.argv.slice(2);
const dataDir = `.e2e/${kind}-${port}`;
rmSync(dataDir, { recursive: true, force: true });
const env = { ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'no', NEXT_TELEMETRY_DISABLED: '1' };
delete env.DATABASE_URL;
if (kind === 'postgres') {
  env.DATABASE_URL = process.env.E2E_PG_URL;
  env.AUTH_SECRET = 'e2e-secret-e2e-secret-e2e-secret-0123456789';
  env.DATA_KEYS = `e2e1:${Buffer.alloc(32, 7).toString('base64')}`;
}
const seeded = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'e2e/support/seed.ts'], { stdio: 'inherit', env });
if (seeded.status !== 0) process.exit(seeded.status ?? 1);
const server = spawn('node_modules/.bin/next', ['start', '-p', port], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
