import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { auditEvent, importJob, subject, testimony } from '@/db/schema';
import { verifyChain } from '@/lib/audit';
import { BadInput, Forbidden, TooLarge } from '@/lib/errors';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { CSV_HEADER, EXPORT_HEADER, templateRows } from './csv';
import { exportTestimoniesCsv } from './export';
import { countRows, getImportJob, IMPORT_TABLES, importTestimoniesCsv, ImportRefused } from './import';
import { createTestimony, getTestimony, withdrawConsent } from './index';
import { syntheticCsvText } from './synthetic';

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;

async function* chunksOf(text: string, size = 4096) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
const csv = (rows: Record<string, string>[]) => stringify([CSV_HEADER, ...rows.map((r) => CSV_HEADER.map((n) => r[n] ?? ''))]);
const minimal = { consent_scopes: 'internal;research', consent_method: 'oral' };

async function refusal(p: Promise<unknown>): Promise<ImportRefused> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ImportRefused) return e;
    throw e;
  }
  throw new Error('expected the import to be refused');
}

async function exportText(actor: RoleActors['reviewer']) {
  const out = await exportTestimoniesCsv(actor);
  let text = '';
  for await (const c of out.chunks) text += c;
  return { ...out, text };
}

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('ia');
  b = await orgWithActors('ib');
});
afterAll(() => database.drop());

describe(`CSV import and export on ${testDbKind}`, () => {
  it('1,000 rows with one bad row: nothing written, the bad row named; the corrected file imports all 1,000', async () => {
    const before = await countRows(a.orgId);
    const bad = await refusal(importTestimoniesCsv(a.caseworker, chunksOf(syntheticCsvText(1000, { badRows: [617] }))));
    expect(bad).toBeInstanceOf(BadInput);
    expect(bad.csvIssues).toEqual([{ line: 618, column: 'wage_paid', message: expect.stringContaining('number'), zod: { code: 'invalid_type', expected: 'number', received: 'string' } }]);
    expect(bad.issues).toEqual([{ path: 'line 618, column wage_paid', message: expect.any(String) }]);
    expect(bad.message).toMatch(/^1 of 1000 rows have problems; nothing was imported/);
    expect(await countRows(a.orgId)).toEqual(before);
    const job = await getImportJob(a.caseworker, bad.jobId);
    expect(job).toMatchObject({ status: 'refused', issues: bad.csvIssues, imported: null });

    const ok = await importTestimoniesCsv(a.caseworker, chunksOf(syntheticCsvText(1000)));
    expect(ok).toMatchObject({ imported: 1000, subjectsCreated: 1000 });
    const after = await countRows(a.orgId);
    expect(after.testimonies - before.testimonies).toBe(1000);
    expect(after.subjects - before.subjects).toBe(1000);
    expect(after.consents - before.consents).toBe(1000);
    expect(after.indicators).toBeGreaterThan(before.indicators);
    expect(await getImportJob(a.caseworker, ok.jobId)).toMatchObject({ status: 'done', imported: 1000, rowsDone: 1000, rowsTotal: 1000 });
    // One audit event for the whole import, with its count and the file's hash.
    const events = await database.db.select().from(auditEvent).where(eq(auditEvent.entityId, ok.jobId));
    expect(events.map((e) => [e.action, e.details.rows, e.details.fileSha256])).toEqual([['testimony.import', 1000, ok.fileSha256]]);
    expect((await verifyChain(database.db)).ok).toBe(true);
  });

  it('stores narratives encrypted, readable through getTestimony; rows sharing a subject code are one subject', async () => {
    const [first] = await database.db.select({ code: sql<string>`s.code` }).from(sql`subject s`).where(sql`s.org_id = ${a.orgId}`).limit(1);
    const text = csv([
      { ...minimal, subject_code: first!.code, narrative: 'IMPORT-SENTINEL worked nights on the tower', interviewer_notes: 'NOTE-SENTINEL calm' },
      { ...minimal, subject_code: first!.code.toLowerCase(), narrative: 'second interview' },
    ]);
    const before = await countRows(a.orgId);
    const { jobId, subjectsCreated } = await importTestimoniesCsv(a.caseworker, chunksOf(text, 7));
    expect(subjectsCreated).toBe(0);
    expect((await countRows(a.orgId)).subjects).toBe(before.subjects);
    const dump = JSON.stringify(await database.db.execute(sql`select narrative, interviewer_notes from testimony where org_id = ${a.orgId}`));
    expect(dump).not.toContain('SENTINEL');
    expect(jobId).toBeTruthy();
    const ofSubject = await database.db
      .select({ id: testimony.id })
      .from(testimony)
      .innerJoin(subject, eq(subject.id, testimony.subjectId))
      .where(and(eq(testimony.orgId, a.orgId), eq(subject.code, first!.code)));
    expect(ofSubject).toHaveLength(3); // the synthetic row and the two new interviews
    const read = await Promise.all(ofSubject.map((r) => getTestimony(a.reviewer, r.id)));
    const mine = read.find((t) => t.narrative?.startsWith('IMPORT-SENTINEL'));
    expect(mine).toMatchObject({ narrative: 'IMPORT-SENTINEL worked nights on the tower', interviewerNotes: 'NOTE-SENTINEL calm', subjectCode: first!.code });
  });

  it('refuses a subject code the organisation does not have, and another organisation\'s code', async () => {
    const [foreign] = await database.db.select({ code: sql<string>`code` }).from(sql`subject`).where(sql`org_id = ${a.orgId}`).limit(1);
    const bad = await refusal(importTestimoniesCsv(b.caseworker, chunksOf(csv([{ ...minimal, subject_code: 'W-0000ZZ' }, { ...minimal, subject_code: foreign!.code }]))));
    expect(bad.csvIssues.map((i) => [i.line, i.column])).toEqual([
      [2, 'subject_code'],
      [3, 'subject_code'],
    ]);
    expect((await countRows(b.orgId)).testimonies).toBe(0);
  });

  it('a cell the database cannot store (a NUL character) is a bad row named by line and column, nothing written', async () => {
    const before = await countRows(b.orgId);
    const bad = await refusal(importTestimoniesCsv(b.caseworker, chunksOf(csv([minimal, { ...minimal, interview_language: 'k\u0000o' }]))));
    expect(bad.csvIssues).toEqual([expect.objectContaining({ line: 3, column: 'interview_language', message: 'Text may not contain a NUL character or broken Unicode (a lone surrogate).' })]);
    expect(await countRows(b.orgId)).toEqual(before);
  });

  it('the tables an import writes have no triggers but foreign keys (PGlite writes them with those checks off)', async () => {
    const triggers = await execRows<{ table: string; name: string }>(
      database.db,
      sql`select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
          where c.relname in ('testimony', 'testimony_consent', 'testimony_injury', 'testimony_indicator') and not t.tgisinternal`,
    );
    expect(triggers).toEqual([]);
    // Internal triggers are those of constraints: every one must be a foreign key's (a deferrable
    // unique constraint's trigger would be skipped too). There are some, so the query looks in the right place.
    const internal = await execRows<{ kind: string | null }>(
      database.db,
      sql`select k.contype::text as kind from pg_trigger t join pg_class c on c.oid = t.tgrelid left join pg_constraint k on k.oid = t.tgconstraint
          where c.relname in ('testimony', 'testimony_consent', 'testimony_injury', 'testimony_indicator') and t.tgisinternal`,
    );
    expect(internal.length).toBeGreaterThan(0);
    expect(new Set(internal.map((r) => r.kind))).toEqual(new Set(['f']));
    expect([...IMPORT_TABLES]).toEqual(['testimony', 'testimony_consent', 'testimony_injury', 'testimony_indicator']);
  });

  it.runIf(testDbKind === 'pglite')('a subject deleted between reading the file and writing it: the import rolls back', async () => {
    // Subjects are never deleted by the app; this stands for any parent row gone before the write.
    const [gone] = await database.db.insert(subject).values({ orgId: b.orgId, code: 'W-G0NE00' }).returning();
    const before = await countRows(b.orgId);
    const text = csv([minimal, { ...minimal, subject_code: gone!.code }]);
    let deleted: Promise<unknown> | undefined;
    const run = importTestimoniesCsv(b.caseworker, chunksOf(text), {
      // PGlite runs queries in the order they are asked for: this delete lands before the write.
      onProgress: (p) => void (p.phase === 'writing' && (deleted ??= database.db.delete(subject).where(eq(subject.id, gone!.id)).execute())),
    });
    await expect(run).rejects.toThrow(/no longer exists; the import was rolled back/);
    await deleted;
    expect(await countRows(b.orgId)).toEqual({ ...before, subjects: before.subjects - 1 });
  });

  it('rows sharing a subject_ref are one new worker (sex filled in by a later row); refs never stored; conflicts named', async () => {
    const before = await countRows(b.orgId);
    const text = csv([
      { ...minimal, subject_ref: 'A', interview_date: '2025-01-10' },
      { ...minimal, subject_ref: 'b 2' },
      { ...minimal, subject_ref: 'a', interview_date: '2025-06-02', sex: 'male' },
      { ...minimal },
    ]);
    const ok = await importTestimoniesCsv(b.caseworker, chunksOf(text));
    expect(ok).toMatchObject({ imported: 4, subjectsCreated: 3 });
    expect((await countRows(b.orgId)).subjects - before.subjects).toBe(3);
    const perSubject = await database.db
      .select({ code: subject.code, sex: subject.sex, n: sql<number>`count(*)::int` })
      .from(testimony)
      .innerJoin(subject, eq(subject.id, testimony.subjectId))
      .where(and(eq(testimony.orgId, b.orgId), sql`${testimony.interviewDate} is not null`))
      .groupBy(subject.code, subject.sex);
    expect(perSubject).toEqual([{ code: expect.stringMatching(/^W-/), sex: 'male', n: 2 }]);

    const bad = await refusal(
      importTestimoniesCsv(
        b.caseworker,
        chunksOf(
          csv([
            { ...minimal, subject_ref: 'C', sex: 'female' },
            { ...minimal, subject_ref: 'c', sex: 'male' },
            { ...minimal, subject_ref: 'Kim <script>' },
            { ...minimal, subject_ref: 'D', subject_code: 'W-0000ZZ' },
          ]),
        ),
      ),
    );
    expect(bad.csvIssues.map((i) => [i.line, i.column])).toEqual([
      [3, 'sex'],
      [4, 'subject_ref'],
      [5, 'subject_ref'],
    ]);
    expect(bad.csvIssues[0]!.message).toMatch(/Line 2 gives sex female/);
    expect((await countRows(b.orgId)).testimonies - before.testimonies).toBe(4);
    const { text: exported } = await exportText(b.reviewer);
    expect(exported.split('\r\n')[0]).not.toContain('subject_ref');
  });

  it('refuses a bad header, an empty file and a file over the limit; the job records why', async () => {
    const header = await refusal(importTestimoniesCsv(a.caseworker, chunksOf('subject_code,wages\nW-1,1\n')));
    expect(header.csvIssues.map((i) => i.column)).toEqual(['wages', 'consent_scopes', 'consent_method']);
    const empty = await refusal(importTestimoniesCsv(a.caseworker, chunksOf('')));
    expect(empty.csvIssues[0]!.message).toMatch(/empty/);
    const unclosed = await refusal(importTestimoniesCsv(a.caseworker, chunksOf(`${CSV_HEADER.join(',')}\n"never closed`)));
    expect(unclosed.csvIssues[0]!.message).toMatch(/Not valid CSV/);
    const jobId = crypto.randomUUID();
    await expect(importTestimoniesCsv(a.caseworker, chunksOf(syntheticCsvText(200)), { maxBytes: 10_000, jobId })).rejects.toBeInstanceOf(TooLarge);
    expect(await getImportJob(a.caseworker, jobId)).toMatchObject({ status: 'refused', message: expect.stringContaining('larger than the limit') });
  });

  it('the template imports as one testimony, every field where the form would put it', async () => {
    const text = stringify(templateRows());
    const before = await countRows(a.orgId);
    expect(await importTestimoniesCsv(a.caseworker, chunksOf(text))).toMatchObject({ imported: 1, subjectsCreated: 1 });
    expect((await countRows(a.orgId)).injuries - before.injuries).toBe(1);
    const [latest] = await database.db
      .select({ id: testimony.id })
      .from(testimony)
      .innerJoin(subject, eq(subject.id, testimony.subjectId))
      .where(eq(testimony.orgId, a.orgId))
      .orderBy(sql`${subject.createdAt} desc`)
      .limit(1);
    const t = await getTestimony(a.reviewer, latest!.id);
    expect(t).toMatchObject({
      interviewDate: '2025-03-14',
      region: 'primorsky-krai',
      federalDistrict: 'far-eastern',
      shiftStart: '06:00:00',
      shiftEnd: '02:00:00',
      daysPerWeek: 7,
      loyaltyContribution: 600,
      housing: 'shipping_container',
      narrative: expect.stringContaining('student visa'),
      interviewerNotes: expect.stringContaining('pause'),
    });
    expect(t.consent).toMatchObject({ scopes: ['internal', 'research'], method: 'oral', recordedAt: new Date('2025-03-14T09:30:00Z') });
    expect(t.injuries).toEqual([expect.objectContaining({ kind: 'fall', severity: 'serious', month: '2024-02-01', care: 'denied', keptWorking: 'yes' })]);
    expect(t.indicators).toEqual({
      restriction_of_movement: { answer: 'yes', note: null },
      isolation: { answer: 'yes', note: null },
      withholding_of_wages: { answer: 'yes', note: null },
      excessive_overtime: { answer: 'yes', note: null },
      deception: { answer: 'unknown', note: null },
    });
  });

  it('a testimony whose consent is withdrawn leaves the export at once', async () => {
    const org = await orgWithActors('iw');
    const kept = await createTestimony(org.caseworker, { consent: { scopes: ['internal'], method: 'oral' } });
    const gone = await createTestimony(org.caseworker, { consent: { scopes: ['internal'], method: 'oral' } });
    const before = await exportText(org.reviewer);
    expect(before.rows).toBe(2);
    expect(before.text).toContain(gone.subjectCode);
    await withdrawConsent(org.caseworker, gone.id, 'the worker asked');
    const after = await exportText(org.reviewer);
    expect(after.rows).toBe(1);
    expect(after.text).toContain(kept.subjectCode);
    expect(after.text).not.toContain(gone.subjectCode);
  });

  it('a researcher or another organisation cannot import, export or read a job', async () => {
    await expect(importTestimoniesCsv(a.researcher, chunksOf(csv([minimal])))).rejects.toBeInstanceOf(Forbidden);
    await expect(exportTestimoniesCsv(a.researcher)).rejects.toBeInstanceOf(Forbidden);
    await expect(exportTestimoniesCsv(a.caseworker)).rejects.toBeInstanceOf(Forbidden);
    const { jobId } = await importTestimoniesCsv(a.caseworker, chunksOf(csv([minimal])));
    await expect(getImportJob(b.caseworker, jobId)).rejects.toThrow(/No such import/);
    expect((await database.db.select().from(importJob).where(eq(importJob.orgId, b.orgId))).every((j) => j.orgId === b.orgId)).toBe(true);
  });

  it("exports the organisation's testimonies without narrative or notes, formulas escaped, audited", async () => {
    await importTestimoniesCsv(a.caseworker, chunksOf(csv([{ ...minimal, interview_language: '=HYPERLINK("x")', injury1_kind: '+cmd', injury1_severity: 'minor', injury1_care: 'received', narrative: 'EXPORT-SENTINEL' }])));
    const { text, rows } = await exportText(a.reviewer);
    const records = parse(text) as string[][];
    expect(records[0]).toEqual(EXPORT_HEADER);
    expect(records.length - 1).toBe(rows);
    expect(rows).toBe((await countRows(a.orgId)).testimonies);
    expect(EXPORT_HEADER).not.toContain('narrative');
    expect(text).not.toContain('SENTINEL');
    expect(text).not.toContain('Synthetic account');
    const col = (name: string) => EXPORT_HEADER.indexOf(name);
    const hit = records.find((r) => r[col('interview_language')]?.includes('HYPERLINK'))!;
    expect(hit[col('interview_language')]).toBe(`'=HYPERLINK("x")`);
    expect(hit[col('injury1_kind')]).toBe("'+cmd");
    // Another organisation's export holds none of these rows.
    const other = await exportText(b.admin);
    expect(other.text).not.toContain(hit[col('testimony_id')]!);
    const exports = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'testimony.export'));
    expect(exports.find((e) => e.orgId === a.orgId)?.details).toMatchObject({ rows, format: 'csv' });
  });
});
