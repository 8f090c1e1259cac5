import 'server-only';
import { env } from '@/lib/env';
import { openDatabase, type Database, type Db, type DbKind } from './client';

export { execRows, rowsOf, type Db, type Tx } from './client';
export * as schema from './schema';

// One database per process, whichever bundle (route handler, page, action) asks first.
const holder = globalThis as unknown as { __ledgerDb?: Promise<Database> };

function open(): Promise<Database> {
  holder.__ledgerDb ??= openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolMax: env.DATABASE_POOL_MAX,
  }).catch((e) => {
    holder.__ledgerDb = undefined; // let the next request retry (the database may come back)
    throw e;
  });
  return holder.__ledgerDb;
}

/** The database. Code outside db/ never learns which driver is behind it. */
export async function db(): Promise<Db> {
  return (await open()).db;
}

export async function dbKind(): Promise<DbKind> {
  return (await open()).kind;
}

/** Lets tests and the CLI use a database they opened themselves. */
export function useDatabase(database: Database) {
  holder.__ledgerDb = Promise.resolve(database);
}

export async function closeDb() {
  const current = holder.__ledgerDb;
  holder.__ledgerDb = undefined;
  if (current) await (await current).close();
}
