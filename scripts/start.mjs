#!/usr/bin/env node
// `npm start`: build when there is no build, then serve (migrations and the first-start demo run in instrumentation.ts).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const next = 'node_modules/.bin/next';
if (!existsSync('.next/BUILD_ID')) {
  console.log('[ledger] no production build yet: running next build (about a minute)…');
  const built = spawnSync(next, ['build'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const port = process.env.PORT ?? '3000';
const server = spawn(next, ['start', '-p', port], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
