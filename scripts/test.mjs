#!/usr/bin/env node
// `npm test`: type check, Vitest (unit + integration on PGlite, and on PostgreSQL when one answers),
// then Playwright against a production build. Ends with one line: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import postgres from 'postgres';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const bin = (name) => `node_modules/.bin/${name}`;
const results = { passed: 0, failed: 0 };
/** Names of what failed, printed again just above the last line (a CI log is often read from its tail). */
const failures = [];
const started = Date.now();
let broken = false;
mkdirSync('.test-results', { recursive: true });

function step(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

async function reachablePostgres() {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return url;
  } catch {
    return null;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const pg = await reachablePostgres();
console.log(pg ? `PostgreSQL reachable: integration and e2e tests run on it too.` : 'PostgreSQL not reachable: PGlite only.');

if (!step('type check', bin('tsc'), ['--noEmit'])) {
  broken = true;
  results.failed += 1;
  failures.push('type check: tsc --noEmit reported errors (see above)');
}

// Vitest
rmSync('.test-results/vitest.json', { force: true });
const vitestOk = step('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=.test-results/vitest.json'], pg ? { TEST_PG_ADMIN_URL: pg } : {});
const v = readJson('.test-results/vitest.json');
if (v) {
  results.passed += v.numPassedTests;
  results.failed += v.numFailedTests;
  for (const file of v.testResults ?? []) {
    for (const t of file.assertionResults ?? []) if (t.status === 'failed') failures.push(`vitest ${file.name.replace(`${process.cwd()}/`, '')} > ${t.fullName}`);
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) failures.push(`vitest ${file.name.replace(`${process.cwd()}/`, '')}: ${String(file.message ?? 'failed to run').slice(0, 300)}`);
  }
}
if (!vitestOk && (!v || v.numFailedTests === 0)) broken = true;

// Playwright against a production build
const skipE2e = process.env.SKIP_E2E === '1';
if (!skipE2e) {
  const built = step('production build', bin('next'), ['build']);
  if (!built) broken = true;
  else {
    let e2eDb = null;
    const env = { PLAYWRIGHT_JSON_OUTPUT_NAME: '.test-results/playwright.json' };
    if (pg) {
      e2eDb = `tl_e2e_${randomBytes(5).toString('hex')}`;
      const admin = postgres(pg, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${e2eDb}`);
      await admin.end();
      env.E2E_PG_URL = withDatabase(pg, e2eDb);
    }
    rmSync('.test-results/playwright.json', { force: true });
    for (const kind of ['pglite', 'postgres', 'postgres-b']) rmSync(`.test-results/server-${kind}.log`, { force: true });
    const e2eOk = step('playwright', bin('playwright'), ['test', '--reporter=list,json'], env);
    const p = readJson('.test-results/playwright.json');
    if (p?.stats) {
      results.passed += p.stats.expected;
      results.failed += p.stats.unexpected + p.stats.flaky;
      const walk = (suite) => {
        for (const spec of suite.specs ?? []) {
          for (const t of spec.tests ?? []) if (t.status === 'unexpected' || t.status === 'flaky') failures.push(`playwright [${t.projectName}] ${spec.file}:${spec.line} > ${spec.title} (${t.status})`);
        }
        for (const child of suite.suites ?? []) walk(child);
      };
      for (const suite of p.suites ?? []) walk(suite);
    }
    if (!e2eOk && (!p || p.stats.unexpected === 0)) broken = true;
    // The servers' logs of the whole run: no narrative or subject code may be in them (one test).
    if (step('log scan', 'node', ['scripts/scan-logs.mjs'])) results.passed += 1;
    else {
      results.failed += 1;
      failures.push('log scan: a narrative word or subject code reached a server log (see above)');
    }
    if (e2eDb) {
      const admin = postgres(pg, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${e2eDb} with (force)`).catch(() => {});
      await admin.end();
    }
  }
}

if (broken && results.failed === 0) results.failed = 1; // a runner that crashed counts as a failure
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `- ${f}`).join('\n')}`);
else if (broken) console.log('\nfailed: a runner stopped without a report (type check, build or a crash; see above)');
console.log(`\nduration: ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`tests: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed > 0 || broken ? 1 : 0);
