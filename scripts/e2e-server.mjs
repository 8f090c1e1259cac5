#!/usr/bin/env node
// Starts a production server for the Playwright suite on a fresh database, seeded by e2e/support/seed.ts.
// Usage: node scripts/e2e-server.mjs <pglite|postgres|postgres-b> <port>
// postgres-b is a second instance on the same PostgreSQL database as postgres (e2e/two-instances.spec.ts):
// same secrets, no seed of its own.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';

const [kind, port] = process.argv.slice(2);
const dataDir = `.e2e/${kind}-${port}`;
rmSync(dataDir, { recursive: true, force: true });
// The whole suite signs in and downloads from 127.0.0.1: the request limits are raised for it.
// Debug logs: every request's line is then in the log that scripts/scan-logs.mjs scans.
const env = { ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'no', NEXT_TELEMETRY_DISABLED: '1', RATE_LIMIT_SCALE: process.env.RATE_LIMIT_SCALE ?? '10', LOG_LEVEL: process.env.LOG_LEVEL ?? 'debug' };
delete env.DATABASE_URL;
if (kind === 'postgres' || kind === 'postgres-b') {
  env.DATABASE_URL = process.env.E2E_PG_URL;
  env.AUTH_SECRET = 'e2e-secret-e2e-secret-e2e-secret-0123456789';
  env.DATA_KEYS = `e2e1:${Buffer.alloc(32, 7).toString('base64')}`;
  env.AUDIT_SIGNING_KEY = Buffer.alloc(32, 8).toString('base64');
}
if (kind !== 'postgres-b') {
  const seeded = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'e2e/support/seed.ts'], { stdio: 'inherit', env });
  if (seeded.status !== 0) process.exit(seeded.status ?? 1);
}
// The server's output also goes to .test-results/server-<name>.log: scripts/test.mjs scans it
// (scripts/scan-logs.mjs) for narratives and subject codes after the suite.
mkdirSync('.test-results', { recursive: true });
const logFile = createWriteStream(`.test-results/server-${kind}.log`);
const server = spawn('node_modules/.bin/next', ['start', '-p', port], { stdio: ['ignore', 'pipe', 'pipe'], env });
for (const [from, to] of [[server.stdout, process.stdout], [server.stderr, process.stderr]]) {
  from.on('data', (chunk) => {
    logFile.write(chunk);
    to.write(chunk);
  });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => logFile.end(() => process.exit(code ?? 0)));
