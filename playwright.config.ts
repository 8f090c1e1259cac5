import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium when present (this machine, CI); Playwright's own browser elsewhere.
const chromium = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// One production server per database: PGlite always, PostgreSQL when scripts/test.mjs made one (E2E_PG_URL).
// E2E_PORT moves both servers (two checkouts can run the suite side by side).
const base = Number(process.env.E2E_PORT ?? 3210);
const targets = [{ name: 'pglite', port: base }];
if (process.env.E2E_PG_URL) targets.push({ name: 'postgres', port: base + 1 });
// A second instance on the same PostgreSQL database, for e2e/two-instances.spec.ts (no project of its own).
const servers = process.env.E2E_PG_URL ? [...targets, { name: 'postgres-b', port: base + 2 }] : targets;

export default defineConfig({
  testDir: 'e2e',
  outputDir: '.test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  use: {
    launchOptions: { executablePath: chromium, args },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: targets.map((t) => ({ name: t.name, use: { baseURL: `http://127.0.0.1:${t.port}` } })),
  webServer: servers.map((t) => ({
    command: `node scripts/e2e-server.mjs ${t.name} ${t.port}`,
    url: `http://127.0.0.1:${t.port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
  })),
});
