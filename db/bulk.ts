import 'server-only';
import { once } from 'node:events';
import postgres, { type Sql } from 'postgres';
import { db, dbKind } from './index';

// Bulk loading for generated data (lib/synthetic): several tables written in one transaction, all or
// nothing. PostgreSQL: COPY … FROM STDIN through postgres.js, the fastest way in. PGlite (one
// process, in WebAssembly): COPY … FROM '/dev/blob', a few thousand rows at a time.

export type BulkCell = string | number | boolean | null | undefined;

export interface BulkTable {
  /** A table name as written in SQL (trusted: callers pass constants). */
  table: string;
  /** Column names in the database (snake_case), matching each row's cells in order. */
  columns: readonly string[];
  rows: readonly (readonly BulkCell[])[];
}

/** Rows per COPY on PGlite: its text is built whole in memory (a few MB at most). */
const PGLITE_ROWS_PER_COPY = 5000;
/** Bytes handed to the COPY stream at a time: large enough to keep the socket busy, small enough to bound memory. */
const COPY_CHUNK_BYTES = 256 * 1024;

/** COPY's text format: tab between cells, \N for null, backslash escapes. */
export function copyCell(value: BulkCell): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}

/** Rows as COPY text: one line per row. */
export const copyText = (rows: readonly (readonly BulkCell[])[]) => rows.map((row) => `${row.map(copyCell).join('\t')}\n`).join('');

/**
 * PGlite: COPY … FROM '/dev/blob', the embedded engine's fastest way in (no JSON to parse in SQL).
 * Runs on the open transaction `tx` (drizzle's PGlite transaction holds PGlite's own).
 */
export async function pgliteCopy(tx: unknown, table: string, columns: readonly string[], rows: readonly (readonly BulkCell[])[]) {
  if (rows.length) await pgliteCopyText(tx, table, columns, copyText(rows));
}

/** The same with the COPY text made already (lines of copyText). */
export async function pgliteCopyText(tx: unknown, table: string, columns: readonly string[], text: string) {
  if (!text) return;
  const client = (tx as { session: { client: { query(q: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown> } } }).session.client;
  await client.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob: new Blob([text]) });
}

/**
 * PGlite: runs `work` (COPYs into tables without triggers of their own) with the per-row foreign-key
 * checks switched off, for the current transaction only. Those checks are triggers that run one
 * query per row (a 100,000-row import makes 1.6 million of them, half of its write time on PGlite).
 * Only for rows whose references the caller made itself (a child row pointing at a row of the same
 * batch, the actor's organisation); references that come from elsewhere must be checked set-wise
 * (and their rows locked, as the checks would) before the transaction commits. PGlite's user is a superuser, which
 * `session_replication_role` requires; never used on PostgreSQL, whose application role is not.
 * The tables written inside must have no triggers other than foreign keys (a test holds this).
 */
export async function withoutForeignKeyChecks(tx: unknown, work: () => Promise<void>) {
  const client = (tx as { session: { client: { exec(q: string): Promise<unknown> } } }).session.client;
  await client.exec('set local session_replication_role = replica');
  try {
    await work();
  } finally {
    // After a failed statement the transaction is aborted (and will roll back), so this can fail:
    // the error that matters is work's.
    await client.exec('set local session_replication_role = origin').catch(() => {});
  }
}

const WATCH_MS = 250;

/**
 * The watcher's own connection, opened before the transaction and outside the pool: from the pool it
 * would wait for a second connection while the transaction holds one (a full pool never gives it).
 */
function watcherConnection(pool: Sql): Sql {
  const o = pool.options as unknown as Record<string, unknown>; // parsed: host and port are lists, pass a string or a function
  const same = Object.fromEntries(['host', 'port', 'path', 'database', 'user', 'pass', 'ssl'].map((k) => [k, o[k] || undefined]));
  return postgres({ ...same, max: 1, onnotice: () => {} } as postgres.Options<{}>);
}

/**
 * postgres.js 3.4.9 never settles a COPY stream the server rejected (its issue #1173: no 'finish',
 * no 'error', the transaction left open). So while a COPY runs, another connection watches our
 * backend: once it sits idle in an aborted transaction, the COPY failed and we stop waiting.
 */
function watchBackend(watcher: Sql, pid: number, table: string) {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    const poll = async () => {
      try {
        const [row] = await watcher`select state from pg_stat_activity where pid = ${pid}`;
        if (!row || row.state === 'idle in transaction (aborted)') return reject(new Error(`COPY into ${table} was refused by the database (its log has the reason); the batch was rolled back`));
      } catch (e) {
        return reject(e as Error);
      }
      timer = setTimeout(() => void poll(), WATCH_MS);
    };
    timer = setTimeout(() => void poll(), WATCH_MS);
  });
  failed.catch(() => {});
  return { failed, stop: () => clearTimeout(timer) };
}

async function copyInto(tx: Sql, watcher: Sql, pid: number, table: BulkTable) {
  if (table.rows.length === 0) return;
  const stream = await tx.unsafe(`copy ${table.table} (${table.columns.join(', ')}) from stdin`).writable();
  const watch = watchBackend(watcher, pid, table.table);
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  try {
    let chunk = '';
    for (const row of table.rows) {
      chunk += row.map(copyCell).join('\t') + '\n';
      if (chunk.length >= COPY_CHUNK_BYTES) {
        if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), done, watch.failed]);
        chunk = '';
      }
    }
    stream.end(chunk);
    await Promise.race([done, watch.failed]);
  } finally {
    watch.stop();
  }
}

/** Writes every table in order (parents first) in one transaction. */
export async function bulkLoad(tables: readonly BulkTable[]): Promise<void> {
  const database = await db();
  if ((await dbKind()) === 'postgres') {
    const client = (database as unknown as { $client: Sql }).$client;
    const watcher = watcherConnection(client);
    try {
      await client.begin(async (tx) => {
        const [{ pid }] = (await tx`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
        // Generated, reproducible rows: a crash may lose the last batches (never half of one), and not waiting for each flush to disk saves time.
        await tx`set local synchronous_commit = off`;
        for (const table of tables) await copyInto(tx as unknown as Sql, watcher, pid, table);
      });
    } finally {
      await watcher.end({ timeout: 5 });
    }
    return;
  }
  await database.transaction(async (tx) => {
    for (const { table, columns, rows } of tables) {
      for (let start = 0; start < rows.length; start += PGLITE_ROWS_PER_COPY) await pgliteCopy(tx, table, columns, rows.slice(start, start + PGLITE_ROWS_PER_COPY));
    }
  });
}
