// Whole-record audit benchmark (issue 14): a new snapshot audited against 30, 100 and 300 published
// snapshots of one organisation with overlapping scopes, and the pairwise differencing check on the
// same record as the baseline measured in the same run. The record is grown without auditing each
// addition, so it may hold combinations the audit would refuse: the timed audits then work harder.
//
//   npm run bench -- audit [--snapshots 300] [--sizes 30,100,300] [--workers 4000] [--reps 7] [--seed 42]
//
// Synthetic workers (lib/synthetic) in a fresh embedded database; snapshots are real answers
// (lib/aggregates answer + the lone-snapshot suppression of lib/summaries) of random scopes (1–3 years of
// 2019–2024, all or 1–3 districts and site types) with 1–2 sections (workers, injuries or an ILO share
// by one or two public breakdowns). The timed candidates at each size are new random snapshots.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

const TARGET_P50_MS = 3000;

const percentile = (xs: readonly number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Deterministic: mulberry32. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { snapshots: { type: 'string', default: '300' }, sizes: { type: 'string' }, workers: { type: 'string', default: '4000' }, reps: { type: 'string', default: '7' }, seed: { type: 'string', default: '42' } },
  });
  const target = Number(values.snapshots);
  const workers = Number(values.workers);
  const reps = Number(values.reps);
  const random = prng(Number(values.seed));
  process.env.DATA_KEYS ??= `b1:${randomBytes(32).toString('base64')}`;
  process.env.AUTH_SECRET ??= randomBytes(32).toString('base64url');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-audit-'));
  process.env.DATA_DIR = dir;
  delete process.env.DATABASE_URL;

  const { useDatabase, closeDb } = await import('@/db');
  const { openDatabase } = await import('@/db/client');
  const { generateSynthetic } = await import('@/lib/synthetic');
  const { answer } = await import('@/lib/aggregates');
  const { inTransaction } = await import('@/lib/scope');
  const { factScopeOf } = await import('@/lib/summaries/snapshot');
  const { suppressForAudit, toAuditSnapshot, truthRows } = await import('@/lib/summaries/record-audit');
  const { toDifferenceSnapshot } = await import('@/lib/summaries/snapshot');
  const { auditRecord } = await import('@/lib/disclosure/audit');
  const { differencingCheck } = await import('@/lib/disclosure/difference');
  const { loadSolver } = await import('@/lib/disclosure/bounds');
  type AuditSnapshot = import('@/lib/disclosure/audit').AuditSnapshot;
  type Scope = import('@/lib/summaries/content').SummaryContentValues['scope'];
  type DimensionId = import('@/lib/aggregates/definitions').DimensionId;

  useDatabase(await openDatabase({ dataDir: dir }));
  try {
    const gen = await generateSynthetic({ orgs: 1, workers, seed: Number(values.seed) });
    const orgId = gen.orgs[0]!.id;
    const k = 10;
    const P = 10;
    const DISTRICTS = ['central', 'northwestern', 'southern', 'volga', 'ural', 'siberian', 'far-eastern'];
    const SITES = ['construction', 'factory', 'logging', 'agriculture', 'fishing', 'services'];
    const MEASURES = ['workers', 'workers', 'injury_any', 'ilo_retention_of_identity_documents'];
    const BREAKDOWNS: DimensionId[] = ['year', 'federal_district', 'site_type', 'visa_type', 'outcome'];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const some = <T>(xs: readonly T[]) => xs.filter(() => random() < 0.4).slice(0, 3);

    const newSnapshot = async (id: string) => {
      const from = 2019 + Math.floor(random() * 5);
      const to = Math.min(2024, from + Math.floor(random() * 3));
      const districts = random() < 0.5 ? some(DISTRICTS) : [];
      const siteTypes = random() < 0.5 ? some(SITES) : [];
      const scope: Scope = { from: String(from), to: String(to), ...(districts.length ? { districts } : {}), ...(siteTypes.length ? { siteTypes } : {}) };
      const sections: { measure: string; by: DimensionId[]; chart: string; caption: string; answer: import('@/lib/aggregates').AggregateAnswer }[] = [];
      for (let s = 0, n = 1 + Math.floor(random() * 2); s < n; s++) {
        const first = pick(BREAKDOWNS);
        const by = random() < 0.5 ? [first] : [first, pick(BREAKDOWNS.filter((d) => d !== first))];
        const measure = pick(MEASURES);
        const result = await inTransaction((tx) => answer(tx, factScopeOf(orgId, scope), { measure, by, from: scope.from, to: scope.to }, by, k));
        sections.push({ measure, by, chart: 'bars', caption: '', answer: result });
      }
      const audited = await inTransaction((tx) => suppressForAudit(tx, orgId, scope, sections, k));
      return { audit: toAuditSnapshot(id, orgId, { scope, sections: audited }), diff: toDifferenceSnapshot(id, orgId, { scope, sections: audited }) };
    };

    const truth = await inTransaction((tx) => truthRows(tx, orgId, ['injury_any', 'ilo_retention_of_identity_documents']));
    await loadSolver();
    const record: { audit: AuditSnapshot; diff: ReturnType<typeof toDifferenceSnapshot> }[] = [];
    const checkpoints = (values.sizes ? values.sizes.split(',').map(Number) : [30, 100, target]).filter((n, i, all) => Number.isInteger(n) && n > 0 && n <= target && all.indexOf(n) === i);
    console.log(`audit benchmark: ${fmt(gen.written)} synthetic workers, record grown to ${checkpoints.join(', ')} snapshots, ${reps} timed candidates each; node ${process.version}`);
    let attempts = 0;
    const growStarted = performance.now();
    for (const size of checkpoints) {
      while (record.length < size) {
        attempts += 1;
        // Grown without auditing each addition (that is what is measured at the checkpoints): a record
        // that holds combinations the audit would have refused only makes the timed audits work harder.
        record.push(await newSnapshot(`s${attempts}`));
      }
      const times: number[] = [];
      const pairwise: number[] = [];
      let last: Awaited<ReturnType<typeof auditRecord>> | undefined;
      let refused = 0;
      for (let r = 0; r < reps; r++) {
        const c = await newSnapshot(`c${size}-${r}`);
        let started = performance.now();
        last = await auditRecord({ candidate: c.audit, current: record.map((x) => x.audit), truth, k, protection: P });
        times.push(performance.now() - started);
        if (last.findings.length) refused += 1;
        started = performance.now();
        differencingCheck(c.diff, record.map((x) => x.diff), k);
        pairwise.push(performance.now() - started);
      }
      const p50 = percentile(times, 0.5);
      console.log(
        `  ${String(size).padStart(4)} published: audit p50 ${fmt(p50)} ms, p90 ${fmt(percentile(times, 0.9))} ms (last: ${fmt(last!.stats.atoms)} atoms, ${fmt(last!.stats.columns)} columns, ${fmt(last!.stats.rows)} rows, ${fmt(last!.stats.quantities)} sensitive quantities, ${last!.stats.solved} bounds solved, ${last!.stats.integer} needing integers); ${refused}/${reps} refused; pairwise check p50 ${fmt(percentile(pairwise, 0.5), 1)} ms (audit ${fmt(p50 / Math.max(0.1, percentile(pairwise, 0.5)), 1)}x)`,
      );
      if (size === target) {
        const ok = p50 < TARGET_P50_MS;
        console.log(`target: p50 under ${fmt(TARGET_P50_MS)} ms with ${size} published: ${ok ? 'met' : 'NOT met'}`);
        if (!ok) process.exitCode = 1;
      }
    }
    console.log(`making the ${attempts} published snapshots took ${fmt((performance.now() - growStarted) / 1000, 1)} s`);
  } finally {
    await closeDb();
    rmSync(dir, { recursive: true, force: true });
  }
}
