// What the benchmarks that drive a real server share: a free port, `next start` with the demo, and a
// keep-alive HTTP load over Node's http.Agent (no extra dependency).
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function get(agent: http.Agent, base: string, pathname: string): Promise<{ status: number; bytes: number; headers: http.IncomingHttpHeaders }> {
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
export async function load(base: string, pathname: string, connections: number, seconds: number) {
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

/**
 * `next start` on loopback with the demo seeded: on a fresh embedded database in `dataDir`, or on the
 * PostgreSQL database `databaseUrl` (then `env` must carry AUTH_SECRET, DATA_KEYS and AUDIT_SIGNING_KEY).
 */
export function startServer(port: number, target: { dataDir: string; databaseUrl?: string; env?: Record<string, string> }): Promise<{ child: ChildProcess; stop: () => void }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: target.dataDir, SEED_DEMO: 'yes', NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...target.env };
  delete env.DATABASE_URL;
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
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
      if (/^(?=.*"msg":"ready")(?=.*"database":"\w+").*$/m.test(output)) { // lib/boot.ts logs it as a JSON line (lib/log.ts)
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

