import 'server-only';
import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, dbKind, execRows, type Tx } from '@/db';
import { copyText, pgliteCopyText, withoutForeignKeyChecks, type BulkCell } from '@/db/bulk';
import { consent, importJob, indicator, injury, subject, testimony, type ImportJob } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { encrypt } from '../crypto/envelope';
import { sealHomeProvince } from './home-province';
import { env } from '../env';
import { BadInput, Conflict, NotFound, TooLarge, problem, type Problem } from '../errors';
import { inOrg } from '../scope';
import { districtOf } from './domain/regions';
import { newSubjectCode } from './domain/subject-code';
import { admitOrgImport, takeImportPlace } from './import-limits';
import { IMPORT_STALE_MS, JobProgress, runnerLabel } from './import-progress';
import { Spool } from './spool';
import { csvIssue, issuePath, readHeader, validateRow, type CsvIssue, type Header, type ValidatedRow } from './csv';

// CSV import: read and validate the whole file first (streaming, nothing written; prepared rows wait
// in an encrypted spool file), then write every row in one transaction, 1,000 rows at a time (one
// statement on PostgreSQL, four COPYs on PGlite). A refused or interrupted import leaves no row.

export const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;
/** Bad rows reported in full; beyond this only counted (the report must stay readable and small). */
export const MAX_REPORTED_ISSUES = 1000;
const BATCH_ROWS = 1000;

export const importMaxBytes = () => env.IMPORT_MAX_BYTES ?? DEFAULT_IMPORT_MAX_BYTES;

/** Refused import: every bad row named (line, column, message); nothing was written. */
export class ImportRefused extends BadInput {
  constructor(
    message: Problem,
    readonly csvIssues: CsvIssue[],
    readonly jobId: string,
  ) {
    super(
      message,
      csvIssues.map((i) => ({ path: issuePath(i), message: i.message })),
    );
  }
}

export interface ImportOptions {
  /** A job id chosen by the caller (the upload page polls it while the file is sent). */
  jobId?: string;
  /** Bytes accepted; the HTTP routes use IMPORT_MAX_BYTES, the command line no limit. */
  maxBytes?: number;
  /** Called as rows are read and written (the command line prints it). */
  onProgress?: (p: { phase: 'receiving' | 'writing'; rowsDone: number; rowsTotal?: number }) => void;
}

export interface ImportResult {
  jobId: string;
  imported: number;
  subjectsCreated: number;
  fileSha256: string;
}

const monthDate = (m?: string) => (m ? `${m}-01` : undefined);
const place = (column: string, rowId: string, table = 'testimony') => ({ table, column, rowId });

// Testimony columns of a prepared row; org_id and the importing user are added when written.
const TESTIMONY_FIELDS = [
  'id', 'subject_id', 'interview_date', 'interviewer_id', 'interview_language', 'age_band', 'deployment_start', 'deployment_end', 'region',
  'federal_district', 'site_type', 'visa_type', 'outcome', 'shift_start', 'shift_end', 'days_per_week', 'rest_days_per_year', 'pay_currency',
  'wage_paid', 'loyalty_contribution', 'ledger_credit', 'received_in_hand', 'ledger_paid', 'housing', 'minders', 'ideological_sessions',
  'phones_forbidden', 'narrative', 'interviewer_notes',
] as const;
const TESTIMONY_COLUMNS = TESTIMONY_FIELDS.join(', ');

const CONSENT_COLUMNS = ['testimony_id', 'org_id', 'internal', 'research', 'public_aggregate', 'public_quote', 'method', 'recorded_at', 'recorded_by'];
const INJURY_COLUMNS = ['testimony_id', 'org_id', 'kind', 'severity', 'month', 'care', 'kept_working'];
const INDICATOR_COLUMNS = ['testimony_id', 'org_id', 'indicator', 'answer'];
type Prepared = { [field in (typeof TESTIMONY_FIELDS)[number]]?: BulkCell } & {
  id: string;
  c: Record<string, BulkCell>;
  inj?: Record<string, BulkCell>[];
  ind?: Record<string, string>;
};

/**
 * A validated row, ready to insert (snake_case keys, nulls left out, consent under "c", injuries
 * under "inj", indicator answers under "ind"): ids are chosen here so narratives are encrypted to
 * their row. It waits in the spool as one line, in the form its database loads fastest (below).
 */
function prepare(v: ValidatedRow, subjectId: string, importedAt: string): Prepared {
  const id = crypto.randomUUID();
  const scopes = new Set(v.consent.scopes);
  const { deployment: d, hours: h, pay: p, conditions: c } = v;
  const answers = Object.entries(v.indicators).filter(([, x]) => x);
  return {
    id,
    subject_id: subjectId,
    interview_date: v.interviewDate,
    interviewer_id: v.interviewerId,
    interview_language: v.interviewLanguage,
    age_band: v.ageBand,
    deployment_start: monthDate(d.start),
    deployment_end: monthDate(d.end),
    region: d.region,
    federal_district: d.region ? districtOf(d.region) : undefined,
    site_type: d.siteType,
    visa_type: d.visaType,
    outcome: d.outcome,
    shift_start: h.shiftStart,
    shift_end: h.shiftEnd,
    days_per_week: h.daysPerWeek,
    rest_days_per_year: h.restDaysPerYear,
    pay_currency: p.currency,
    wage_paid: p.wagePaid,
    loyalty_contribution: p.loyaltyContribution,
    ledger_credit: p.ledgerCredit,
    received_in_hand: p.receivedInHand,
    ledger_paid: p.ledgerPaid,
    housing: c.housing,
    minders: c.minders,
    ideological_sessions: c.ideologicalSessions,
    phones_forbidden: c.phonesForbidden,
    narrative: v.narrative ? encrypt(v.narrative, place('narrative', id)) : undefined,
    interviewer_notes: v.interviewerNotes ? encrypt(v.interviewerNotes, place('interviewer_notes', id)) : undefined,
    c: {
      research: scopes.has('research'),
      public_aggregate: scopes.has('public_aggregate'),
      public_quote: scopes.has('public_quote'),
      method: v.consent.method,
      recorded_at: v.consent.recordedAt ?? importedAt,
    },
    inj: v.injuries.length ? v.injuries.map((i) => ({ kind: i.kind, severity: i.severity, month: monthDate(i.month), care: i.care, kept_working: i.keptWorking })) : undefined,
    // The CSV has no indicator notes, so an answer is all there is to store.
    ind: answers.length ? Object.fromEntries(answers.map(([key, x]) => [key, x!.answer])) : undefined,
  };
}

/** PostgreSQL: a row waits in the spool as compact JSON. */
const jsonLine = (r: Prepared) => JSON.stringify(r);

/**
 * PostgreSQL writes one batch as one statement: the JSON array is parsed once (jsonb) and four data-modifying
 * CTEs insert testimonies, consents, injuries and indicator answers. Foreign keys between them are
 * checked at the end of the statement, when all four are in.
 */
async function writeBatch(tx: Tx, orgId: string, userId: string, rows: string[]) {
  const batch = `[${rows.join(',')}]`;
  const org = sql`${orgId}::uuid`;
  const user = sql`${userId}::uuid`;
  await tx.execute(sql`
    with r as materialized (select value as j, (value->>'id')::uuid as id from jsonb_array_elements(${batch}::jsonb)),
    t as (
      insert into testimony (org_id, entered_by, ${sql.raw(TESTIMONY_COLUMNS)})
      select ${org}, ${user}, ${sql.raw(TESTIMONY_FIELDS.map((c) => `x.${c}`).join(', '))}
      from r, jsonb_populate_record(null::testimony, r.j) x
    ),
    c as (
      insert into testimony_consent (testimony_id, org_id, internal, research, public_aggregate, public_quote, method, recorded_at, recorded_by)
      select r.id, ${org}, true, c.research, c.public_aggregate, c.public_quote, c.method, c.recorded_at, ${user}
      from r, jsonb_populate_record(null::testimony_consent, r.j->'c') c
    ),
    i as (
      insert into testimony_injury (testimony_id, org_id, kind, severity, month, care, kept_working)
      select r.id, ${org}, i.kind, i.severity, i.month, i.care, i.kept_working
      from r, jsonb_populate_recordset(null::testimony_injury, r.j->'inj') i
      where r.j ? 'inj'
    )
    insert into testimony_indicator (testimony_id, org_id, indicator, answer)
    select r.id, ${org}, e.key::ilo_indicator, e.value::tri
    from r, jsonb_each_text(r.j->'ind') e
    where r.j ? 'ind'`);
}

/** The tables an import writes; they must have no triggers but foreign keys (see copyBatch). */
export const IMPORT_TABLES = ['testimony', 'testimony_consent', 'testimony_injury', 'testimony_indicator'] as const;

/**
 * PGlite: a row waits in the spool as its lines of COPY text, one string per table (testimony,
 * consent, injuries, indicator answers) in a JSON array, so a batch is joined, not rebuilt.
 */
function copyLines(r: Prepared, orgId: string, userId: string): string {
  const line = (cells: BulkCell[]) => copyText([cells]);
  return JSON.stringify([
    line([orgId, userId, ...TESTIMONY_FIELDS.map((c) => r[c])]),
    line([r.id, orgId, true, r.c.research, r.c.public_aggregate, r.c.public_quote, r.c.method, r.c.recorded_at, userId]),
    copyText((r.inj ?? []).map((i) => [r.id, orgId, i.kind, i.severity, i.month, i.care, i.kept_working])),
    copyText(Object.entries(r.ind ?? {}).map(([key, answer]) => [r.id, orgId, key, answer])),
  ]);
}

/**
 * The same batch on PGlite: four COPY … FROM '/dev/blob' (measured: the embedded engine spends its
 * time parsing the JSON of the statement above), without the per-row foreign-key checks (measured:
 * half of the write time). Every reference is made here: child rows point at this batch's
 * testimonies (same row, same batch), new subjects were inserted before with their checks on, and
 * the rest (organisation, subjects read from it, interviewers, the importing user) are collected as
 * the file is read and checked once at the end (checkParents).
 */
async function copyBatch(tx: Tx, lines: string[]) {
  const parts: string[][] = [[], [], [], []];
  for (const l of lines) (JSON.parse(l) as string[]).forEach((text, i) => parts[i]!.push(text));
  const columns = [['org_id', 'entered_by', ...TESTIMONY_FIELDS], CONSENT_COLUMNS, INJURY_COLUMNS, INDICATOR_COLUMNS];
  await withoutForeignKeyChecks(tx, async () => {
    for (const [i, table] of IMPORT_TABLES.entries()) await pgliteCopyText(tx, table, columns[i]!, parts[i]!.join(''));
  });
}

/**
 * Rows an import's testimonies refer to that it did not make: subjects read from the organisation,
 * interviewers, the importing user. (Subjects it makes are inserted first, with their checks on.)
 */
interface Parents {
  subjects: Set<string>;
  users: Set<string>;
}

/**
 * What the skipped foreign-key checks would have found, checked once for the whole import: the
 * organisation, the existing subjects (in it) and every user the rows refer to exist, locked until
 * commit as the checks lock them. A miss rolls the import back.
 */
async function checkParents(tx: Tx, orgId: string, parents: Parents) {
  const uuids = (ids: Set<string>) => `{${[...ids].join(',')}}`;
  const [found] = await execRows<{ orgs: number; subjects: number; users: number }>(
    tx,
    sql`select (select count(*)::int from (select id from organisation where id = ${orgId}::uuid for key share) o) as orgs,
               (select count(*)::int from (select id from subject where org_id = ${orgId}::uuid and id = any(${uuids(parents.subjects)}::uuid[]) for key share) s) as subjects,
               (select count(*)::int from (select id from app_user where id = any(${uuids(parents.users)}::uuid[]) for key share) u) as users`,
  );
  if (found?.orgs !== 1 || found.subjects !== parents.subjects.size || found.users !== parents.users.size)
    throw new Conflict('An imported row refers to a subject or user that no longer exists; the import was rolled back.');
}

const SUBJECT_COLUMNS = 'id, code, sex, home_province';

/** Counts bytes and hashes them as they pass; past the limit the read stops with 413. */
async function* metered(source: AsyncIterable<Uint8Array | string>, maxBytes: number, hash: ReturnType<typeof createHash>) {
  let bytes = 0;
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    bytes += buf.byteLength;
    if (bytes > maxBytes) throw new TooLarge(problem('fileTooLarge', { limit: formatBytes(maxBytes) }));
    hash.update(buf);
    yield buf;
  }
}

export const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} kB`);

const newlines = (cells: string[]) => cells.reduce((n, c) => n + (c.includes('\n') ? c.split('\n').length - 1 : 0), 0);

/** Sets a job's status and counts: in the caller's transaction when it has one, otherwise on the pool (never both). */
async function updateJob(orgId: string, id: string, set: Partial<typeof importJob.$inferInsert>, tx?: Tx) {
  const database = tx ?? (await db());
  await database
    .update(importJob)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(importJob.id, id), eq(importJob.orgId, orgId)));
}

/**
 * Imports a CSV of testimonies for the actor's organisation, all or nothing.
 * Subject codes: an empty `subject_code` creates a new subject with a generated code; a given code
 * must already be a subject of the organisation (rows sharing it are the same worker). An import
 * never introduces a code of its own: a mistyped code would otherwise split one worker in two.
 */
export async function importTestimoniesCsv(actor: Actor, source: AsyncIterable<Uint8Array | string>, opts: ImportOptions = {}): Promise<ImportResult> {
  assertCan(actor, 'testimony.import', { orgId: actor.orgId });
  const jobId = opts.jobId ? z.uuid().parse(opts.jobId) : crypto.randomUUID();
  const onPostgres = (await dbKind()) === 'postgres';
  const release = takeImportPlace(onPostgres); // 503 when this instance runs as many as it may
  // Made here, outside every transaction: its timer writes on the pool (see JobProgress).
  const progress = new JobProgress(actor.orgId, jobId);
  try {
    return await runImport(actor, source, opts, { jobId, onPostgres, progress });
  } finally {
    await progress.stop();
    release();
  }
}

async function runImport(
  actor: Actor,
  source: AsyncIterable<Uint8Array | string>,
  opts: ImportOptions,
  { jobId, onPostgres, progress }: { jobId: string; onPostgres: boolean; progress: JobProgress },
): Promise<ImportResult> {
  const orgId = actor.orgId;
  const maxBytes = opts.maxBytes ?? importMaxBytes();

  const existing = new Map<string, string>();
  await inOrg(actor, async ({ tx }) => {
    await admitOrgImport(tx, orgId); // 429 when the organisation runs as many as it may
    const created = await tx
      .insert(importJob)
      .values({ id: jobId, orgId, createdBy: actor.userId, status: 'receiving', runner: runnerLabel() })
      .onConflictDoNothing()
      .returning({ id: importJob.id });
    if (!created.length) throw new Conflict('An import with this id exists already.');
    for (const s of await tx.select({ id: subject.id, code: subject.code }).from(subject).where(eq(subject.orgId, orgId))) existing.set(s.code, s.id);
  });

  // PGlite loads fastest by COPY, PostgreSQL by one statement a batch; rows are spooled in that form.
  const encode = onPostgres ? jsonLine : (r: Prepared) => copyLines(r, orgId, actor.userId);
  const parents: Parents = { subjects: new Set(), users: new Set([actor.userId]) };
  const hash = createHash('sha256');
  const issues: CsvIssue[] = [];
  let badRows = 0;
  let rows = 0;
  const spool = new Spool(); // prepared rows wait on disk, encrypted, not in memory
  const newSubjects = new Map<string, { id: string; code: string; sex: string; home_province?: string }>();
  const taken = new Set(existing.keys());
  // subject_ref → the new worker its first row made (and that row's line and sex, to check the others).
  const refs = new Map<string, { subjectId: string; line: number; sex?: string }>();
  const importedAt = new Date().toISOString();
  let header: Header | undefined;
  let lastProgress = Date.now();

  const report = (found: CsvIssue[]) => {
    for (const i of found) if (issues.length < MAX_REPORTED_ISSUES) issues.push(i);
  };

  const fail = async (status: 'refused' | 'failed', message: Problem, reported?: CsvIssue[]) => {
    const messageWording = { key: message.key, ...(message.vars ? { vars: message.vars } : {}) };
    await updateJob(orgId, jobId, { status, message: message.text, messageWording, issues: reported ?? null, rowsTotal: rows, finishedAt: new Date() }).catch(() => {});
  };

  try {
    const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
    // pipeline: backpressure from the parser to the source; an error on either side ends both.
    pipeline(Readable.from(metered(source, maxBytes, hash)), parser, () => {});
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const line = info.lines - newlines(record);
        if (!header) {
          const read = readHeader(record, line);
          if (!read.header) {
            report(read.issues);
            break; // with a bad header no row can be read
          }
          header = read.header;
          continue;
        }
        rows += 1;
        const result = validateRow(header, record, line);
        let rowIssues = result.issues;
        let subjectId: string | undefined;
        const code = result.value?.subjectCode;
        if (code) {
          subjectId = existing.get(code);
          if (!subjectId) rowIssues = [csvIssue(line, 'subject_code', 'csvNoSubject', { code })];
          else parents.subjects.add(subjectId); // read before the write: checked again in it (checkParents)
        }
        const ref = result.ref;
        const sex = result.value?.subject?.sex;
        if (ref !== undefined) {
          const first = refs.get(ref);
          if (!first) refs.set(ref, { subjectId: crypto.randomUUID(), line, sex });
          else if (first.sex && sex && first.sex !== sex)
            rowIssues = [csvIssue(line, 'sex', 'csvRefSex', { line: first.line, sex: first.sex })];
          else {
            subjectId = first.subjectId;
            // The first row may have left sex empty: a later row of the same worker fills it in.
            if (!first.sex && sex) {
              first.sex = sex;
              first.line = line;
              const created = newSubjects.get(subjectId);
              if (created) created.sex = sex;
            }
          }
        }
        if (rowIssues || !result.value) {
          badRows += 1;
          report(rowIssues ?? []);
          continue;
        }
        progress.set(rows);
        if (rows % 1000 === 0 && Date.now() - lastProgress > 500) {
          lastProgress = Date.now();
          opts.onProgress?.({ phase: 'receiving', rowsDone: rows });
        }
        if (badRows > 0) continue; // the import is refused already: only keep validating
        if (!subjectId) {
          let newCode = newSubjectCode();
          while (taken.has(newCode)) newCode = newSubjectCode();
          taken.add(newCode);
          subjectId = ref !== undefined ? refs.get(ref)!.subjectId : crypto.randomUUID();
          newSubjects.set(subjectId, { id: subjectId, code: newCode, sex: result.value.subject.sex ?? 'unknown', home_province: sealHomeProvince(result.value.subject.homeProvince, subjectId) ?? undefined });
        }
        if (result.value.interviewerId) parents.users.add(result.value.interviewerId);
        await spool.push(encode(prepare(result.value, subjectId, importedAt)));
      }
    } catch (e) {
      const err = e as { name?: string; code?: string; lines?: number; message?: string };
      // csv-parse 7 names its errors CsvError with codes like INVALID_OPENING_QUOTE (older versions: CSV_…).
      const csvError = err.name === 'CsvError' || (typeof err.code === 'string' && (err.code.startsWith('CSV_') || /^(INVALID|UNCLOSED|QUOTE|NON_TRIMABLE|TOO_MANY|RECORD|MAX)_/.test(err.code)));
      if (!csvError) throw e;
      // Not valid CSV (e.g. a quote never closed): name where the parser stopped.
      report([csvIssue(err.lines ?? 0, 'row', 'csvNotValid', { detail: String(err.message ?? err.code) })]);
      badRows += 1;
    }

    let message: Problem | undefined;
    if (!header && issues.length === 0) issues.push(csvIssue(1, 'row', 'csvEmpty'));
    else if (header && rows === 0 && issues.length === 0) issues.push(csvIssue(2, 'row', 'csvHeaderOnly'));
    if (!header) message = problem('csvBadHeader');
    else if (rows === 0 && badRows === 0) message = problem('csvNoRows');
    else if (badRows > 0) {
      const vars = { bad: badRows, rows };
      message = issues.length >= MAX_REPORTED_ISSUES ? problem('csvRowsRefusedMore', { ...vars, shown: MAX_REPORTED_ISSUES }) : problem('csvRowsRefused', vars);
    }
    if (issues.length) {
      message ??= problem('csvBadHeader');
      await fail('refused', message, issues);
      throw new ImportRefused(message, issues, jobId);
    }
    await spool.finish();
  } catch (e) {
    spool.remove();
    if (e instanceof ImportRefused) throw e;
    if (e instanceof TooLarge) await fail('refused', e.problem ?? problem('bodyTooLarge'));
    else await fail('failed', problem('importStopped'));
    throw e;
  }

  const fileSha256 = hash.digest('hex');
  const total = spool.lines;
  const subjectsCreated = newSubjects.size;
  opts.onProgress?.({ phase: 'writing', rowsDone: 0, rowsTotal: total });
  await updateJob(orgId, jobId, { status: 'writing', rowsTotal: total, rowsDone: 0, fileSha256 });
  progress.phase('writing');

  try {
    await inOrg(actor, async ({ tx }) => {
      const subjects = [...newSubjects.values()];
      for (let start = 0; start < subjects.length; start += BATCH_ROWS) {
        const batch = JSON.stringify(subjects.slice(start, start + BATCH_ROWS));
        await tx.execute(
          sql`insert into subject (org_id, ${sql.raw(SUBJECT_COLUMNS)}) select ${orgId}::uuid, ${sql.raw(SUBJECT_COLUMNS)} from json_populate_recordset(null::subject, ${batch}::json)`,
        );
      }
      newSubjects.clear();
      let done = 0;
      for await (const batch of spool.batches(BATCH_ROWS)) {
        if (onPostgres) await writeBatch(tx, orgId, actor.userId, batch);
        else {
          await copyBatch(tx, batch);
          // PGlite runs in this thread: give the garbage collector's tasks a turn between batches, so
          // each batch's COPY text and blobs (~6 MB) are freed as we go (peaks of 530–576 MB were
          // seen without it, 356–436 MB with it; GC timing makes this a tendency, not a bound).
          await new Promise((resolve) => setImmediate(resolve));
        }
        done += batch.length;
        opts.onProgress?.({ phase: 'writing', rowsDone: done, rowsTotal: total });
        // Not updateJob without tx: that waits for a second connection while this one is held, and
        // N imports at once deadlock a pool of N (issue 16). The timer writes it from outside.
        progress.set(done);
      }
      if (!onPostgres) await checkParents(tx, orgId, parents);
      await audit(tx, actor, {
        action: 'testimony.import',
        entity: 'import_job',
        entityId: jobId,
        details: { rows: total, subjectsCreated, fileSha256 },
      });
      await updateJob(orgId, jobId, { status: 'done', rowsDone: total, imported: total, subjectsCreated, finishedAt: new Date() }, tx);
    });
  } catch (e) {
    await fail('failed', problem('importRolledBack'));
    throw e;
  } finally {
    spool.remove();
  }
  return { jobId, imported: total, subjectsCreated, fileSha256 };
}

export type ImportJobView = Pick<ImportJob, 'id' | 'status' | 'rowsTotal' | 'rowsDone' | 'imported' | 'subjectsCreated' | 'message' | 'messageWording' | 'createdAt' | 'finishedAt'> & {
  issues: CsvIssue[];
  interrupted: boolean;
};

/** An import of the actor's organisation, for its progress bar or result page. */
export async function getImportJob(actor: Actor, rawId: string): Promise<ImportJobView> {
  const id = z.uuid().safeParse(rawId);
  if (!id.success) throw new NotFound('import');
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'testimony.import', { orgId });
    const [job] = await tx.select().from(importJob).where(and(eq(importJob.id, id.data), eq(importJob.orgId, orgId)));
    if (!job) throw new NotFound('import');
    const running = job.status === 'receiving' || job.status === 'writing';
    return {
      id: job.id,
      status: job.status,
      rowsTotal: job.rowsTotal,
      rowsDone: job.rowsDone,
      imported: job.imported,
      subjectsCreated: job.subjectsCreated,
      message: job.message,
      messageWording: job.messageWording,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      issues: job.issues ?? [],
      interrupted: running && Date.now() - job.updatedAt.getTime() > IMPORT_STALE_MS,
    };
  });
}

/** For tests and the benchmark: rows of a table for one organisation. */
export async function countRows(orgId: string) {
  const database = await db();
  const count = async (table: typeof testimony | typeof subject | typeof consent | typeof injury | typeof indicator) =>
    Number((await database.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.orgId, orgId)))[0]?.n ?? 0);
  return { testimonies: await count(testimony), subjects: await count(subject), consents: await count(consent), injuries: await count(injury), indicators: await count(indicator) };
}
