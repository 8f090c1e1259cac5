import 'server-only';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { z } from 'zod';
import { db, dbKind, execRows } from '@/db';
import { bulkLoad, type BulkCell, type BulkTable } from '@/db/bulk';
import { organisation, subject, subjectFact } from '@/db/schema';
import { audit } from '../audit';
import { inTransaction } from '../scope';
import { findUserByEmail, operatorCreateOrg, operatorCreateUser, operatorDisableUser } from '../users';
import { CODE_SPACE, codeOf, codePermutation, ID_KIND, idRange, indexOfId, MAX_SEED, syntheticWorker, type OrgPlan, type SyntheticWorker } from './generate';

// `npm run cli -- synth`: organisations `synth-1` … `synth-n`, each with a disabled caseworker and
// reviewer, and approved testimonies of pseudonymous workers with consent, injuries, ILO answers and
// the subject_fact rows lib/aggregates/facts.ts derives from them. Structured data only: narratives
// and notes stay empty. Each batch of workers is written in one transaction (a testimony never
// without its consent or facts); ids are deterministic, so a run interrupted and started again with
// the same seed skips the workers already present and writes the rest.

export const SynthOptions = z
  .object({
    orgs: z.coerce.number().int().min(1).max(1000),
    workers: z.coerce.number().int().min(0).max(50_000_000),
    seed: z.coerce.number().int().min(0).max(MAX_SEED),
    /** Workers per transaction. */
    batch: z.coerce.number().int().min(1).max(100_000).default(5000),
  })
  .strict();
export type SynthOptionsInput = z.input<typeof SynthOptions>;

export interface SynthProgress {
  org: string;
  /** Workers of all organisations handled so far (written or found present), of `total`. */
  done: number;
  total: number;
  written: number;
  seconds: number;
}

export interface SynthResult {
  orgs: { slug: string; id: string; workers: number; written: number }[];
  workers: number;
  written: number;
  /** Workers found from an earlier run with the same seed and left as they were. */
  present: number;
  rows: { subjects: number; testimonies: number; consents: number; injuries: number; indicators: number; facts: number };
  seconds: number;
}

/**
 * An existing organisation and two of its users that sign the workers written for it (the demo seed),
 * in place of a `synth-n` organisation. `number` takes the place of n in every id: give each target
 * its own, above the `synth-n` range (1..1000), so ids never meet those of a `synth` run.
 */
export interface SynthTarget {
  number: number;
  slug: string;
  orgId: string;
  caseworkerId: string;
  reviewerId: string;
  /** Its share of the workers; without it the workers are split evenly. */
  workers?: number;
  /** Chance that a worker consents to public aggregates, when not the usual one (lib/synthetic/distributions.ts). */
  publicAggregate?: number;
}

export const synthSlug = (n: number) => `synth-${n}`;
export const synthEmail = (role: 'caseworker' | 'reviewer', n: number) => `${role}@${synthSlug(n)}.synthetic.invalid`;

const snake = (keys: readonly string[]) => keys.map(toSnakeCase);

const SUBJECT_KEYS = ['id', 'orgId', 'code', 'sex', 'createdAt', 'recordKey'] as const;
const TESTIMONY_KEYS = [
  'id', 'orgId', 'subjectId', 'status', 'version', 'enteredBy', 'interviewerId', 'interviewDate', 'interviewLanguage', 'ageBand', 'deploymentStart',
  'deploymentEnd', 'region', 'federalDistrict', 'siteType', 'visaType', 'outcome', 'shiftStart', 'shiftEnd', 'daysPerWeek', 'restDaysPerYear',
  'payCurrency', 'wagePaid', 'loyaltyContribution', 'ledgerCredit', 'receivedInHand', 'ledgerPaid', 'housing', 'minders', 'ideologicalSessions',
  'phonesForbidden', 'submittedAt', 'approvedBy', 'approvedAt', 'createdAt', 'updatedAt',
] as const;
const CONSENT_KEYS = ['testimonyId', 'orgId', 'internal', 'research', 'publicAggregate', 'publicQuote', 'method', 'recordedAt', 'recordedBy', 'withdrawnAt'] as const;
const INJURY_KEYS = ['id', 'testimonyId', 'orgId', 'kind', 'severity', 'month', 'care', 'keptWorking'] as const;
const INDICATOR_KEYS = ['testimonyId', 'orgId', 'indicator', 'answer'] as const;
const FACT_KEYS = Object.keys(getTableColumns(subjectFact)) as (keyof typeof subjectFact.$inferInsert)[];

function table<R>(name: string, keys: readonly (keyof R & string)[], rows: readonly R[]): BulkTable {
  return { table: name, columns: snake(keys), rows: rows.map((r) => keys.map((k) => r[k] as BulkCell)) };
}

/** The tables of a batch of workers, parents first. */
export function batchTables(workers: readonly SyntheticWorker[]): BulkTable[] {
  return [
    table('subject', SUBJECT_KEYS, workers.map((w) => w.subject)),
    table('testimony', TESTIMONY_KEYS, workers.map((w) => w.testimony)),
    table('testimony_consent', CONSENT_KEYS, workers.map((w) => w.consent)),
    table('testimony_injury', INJURY_KEYS, workers.flatMap((w) => w.injuries)),
    table('testimony_indicator', INDICATOR_KEYS, workers.flatMap((w) => w.indicators)),
    table('subject_fact', FACT_KEYS, workers.flatMap((w) => w.facts)),
  ];
}

/** The organisation `synth-n` and its two disabled accounts, created when missing. */
async function ensureOrg(n: number): Promise<{ slug: string; orgId: string; caseworkerId: string; reviewerId: string }> {
  const slug = synthSlug(n);
  const database = await db();
  const [found] = await database.select({ id: organisation.id }).from(organisation).where(eq(organisation.slug, slug));
  const orgId = found?.id ?? (await operatorCreateOrg({ slug, name: `Synthetic organisation ${n}` })).id;
  const account = async (role: 'caseworker' | 'reviewer') => {
    const email = synthEmail(role, n);
    const existing = await inTransaction((tx) => findUserByEmail(tx, email));
    if (existing && existing.orgId !== orgId) throw new Error(`${email} belongs to another organisation`);
    // A generated password nobody sees, and the account disabled: it only signs the synthetic records.
    const id = existing?.id ?? (await operatorCreateUser(slug, { email, role })).id;
    if (!existing?.disabledAt) await operatorDisableUser(email);
    return id;
  };
  return { slug, orgId, caseworkerId: await account('caseworker'), reviewerId: await account('reviewer') };
}

/** Which of this seed's workers the organisation holds already, and the codes of everyone else's subjects. */
async function presentWorkers(plan: OrgPlan, count: number) {
  const database = await db();
  const [low, high] = idRange(plan.seed, plan.orgNumber, ID_KIND.subject);
  const present = new Uint8Array(count);
  const foreign = new Set<string>();
  const rows = await execRows<{ id: string; code: string; ours: boolean }>(
    database,
    sql`select id, code, (id between ${low}::uuid and ${high}::uuid) as ours from ${subject} where ${subject.orgId} = ${plan.orgId}`,
  );
  for (const r of rows) {
    const index = r.ours ? indexOfId(r.id, plan.seed, plan.orgNumber, ID_KIND.subject) : null;
    if (index === null) foreign.add(r.code);
    else if (index < count) present[index] = 1;
  }
  return { present, foreign, presentCount: present.reduce((n, p) => n + p, 0) };
}

/** Subject codes for workers 0..count−1: the keyed permutation, moved past codes someone else's subject holds. */
function codesFor(plan: OrgPlan, count: number, foreign: ReadonlySet<string>): (i: number) => string {
  const permute = codePermutation(plan.seed, plan.orgNumber);
  if (foreign.size === 0) return (i) => codeOf(permute(i));
  const moved = new Map<number, string>();
  let spare = CODE_SPACE - 1; // numbers from the top of the range, which no worker index reaches
  for (let i = 0; i < count; i++) {
    if (!foreign.has(codeOf(permute(i)))) continue;
    let code = codeOf(permute(spare--));
    while (foreign.has(code)) code = codeOf(permute(spare--));
    moved.set(i, code);
  }
  return (i) => moved.get(i) ?? codeOf(permute(i));
}

/** Runs at most `limit` tasks at once; the first failure is thrown by the next add or drain. */
function inFlight(limit: number) {
  const running = new Set<Promise<void>>();
  let error: { e: unknown } | undefined;
  const check = () => {
    if (error) throw error.e;
  };
  return {
    async add(task: () => Promise<void>) {
      while (running.size >= limit) await Promise.race(running);
      check();
      const p: Promise<void> = task()
        .catch((e: unknown) => void (error ??= { e }))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async drain() {
      await Promise.all(running);
      check();
    },
    /** Waits for what is running, ignoring its outcome (after a failure elsewhere). */
    settle: () => Promise.all(running).then(() => {}),
  };
}

const ANALYZED = ['subject', 'testimony', 'testimony_consent', 'testimony_injury', 'testimony_indicator', 'subject_fact'];

/** Checks targets against the options: one per organisation, numbers of their own, shares adding up. */
function checkTargets(opts: z.output<typeof SynthOptions>, targets: readonly SynthTarget[]) {
  if (targets.length !== opts.orgs) throw new Error(`${targets.length} target organisations for --orgs ${opts.orgs}`);
  const numbers = new Set(targets.map((t) => t.number));
  if (numbers.size !== targets.length || targets.some((t) => !Number.isInteger(t.number) || t.number <= 1000 || t.number > 0xffff)) {
    throw new Error('each target needs its own number between 1001 and 65535');
  }
  const shares = targets.filter((t) => t.workers !== undefined);
  if (targets.some((t) => t.publicAggregate !== undefined && !(t.publicAggregate >= 0 && t.publicAggregate <= 1))) throw new Error('publicAggregate is a chance between 0 and 1');
  if (shares.length && (shares.length !== targets.length || shares.reduce((n, t) => n + t.workers!, 0) !== opts.workers)) {
    throw new Error(`the targets' shares must all be given and add up to ${opts.workers} workers`);
  }
}

/**
 * Writes `workers` synthetic workers over `orgs` organisations: `synth-1` … `synth-n` (created when
 * missing), or, with `targets`, the existing organisations and users named there.
 */
export async function generateSynthetic(raw: SynthOptionsInput, onProgress?: (p: SynthProgress) => void, targets?: readonly SynthTarget[]): Promise<SynthResult> {
  const opts = SynthOptions.parse(raw);
  if (targets) checkTargets(opts, targets);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const result: SynthResult = { orgs: [], workers: opts.workers, written: 0, present: 0, rows: { subjects: 0, testimonies: 0, consents: 0, injuries: 0, indicators: 0, facts: 0 }, seconds: 0 };
  let done = 0;
  let failure: unknown;
  // PostgreSQL: two batches in flight, one per core (the database, not this process, is the bottleneck). PGlite: one.
  const writer = inFlight((await dbKind()) === 'postgres' ? 2 : 1);
  try {
    for (let n = 1; n <= opts.orgs; n++) {
      const target = targets?.[n - 1];
      const count = target?.workers ?? Math.floor(opts.workers / opts.orgs) + (n <= opts.workers % opts.orgs ? 1 : 0);
      const org = target ?? (await ensureOrg(n));
      const plan: OrgPlan = { seed: opts.seed, orgNumber: target?.number ?? n, orgId: org.orgId, caseworkerId: org.caseworkerId, reviewerId: org.reviewerId, publicAggregate: target?.publicAggregate };
      const { present, foreign, presentCount } = await presentWorkers(plan, count);
      const codeOfWorker = codesFor(plan, count, foreign);
      const summary = { slug: org.slug, id: org.orgId, workers: count, written: 0 };
      result.orgs.push(summary);
      result.present += presentCount;
      for (let start = 0; start < count; start += opts.batch) {
        const end = Math.min(start + opts.batch, count);
        const workers: SyntheticWorker[] = [];
        for (let i = start; i < end; i++) {
          if (!present[i]) workers.push(syntheticWorker(plan, i, codeOfWorker(i)));
          // Let the batches in flight feed their connections while this one is generated.
          if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
        }
        const handled = end - start;
        const write = async () => {
          if (workers.length) await bulkLoad(batchTables(workers));
          summary.written += workers.length;
          result.written += workers.length;
          const r = result.rows;
          r.subjects += workers.length;
          r.testimonies += workers.length;
          r.consents += workers.length;
          for (const w of workers) {
            r.injuries += w.injuries.length;
            r.indicators += w.indicators.length;
            r.facts += w.facts.length;
          }
          done += handled;
          onProgress?.({ org: org.slug, done, total: opts.workers, written: result.written, seconds: seconds() });
        };
        await writer.add(write);
      }
      await writer.drain();
    }
    // Fresh planner statistics: a million new rows otherwise leave the planner guessing.
    if (result.written > 0) {
      const database = await db();
      for (const t of ANALYZED) await database.execute(sql`analyze ${sql.raw(t)}`);
    }
  } catch (e) {
    failure = e;
    await writer.settle();
    throw e;
  } finally {
    result.seconds = seconds();
    // One event per run, also for a run that stopped: its finished batches stay written.
    const details = { seed: opts.seed, orgs: result.orgs.map((o) => o.slug), workers: opts.workers, written: result.written, present: result.present, ...(failure ? { failed: true } : {}) };
    await inTransaction((tx) => audit(tx, null, { action: 'synth.generate', actorRole: 'operator', orgId: null, entity: 'synthetic_data', details })).catch((e: unknown) => {
      if (!failure) throw e;
    });
  }
  return result;
}
