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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_SUMMARY_SLUG } from '@/lib/demo/summary';

const TARGET_RPS_RATIO = 0.5;
const TARGET_JS_RATIO = 1.15;
const FIRST_LOAD_TOOL = process.env.FIRST_LOAD_JS_TOOL ?? '/work/shared/tools/first-load-js.mjs';

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function get(agent: http.Agent, base: string, pathname: string): Promise<{ status: number; bytes: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${pathname}`, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** `connections` keep-alive loops requesting `pathname` for `seconds`; every answer must be 200. */
async function load(base: string, pathname: string, connections: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let bytes = 0;
  const latencies: number[] = [];
  const loop = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const r = await get(agent, base, pathname);
      if (r.status !== 200) throw new Error(`${pathname} answered ${r.status} under load`);
      latencies.push(performance.now() - started);
      done += 1;
      bytes += r.bytes;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  return { requests: done, seconds: elapsed, rps: done / elapsed, bytesPerRequest: done ? bytes / done : 0, p50: p(0.5), p99: p(0.99) };
}

function startServer(port: number, dataDir: string): Promise<{ child: ChildProcess; stop: () => void }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'yes', NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' };
  delete env.DATABASE_URL; // PGlite: the demo seed runs on an embedded database
  const child = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the server did not get ready within 180 s:\n${output.slice(-2000)}`));
    }, 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/\[ledger\] database: \w+; ready\./.test(output)) {
        clearTimeout(timer);
        resolve({ child, stop });
      } else if (/cannot start/.test(output)) {
        clearTimeout(timer);
        stop();
        reject(new Error(`the server did not start:\n${output.slice(-2000)}`));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    });
  });
}

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
  const server = await startServer(port, dataDir);
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
