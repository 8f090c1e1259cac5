import 'server-only';
import { tmpdir } from 'node:os';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { db, dbKind } from '@/db';
import { importJob } from '@/db/schema';
import { problem } from '../errors';
import { IMPORT_STALE_MS, importRunner, parseRunner } from './import-progress';
import { removeDeadSpools } from './spool';

const RUNNING = ['receiving', 'writing'] as const;

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Start-up (lib/boot.ts), before this process imports anything: jobs left "receiving" or "writing" by a
 * process that died are marked failed (the database rolled their transactions back, so nothing of them
 * was written), and the temporary folders of dead processes on this host are removed. Dead: on the
 * embedded database every running job (one process opens it); on PostgreSQL a job whose heartbeat
 * stopped, or one of this host whose process is gone or is an earlier run of this pid.
 */
export async function failAbandonedImports(opts: { spoolRoot?: string } = {}): Promise<{ jobs: number; folders: number }> {
  const database = await db();
  const embedded = (await dbKind()) === 'pglite';
  const running = await database
    .select({ id: importJob.id, orgId: importJob.orgId, runner: importJob.runner, stale: sql<boolean>`${importJob.updatedAt} < now() - (${IMPORT_STALE_MS}::int * interval '1 millisecond')` })
    .from(importJob)
    .where(inArray(importJob.status, [...RUNNING]));
  const dead = running.filter((job) => {
    if (embedded || job.stale) return true;
    const runner = parseRunner(job.runner);
    return !!runner && runner.host === importRunner.host && runner.boot !== importRunner.boot && (runner.pid === process.pid || !alive(runner.pid));
  });
  if (dead.length) {
    // A job id names a job within its organisation only (two organisations may use the same one).
    const stopped = problem('importStopped');
    await database
      .update(importJob)
      .set({ status: 'failed', message: stopped.text, messageWording: { key: stopped.key }, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(or(...dead.map((j) => and(eq(importJob.orgId, j.orgId), eq(importJob.id, j.id)))), inArray(importJob.status, [...RUNNING])));
  }
  return { jobs: dead.length, folders: removeDeadSpools(opts.spoolRoot ?? tmpdir()) };
}
