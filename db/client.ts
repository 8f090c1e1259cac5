import 'server-only';
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { guardPglite, guardPostgres } from './connection-guard';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite under `dataDir` is used. */
  url?: string;
  dataDir?: string;
  poolMax?: number;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** In-memory PGlite only: start from this dump of a data folder (tests start from a migrated one) instead of initdb. */
  loadDataDir?: Blob;
  /** Tests: a query on the pool inside one of its transactions throws (db/connection-guard.ts). */
  guardConnections?: boolean;
}

export class DatabaseBusy extends Error {
  override name = 'DatabaseBusy';
}

/**
 * The embedded database's disk is nearly full. PGlite does not always survive running out of space
 * (seen here: a write that cannot extend the WAL or a TOAST table stops it answering at all), so
 * transactions are refused while less than the reserve is free. `code` is PostgreSQL's own for a
 * full disk, so callers treat it like the server's refusal.
 */
export class DiskAlmostFull extends Error {
  override name = 'DiskAlmostFull';
  readonly code = '53100';
  constructor(freeBytes: number, reserveBytes: number) {
    super(`only ${Math.round(freeBytes / 1024 / 1024)} MB free on the embedded database's disk; at least ${Math.round(reserveBytes / 1024 / 1024)} MB are kept in reserve`);
  }
}

/** Free space the embedded database keeps in reserve (PGLITE_DISK_RESERVE_MB, default 64). */
function diskReserveBytes(): number {
  const mb = Number(process.env.PGLITE_DISK_RESERVE_MB ?? 64);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 64) * 1024 * 1024;
}

/**
 * Refuses every transaction that may write while the data folder's disk has less than the reserve free
 * (asked before each transaction: a statfs costs microseconds, and a once-a-second reading let a fast
 * machine write past the reserve between two readings). Read-only transactions (a backup) go on: they
 * are how an operator gets the data out of a full disk.
 */
function guardDiskSpace(db: Db, dir: string) {
  const reserve = diskReserveBytes();
  if (reserve === 0) return;
  const transaction = db.transaction.bind(db);
  db.transaction = ((work: Parameters<Db['transaction']>[0], config?: Parameters<Db['transaction']>[1]) => {
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < reserve && config?.accessMode !== 'read only') return Promise.reject(new DiskAlmostFull(free, reserve));
    return transaction(work, config);
  }) as Db['transaction'];
}

/**
 * The embedded database's buffer cache (PGLITE_SHARED_BUFFERS, default 32MB): it lives in the server
 * process's memory. PostgreSQL's default of 128MB put an open PGlite at ~350 MB resident, 16MB at ~200 MB.
 */
function pgliteSharedBuffers(): string {
  const value = process.env.PGLITE_SHARED_BUFFERS ?? '32MB';
  return /^\d{1,6}(kB|MB|GB)$/.test(value) ? value : '32MB';
}

const migrationsFolder = () => path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');
// Any constant works: it only has to be the same in every instance that migrates.
const MIGRATION_LOCK = 7_201_544;

/** Opens a database, migrating it. Tests and the CLI call this; the app uses `db()`. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolMax ?? 10, opts.migrate ?? true, opts.guardConnections);
  return openPglite(opts.dataDir ?? './data', opts.migrate ?? true, { loadDataDir: opts.loadDataDir, guardConnections: opts.guardConnections });
}

async function openPostgres(url: string, poolMax: number, doMigrate: boolean, guardConnections = false): Promise<Database> {
  if (doMigrate) {
    // One connection holds a session advisory lock so instances starting together migrate once.
    const lockConn = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await lockConn`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await migratePostgres(drizzlePostgres(lockConn, { schema, casing: 'snake_case' }), {
        migrationsFolder: migrationsFolder(),
      });
      await lockConn`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    } finally {
      await lockConn.end({ timeout: 5 });
    }
  }
  const client = postgres(url, {
    max: poolMax,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: 'testimony-ledger' },
  });
  const db = drizzlePostgres(guardConnections ? guardPostgres(client) : client, { schema, casing: 'snake_case' });
  return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
}

function processAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// PGlite gives no protection against a second process opening the same folder; two writers
// would corrupt it. A pid file turns that into a plain refusal.
function takeLock(dir: string) {
  const lockFile = path.join(dir, 'ledger.pid');
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (pid && pid !== process.pid && processAlive(pid)) {
      throw new DatabaseBusy(
        `The embedded database in ${dir} is in use by process ${pid} (probably the running server). ` +
          'Stop it first, or run with DATABASE_URL pointing at PostgreSQL, where any number of processes may share the database.',
      );
    }
  } catch (e) {
    if (e instanceof DatabaseBusy) throw e;
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

async function openPglite(dataDir: string, doMigrate: boolean, opts: { loadDataDir?: Blob; guardConnections?: boolean } = {}): Promise<Database> {
  // 'memory://' (tests) keeps the database in memory; anything else is a folder.
  const inMemory = dataDir.startsWith('memory://');
  const dir = inMemory ? '' : path.resolve(/*turbopackIgnore: true*/ dataDir);
  const pgDir = inMemory ? dataDir : path.join(dir, 'pglite');
  if (!inMemory) mkdirSync(pgDir, { recursive: true });
  const release = inMemory ? () => {} : takeLock(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const created = !inMemory && !existsSync(path.join(pgDir, 'PG_VERSION'));
    if (opts.loadDataDir && !inMemory) throw new Error('loadDataDir is for an in-memory database only');
    const options = { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${pgliteSharedBuffers()}`], loadDataDir: opts.loadDataDir };
    let client = await PGlite.create(pgDir, options);
    if (created) {
      // Measured here: creating a new folder (initdb) grows PGlite's WebAssembly memory to ~830 MB
      // resident, and that memory is never given back while the instance lives. Opening the folder
      // again costs a second and leaves the process at ~200 MB.
      await client.close();
      client = await PGlite.create(pgDir, options);
    }
    const pgliteDb = drizzle(client, { schema, casing: 'snake_case' });
    if (doMigrate) await migrate(pgliteDb, { migrationsFolder: migrationsFolder() });
    if (opts.guardConnections) guardPglite(client);
    // Both drivers expose the same query builder; the rest of the code sees one type.
    const db = pgliteDb as unknown as Db;
    if (!inMemory) guardDiskSpace(db, pgDir);
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** Rows of a raw `execute()`: PGlite answers `{ rows }`, postgres.js an array. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function execRows<T>(executor: Pick<Db, 'execute'>, query: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await executor.execute(query));
}
