import 'server-only';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { and, eq } from 'drizzle-orm';
import { db } from '@/db';
import { importJob } from '@/db/schema';

/** A running job's row is touched at least this often while its process lives (its heartbeat). */
export const IMPORT_HEARTBEAT_MS = 15_000;
/** A running job untouched for this long was left by a process that died: its transaction was rolled back by the database. */
export const IMPORT_STALE_MS = 2 * 60_000;
const PROGRESS_MS = 1000;

/** Who runs an import: this host and process, and this start of it (a restarted container has the same pid). */
export const importRunner: { host: string; pid: number; boot: string } = { host: hostname(), pid: process.pid, boot: randomUUID() };
export const runnerLabel = (r = importRunner) => `${r.host}/${r.pid}/${r.boot}`;
export function parseRunner(label: string | null): typeof importRunner | null {
  const m = label ? /^(.*)\/(\d+)\/([0-9a-f-]{36})$/.exec(label) : null;
  return m ? { host: m[1]!, pid: Number(m[2]), boot: m[3]! } : null;
}

/**
 * A job's progress and heartbeat, written to its row by a timer from outside the import's transactions
 * and never awaited by the import: a full pool delays a progress line, never the import. (Written from
 * inside the write transaction it would stay invisible until commit; written on the pool from inside
 * it, it waits for a second connection while holding one: N imports deadlock a pool of N.)
 * Create it outside any transaction: the timer runs in the context it was made in.
 */
export class JobProgress {
  private rowsDone = 0;
  private written = 0;
  private writtenAt = Date.now();
  private pending: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly orgId: string,
    private readonly jobId: string,
    private status: 'receiving' | 'writing' = 'receiving',
  ) {
    this.timer = setInterval(() => this.tick(), PROGRESS_MS);
    this.timer.unref();
  }

  /** Rows read (receiving) or written (writing) so far. */
  set(rowsDone: number) {
    this.rowsDone = rowsDone;
  }

  /** The job's row has moved to `status` (its caller wrote that): progress counts from `rowsDone` again. */
  phase(status: 'receiving' | 'writing', rowsDone = 0) {
    this.status = status;
    this.rowsDone = this.written = rowsDone;
    this.writtenAt = Date.now();
  }

  private tick() {
    if (this.pending) return;
    if (this.rowsDone === this.written && Date.now() - this.writtenAt < IMPORT_HEARTBEAT_MS) return;
    const { rowsDone, status } = this;
    this.pending = (async () => {
      // Only while the row is in the phase this count belongs to: a late write never undoes "done".
      await (await db())
        .update(importJob)
        .set({ rowsDone, updatedAt: new Date() })
        .where(and(eq(importJob.id, this.jobId), eq(importJob.orgId, this.orgId), eq(importJob.status, status)));
      this.written = rowsDone;
      this.writtenAt = Date.now();
    })()
      .catch(() => {}) // a missed progress line is retried at the next tick
      .finally(() => {
        this.pending = undefined;
      });
  }

  /** Stops the timer and waits for a write under way. Call it outside any transaction. */
  async stop() {
    clearInterval(this.timer);
    await this.pending;
  }
}
