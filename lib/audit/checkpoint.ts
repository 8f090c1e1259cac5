// Signed checkpoints of the audit chain, after Certificate Transparency's signed tree heads and
// Sigstore Rekor's checkpoints. The hash chain alone has no key: a superuser who bypasses the
// append-only triggers can delete rows and recompute every later hash. A checkpoint signs the chain's
// head (last event id, its hash, the number of events, the time) with an Ed25519 key that lives
// outside the database, so rows cannot be removed or altered before it without the signature or the
// chain showing it. Pure: no database, no secrets.
import { z } from 'zod';
import { ed25519Sign, ed25519Verify, type Ed25519Key } from '../crypto/ed25519';

export interface CheckpointBody {
  lastEventId: number;
  /** Events in the log up to and including lastEventId. */
  eventCount: number;
  /** The hash of event lastEventId: it covers every event before it. */
  chainHash: string;
  /** The time of event lastEventId (the time the checkpoint was made). */
  at: Date;
  /** The schedule in force when it was made: the next checkpoint comes within these. */
  everyEvents: number;
  everyMinutes: number;
}

export interface SignedCheckpoint extends CheckpointBody {
  publicKey: string;
  signature: string;
}

export interface CheckpointSchedule {
  everyEvents: number;
  everyMinutes: number;
}

const STATEMENT_HEADER = 'testimony-ledger audit checkpoint v1';

/** The exact text that is signed: every field of the body, one a line. */
export function checkpointStatement(c: CheckpointBody): string {
  return [
    STATEMENT_HEADER,
    `last-event-id ${c.lastEventId}`,
    `event-count ${c.eventCount}`,
    `chain-hash ${c.chainHash}`,
    `at ${c.at.toISOString()}`,
    `every ${c.everyEvents} events ${c.everyMinutes} minutes`,
    '',
  ].join('\n');
}

export function signCheckpoint(body: CheckpointBody, key: Ed25519Key): SignedCheckpoint {
  return { ...body, publicKey: key.publicKey, signature: ed25519Sign(checkpointStatement(body), key) };
}

/** Whether the checkpoint is signed by its own public key; whether that key is trusted is the caller's question. */
export function checkpointSignatureValid(c: SignedCheckpoint): boolean {
  return ed25519Verify(checkpointStatement(c), c.signature, c.publicKey);
}

/**
 * Whether the event that makes the log `next` is due a checkpoint. The smaller of the previous
 * checkpoint's schedule and today's applies, so the events after any checkpoint always stay within
 * the schedule it states and signs: `audit verify` relies on that (see `checkpointOverdue`).
 */
export function checkpointDue(last: SignedCheckpoint | CheckpointBody | undefined, next: { eventCount: number; at: Date }, now: CheckpointSchedule): boolean {
  if (!last) return true;
  return checkpointOverdue(
    { ...last, everyEvents: Math.min(last.everyEvents, now.everyEvents), everyMinutes: Math.min(last.everyMinutes, now.everyMinutes) },
    next,
  );
}

/** With `last` the newest checkpoint before an event: true when that event had to bring a checkpoint of its own. */
export function checkpointOverdue(last: CheckpointBody, event: { eventCount: number; at: Date }): boolean {
  return event.eventCount - last.eventCount >= last.everyEvents || event.at.getTime() - last.at.getTime() >= last.everyMinutes * 60_000;
}

// The file an operator keeps apart from the database (`audit checkpoint --out`).
export const CHECKPOINT_FILE_FORMAT = 'testimony-ledger-audit-checkpoint';

export function checkpointFile(c: SignedCheckpoint): string {
  return `${JSON.stringify(
    {
      format: CHECKPOINT_FILE_FORMAT,
      version: 1,
      note: 'Keep this file apart from the database. `npm run cli -- audit verify --against <this file>` proves the audit log still holds every event up to it.',
      lastEventId: c.lastEventId,
      eventCount: c.eventCount,
      chainHash: c.chainHash,
      at: c.at.toISOString(),
      everyEvents: c.everyEvents,
      everyMinutes: c.everyMinutes,
      publicKey: c.publicKey,
      signature: c.signature,
      statement: checkpointStatement(c),
    },
    null,
    2,
  )}\n`;
}

const CheckpointFileShape = z.object({
  format: z.literal(CHECKPOINT_FILE_FORMAT),
  version: z.literal(1),
  lastEventId: z.number().int().min(1),
  eventCount: z.number().int().min(1),
  chainHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime(),
  everyEvents: z.number().int().min(1),
  everyMinutes: z.number().int().min(1),
  publicKey: z.string(),
  signature: z.string(),
});

/** The checkpoint in a file `checkpointFile` wrote, or undefined when the text is not one. Its signature is not checked here. */
export function parseCheckpointFile(text: string): SignedCheckpoint | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = CheckpointFileShape.safeParse(json);
  if (!parsed.success) return undefined;
  const { format: _f, version: _v, at, ...rest } = parsed.data;
  return { ...rest, at: new Date(at) };
}
