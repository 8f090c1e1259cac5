import 'server-only';
import { getTableName, sql, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { db, execRows, type Tx } from '@/db';
import { appUser, consent, formDraft, indicator, quote, subject, testimony } from '@/db/schema';
import { audit } from '../audit';
import { totpPlace } from '../auth/sign-in';
import { dataKeys } from '../secrets';
import { decrypt, encrypt, ENVELOPE_PATTERN, isEnvelope, keyIdOf, type Place } from './envelope';

/** One column the app encrypts, with how to name the place a row's value is bound to. */
export interface EncryptedPlace {
  /** `table.column` as the database names them: progress, audit details and status use it. */
  name: string;
  table: PgTable;
  column: PgColumn;
  /** The primary key, in order; `place` receives its values as text. */
  key: readonly PgColumn[];
  place: (key: readonly string[]) => Place;
  /** Values stored before the column was encrypted are plaintext: rotation encrypts them as they are. */
  legacyPlaintext?: boolean;
}

/** The column's name in the database (the schema names columns by their keys, in snake_case). */
export const columnName = (c: PgColumn) => (c.keyAsName ? toSnakeCase(c.name) : c.name);

function encrypted(table: PgTable, column: PgColumn, key: readonly PgColumn[], place: (key: readonly string[]) => Place, opts: { legacyPlaintext?: boolean } = {}): EncryptedPlace {
  return { name: `${getTableName(table)}.${columnName(column)}`, table, column, key, place, ...opts };
}

const row = (table: string, column: string) => (key: readonly string[]) => ({ table, column, rowId: key[0]! });

// Every encrypted value the app stores. A new encrypted column is one line here, or rotation leaves it behind.
export const ENCRYPTED_PLACES: readonly EncryptedPlace[] = [
  encrypted(appUser, appUser.totpSecret, [appUser.id], ([id]) => totpPlace(id!)),
  encrypted(testimony, testimony.narrative, [testimony.id], row('testimony', 'narrative')),
  encrypted(testimony, testimony.interviewerNotes, [testimony.id], row('testimony', 'interviewer_notes')),
  encrypted(indicator, indicator.note, [indicator.testimonyId, indicator.indicator], ([id, which]) => ({ table: 'testimony_indicator', column: `note:${which!}`, rowId: id! })),
  encrypted(consent, consent.withdrawalReason, [consent.testimonyId], row('testimony_consent', 'withdrawal_reason')),
  encrypted(quote, quote.originalText, [quote.id], row('testimony_quote', 'original_text')),
  encrypted(quote, quote.redactedText, [quote.id], row('testimony_quote', 'redacted_text'), { legacyPlaintext: true }),
  encrypted(formDraft, formDraft.payload, [formDraft.userId, formDraft.formKey], ([user, key]) => ({ table: 'form_draft', column: 'payload', rowId: `${user!}:${key!}` })),
  encrypted(subject, subject.homeProvince, [subject.id], row('subject', 'home_province'), { legacyPlaintext: true }),
];

export const DEFAULT_BATCH = 500;

export interface RotateOptions {
  /** Rows re-encrypted per transaction (and per audit event). */
  batchSize?: number;
  /** Stop after this many batches (an operator's dry step, and the tests' interruption). */
  maxBatches?: number;
  onBatch?: (progress: { column: string; rows: number; total: number }) => void;
}

export interface RotateResult {
  current: string;
  columns: { column: string; rotated: number }[];
  /** False when maxBatches stopped it early; running it again continues. */
  complete: boolean;
}

/** Values of the place still under another key than `current` (or not an envelope at all). */
function notUnder(p: EncryptedPlace, current: string): SQL {
  return sql`${p.column} is not null and (split_part(${p.column}, '.', 1) <> 'v1' or split_part(${p.column}, '.', 2) <> ${current})`;
}

/** Values of a legacy place stored in clear, before the column was encrypted. */
function inClear(p: EncryptedPlace): SQL {
  return sql`${p.column} is not null and ${p.column} !~ ${ENVELOPE_PATTERN}`;
}

async function rotateBatch(tx: Tx, p: EncryptedPlace, current: string, batchSize: number, which = notUnder(p, current), action = 'keys.rotate'): Promise<number> {
  const keyColumns = sql.join(
    p.key.map((c, i) => sql`${c}::text as ${sql.identifier(`k${i}`)}`),
    sql`, `,
  );
  const rows = await execRows<Record<string, string>>(
    tx,
    sql`select ${keyColumns}, ${p.column} as value from ${p.table} where ${which} order by ${sql.join([...p.key], sql`, `)} limit ${batchSize} for update`,
  );
  let rotated = 0;
  for (const r of rows) {
    const key = p.key.map((_, i) => r[`k${i}`]!);
    const place = p.place(key);
    const envelope = r.value!;
    if (isEnvelope(envelope) && keyIdOf(envelope) === current) continue;
    let plaintext: string;
    try {
      plaintext = p.legacyPlaintext && !isEnvelope(envelope) ? envelope : decrypt(envelope, place);
    } catch (e) {
      throw new Error(`cannot re-encrypt ${p.name} of row ${key.join('/')}: ${(e as Error).message}`);
    }
    const match = sql.join(
      p.key.map((c, i) => sql`${sql.identifier(columnName(c))} = ${key[i]}`),
      sql` and `,
    );
    // Compare-and-set: a value the app rewrote meanwhile is already under the current key.
    const updated = await execRows<{ n: number }>(
      tx,
      sql`update ${p.table} set ${sql.identifier(columnName(p.column))} = ${encrypt(plaintext, place, current)} where ${match} and ${sql.identifier(columnName(p.column))} = ${envelope} returning 1 as n`,
    );
    rotated += updated.length;
  }
  if (rows.length > 0) await audit(tx, null, { action, actorRole: 'operator', orgId: null, details: { column: p.name, rows: rotated } });
  return rows.length;
}

/**
 * Re-encrypts every value under DATA_KEY_CURRENT, one batch per transaction. It only touches values
 * under another key, so a run that was interrupted continues where it stopped when run again.
 */
export async function rotateKeys(opts: RotateOptions = {}): Promise<RotateResult> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batch size must be a positive whole number');
  const { current } = dataKeys();
  const database = await db();
  const columns: RotateResult['columns'] = [];
  let batches = 0;
  for (const p of ENCRYPTED_PLACES) {
    let total = 0;
    for (;;) {
      if (opts.maxBatches !== undefined && batches >= opts.maxBatches) {
        columns.push({ column: p.name, rotated: total });
        return { current, columns, complete: false };
      }
      const rows = await database.transaction((tx) => rotateBatch(tx, p, current, batchSize));
      if (rows === 0) break;
      batches += 1;
      total += rows;
      opts.onBatch?.({ column: p.name, rows, total });
      if (rows < batchSize) break;
    }
    columns.push({ column: p.name, rotated: total });
  }
  return { current, columns, complete: true };
}

/**
 * The data migration of a column that became encrypted (home province, quote redactions): values it
 * still holds in clear are encrypted under DATA_KEY_CURRENT, one batch per transaction, compare-and-set
 * (several instances starting at once do not conflict). Run at start-up after the SQL migrations and
 * by `db migrate`; `keys rotate` would seal them too. Answers the columns it sealed values of.
 */
export async function sealLegacyPlaintext(batchSize = DEFAULT_BATCH): Promise<{ column: string; sealed: number }[]> {
  const database = await db();
  const sealed: { column: string; sealed: number }[] = [];
  for (const p of ENCRYPTED_PLACES.filter((x) => x.legacyPlaintext)) {
    // The keys are read only when there is something to seal (`db migrate` runs without them otherwise).
    const [any] = await execRows<{ x: number }>(database, sql`select 1 as x from ${p.table} where ${inClear(p)} limit 1`);
    if (!any) continue;
    const { current } = dataKeys();
    let total = 0;
    for (;;) {
      const rows = await database.transaction((tx) => rotateBatch(tx, p, current, batchSize, inClear(p), 'keys.seal'));
      total += rows;
      if (rows < batchSize) break;
    }
    if (total > 0) sealed.push({ column: p.name, sealed: total });
  }
  return sealed;
}

export interface KeyStatus {
  current: string;
  configured: string[];
  /** Per column, how many values each key id protects ("(none)" for a value that is not an envelope). */
  columns: { column: string; byKey: Record<string, number> }[];
}

/** How many values each key id still protects: a key may leave DATA_KEYS once it protects none. */
export async function keyStatus(): Promise<KeyStatus> {
  const { current, keys } = dataKeys();
  const database = await db();
  const columns: KeyStatus['columns'] = [];
  for (const p of ENCRYPTED_PLACES) {
    const rows = await execRows<{ key_id: string; n: number }>(
      database,
      sql`select case when ${p.column} ~ ${ENVELOPE_PATTERN} then split_part(${p.column}, '.', 2) else '(none)' end as key_id, count(*)::int as n
          from ${p.table} where ${p.column} is not null group by 1 order by 1`,
    );
    columns.push({ column: p.name, byKey: Object.fromEntries(rows.map((r) => [r.key_id, Number(r.n)])) });
  }
  return { current, configured: [...keys.keys()], columns };
}
