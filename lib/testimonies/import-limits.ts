import 'server-only';
import { sql } from 'drizzle-orm';
import { execRows, type Tx } from '@/db';
import { env } from '../env';
import { problem, RateLimited, Unavailable } from '../errors';
import { IMPORT_STALE_MS } from './import-progress';

// How many CSV imports run at once. An import holds a connection at a time and two cores' worth of
// parsing and encryption: unbounded, ten of them starved the pool and /api/health (issue 16).

/** Seconds a refused import is told to wait (Retry-After). */
export const IMPORT_RETRY_AFTER_SECONDS = 10;
// Any constant works: it only has to be the same in every instance (two-key advisory lock: this, the organisation).
const ORG_ADMISSION_LOCK = 7_201_545;

/** The per-instance cap: IMPORT_MAX_PER_INSTANCE, on PostgreSQL at most half of the pool so other requests keep connections. */
export const importsPerInstance = (onPostgres: boolean) =>
  onPostgres ? Math.max(1, Math.min(env.IMPORT_MAX_PER_INSTANCE, Math.floor(env.DATABASE_POOL_MAX / 2))) : env.IMPORT_MAX_PER_INSTANCE;

// This process's running imports (one counter for every bundle, like the database): another instance
// needs none of it, each caps its own.
const holder = globalThis as unknown as { __ledgerImportsRunning?: { count: number } };

/** Takes one of this instance's import places, or throws 503 with Retry-After. Call the returned function once, when the import ends. */
export function takeImportPlace(onPostgres: boolean): () => void {
  const running = (holder.__ledgerImportsRunning ??= { count: 0 });
  if (running.count >= importsPerInstance(onPostgres)) throw new Unavailable(problem('importsBusyServer'), IMPORT_RETRY_AFTER_SECONDS);
  running.count += 1;
  let released = false;
  return () => {
    if (!released) running.count -= 1;
    released = true;
  };
}

/**
 * In the transaction that creates the job: throws 429 with Retry-After when the organisation already
 * has IMPORT_MAX_PER_ORG jobs running on any instance. A lock per organisation, held to the end of the
 * transaction, makes the count and the insert one step; a job whose heartbeat stopped does not count.
 */
export async function admitOrgImport(tx: Tx, orgId: string): Promise<void> {
  // Two statements: the count's snapshot must be taken after the lock is ours (read committed).
  await tx.execute(sql`select pg_advisory_xact_lock(${ORG_ADMISSION_LOCK}, hashtext(${orgId}))`);
  const [row] = await execRows<{ running: number }>(
    tx,
    sql`select count(*)::int as running from import_job
         where org_id = ${orgId}::uuid and status in ('receiving', 'writing')
           and updated_at > now() - (${IMPORT_STALE_MS}::int * interval '1 millisecond')`,
  );
  if (Number(row?.running ?? 0) >= env.IMPORT_MAX_PER_ORG)
    throw new RateLimited(IMPORT_RETRY_AFTER_SECONDS, problem('importsBusyOrg', { limit: env.IMPORT_MAX_PER_ORG }));
}
