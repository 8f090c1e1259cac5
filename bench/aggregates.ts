// Aggregates benchmark (issue 6): the researcher dashboard's two questions through the whole app path
// (aggregateFor: access check, parsing, the grouping-sets query over subject_fact, the values of each
// breakdown, suppression and rounding, the audit write, its transaction) against hand-written SQL
// over the same subject_fact rows, giving the same answer, timed in the same run and interleaved.
// For context it also times a "live" query without the facts table.
//
//   npm run bench -- aggregates [--workers 1000000] [--reuse] [--reps 30] [--live-reps 5] [--url postgres://…]
//
// PostgreSQL only: --url, else DATABASE_URL, else a database `bench_aggregates` it creates on the
// local server (BENCH_PG_ADMIN_URL or TEST_PG_ADMIN_URL or postgres://postgres@127.0.0.1:5432/postgres)
// and keeps for the next run. Synthetic workers (`synth`, seed 42, 3 organisations) are generated
// when fewer than --workers are present; --reuse takes the database as it is.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import postgres from 'postgres';

const TARGET_P50_MS = 250;
const TARGET_RATIO = 1.3;

const percentile = (xs: readonly number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
};
const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
const fmt = (n: number) => n.toLocaleString('en');

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      workers: { type: 'string', default: '1000000' },
      reuse: { type: 'boolean', default: false },
      reps: { type: 'string', default: '30' },
      'live-reps': { type: 'string', default: '5' },
      url: { type: 'string' },
    },
  });
  const workers = Number(values.workers);
  const reps = Number(values.reps);
  const liveReps = Number(values['live-reps']);
  if (!Number.isInteger(workers) || workers < 1 || !Number.isInteger(reps) || reps < 1 || !Number.isInteger(liveReps) || liveReps < 0) throw new Error('--workers and --reps must be positive whole numbers');
  process.env.DATA_KEYS ??= `b1:${randomBytes(32).toString('base64')}`;
  process.env.AUTH_SECRET ??= randomBytes(32).toString('base64url');
  process.env.AUDIT_SIGNING_KEY ??= randomBytes(32).toString('base64');

  let url = values.url ?? process.env.DATABASE_URL;
  if (!url) {
    const admin = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const s = postgres(admin, { max: 1, onnotice: () => {} });
    const [exists] = await s`select 1 from pg_database where datname = 'bench_aggregates'`;
    if (!exists) await s.unsafe('create database bench_aggregates');
    await s.end();
    const u = new URL(admin);
    u.pathname = '/bench_aggregates';
    url = u.toString();
  }
  process.env.DATABASE_URL = url;

  const { closeDb, useDatabase, db } = await import('@/db');
  const { openDatabase } = await import('@/db/client');
  const { generateSynthetic, synthSlug } = await import('@/lib/synthetic');
  const { aggregateFor } = await import('@/lib/aggregates');
  const { groupFacts } = await import('@/lib/aggregates/query');
  const { MEASURES } = await import('@/lib/aggregates/definitions');
  const { findUserByEmail, operatorCreateUser, operatorDisableUser } = await import('@/lib/users');
  const { inTransaction } = await import('@/lib/scope');
  type Actor = import('@/lib/access').Actor;
  type AggregateAnswer = import('@/lib/aggregates').AggregateAnswer;

  useDatabase(await openDatabase({ url, poolMax: 4 }));
  const hand = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const present = async () => Number((await hand`select count(*) as n from subject s join organisation o on o.id = s.org_id where o.slug like 'synth-%'`)[0]!.n);
    let have = await present();
    if (!values.reuse && have < workers) {
      console.log(`generating ${fmt(workers - have)} more synthetic workers (seed 42, 3 organisations) …`);
      let last = 0;
      const gen = await generateSynthetic({ orgs: 3, workers, seed: 42 }, (p) => {
        if (p.seconds - last >= 10 || p.done === p.total) {
          last = p.seconds;
          process.stderr.write(`  ${fmt(p.done)}/${fmt(p.total)} workers, ${p.seconds.toFixed(0)} s\n`);
        }
      });
      console.log(`generated ${fmt(gen.written)} workers in ${gen.seconds.toFixed(1)} s (${fmt(Math.round(gen.written / gen.seconds))}/s)`);
      have = await present();
    }
    if (have === 0) throw new Error('no synthetic workers in this database: run without --reuse');
    // The visibility map lets scans skip per-row visibility checks; fresh statistics for the planner.
    await hand`vacuum (analyze) subject_fact`;

    // A researcher of the first synthetic organisation (researchers read every organisation's research-consented workers).
    const email = `researcher@${synthSlug(1)}.synthetic.invalid`;
    let user = await inTransaction((tx) => findUserByEmail(tx, email));
    if (!user) {
      await operatorCreateUser(synthSlug(1), { email, role: 'researcher' });
      await operatorDisableUser(email); // the benchmark acts through lib/, nobody signs in with it
      user = await inTransaction((tx) => findUserByEmail(tx, email));
    }
    const [org] = await hand`select id, slug, name from organisation where id = ${user!.orgId}`;
    const researcher: Actor = { userId: user!.id, orgId: org!.id as string, orgSlug: org!.slug as string, orgName: org!.name as string, email, role: 'researcher', via: 'cli' };

    const facts = await hand`select count(*)::int as n from subject_fact where audience = 'research'`;
    const [server] = await hand`select version() as v, current_setting('jit') as jit, current_setting('max_parallel_workers_per_gather') as par, current_setting('work_mem') as wm, current_setting('shared_buffers') as sb, (select pg_size_pretty(sum(pg_total_relation_size(relid))) from pg_partition_tree('subject_fact')) as size`;
    console.log(
      `aggregates benchmark: ${fmt(have)} synthetic workers, ${fmt(facts[0]!.n as number)} research facts (subject_fact ${server!.size}); ${reps} interleaved repetitions after 3 warm-ups; node ${process.version}`,
    );
    console.log(`server: ${String(server!.v).split(' on ')[0]}; jit ${server!.jit}, max_parallel_workers_per_gather ${server!.par}, work_mem ${server!.wm}, shared_buffers ${server!.sb}`);

    // Hand-written: the same answers straight from subject_fact, no app code.
    const handWorkers = () => hand`
      select quarter / 4 as year, site_type, count(*)::int as n, grouping(quarter / 4, site_type) as g
      from subject_fact where audience = 'research'
      group by grouping sets ((quarter / 4, site_type), (quarter / 4), (site_type), ())`;
    const handWithheld = () => hand`
      select federal_district, count(*)::int as n, percentile_cont(0.5) within group (order by share_withheld * 100) as median, count(share_withheld)::int as known,
             grouping(federal_district) as g
      from subject_fact where audience = 'research'
      group by grouping sets ((federal_district), ())`;
    // Live: what the dashboard would run without the facts table (the latest approved, research-consented, not withdrawn testimony of each subject).
    const live = () => hand`
      with latest as (
        select distinct on (t.subject_id) t.deployment_start, t.site_type
        from testimony t join testimony_consent c on c.testimony_id = t.id
        where t.status = 'approved' and c.research and c.withdrawn_at is null
        order by t.subject_id, t.interview_date desc nulls last, t.created_at desc, t.id desc
      )
      select extract(year from deployment_start)::int as year, site_type, count(*)::int as n, grouping(extract(year from deployment_start)::int, site_type) as g
      from latest
      group by grouping sets ((extract(year from deployment_start)::int, site_type), (extract(year from deployment_start)::int), (site_type), ())`;
    const appWorkers = () => aggregateFor(researcher, { measure: 'workers', by: ['year', 'site_type'] });
    const appWithheld = () => aggregateFor(researcher, { measure: 'share_withheld', by: ['federal_district'] });

    // The same answer: the hand-written groups equal the app's raw groups, and every count the app shows is the
    // hand-written one (perturbed: within D of it). The hand-written query is the same question without perturbation.
    const key = (...parts: unknown[]) => parts.map((p) => (p == null ? 'unknown' : String(p))).join('|');
    const handCounts = (rows: readonly Record<string, unknown>[], dims: string[]) =>
      new Map(rows.map((r) => [`${Number(r.g)}:${key(...dims.map((d) => r[d]))}`, Number(r.n)]));
    const scope = { audience: 'research' as const, orgId: null };
    const database = await db();
    const [rawWorkers, rawWithheld, hw, hs, lw] = [
      await groupFacts(database, scope, MEASURES.get('workers')!, ['year', 'site_type']),
      await groupFacts(database, scope, MEASURES.get('share_withheld')!, ['federal_district']),
      await handWorkers(),
      await handWithheld(),
      liveReps > 0 ? await live() : undefined,
    ];
    const hwCounts = handCounts(hw, ['year', 'site_type']);
    const appGroup = (g: { keys: (string | null)[] }) => `${g.keys.reduce((bits, k) => (bits << 1) | (k === null ? 1 : 0), 0)}:${key(...g.keys.map((k) => k ?? 'unknown'))}`;
    const sameWorkers = rawWorkers.length === hw.length && rawWorkers.every((g) => hwCounts.get(appGroup(g)) === g.count);
    const hsByKey = new Map(hs.map((r) => [`${Number(r.g)}:${key(r.federal_district)}`, r]));
    const sameWithheld =
      rawWithheld.length === hs.length &&
      rawWithheld.every((g) => {
        const r = hsByKey.get(appGroup(g));
        return r && Number(r.n) === g.count && Number(r.known) === g.known && Math.abs(Number(r.median) - (g.median ?? NaN)) < 1e-6;
      });
    const liveSame = lw ? lw.length === hw.length && lw.every((r) => hwCounts.get(`${Number(r.g)}:${key(r.year, r.site_type)}`) === Number(r.n)) : true;
    const shownMatch = (answer: AggregateAnswer, counts: Map<string, number>, dims: string[]) =>
      [...answer.cells, ...answer.margins].every((c) => {
        if (!('count' in c)) return true;
        const g = dims.reduce((bits, d) => (bits << 1) | (d in c.by ? 0 : 1), 0);
        const exact = counts.get(`${g}:${key(...dims.map((d) => c.by[d] ?? 'unknown'))}`) ?? 0;
        // Researchers' counts are perturbed (issue 15): within D of the true count, zero only for nobody.
        if (answer.perturbed) return Math.abs(c.count - exact) <= answer.perturbation!.maxDeviation && (exact === 0) === (c.count === 0);
        return exact === c.count;
      });
    const checkW = await appWorkers();
    const checkS = await appWithheld();
    const hsCounts = handCounts(hs, ['federal_district']);
    if (!sameWorkers || !sameWithheld || !liveSame || !shownMatch(checkW, hwCounts, ['year', 'site_type']) || !shownMatch(checkS, hsCounts, ['federal_district'])) {
      throw new Error(`the hand-written SQL and the app disagree (workers ${sameWorkers}, share withheld ${sameWithheld}, live ${liveSame}): not comparable`);
    }
    const visible = (a: AggregateAnswer) => a.cells.filter((c) => 'count' in c && c.count > 0).length;
    console.log(
      `same answers checked: workers × (year, site_type) ${hw.length} groups, ${visible(checkW)} cells shown; share withheld × federal district ${hs.length} groups, ${visible(checkS)} cells shown${lw ? '; live query agrees' : ''}`,
    );

    const cases = [
      { name: 'workers × (year, site_type)', app: appWorkers, hand: handWorkers, appMs: [] as number[], handMs: [] as number[] },
      { name: 'share_withheld × federal_district', app: appWithheld, hand: handWithheld, appMs: [] as number[], handMs: [] as number[] },
    ];
    for (let i = 0; i < 3; i++) {
      for (const c of cases) {
        await c.app();
        await c.hand();
      }
    }
    for (let i = 0; i < reps; i++) {
      for (const c of cases) {
        // Alternate which goes first, so neither always finds the other's pages warm.
        if (i % 2 === 0) {
          c.appMs.push((await timed(c.app)).ms);
          c.handMs.push((await timed(c.hand)).ms);
        } else {
          c.handMs.push((await timed(c.hand)).ms);
          c.appMs.push((await timed(c.app)).ms);
        }
      }
    }
    const liveMs: number[] = [];
    for (let i = 0; i < liveReps; i++) liveMs.push((await timed(live)).ms);

    let met = true;
    console.log('');
    for (const c of cases) {
      const appP50 = percentile(c.appMs, 0.5);
      const handP50 = percentile(c.handMs, 0.5);
      const ratio = appP50 / handP50;
      const ok = appP50 < TARGET_P50_MS && ratio <= TARGET_RATIO;
      met &&= ok;
      console.log(
        `${c.name.padEnd(34)} app p50 ${ms(appP50)}  p95 ${ms(percentile(c.appMs, 0.95))}   hand-written p50 ${ms(handP50)}  p95 ${ms(percentile(c.handMs, 0.95))}   ratio ${ratio.toFixed(2)}  ${ok ? 'ok' : 'MISSED'}`,
      );
    }
    if (liveMs.length) {
      const handP50 = percentile(cases[0]!.handMs, 0.5);
      const liveP50 = percentile(liveMs, 0.5);
      console.log(`${'live, no facts table (workers × (year, site_type))'.padEnd(34)} p50 ${ms(liveP50)} over ${liveMs.length} runs = ${(liveP50 / handP50).toFixed(1)}× the hand-written query over subject_fact`);
    }
    console.log(`target (app p50 < ${TARGET_P50_MS} ms and app/hand-written p50 ≤ ${TARGET_RATIO}): ${met ? 'met' : 'MISSED'}`);
  } finally {
    await hand.end();
    await closeDb();
  }
}
