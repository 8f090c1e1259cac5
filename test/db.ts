// Test databases: an in-memory PGlite, or a fresh PostgreSQL database dropped afterwards.
import { randomBytes } from 'node:crypto';
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
 */
export async function spareDatabase(kind: 'pglite' | 'postgres' = testDbKind, poolMax = 2): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { ...database, drop: () => database.close() };
  }
  const admin = process.env.TEST_PG_ADMIN_URL;
  if (!admin) throw new Error('TEST_PG_ADMIN_URL is not set');
  const name = `tl_test_${randomBytes(6).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const url = withDatabaseName(admin, name);
  const database = await openDatabase({ url, poolMax });
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
