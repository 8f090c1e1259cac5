import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
// Secrets for the embedded runs are generated here, never in ./data.
const dataDir = mkdtempSync(path.join(tmpdir(), 'ledger-test-'));
const resolve = {
  alias: { '@': root, 'server-only': path.join(root, 'test/empty.ts') },
};
const testKeys = {
  AUTH_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  DATA_KEYS: `t1:${Buffer.alloc(32, 1).toString('base64')},t2:${Buffer.alloc(32, 2).toString('base64')}`,
  DATA_KEY_CURRENT: 't2',
  AUDIT_SIGNING_KEY: Buffer.alloc(32, 3).toString('base64'),
  // The API fuzz and sign-in tests send far more than a minute's requests from one token or address;
  // the rate-limit tests fill counters up to effectiveLimit() themselves.
  RATE_LIMIT_SCALE: '1000',
};

// Integration tests (*.int.test.ts) run once per database: PGlite always, PostgreSQL when
// scripts/test.mjs found a server (TEST_PG_ADMIN_URL). Each test file gets a fresh database.
// `extends: true`: the projects take the timeouts and options of the root config below.
type Project = { extends: true; resolve: typeof resolve; test: { name: string; include: string[]; exclude?: string[]; setupFiles?: string[]; env: Record<string, string> } };
const projects: Project[] = [
  { extends: true, resolve, test: { name: 'unit', include: ['{lib,db,cli}/**/*.test.ts', 'app/**/*.test.tsx'], exclude: ['**/*.int.test.ts'], env: { DATA_DIR: dataDir, ...testKeys } } },
  {
    extends: true,
    resolve,
    test: { name: 'pglite', include: ['{lib,db,cli,test}/**/*.int.test.ts'], setupFiles: ['test/setup-int.ts'], env: { DATA_DIR: dataDir, TEST_DB: 'pglite', ...testKeys } },
  },
];
if (process.env.TEST_PG_ADMIN_URL) {
  projects.push({
    extends: true,
    resolve,
    test: {
      name: 'postgres',
      include: ['{lib,db,cli,test}/**/*.int.test.ts'],
      setupFiles: ['test/setup-int.ts'],
      env: { DATA_DIR: dataDir, TEST_DB: 'postgres', TEST_PG_ADMIN_URL: process.env.TEST_PG_ADMIN_URL, ...testKeys },
    },
  });
}

export default defineConfig({
  test: {
    projects,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // next-auth imports 'next/server' without an extension, which Node's ESM loader refuses; let Vite resolve it.
    server: { deps: { inline: ['next-auth'] } },
  },
});
