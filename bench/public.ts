// Public pages benchmark (issue 7): the demo's published summary page against a static file served by
// the same `next start` on loopback, same concurrency and duration, alternating in the same run; then
// the first-load JavaScript of the summary page against a near-empty page of the same app.
//
//   npm run bench -- public [--connections 16] [--seconds 12] [--rounds 3] [--port 0] [--slug hours-and-pay-2019-2024]
//                          [--page /other/page] [--static /icon.svg] [--empty /] [--build]
//
// The near-empty page is the home page `/` (server-rendered text and one link, no client component
// of its own); --empty names another. A 404 from the summary page fails the run (exit 1).
//
// Needs a production build (`npx next build`; --build runs it when there is none). The server gets a
// fresh PGlite data directory, so the demo seed runs and publishes its summary before the first request.
// The load is a keep-alive HTTP loop over Node's http.Agent (no extra dependency); the same client
// measures both addresses, so its own cost weighs on both rates alike.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_SUMMARY_SLUG } from '@/lib/demo/summary';
import { freePort, get, load, startServer } from './server';

const TARGET_RPS_RATIO = 0.5;
const TARGET_JS_RATIO = 1.15;
const FIRST_LOAD_TOOL = process.env.FIRST_LOAD_JS_TOOL ?? '/work/shared/tools/first-load-js.mjs';

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function firstLoadJs(urls: string[]): { url: string; scripts: number; raw: number; gzip: number }[] {
  const r = spawnSync(process.execPath, [FIRST_LOAD_TOOL, ...urls], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${FIRST_LOAD_TOOL} failed: ${r.stderr || r.stdout}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { url: string; scripts: number; raw: number; gzip: number });
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '12' },
      rounds: { type: 'string', default: '3' },
      port: { type: 'string', default: '0' },
      slug: { type: 'string', default: DEMO_SUMMARY_SLUG },
      /** Another page in place of /summaries/<slug> (e.g. /methodology before the summary page exists). */
      page: { type: 'string' },
      static: { type: 'string', default: '/icon.svg' },
      empty: { type: 'string', default: '/' },
      build: { type: 'boolean', default: false },
    },
  });
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  if (![connections, rounds].every((n) => Number.isInteger(n) && n >= 1) || !(seconds >= 1)) throw new Error('--connections and --rounds must be whole numbers ≥ 1, --seconds ≥ 1');

  if (!existsSync('.next/BUILD_ID')) {
    if (!values.build) throw new Error('no production build: run `npx next build` first (or pass --build)');
    console.log('no production build yet: running next build…');
    const built = spawnSync('node_modules/.bin/next', ['build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (built.status !== 0) throw new Error('next build failed');
  }

  const port = Number(values.port) || (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ledger-bench-public-'));
  const summaryPath = values.page ?? `/summaries/${values.slug}`;
  console.log(`public pages benchmark: next start on ${base}, fresh PGlite data in ${dataDir} (node ${process.version})`);
  const startedAt = performance.now();
  const server = await startServer(port, { dataDir });
  try {
    console.log(`server ready with the demo seeded in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);

    const probe = new http.Agent({ keepAlive: false });
    const page = await get(probe, base, summaryPath);
    if (page.status === 404) {
      throw new Error(`${summaryPath} answers 404: the public summary page (/summaries/[slug]) is not in this build, or the demo did not publish "${values.slug}". Nothing to measure.`);
    }
    if (page.status !== 200) throw new Error(`${summaryPath} answers ${page.status}`);
    const file = await get(probe, base, values.static);
    if (file.status !== 200) throw new Error(`the static file ${values.static} answers ${file.status}`);
    console.log(`  ${summaryPath}: ${kb(page.bytes)} of HTML, cache-control: ${page.headers['cache-control'] ?? '(none)'}, etag: ${page.headers.etag ?? '(none)'}`);
    console.log(`  ${values.static}: ${kb(file.bytes)}, cache-control: ${file.headers['cache-control'] ?? '(none)'}`);

    // Warm both up, then alternate, the order flipping each round so neither always goes first.
    await load(base, summaryPath, connections, 2);
    await load(base, values.static!, connections, 2);
    const each = seconds / rounds;
    const totals = { page: { requests: 0, seconds: 0 }, file: { requests: 0, seconds: 0 } };
    console.log(`\nrequests per second, ${connections} keep-alive connections, ${rounds} alternating rounds of ${fmt(each, 1)} s each:`);
    for (let round = 0; round < rounds; round++) {
      const order: ('page' | 'file')[] = round % 2 === 0 ? ['page', 'file'] : ['file', 'page'];
      for (const which of order) {
        const r = await load(base, which === 'page' ? summaryPath : values.static!, connections, each);
        totals[which].requests += r.requests;
        totals[which].seconds += r.seconds;
        console.log(`  round ${round + 1} ${(which === 'page' ? summaryPath : values.static!).padEnd(36)} ${fmt(r.rps).padStart(7)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms`);
      }
    }
    const pageRps = totals.page.requests / totals.page.seconds;
    const fileRps = totals.file.requests / totals.file.seconds;
    const rpsRatio = pageRps / fileRps;

    const [summaryJs, emptyJs] = firstLoadJs([`${base}${summaryPath}`, `${base}${values.empty}`]);
    const jsRatio = summaryJs!.gzip / emptyJs!.gzip;

    console.log(`
${summaryPath.slice(0, 14).padEnd(14)} ${fmt(pageRps).padStart(7)} req/s
static file    ${fmt(fileRps).padStart(7)} req/s
ratio          ${(rpsRatio * 100).toFixed(0)}% of the static file (target ≥ ${TARGET_RPS_RATIO * 100}%) ${rpsRatio >= TARGET_RPS_RATIO ? 'met' : 'NOT MET'}

first-load JavaScript (gzip, ${path.basename(FIRST_LOAD_TOOL)})
${summaryPath.slice(0, 14).padEnd(14)} ${kb(summaryJs!.gzip).padStart(10)} in ${summaryJs!.scripts} scripts (${kb(summaryJs!.raw)} raw)
${values.empty!.padEnd(14)} ${kb(emptyJs!.gzip).padStart(10)} in ${emptyJs!.scripts} scripts (${kb(emptyJs!.raw)} raw)   (the near-empty page)
ratio          ${jsRatio.toFixed(3)} (target ≤ ${TARGET_JS_RATIO}) ${jsRatio <= TARGET_JS_RATIO ? 'met' : 'NOT MET'}`);
  } finally {
    server.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
