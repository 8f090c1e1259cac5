// Test databases: an in-memory PGlite, or a fresh PostgreSQL database dropped afterwards.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { useDatabase } from '@/db';
import { openDatabase, type Database } from '@/db/client';

export const testDbKind = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  /** A connection URL (PostgreSQL) for tests that need a raw client. */
  url?: string;
  drop(): Promise<void>;
}

export function withDatabaseName(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Opens a fresh, migrated database and makes it the one lib/ uses. Call drop() in afterAll. */
export async function freshDatabase(): Promise<TestDatabase> {
  const database = await spareDatabase(testDbKind, 4);
  useDatabase(database);
  return database;
}

/** The database's own message for a failed query (drizzle wraps it as `cause`). */
export async function databaseError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    const err = e as { message?: string; cause?: { message?: string } };
    return err.cause?.message ?? err.message ?? String(e);
  }
  throw new Error('expected the query to fail, but it succeeded');
}

/**
 * A second fresh, migrated database of the same kind, NOT made the one lib/ uses: for tests that
 * hold two databases at once (backup in one, restore into the other). drop() closes only it.
 * Both kinds are guarded (db/connection-guard.ts): a query on the pool inside a transaction throws.
 */
export async function spareDatabase(kind: 'pglite' | 'postgres' = testDbKind, poolMax = 2): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: await pgliteTemplate(), guardConnections: true });
    return { ...database, drop: () => database.close() };
  }
  const admin = process.env.TEST_PG_ADMIN_URL;
  if (!admin) throw new Error('TEST_PG_ADMIN_URL is not set');
  const name = `tl_test_${randomBytes(6).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const url = withDatabaseName(admin, name);
  const database = await openDatabase({ url, poolMax, guardConnections: true });
  return {
    ...database,
    url,
    drop: async () => {
      await database.close();
      const s = postgres(admin, { max: 1, onnotice: () => {} });
      await s.unsafe(`drop database if exists ${name} with (force)`);
      await s.end();
    },
  };
}

/**
 * A dump of a migrated PGlite, made once per test run (per set of migrations) and shared by every
 * test file's process through DATA_DIR: starting from it skips initdb and the migrations (~3 s a file
 * on a 2-core machine). The migrator still runs on open and finds nothing to do.
 */
async function pgliteTemplate(): Promise<Blob> {
  const migrations = path.join(process.cwd(), 'db', 'migrations');
  const hash = createHash('sha256');
  for (const name of readdirSync(migrations, { recursive: true }).map(String).sort()) {
    const file = path.join(migrations, name);
    if (name.endsWith('.sql') || name.endsWith('.json')) hash.update(name).update(readFileSync(file));
  }
  const file = path.join(process.env.DATA_DIR ?? '.', `pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
  if (!existsSync(file)) {
    const database = await openDatabase({ dataDir: 'memory://' });
    const dump = await (database.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client.dumpDataDir('none');
    await database.close();
    // Two processes may make it at once: each writes its own file and renames it into place.
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  return new Blob([readFileSync(file)]);
}
