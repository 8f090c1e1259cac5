import 'server-only';
import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, dbKind, type Tx } from '@/db';
import { consent, importJob, indicator, injury, subject, testimony, type ImportJob } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { encrypt } from '../crypto/envelope';
import { env } from '../env';
import { BadInput, Conflict, NotFound, TooLarge } from '../errors';
import { inOrg } from '../scope';
import { districtOf } from './domain/regions';
import { newSubjectCode } from './domain/subject-code';
import { issuePath, readHeader, validateRow, type CsvIssue, type Header, type ValidatedRow } from './csv';

// CSV import: read and validate the whole file first (streaming, nothing written), then write
// every row in one transaction with multi-row INSERTs. A refused or interrupted import leaves no row.

export const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;
/** Bad rows reported in full; beyond this only counted (the report must stay readable and small). */
export const MAX_REPORTED_ISSUES = 1000;
const BATCH_ROWS = 1000;
// PostgreSQL's protocol allows 65,535 parameters per statement.
const MAX_PARAMS = 60_000;

export const importMaxBytes = () => env.IMPORT_MAX_BYTES ?? DEFAULT_IMPORT_MAX_BYTES;

/** Refused import: every bad row named (line, column, message); nothing was written. */
export class ImportRefused extends BadInput {
  constructor(
    message: string,
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

type TestimonyRow = typeof testimony.$inferInsert;
type ConsentRow = typeof consent.$inferInsert;
type InjuryRow = typeof injury.$inferInsert;
type IndicatorRow = typeof indicator.$inferInsert;
type SubjectRow = typeof subject.$inferInsert;

/** A validated row, ready to insert: ids chosen here so narratives can be encrypted to their row. */
interface PreparedRow {
  testimony: TestimonyRow;
  consent: ConsentRow;
  injuries?: InjuryRow[];
  indicators?: IndicatorRow[];
}

const monthDate = (m?: string) => (m ? `${m}-01` : null);
const place = (column: string, rowId: string, table = 'testimony') => ({ table, column, rowId });

function prepare(v: ValidatedRow, orgId: string, userId: string, subjectId: string, importedAt: Date): PreparedRow {
  const id = crypto.randomUUID();
  const scopes = new Set(v.consent.scopes);
  const indicators = Object.entries(v.indicators).filter(([, x]) => x);
  return {
    testimony: {
      id,
      orgId,
      subjectId,
      enteredBy: userId,
      interviewDate: v.interviewDate ?? null,
      interviewerId: v.interviewerId ?? null,
      interviewLanguage: v.interviewLanguage ?? null,
      ageBand: v.ageBand ?? null,
      deploymentStart: monthDate(v.deployment.start),
      deploymentEnd: monthDate(v.deployment.end),
      region: v.deployment.region ?? null,
      federalDistrict: v.deployment.region ? districtOf(v.deployment.region) : null,
      siteType: v.deployment.siteType ?? null,
      visaType: v.deployment.visaType ?? null,
      outcome: v.deployment.outcome ?? null,
      shiftStart: v.hours.shiftStart ?? null,
      shiftEnd: v.hours.shiftEnd ?? null,
      daysPerWeek: v.hours.daysPerWeek ?? null,
      restDaysPerYear: v.hours.restDaysPerYear ?? null,
      payCurrency: v.pay.currency ?? null,
      wagePaid: v.pay.wagePaid ?? null,
      loyaltyContribution: v.pay.loyaltyContribution ?? null,
      ledgerCredit: v.pay.ledgerCredit ?? null,
      receivedInHand: v.pay.receivedInHand ?? null,
      ledgerPaid: v.pay.ledgerPaid ?? null,
      housing: v.conditions.housing ?? null,
      minders: v.conditions.minders ?? null,
      ideologicalSessions: v.conditions.ideologicalSessions ?? null,
      phonesForbidden: v.conditions.phonesForbidden ?? null,
      narrative: v.narrative ? encrypt(v.narrative, place('narrative', id)) : null,
      interviewerNotes: v.interviewerNotes ? encrypt(v.interviewerNotes, place('interviewer_notes', id)) : null,
    },
    consent: {
      testimonyId: id,
      orgId,
      internal: true,
      research: scopes.has('research'),
      publicAggregate: scopes.has('public_aggregate'),
      publicQuote: scopes.has('public_quote'),
      method: v.consent.method,
      recordedAt: v.consent.recordedAt ? new Date(v.consent.recordedAt) : importedAt,
      recordedBy: userId,
    },
    injuries: v.injuries.length ? v.injuries.map((i) => ({ ...i, month: monthDate(i.month), testimonyId: id, orgId })) : undefined,
    indicators: indicators.length
      ? indicators.map(([key, x]) => ({
          testimonyId: id,
          orgId,
          indicator: key as IndicatorRow['indicator'],
          answer: x!.answer,
          note: x!.note ? encrypt(x!.note, place(`note:${key}`, id, 'testimony_indicator')) : null,
        }))
      : undefined,
  };
}

/** Counts bytes and hashes them as they pass; past the limit the read stops with 413. */
async function* metered(source: AsyncIterable<Uint8Array | string>, maxBytes: number, hash: ReturnType<typeof createHash>) {
  let bytes = 0;
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    bytes += buf.byteLength;
    if (bytes > maxBytes) throw new TooLarge(`The file is larger than the limit of ${formatBytes(maxBytes)}. Split it into smaller files.`);
    hash.update(buf);
    yield buf;
  }
}

export const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} kB`);

const newlines = (cells: string[]) => cells.reduce((n, c) => n + (c.includes('\n') ? c.split('\n').length - 1 : 0), 0);

async function updateJob(orgId: string, id: string, set: Partial<typeof importJob.$inferInsert>, tx?: Tx) {
  const database = tx ?? (await db());
  await database
    .update(importJob)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(importJob.id, id), eq(importJob.orgId, orgId)));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function insertAll<T extends object>(tx: Tx, table: Parameters<Tx['insert']>[0], rows: T[]) {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!).length;
  for (const part of chunks(rows, Math.max(1, Math.floor(MAX_PARAMS / columns)))) {
    await tx.insert(table).values(part as never);
  }
}

/**
 * Imports a CSV of testimonies for the actor's organisation, all or nothing.
 * Subject codes: an empty `subject_code` creates a new subject with a generated code; a given code
 * must already be a subject of the organisation (rows sharing it are the same worker). An import
 * never introduces a code of its own: a mistyped code would otherwise split one worker in two.
 */
export async function importTestimoniesCsv(actor: Actor, source: AsyncIterable<Uint8Array | string>, opts: ImportOptions = {}): Promise<ImportResult> {
  const orgId = actor.orgId;
  assertCan(actor, 'testimony.import', { orgId });
  const jobId = opts.jobId ? z.uuid().parse(opts.jobId) : crypto.randomUUID();
  const maxBytes = opts.maxBytes ?? importMaxBytes();

  const existing = new Map<string, string>();
  await inOrg(actor, async ({ tx }) => {
    const created = await tx
      .insert(importJob)
      .values({ id: jobId, orgId, createdBy: actor.userId, status: 'receiving' })
      .onConflictDoNothing()
      .returning({ id: importJob.id });
    if (!created.length) throw new Conflict('An import with this id exists already.');
    for (const s of await tx.select({ id: subject.id, code: subject.code }).from(subject).where(eq(subject.orgId, orgId))) existing.set(s.code, s.id);
  });

  const hash = createHash('sha256');
  const issues: CsvIssue[] = [];
  let badRows = 0;
  let rows = 0;
  const prepared: PreparedRow[] = [];
  const newSubjects: SubjectRow[] = [];
  const taken = new Set(existing.keys());
  const importedAt = new Date();
  let header: Header | undefined;
  let lastProgress = Date.now();

  const report = (found: CsvIssue[]) => {
    for (const i of found) if (issues.length < MAX_REPORTED_ISSUES) issues.push(i);
  };

  const fail = async (status: 'refused' | 'failed', message: string, reported?: CsvIssue[]) => {
    await updateJob(orgId, jobId, { status, message, issues: reported ?? null, rowsTotal: rows, finishedAt: new Date() }).catch(() => {});
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
          if (!subjectId) rowIssues = [{ line, column: 'subject_code', message: `No subject ${code} in your organisation. Leave it empty to create a new subject.` }];
        }
        if (rowIssues || !result.value) {
          badRows += 1;
          report(rowIssues ?? []);
          continue;
        }
        if (rows % 1000 === 0 && Date.now() - lastProgress > 500) {
          lastProgress = Date.now();
          opts.onProgress?.({ phase: 'receiving', rowsDone: rows });
          await updateJob(orgId, jobId, { rowsDone: rows });
        }
        if (badRows > 0) continue; // the import is refused already: only keep validating
        if (!subjectId) {
          let newCode = newSubjectCode();
          while (taken.has(newCode)) newCode = newSubjectCode();
          taken.add(newCode);
          subjectId = crypto.randomUUID();
          newSubjects.push({ id: subjectId, orgId, code: newCode, sex: result.value.subject.sex ?? 'unknown', homeProvince: result.value.subject.homeProvince ?? null });
        }
        prepared.push(prepare(result.value, orgId, actor.userId, subjectId, importedAt));
      }
    } catch (e) {
      const err = e as { code?: string; lines?: number; message?: string };
      if (typeof err.code !== 'string' || !err.code.startsWith('CSV_')) throw e;
      // Not valid CSV (e.g. a quote never closed): name where the parser stopped.
      report([{ line: err.lines ?? 0, column: 'row', message: `Not valid CSV: ${err.message ?? err.code}` }]);
      badRows += 1;
    }

    let message = '';
    if (!header && issues.length === 0) issues.push({ line: 1, column: 'row', message: 'The file is empty: it needs a header row and at least one row.' });
    else if (header && rows === 0 && issues.length === 0) issues.push({ line: 2, column: 'row', message: 'The file has a header but no rows.' });
    if (!header) message = 'The header row is not valid; nothing was imported.';
    else if (rows === 0 && badRows === 0) message = 'The file has no rows; nothing was imported.';
    else if (badRows > 0) {
      message =
        `${badRows === 1 ? '1 row' : `${badRows} rows`} of ${rows} ${badRows === 1 ? 'has' : 'have'} problems; nothing was imported.` +
        (issues.length >= MAX_REPORTED_ISSUES ? ` The first ${MAX_REPORTED_ISSUES} problems are listed.` : '');
    }
    if (issues.length) {
      await fail('refused', message, issues);
      throw new ImportRefused(message, issues, jobId);
    }
  } catch (e) {
    if (e instanceof ImportRefused) throw e;
    if (e instanceof TooLarge) await fail('refused', e.message);
    else await fail('failed', 'The import stopped before anything was written.');
    throw e;
  }

  const fileSha256 = hash.digest('hex');
  const total = prepared.length;
  opts.onProgress?.({ phase: 'writing', rowsDone: 0, rowsTotal: total });
  await updateJob(orgId, jobId, { status: 'writing', rowsTotal: total, rowsDone: 0, fileSha256 });
  // PGlite has one connection: a progress update outside the transaction would wait for it to end.
  const progressOutside = (await dbKind()) === 'postgres';

  try {
    await inOrg(actor, async ({ tx }) => {
      await insertAll(tx, subject, newSubjects);
      for (let start = 0; start < total; start += BATCH_ROWS) {
        const batch = prepared.slice(start, start + BATCH_ROWS);
        await insertAll(tx, testimony, batch.map((r) => r.testimony));
        await insertAll(tx, consent, batch.map((r) => r.consent));
        await insertAll(tx, injury, batch.flatMap((r) => r.injuries ?? []));
        await insertAll(tx, indicator, batch.flatMap((r) => r.indicators ?? []));
        // Written rows are freed as we go: the file's rows are the largest thing this process holds.
        for (let i = start; i < start + batch.length; i++) prepared[i] = undefined as never;
        const done = Math.min(start + BATCH_ROWS, total);
        opts.onProgress?.({ phase: 'writing', rowsDone: done, rowsTotal: total });
        if (progressOutside) await updateJob(orgId, jobId, { rowsDone: done });
      }
      await audit(tx, actor, {
        action: 'testimony.import',
        entity: 'import_job',
        entityId: jobId,
        details: { rows: total, subjectsCreated: newSubjects.length, fileSha256 },
      });
      await updateJob(orgId, jobId, { status: 'done', rowsDone: total, imported: total, subjectsCreated: newSubjects.length, finishedAt: new Date() }, tx);
    });
  } catch (e) {
    await fail('failed', 'Writing failed and was rolled back; nothing was imported.');
    throw e;
  }
  return { jobId, imported: total, subjectsCreated: newSubjects.length, fileSha256 };
}

// A job not touched for this long while running was interrupted (its process died); its
// transaction was rolled back by the database.
const STALE_MS = 5 * 60 * 1000;

export type ImportJobView = Pick<ImportJob, 'id' | 'status' | 'rowsTotal' | 'rowsDone' | 'imported' | 'subjectsCreated' | 'message' | 'createdAt' | 'finishedAt'> & {
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
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      issues: job.issues ?? [],
      interrupted: running && Date.now() - job.updatedAt.getTime() > STALE_MS,
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
