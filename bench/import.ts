// CSV import benchmark: 100,000 synthetic rows into a fresh PGlite (temp folder) and a fresh
// PostgreSQL database when one is reachable. Prints rows/s, seconds, peak RSS, and the ratio to a
// baseline measured in the same run: a plain multi-row insert of as many subjects, testimonies and
// consents, without parsing, validation or encryption.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';

const work = mkdtempSync(path.join(tmpdir(), 'ledger-bench-'));
process.env.DATA_DIR = work;
process.env.DATA_KEYS ??= `b1:${randomBytes(32).toString('base64')}`;
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64url');
delete process.env.DATABASE_URL;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

/** Samples the process's memory while `work` runs: resident set, and within it the JS heap and array buffers (PGlite's WebAssembly memory). */
async function measured<T>(work: () => Promise<T>) {
  const peak = { rss: 0, heap: 0, buffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.buffers = Math.max(peak.buffers, m.arrayBuffers);
  };
  sample();
  const timer = setInterval(sample, 50);
  const started = performance.now();
  try {
    const value = await work();
    sample();
    return { value, seconds: (performance.now() - started) / 1000, peakRss: peak.rss, peak };
  } finally {
    clearInterval(timer);
  }
}

export async function run(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { rows: { type: 'string', default: '100000' }, pg: { type: 'string' }, only: { type: 'string' } } });
  const rows = Number(values.rows);
  // Each database in a process of its own, as a server runs one: memory left by one run would count
  // against the next.
  if (!values.only) {
    for (const only of ['postgres', 'pglite']) {
      const child = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'bench/index.ts', 'import', ...argv, '--only', only], { stdio: 'inherit', env: process.env });
      if (child.status !== 0) process.exitCode = child.status ?? 1;
    }
    rmSync(work, { recursive: true, force: true });
    return;
  }
  const pgAdmin = values.pg ?? process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  const { closeDb, useDatabase, db } = await import('@/db');
  const { openDatabase } = await import('@/db/client');
  const { subject, testimony, consent } = await import('@/db/schema');
  const { importTestimoniesCsv, countRows } = await import('@/lib/testimonies/import');
  const { operatorCreateOrg, operatorCreateUser } = await import('@/lib/users');
  const { newSubjectCode } = await import('@/lib/testimonies/domain/subject-code');

  const file = path.join(work, 'testimonies.csv');
  // The file is written by a child process, and the embedded database's folder created there too, so
  // the memory measured here is a server's that opens an existing folder and imports, not what
  // generating 41 MB of CSV or initdb left behind.
  const prepared = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'bench/import-prepare.ts', file, String(rows), values.only === 'pglite' ? path.join(work, 'pglite') : '-'], {
    stdio: 'inherit',
    env: process.env,
  });
  if (prepared.status !== 0) throw new Error('preparing the CSV and the PGlite folder failed');
  console.log(`import benchmark: ${rows.toLocaleString('en')} synthetic rows, ${mb(statSync(file).size)} of CSV (node ${process.version})`);

  async function actorIn(prefix: string) {
    const slug = `${prefix}-${randomBytes(3).toString('hex')}`;
    const org = await operatorCreateOrg({ slug, name: slug });
    const email = `bench@${slug}.example`;
    const user = await operatorCreateUser(slug, { email, role: 'caseworker', password: 'a long enough bench passphrase' });
    return { userId: user.id, orgId: org.id, orgSlug: slug, orgName: slug, email, role: 'caseworker' as const, via: 'cli' as const };
  }

  // The floor: the same number of rows per table, constant values, no parse, validation or crypto.
  async function baseline(orgId: string, userId: string) {
    const database = await db();
    const codes = new Set<string>();
    const code = () => {
      let c = newSubjectCode();
      while (codes.has(c)) c = newSubjectCode();
      codes.add(c);
      return c;
    };
    await database.transaction(async (tx) => {
      for (let start = 0; start < rows; start += 1000) {
        const n = Math.min(1000, rows - start);
        const subjects = Array.from({ length: n }, () => ({ id: crypto.randomUUID(), orgId, code: code() }));
        await tx.insert(subject).values(subjects);
        const ts = subjects.map((s) => ({ id: crypto.randomUUID(), orgId, subjectId: s.id, enteredBy: userId, siteType: 'construction' as const, wagePaid: 800 }));
        await tx.insert(testimony).values(ts);
        await tx.insert(consent).values(ts.map((t) => ({ testimonyId: t.id, orgId, method: 'oral' as const, recordedAt: new Date(), recordedBy: userId })));
      }
    });
  }

  const targets: { name: string; open: () => Promise<{ drop: () => Promise<void> }> }[] = [];
  if (values.only !== 'pglite') {
    try {
      const admin = postgres(pgAdmin, { max: 1, onnotice: () => {}, connect_timeout: 3 });
      await admin`select 1`;
      await admin.end();
      targets.push({
        name: 'postgres',
        open: async () => {
          const name = `tl_bench_${randomBytes(4).toString('hex')}`;
          const s = postgres(pgAdmin, { max: 1, onnotice: () => {} });
          await s.unsafe(`create database ${name}`);
          await s.end();
          const u = new URL(pgAdmin);
          u.pathname = `/${name}`;
          useDatabase(await openDatabase({ url: u.toString(), poolMax: 2 }));
          return {
            drop: async () => {
              await closeDb();
              const s2 = postgres(pgAdmin, { max: 1, onnotice: () => {} });
              await s2.unsafe(`drop database if exists ${name} with (force)`);
              await s2.end();
            },
          };
        },
      });
    } catch {
      console.log(`postgres: not reachable at ${pgAdmin.replace(/:[^:@/]*@/, ':***@')}, skipped`);
    }
  }
  if (values.only !== 'postgres') {
    targets.push({
      name: 'pglite',
      open: async () => {
        const dir = path.join(work, 'pglite');
        useDatabase(await openDatabase({ dataDir: dir }));
        return { drop: async () => (await closeDb(), rmSync(dir, { recursive: true, force: true })) };
      },
    });
  }

  for (const target of targets) {
    const handle = await target.open();
    try {
      // The import runs first, so its peak memory is not the baseline's left-overs.
      const actor = await actorIn('bench');
      const rssBefore = process.memoryUsage().rss;
      let writingAt = 0;
      const started = performance.now();
      const result = await measured(() =>
        importTestimoniesCsv(actor, createReadStream(file), {
          maxBytes: Number.POSITIVE_INFINITY,
          onProgress: (p) => {
            if (p.phase === 'writing' && !writingAt) writingAt = performance.now();
          },
        }),
      );
      const readSeconds = (writingAt - started) / 1000;
      const counts = await countRows(actor.orgId);
      const base = await actorIn('baseline');
      const floor = await measured(() => baseline(base.orgId, base.userId));
      if (counts.testimonies !== rows) throw new Error(`expected ${rows} testimonies, found ${counts.testimonies}`);
      console.log(
        `${target.name.padEnd(8)} import ${result.value.imported.toLocaleString('en')} rows in ${result.seconds.toFixed(1)} s = ${Math.round(rows / result.seconds).toLocaleString('en')} rows/s; ` +
          `(read and validate ${readSeconds.toFixed(1)} s, write ${(result.seconds - readSeconds).toFixed(1)} s); ` +
          `peak RSS ${mb(result.peakRss)} (${mb(rssBefore)} before the import, +${mb(result.peakRss - rssBefore)}; JS heap peak ${mb(result.peak.heap)}, array buffers peak ${mb(result.peak.buffers)}); ` +
          `baseline plain insert ${floor.seconds.toFixed(1)} s; ratio ${(result.seconds / floor.seconds).toFixed(2)}x ` +
          `(${counts.injuries.toLocaleString('en')} injuries, ${counts.indicators.toLocaleString('en')} indicator answers)`,
      );
      const limits = [result.seconds < 60 ? 'under 60 s' : 'OVER 60 s', result.peakRss < 500 * 1024 * 1024 ? 'under 500 MB' : 'OVER 500 MB'];
      console.log(`${target.name.padEnd(8)} ${limits.join(', ')}`);
    } finally {
      await handle.drop();
    }
  }
  rmSync(work, { recursive: true, force: true });
}
