import 'server-only';
import { env } from '@/lib/env';
import { openDatabase, type Database, type Db, type DbKind } from './client';

export { execRows, rowsOf, type Db, type Tx } from './client';
export * as schema from './schema';

// One database per process, whichever bundle (route handler, page, action) asks first.
const holder = globalThis as unknown as { __ledgerDb?: Promise<Database> };

/** `next build` sets NEXT_PHASE in its workers (next/constants PHASE_PRODUCTION_BUILD). */
const BUILD_PHASE = 'phase-production-build';

export class OpenedDuringBuild extends Error {
  override name = 'OpenedDuringBuild';
  constructor() {
    super(
      'A page or route asked for the database while `next build` was prerendering it. Make it render per request ' +
        '(read headers or cookies, or await connection() from next/server): at build time the embedded database would be ' +
        'opened by a build worker, and its lock would refuse the first `npm start`.',
    );
  }
}

function open(): Promise<Database> {
  // A build worker must never open (or create) the embedded database, nor connect to PostgreSQL.
  if (process.env.NEXT_PHASE === BUILD_PHASE && !holder.__ledgerDb) return Promise.reject(new OpenedDuringBuild());
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
