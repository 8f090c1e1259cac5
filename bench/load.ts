// Load benchmark (issue 8): a bounded, mixed load on loopback against one `next start` on a fresh
// PostgreSQL database with the demo seeded, for --seconds (default 60):
//   - signed-out readers of the demo's public summary page,
//   - a researcher's aggregate queries through the API (Bearer token),
//   - a caseworker recording testimonies through the API (Bearer token).
// It prints throughput and p50/p99 per kind and in all, the error count (must be 0), that every write
// that was answered 201 is in the database (nothing lost), and that the audit chain verifies after.
// The baseline, measured in the same run on the same server: the static /icon.svg alone.
//
//   npm run bench -- load [--seconds 60] [--connections 24] [--port 0] [--keep]
//
// Needs a production build (`npx next build`) and a PostgreSQL server: DATABASE_URL names one whose
// user may create databases (default postgres://postgres@127.0.0.1:5432/postgres). The database it
// creates is dropped afterwards unless --keep. Exits 1 when any request failed, a write is missing or
// the chain does not verify.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { DEMO_SUMMARY_SLUG } from '@/lib/demo/summary';
import { freePort, load, startServer } from './server';

type Kind = 'summary page' | 'aggregates' | 'testimony writes';
// Per 20 requests of a connection: 12 public reads, 5 researcher queries, 3 writes.
const MIX: Kind[] = [...Array<Kind>(12).fill('summary page'), ...Array<Kind>(5).fill('aggregates'), ...Array<Kind>(3).fill('testimony writes')];
const AGGREGATE_QUERIES = ['measure=workers&by=year', 'measure=workers&by=site_type&by=year', 'measure=hours_per_day&by=federal_district', 'measure=share_withheld&by=year'];

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function request(agent: http.Agent, base: string, method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method, agent, headers: body ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'cli/index.ts', ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run cli -- ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '60' },
      connections: { type: 'string', default: '24' },
      port: { type: 'string', default: '0' },
      keep: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  if (!(seconds >= 1) || !Number.isInteger(connections) || connections < 1) throw new Error('--seconds ≥ 1 and --connections a whole number ≥ 1');
  if (!existsSync('.next/BUILD_ID')) throw new Error('no production build: run `npx next build` first');

  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `tl_load_${randomBytes(5).toString('hex')}`;
  const adminSql = postgres(admin, { max: 1, onnotice: () => {} });
  await adminSql.unsafe(`create database ${name}`);
  const databaseUrl = withDatabase(admin, name);
  const secrets = { AUTH_SECRET: randomBytes(32).toString('base64url'), DATA_KEYS: `load1:${randomBytes(32).toString('base64')}`, DATA_KEY_CURRENT: 'load1', AUDIT_SIGNING_KEY: randomBytes(32).toString('base64') };
  // One token and one address send the whole load: the request limits (lib/http/rate-limit.ts) would
  // answer most of it 429, which measures the limits, not the server. They are raised for this run.
  const limits = { RATE_LIMIT_SCALE: '1000' };
  const cliEnv: NodeJS.ProcessEnv = { ...process.env, ...secrets, DATABASE_URL: databaseUrl, NODE_ENV: 'production' };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ledger-bench-load-'));
  const port = Number(values.port) || (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  console.log(`load benchmark: next start on ${base}, PostgreSQL database ${name} with the demo seeded (node ${process.version})`);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer(port, { dataDir, databaseUrl, env: { ...secrets, ...limits } });
    const researcher = cli(['token', 'create', '--email', 'researcher@haven.example', '--name', 'load bench', '--days', '1'], cliEnv);
    const caseworker = cli(['token', 'create', '--email', 'caseworker@haven.example', '--name', 'load bench', '--days', '1'], cliEnv);
    const summaryPath = `/summaries/${DEMO_SUMMARY_SLUG}`;
    const before = (await db<{ n: number }[]>`select count(*)::int as n from testimony`)[0]!.n;

    // Baseline: the static file alone, then everything warmed up once.
    const baseline = await load(base, '/icon.svg', connections, Math.min(10, seconds / 4));
    await load(base, summaryPath, connections, 2);

    const stats = new Map<Kind, { ok: number; errors: number; latencies: number[]; statuses: Map<number | string, number> }>(
      MIX.map((k) => [k, { ok: 0, errors: 0, latencies: [], statuses: new Map() }]),
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    const until = performance.now() + seconds * 1000;
    let serial = 0;
    const loop = async (connection: number) => {
      for (let i = connection; performance.now() < until; i++) {
        const kind = MIX[i % MIX.length]!;
        const started = performance.now();
        let status: number | string;
        try {
          if (kind === 'summary page') status = await request(agent, base, 'GET', summaryPath, {});
          else if (kind === 'aggregates') status = await request(agent, base, 'GET', `/api/v1/aggregates?${AGGREGATE_QUERIES[i % AGGREGATE_QUERIES.length]}`, { authorization: `Bearer ${researcher}` });
          else {
            serial += 1;
            const body = JSON.stringify({
              interviewDate: '2025-06-02',
              deployment: { start: '2024-03', region: 'primorsky-krai', siteType: 'construction', visaType: 'student', outcome: 'returned' },
              hours: { shiftStart: '06:00', shiftEnd: '02:00', daysPerWeek: 7 },
              narrative: `load bench account ${serial}`,
              consent: { scopes: ['internal'], method: 'oral' },
            });
            status = await request(agent, base, 'POST', '/api/v1/testimonies', { authorization: `Bearer ${caseworker}`, 'content-type': 'application/json', origin: base }, body);
          }
        } catch (e) {
          status = (e as NodeJS.ErrnoException).code ?? 'network error';
        }
        const s = stats.get(kind)!;
        const expected = kind === 'testimony writes' ? 201 : 200;
        if (status === expected) {
          s.ok += 1;
          s.latencies.push(performance.now() - started);
        } else {
          s.errors += 1;
          s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
        }
      }
    };
    const startedAt = performance.now();
    await Promise.all(Array.from({ length: connections }, (_, c) => loop(c)));
    const elapsed = (performance.now() - startedAt) / 1000;
    agent.destroy();

    const after = (await db<{ n: number }[]>`select count(*)::int as n from testimony`)[0]!.n;
    const chain = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'cli/index.ts', 'audit', 'verify'], { env: cliEnv, encoding: 'utf8' });

    const all = [...stats.values()];
    const total = all.reduce((n, s) => n + s.ok, 0);
    const errors = all.reduce((n, s) => n + s.errors, 0);
    const latencies = all.flatMap((s) => s.latencies).sort((a, b) => a - b);
    console.log(`\n${connections} keep-alive connections for ${fmt(elapsed, 1)} s, mixed 12:5:3 (summary page : aggregates : writes)`);
    for (const [kind, s] of stats) {
      s.latencies.sort((a, b) => a - b);
      const failures = [...s.statuses].map(([k, n]) => `${k}×${n}`).join(', ');
      console.log(`  ${kind.padEnd(17)} ${fmt(s.ok / elapsed, 1).padStart(8)} req/s   p50 ${percentile(s.latencies, 0.5).toFixed(1).padStart(7)} ms   p99 ${percentile(s.latencies, 0.99).toFixed(1).padStart(7)} ms   errors ${s.errors}${failures ? ` (${failures})` : ''}`);
    }
    const rps = total / elapsed;
    const written = stats.get('testimony writes')!.ok;
    const lost = written - (after - before);
    const chainOk = chain.status === 0 && /^ok /.test(chain.stdout.trim());
    console.log(`
all kinds        ${fmt(rps, 1).padStart(8)} req/s   p50 ${percentile(latencies, 0.5).toFixed(1).padStart(7)} ms   p99 ${percentile(latencies, 0.99).toFixed(1).padStart(7)} ms
baseline         ${fmt(baseline.rps, 1).padStart(8)} req/s of /icon.svg alone (same server, same connections): mixed load at ${((rps / baseline.rps) * 100).toFixed(0)}%
errors           ${errors} (must be 0)
writes           ${written} answered 201, ${after - before} new testimonies in the database: ${lost === 0 ? 'nothing lost' : lost > 0 ? `${lost} LOST` : `${-lost} stored although not answered 201`}
audit chain      ${chainOk ? chain.stdout.trim() : `BROKEN: ${chain.stdout.trim()} ${chain.stderr.trim()}`}`);
    if (errors > 0 || lost !== 0 || !chainOk) process.exitCode = 1;
  } finally {
    server?.stop(); // the database below is dropped even when the server never got ready
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await db.end({ timeout: 1 }).catch(() => {});
    if (!values.keep) await adminSql.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await adminSql.end({ timeout: 1 }).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}
