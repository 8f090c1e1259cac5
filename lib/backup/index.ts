import 'server-only';
// Backup and restore of the whole database, one format for PGlite and PostgreSQL.
//
// File: gzip, JSON lines (several gzip members one after the other; gunzip reads them as one).
//   line 1       the header (BackupHeader): format and version, when, from which database, the
//                schema (migrations applied), the data key ids the values need, and per table its
//                columns, row count and the SHA-256 of its row lines;
//   ["table",t]  starts a table's rows, tables in dependency order (a row's references come first);
//   {…}          one row per line, as PostgreSQL's row_to_json prints it (time zone UTC);
//   ["end"]      the last line: a file without it was cut short.
// A table's SHA-256 covers its row lines, each followed by "\n", exactly as they are in the file.
//
// What is not in it: the secrets. Encrypted values (narratives, notes, quotes, second-factor
// secrets, drafts) are copied as the ciphertext they are, with their key id; DATA_KEYS,
// AUTH_SECRET and DATA_DIR/secrets.json must be kept apart, or the restored values cannot be read.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { execRows, type Db, type Tx } from '@/db';
import type { DbKind } from '@/db/client';
import { audit } from '../audit';
import { ENVELOPE_PATTERN } from '../crypto/envelope';
import { ENCRYPTED_PLACES } from '../crypto/rotate';
import { ConfigError, dataKeys } from '../secrets';
import { VERSION } from '../version';

export const BACKUP_FORMAT = 'testimony-ledger-backup';
export const BACKUP_VERSION = 1;

export const SECRETS_NOTE =
  'Not in this backup: the data keys (DATA_KEYS / DATA_KEY_CURRENT), AUTH_SECRET, AUDIT_SIGNING_KEY and DATA_DIR/secrets.json. ' +
  'Encrypted values are copied encrypted; keep the keys apart from the backup, or the restored narratives cannot be read.';

/** Thrown when a backup cannot be restored (or written): the message says why, nothing was written. */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

export interface TableInfo {
  name: string;
  columns: { name: string; type: string }[];
  rows: number;
  sha256: string;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  appVersion: string;
  database: DbKind;
  /** The migrations applied to the database backed up: a restore needs the same. */
  schema: { migrations: number; lastHash: string | null; lastCreatedAt: number | null };
  secrets: { included: false; note: string };
  /** How many encrypted values each data key id protects: the keys a restore needs. */
  keyIds: Record<string, number>;
  tables: TableInfo[];
}

// ---------------------------------------------------------------------------------------------
// The catalog: which tables, their columns, their order, read from the database itself, so a new
// table or column is backed up without a change here.

interface CatalogTable {
  name: string;
  columns: { name: string; type: string; generated: boolean }[];
  identity: boolean;
  /** ORDER BY: the primary key, text compared byte-wise so both databases sort alike. */
  orderBy: string;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function catalog(tx: Pick<Db, 'execute'>): Promise<CatalogTable[]> {
  const tables = await execRows<{ name: string }>(
    tx,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by c.relname`,
  );
  const columns = await execRows<{ tbl: string; name: string; type: string; generated: string; identity: string }>(
    tx,
    sql`select c.relname as tbl, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
               a.attgenerated::text as generated, a.attidentity::text as identity
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped
        order by c.relname, a.attnum`,
  );
  const keys = await execRows<{ tbl: string; name: string; collatable: boolean }>(
    tx,
    sql`select c.relname as tbl, a.attname as name, (t.typcollation <> 0) as collatable
        from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
        cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        join pg_type t on t.oid = a.atttypid
        where n.nspname = 'public' and i.indisprimary and not c.relispartition
        order by c.relname, k.ord`,
  );
  const refs = await execRows<{ child: string; parent: string }>(
    tx,
    sql`select c.relname as child, p.relname as parent
        from pg_constraint f join pg_class c on c.oid = f.conrelid join pg_class p on p.oid = f.confrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and f.contype = 'f' and f.conparentid = 0 and not c.relispartition`,
  );
  const byName = new Map<string, CatalogTable>();
  for (const { name } of tables) byName.set(name, { name, columns: [], identity: false, orderBy: '' });
  for (const c of columns) {
    const t = byName.get(c.tbl)!;
    t.columns.push({ name: c.name, type: c.type, generated: c.generated !== '' });
    if (c.identity !== '') t.identity = true;
  }
  for (const t of byName.values()) {
    const pk = keys.filter((k) => k.tbl === t.name);
    if (pk.length === 0) throw new BackupRefused(`table ${t.name} has no primary key: its rows have no stable order to back up`);
    t.orderBy = pk.map((k) => (k.collatable ? `${ident(k.name)} collate "C"` : ident(k.name))).join(', ');
  }
  // Dependency order (Kahn's algorithm, ties by name): a table comes after every table it references.
  const parents = new Map<string, Set<string>>([...byName.keys()].map((n) => [n, new Set<string>()]));
  for (const r of refs) if (r.child !== r.parent && byName.has(r.parent)) parents.get(r.child)?.add(r.parent);
  const ordered: CatalogTable[] = [];
  const done = new Set<string>();
  while (ordered.length < byName.size) {
    const next = [...byName.keys()].filter((n) => !done.has(n) && [...parents.get(n)!].every((p) => done.has(p))).sort()[0];
    if (!next) throw new BackupRefused(`foreign keys form a cycle among ${[...byName.keys()].filter((n) => !done.has(n)).join(', ')}`);
    done.add(next);
    ordered.push(byName.get(next)!);
  }
  // A table referencing itself would need its rows parent-first; none does today.
  for (const r of refs) if (r.child === r.parent) throw new BackupRefused(`table ${r.child} references itself: not supported by this backup format`);
  return ordered;
}

async function migrations(tx: Pick<Db, 'execute'>): Promise<BackupHeader['schema']> {
  const rows = await execRows<{ n: number; hash: string | null; created_at: string | number | null }>(
    tx,
    sql`select (select count(*)::int from drizzle.__drizzle_migrations) as n,
               (select hash from drizzle.__drizzle_migrations order by created_at desc, id desc limit 1) as hash,
               (select created_at from drizzle.__drizzle_migrations order by created_at desc, id desc limit 1) as created_at`,
  );
  const r = rows[0]!;
  return { migrations: Number(r.n), lastHash: r.hash, lastCreatedAt: r.created_at === null ? null : Number(r.created_at) };
}

// The encrypted columns: the rotation's list is the one list of them.
const KEYED_COLUMNS: { table: string; column: string }[] = ENCRYPTED_PLACES.map((p) => {
  const [table, column] = p.name.split('.') as [string, string];
  return { table, column };
});

/** How many values each data key id protects, over every encrypted column. */
export async function keyIdsInUse(tx: Pick<Db, 'execute'>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table, column } of KEYED_COLUMNS) {
    const c = sql.identifier(column);
    const rows = await execRows<{ key_id: string; n: number }>(
      tx,
      sql`select split_part(${c}, '.', 2) as key_id, count(*)::int as n from ${sql.identifier(table)}
          where ${c} is not null and ${c} ~ ${ENVELOPE_PATTERN} group by 1`,
    );
    for (const r of rows) out[r.key_id] = (out[r.key_id] ?? 0) + Number(r.n);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The key ids the data needs that DATA_KEYS does not hold (all of them when no key is configured). */
export function missingKeyIds(inUse: Record<string, number>, configured: readonly string[] = configuredKeyIds()): string[] {
  return Object.keys(inUse).filter((k) => !configured.includes(k));
}

function configuredKeyIds(): string[] {
  try {
    return [...dataKeys().keys.keys()];
  } catch (e) {
    if (e instanceof ConfigError) return []; // no DATA_KEYS at all (PostgreSQL): every key is missing
    throw e;
  }
}

const FETCH = 1000;

/** A table's rows as JSON text, in primary-key order, through a cursor: memory stays bounded. */
async function* tableLines(tx: Tx, t: CatalogTable): AsyncGenerator<string> {
  const cursor = `backup_${t.name}`;
  await tx.execute(sql.raw(`declare ${ident(cursor)} no scroll cursor for select row_to_json(t)::text as r from ${ident(t.name)} t order by ${t.orderBy}`));
  for (;;) {
    const rows = await execRows<{ r: string }>(tx, sql.raw(`fetch ${FETCH} from ${ident(cursor)}`));
    for (const row of rows) yield row.r;
    if (rows.length < FETCH) break;
  }
  await tx.execute(sql.raw(`close ${ident(cursor)}`));
}

/** Settings that make row_to_json print the same text on both databases and every server. */
async function stableText(tx: Tx) {
  await tx.execute(sql`set local timezone = 'UTC'`);
  await tx.execute(sql`set local extra_float_digits = 1`);
  await tx.execute(sql`set local intervalstyle = 'iso_8601'`);
}

const sha256Lines = () => {
  const h = createHash('sha256');
  return { add: (line: string) => h.update(line).update('\n'), digest: () => h.digest('hex') };
};

export interface BackupResult {
  file: string;
  bytes: number;
  header: BackupHeader;
}

/**
 * Writes the whole database to `file` from one consistent snapshot (the app may keep running on
 * PostgreSQL). The file appears only when complete (written beside it, then renamed).
 */
export async function writeBackup(database: Db, kind: DbKind, file: string): Promise<BackupResult> {
  const bodyFile = `${file}.body.partial`;
  const partial = `${file}.partial`;
  try {
    const header = await database.transaction(
      async (tx) => {
        await stableText(tx);
        // The snapshot's time: the transaction's start, which every row read here is as of.
        const [{ at }] = (await execRows<{ at: string }>(tx, sql`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at`)) as [{ at: string }];
        const tables = await catalog(tx);
        const infos: TableInfo[] = [];
        async function* body() {
          let chunk = '';
          for (const t of tables) {
            chunk += `${JSON.stringify(['table', t.name])}\n`;
            const hash = sha256Lines();
            let rows = 0;
            for await (const line of tableLines(tx, t)) {
              hash.add(line);
              rows += 1;
              chunk += `${line}\n`;
              if (chunk.length >= 64 * 1024) {
                yield chunk;
                chunk = '';
              }
            }
            infos.push({ name: t.name, columns: t.columns.map(({ name, type }) => ({ name, type })), rows, sha256: hash.digest() });
          }
          yield `${chunk}${JSON.stringify(['end'])}\n`;
        }
        await pipeline(body, createGzip(), createWriteStream(bodyFile, { mode: 0o600 }));
        const h: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          createdAt: at,
          appVersion: VERSION,
          database: kind,
          schema: await migrations(tx),
          secrets: { included: false, note: SECRETS_NOTE },
          keyIds: await keyIdsInUse(tx),
          tables: infos,
        };
        return h;
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    // The header first, as its own gzip member, then the body as it was compressed.
    await pipeline(
      async function* () {
        yield gzipSync(`${JSON.stringify(header)}\n`);
        yield* createReadStream(bodyFile);
      },
      createWriteStream(partial, { mode: 0o600 }),
    );
    renameSync(partial, file);
    const bytes = statSync(file).size;
    const rows = header.tables.reduce((n, t) => n + t.rows, 0);
    // A backup is an export of everything: the log says when one was taken (it is not in the file itself).
    await database.transaction((tx) =>
      audit(tx, null, { action: 'backup.create', actorRole: 'operator', orgId: null, details: { tables: header.tables.length, rows, createdAt: header.createdAt } }),
    );
    return { file, bytes, header };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && ['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EISDIR', 'ENOTDIR', 'EROFS', 'EDQUOT'].includes(code)) {
      throw new BackupRefused(`cannot write ${file} (${code}): ${code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : 'check the folder exists and is writable'}; no backup was written`);
    }
    throw e;
  } finally {
    rmSync(bodyFile, { force: true });
    rmSync(partial, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Restore

/** The file's lines, decompressed as they are read. */
async function* fileLines(file: string): AsyncGenerator<string> {
  const raw = createReadStream(file);
  const input = createGunzip();
  raw.on('error', (e) => input.destroy(e)); // pipe() does not pass a missing file on
  raw.pipe(input);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  try {
    for await (const chunk of input) {
      carry += decoder.write(chunk as Buffer);
      let at: number;
      while ((at = carry.indexOf('\n')) >= 0) {
        yield carry.slice(0, at);
        carry = carry.slice(at + 1);
      }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BackupRefused(`no such file: ${file}`);
    throw new BackupRefused(`${file} is not a readable backup (${code === 'Z_BUF_ERROR' ? 'cut short' : ((e as Error).message ?? 'unreadable')})`);
  }
  carry += decoder.end();
  if (carry.length) yield carry;
}

const HeaderShape = z.looseObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  appVersion: z.string(),
  secrets: z.object({ included: z.literal(false), note: z.string() }),
  database: z.enum(['pglite', 'postgres']),
  schema: z.object({ migrations: z.number().int().min(0), lastHash: z.string().nullable(), lastCreatedAt: z.number().nullable() }),
  keyIds: z.record(z.string(), z.number().int().min(0)),
  tables: z.array(
    z.object({
      name: z.string().min(1),
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
      rows: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

function parseHeader(line: string | undefined, file: string): BackupHeader {
  let h: Partial<BackupHeader> | undefined;
  try {
    h = JSON.parse(line ?? '') as Partial<BackupHeader>;
  } catch {
    h = undefined;
  }
  if (!h || h.format !== BACKUP_FORMAT) throw new BackupRefused(`${file} is not a Testimony Ledger backup`);
  if (h.version !== BACKUP_VERSION) throw new BackupRefused(`${file} is backup format version ${h.version}; this version reads version ${BACKUP_VERSION}`);
  const parsed = HeaderShape.safeParse(h);
  if (!parsed.success) throw new BackupRefused(`${file}: the header is incomplete or damaged`);
  return parsed.data;
}

export interface RestoreResult {
  header: BackupHeader;
  rows: number;
  /** Key ids the restored values need that DATA_KEYS lacks: those values cannot be read yet. */
  missingKeys: string[];
  keyIds: Record<string, number>;
}

export interface RestoreOptions {
  /** After each table is written and checked (still inside the transaction: nothing is committed yet). */
  onTable?: (progress: { table: string; rows: number }) => void;
}

const BATCH_ROWS = 500;
const BATCH_CHARS = 4 * 1024 * 1024;

function describeSchema(s: BackupHeader['schema']) {
  const when = s.lastCreatedAt ? ` (last ${new Date(s.lastCreatedAt).toISOString()})` : '';
  return `${s.migrations} migrations${when}`;
}

/** Refuses when the target's schema or its tables differ from the backup's: rows would not fit. */
function checkSchema(header: BackupHeader, target: BackupHeader['schema'], tables: CatalogTable[]) {
  if (header.schema.migrations !== target.migrations || header.schema.lastHash !== target.lastHash) {
    const older = header.schema.migrations < target.migrations;
    throw new BackupRefused(
      `the backup was made at schema ${describeSchema(header.schema)}, this database is at ${describeSchema(target)}. ` +
        (older
          ? 'Restore it with the version of the app that made it (into a fresh database), then start this version: it migrates the data.'
          : 'Restore it with a newer version of the app.'),
    );
  }
  const here = new Map(tables.map((t) => [t.name, t]));
  for (const t of header.tables) {
    const mine = here.get(t.name);
    if (!mine) throw new BackupRefused(`the backup has a table ${t.name} this database lacks`);
    const a = JSON.stringify(t.columns);
    const b = JSON.stringify(mine.columns.map(({ name, type }) => ({ name, type })));
    if (a !== b) throw new BackupRefused(`table ${t.name}: the backup's columns differ from this database's`);
  }
  for (const t of tables) if (!header.tables.some((h) => h.name === t.name)) throw new BackupRefused(`this database has a table ${t.name} the backup lacks`);
}

async function insertBatch(tx: Tx, t: CatalogTable, lines: string[]) {
  const cols = t.columns.filter((c) => !c.generated).map((c) => ident(c.name)).join(', ');
  const overriding = t.identity ? 'overriding system value ' : '';
  try {
    await tx.execute(
      sql`${sql.raw(`insert into ${ident(t.name)} (${cols}) ${overriding}select ${cols} from json_populate_recordset(null::${ident(t.name)}, `)}${`[${lines.join(',')}]`}${sql.raw('::json)')}`,
    );
  } catch (e) {
    // The database's message only: the failed query and its detail would carry the rows themselves.
    const cause = (e as { cause?: { message?: string } }).cause?.message ?? 'refused';
    throw new BackupRefused(`table ${t.name}: the database refuses the backup's rows (${cause}): the file was altered or damaged; nothing was restored`);
  }
}

/** Sequences behind serial or identity columns continue after the restored values. */
async function resetSequences(tx: Tx, tables: CatalogTable[]) {
  for (const t of tables) {
    for (const c of t.columns) {
      const [seq] = await execRows<{ s: string | null }>(tx, sql`select pg_get_serial_sequence(${ident(t.name)}, ${c.name}) as s`);
      if (!seq?.s) continue;
      await tx.execute(
        sql`select setval(${seq.s}::regclass, coalesce((select max(${sql.identifier(c.name)}) from ${sql.identifier(t.name)}), 0) + 1, false)`,
      );
    }
  }
}

/**
 * Restores a backup into an empty, migrated database, in one transaction: every table's rows are
 * checked against the header's count and SHA-256 as they are read, and read back once written;
 * any difference and nothing is kept. The audit rows go in verbatim, so the chain verifies.
 */
export async function restoreBackup(database: Db, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const lines = fileLines(file);
  try {
    return await restoreFrom(database, file, lines, opts);
  } finally {
    await lines.return(undefined); // closes the file when the restore stopped half-way
  }
}

async function restoreFrom(database: Db, file: string, lines: AsyncGenerator<string>, opts: RestoreOptions): Promise<RestoreResult> {
  const first = await lines.next();
  const header = parseHeader(first.done ? undefined : first.value, file);
  const expected = new Map(header.tables.map((t) => [t.name, t]));

  const rows = await database.transaction(async (tx) => {
    await stableText(tx);
    const tables = await catalog(tx);
    checkSchema(header, await migrations(tx), tables);
    // Only into an empty database: the audit log cannot be rewritten, so rows are never merged.
    // The tables stay locked until the end, so a server already pointed at the database cannot
    // slip a row in between this check and the restore's own rows.
    await tx.execute(sql.raw(`lock table ${tables.map((t) => ident(t.name)).join(', ')} in access exclusive mode`));
    for (const t of tables) {
      const [row] = await execRows<{ any: boolean }>(tx, sql`select exists (select 1 from ${sql.identifier(t.name)}) as any`);
      if (row?.any) {
        throw new BackupRefused(
          `this database is not empty (table ${t.name} has rows). Restore only into a fresh database: ` +
            'with PostgreSQL create a new one and point DATABASE_URL at it; embedded, point DATA_DIR at an empty folder.',
        );
      }
    }
    const byName = new Map(tables.map((t) => [t.name, t]));
    const seen: string[] = [];
    let current: { t: CatalogTable; info: TableInfo; hash: ReturnType<typeof sha256Lines>; rows: number; batch: string[]; chars: number } | undefined;
    let total = 0;
    let ended = false;

    const finishTable = async () => {
      if (!current) return;
      const c = current;
      if (c.batch.length) await insertBatch(tx, c.t, c.batch);
      if (c.rows !== c.info.rows || c.hash.digest() !== c.info.sha256) {
        throw new BackupRefused(`table ${c.t.name}: its rows do not match the backup's header (${c.rows} rows read, ${c.info.rows} expected, or a different SHA-256): the file was altered or damaged`);
      }
      // Read back what the database now holds: the same text, or the restore is not faithful.
      const again = sha256Lines();
      let n = 0;
      for await (const line of tableLines(tx, c.t)) {
        again.add(line);
        n += 1;
      }
      if (n !== c.info.rows || again.digest() !== c.info.sha256) throw new BackupRefused(`table ${c.t.name}: the rows written read back differently from the backup`);
      total += c.rows;
      opts.onTable?.({ table: c.t.name, rows: c.rows });
      current = undefined;
    };

    for await (const line of lines) {
      if (ended) throw new BackupRefused('the file goes on after its end marker: it was altered');
      if (line.startsWith('[')) {
        await finishTable();
        let marker: unknown;
        try {
          marker = JSON.parse(line);
        } catch {
          throw new BackupRefused('a damaged line in the backup');
        }
        const [kind, name] = marker as [string, string];
        if (kind === 'end') {
          ended = true;
          continue;
        }
        const info = expected.get(name);
        const t = byName.get(name);
        if (kind !== 'table' || !info || !t || seen.includes(name)) throw new BackupRefused(`an unexpected section in the backup: ${line.slice(0, 80)}`);
        seen.push(name);
        current = { t, info, hash: sha256Lines(), rows: 0, batch: [], chars: 0 };
        continue;
      }
      if (!current || !line.startsWith('{')) throw new BackupRefused('a damaged line in the backup');
      current.hash.add(line);
      current.rows += 1;
      current.batch.push(line);
      current.chars += line.length;
      if (current.batch.length >= BATCH_ROWS || current.chars >= BATCH_CHARS) {
        await insertBatch(tx, current.t, current.batch);
        current.batch = [];
        current.chars = 0;
      }
    }
    await finishTable();
    if (!ended) throw new BackupRefused('the backup is cut short (no end marker): nothing was restored');
    const missing = header.tables.filter((t) => !seen.includes(t.name));
    if (missing.length) throw new BackupRefused(`the backup lacks the rows of ${missing.map((t) => t.name).join(', ')}`);
    await resetSequences(tx, tables);
    await audit(tx, null, {
      action: 'backup.restore',
      actorRole: 'operator',
      orgId: null,
      details: { tables: header.tables.length, rows: total, backupCreatedAt: header.createdAt },
    });
    return total;
  });

  const keyIds = await keyIdsInUse(database);
  return { header, rows, keyIds, missingKeys: missingKeyIds(keyIds) };
}
