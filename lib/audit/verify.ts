import 'server-only';
import { asc, gt } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { auditCheckpoint, auditEvent, type AuditCheckpoint } from '@/db/schema';
import { trustedAuditKeys } from '../secrets';
import { eventHash, GENESIS } from './chain';
import { checkpointOverdue, checkpointSignatureValid, type SignedCheckpoint } from './checkpoint';

export type VerifyResult = { ok: true; count: number } | { ok: false; count: number; brokenId: number; reason: string };

export type LogVerification =
  | {
      ok: true;
      count: number;
      /** The newest checkpoint in the log (undefined only for an empty log). */
      latest?: AuditCheckpoint;
      /** Events after the newest checkpoint: what a deletion could take unseen, unless a checkpoint kept elsewhere covers them. */
      unsigned: number;
    }
  | { ok: false; count: number; brokenId: number; reason: string };

export interface VerifyOptions {
  pageSize?: number;
  /** Public keys whose checkpoints count (default: AUDIT_SIGNING_KEY's and AUDIT_TRUSTED_PUBLIC_KEYS). */
  trustedKeys?: string[];
  /** A checkpoint kept apart from the database (`audit checkpoint --out`): the log must still hold every event up to it. */
  against?: SignedCheckpoint;
}

/**
 * Walks the whole log in id order, in pages: every hash, the ids without a gap from the first
 * checkpoint on, every checkpoint's signature by a trusted key and its agreement with the chain, a
 * checkpoint wherever the schedule of the one before promised one, and no checkpoint beyond the last
 * event. Stops at the first fault.
 */
export async function verifyLog(database: Db, opts: VerifyOptions = {}): Promise<LogVerification> {
  // One snapshot: on a live database, events and their checkpoints go on being appended meanwhile.
  return database.transaction((tx) => walk(tx, opts), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function walk(database: Tx, opts: VerifyOptions): Promise<LogVerification> {
  const pageSize = opts.pageSize ?? 2000;
  const trusted = new Set(opts.trustedKeys ?? trustedAuditKeys());
  const against = opts.against;
  let count = 0;
  const fail = (brokenId: number, reason: string) => ({ ok: false as const, count, brokenId, reason });

  if (against) {
    if (!checkpointSignatureValid(against)) return fail(against.lastEventId, "the checkpoint file's signature does not match its contents: it was altered");
    if (!trusted.has(against.publicKey)) return fail(against.lastEventId, 'the checkpoint file is signed by a key that is neither AUDIT_SIGNING_KEY nor in AUDIT_TRUSTED_PUBLIC_KEYS');
  }

  const checkpoints = pages(database, 'checkpoint', pageSize) as AsyncGenerator<AuditCheckpoint>;
  let next = (await checkpoints.next()).value as AuditCheckpoint | undefined;
  let current: AuditCheckpoint | undefined;
  let againstReached = false;
  let prev = GENESIS;
  let lastId: number | undefined;

  const checkpointFault = (c: AuditCheckpoint): string | undefined => {
    const expectedId = (current?.id ?? 0) + 1;
    if (c.id !== expectedId) return `checkpoint ${expectedId} is missing (the next one is ${c.id}): checkpoints were deleted`;
    if (!checkpointSignatureValid(c)) return `checkpoint ${c.id}'s signature does not match its contents: forged or altered`;
    if (!trusted.has(c.publicKey)) return `checkpoint ${c.id} is signed by a key that is neither AUDIT_SIGNING_KEY nor in AUDIT_TRUSTED_PUBLIC_KEYS: forged, or made with a key this instance no longer trusts`;
    return undefined;
  };

  for await (const row of pages(database, 'event', pageSize) as AsyncGenerator<typeof auditEvent.$inferSelect>) {
    // Before the first checkpoint the ids may have gaps (a log older than checkpoints); its signed hash covers them.
    if (current && lastId !== undefined && row.id !== lastId + 1) return fail(row.id, `event ids jump from ${lastId} to ${row.id}: ${plural(row.id - lastId - 1, 'event')} deleted`);
    if (row.prevHash !== prev) return fail(row.id, 'previous hash does not match the row before it');
    if (eventHash(prev, row) !== row.hash) return fail(row.id, 'row content does not match its hash');
    if (next && next.lastEventId < row.id) return fail(next.lastEventId, `checkpoint ${next.id} covers event ${next.lastEventId}, which is not in the log: events were deleted`);
    count += 1;
    if (next && next.lastEventId === row.id) {
      const fault = checkpointFault(next);
      if (fault) return fail(row.id, fault);
      if (next.chainHash !== row.hash) return fail(row.id, `checkpoint ${next.id} signed another chain up to event ${row.id}: events before it were deleted or altered, and the hashes recomputed`);
      if (next.eventCount !== count) return fail(row.id, `checkpoint ${next.id} counts ${next.eventCount} events up to event ${row.id}; the log holds ${count}: events were deleted`);
      if (next.at.getTime() !== row.at.getTime()) return fail(row.id, `checkpoint ${next.id} was signed at another time than event ${row.id}: the event was altered`);
      current = next;
      next = (await checkpoints.next()).value as AuditCheckpoint | undefined;
    } else if (current && checkpointOverdue(current, { eventCount: count, at: row.at })) {
      return fail(
        row.id,
        `event ${row.id} should carry a checkpoint (checkpoint ${current.id} promises one within ${current.everyEvents} events or ${current.everyMinutes} minutes) and none is there: checkpoints were deleted`,
      );
    }
    if (against && against.lastEventId === row.id) {
      if (against.chainHash !== row.hash || against.eventCount !== count) {
        return fail(row.id, `the checkpoint file signed another chain up to event ${row.id} (${against.eventCount} events): events before it were deleted or altered`);
      }
      againstReached = true;
    }
    prev = row.hash;
    lastId = row.id;
  }
  const end = lastId === undefined ? 'the log is empty' : `the log ends at event ${lastId} (${plural(count, 'event')})`;
  const deleted = lastId === undefined ? 'its events were deleted' : `the events after ${lastId} were deleted`;
  if (next) return fail(next.lastEventId, `${end}, but checkpoint ${next.id} covers up to event ${next.lastEventId}: ${deleted}`);
  if (against && !againstReached) {
    return fail(against.lastEventId, `${end}, but the checkpoint file covers ${plural(against.eventCount, 'event')} up to event ${against.lastEventId} (${against.at.toISOString()}): ${deleted}`);
  }
  if (count > 0 && !current) {
    return fail(lastId!, `${end} and holds no signed checkpoint: every event since checkpoints exist comes with one; a log older than them gets its first with its next event or \`audit checkpoint\``);
  }
  return { ok: true, count, latest: current, unsigned: current ? count - current.eventCount : 0 };
}

/** `verifyLog`, answered in the chain's terms (`ok` and the number of events, or the first fault). */
export async function verifyChain(database: Db, pageSize = 2000): Promise<VerifyResult> {
  const result = await verifyLog(database, { pageSize });
  return result.ok ? { ok: true, count: result.count } : result;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function* pages(database: Tx, what: 'event' | 'checkpoint', pageSize: number) {
  const table = what === 'event' ? auditEvent : auditCheckpoint;
  let after = 0;
  for (;;) {
    const page = await database.select().from(table).where(gt(table.id, after)).orderBy(asc(table.id)).limit(pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = page.at(-1)!.id;
  }
}
