import 'server-only';
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { execRows, type Db, type Tx } from '@/db';
import { auditCheckpoint, auditEvent } from '@/db/schema';
import type { Actor } from '../access';
import { env } from '../env';
import { log } from '../log';
import { auditSigningKey } from '../secrets';
import { eventHash, GENESIS } from './chain';
import { checkpointDue, signCheckpoint, type CheckpointSchedule, type SignedCheckpoint } from './checkpoint';
import { verifyLog, type LogVerification } from './verify';

export interface AuditInput {
  action: string;
  entity?: string;
  entityId?: string;
  /** Organisation the event belongs to; defaults to the actor's. */
  orgId?: string | null;
  /** Never narratives, names or secrets: the log is readable by every admin of the organisation. */
  details?: Record<string, unknown>;
  /** For events with no signed-in actor (a failed sign-in). */
  actorId?: string | null;
  /** 'operator' for the command line, which acts with the machine's authority. */
  actorRole?: string;
}

// Any constant works; it serialises appends so each row's prev_hash is the row before it.
const CHAIN_LOCK = 7_201_545;

/** The checkpoint schedule in force (AUDIT_CHECKPOINT_EVENTS, AUDIT_CHECKPOINT_MINUTES). */
export const checkpointSchedule = (): CheckpointSchedule => ({ everyEvents: env.AUDIT_CHECKPOINT_EVENTS, everyMinutes: env.AUDIT_CHECKPOINT_MINUTES });

/** Appends one event inside the caller's transaction: the event exists exactly when the change does. */
export async function audit(tx: Tx | Db, actor: Actor | null, input: AuditInput): Promise<void> {
  await append(tx, actor, input, false);
}

/**
 * Appends an `audit.checkpoint` event that carries a checkpoint of its own, whatever the schedule:
 * the log's head, signed, now (`audit checkpoint` exports it).
 */
export async function checkpointNow(tx: Tx): Promise<SignedCheckpoint> {
  return (await append(tx, null, { action: 'audit.checkpoint', actorRole: 'operator', orgId: null }, true))!;
}

async function append(tx: Tx | Db, actor: Actor | null, input: AuditInput, forceCheckpoint: boolean): Promise<SignedCheckpoint | undefined> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const [last] = await tx.select({ id: auditEvent.id, hash: auditEvent.hash }).from(auditEvent).orderBy(desc(auditEvent.id)).limit(1);
  const prevHash = last?.hash ?? GENESIS;
  // Gapless ids, given under the lock: a sequence would skip the values of rolled-back transactions,
  // and `audit verify` reads a gap as deleted events.
  const id = (last?.id ?? 0) + 1;
  const fields = {
    at: new Date(),
    actorId: actor?.userId ?? input.actorId ?? null,
    actorRole: actor ? actor.role : (input.actorRole ?? null),
    orgId: input.orgId === undefined ? (actor?.orgId ?? null) : input.orgId,
    action: input.action,
    entity: input.entity ?? null,
    entityId: input.entityId ?? null,
    // Hash exactly what jsonb will hold: a Date becomes its ISO string, an undefined value disappears.
    details: JSON.parse(JSON.stringify({ ...(input.details ?? {}), ...(actor?.via === 'token' ? { via: 'token' } : {}) })) as Record<string, unknown>,
  };
  const hash = eventHash(prevHash, fields);
  await tx.insert(auditEvent).values({ id, ...fields, prevHash, hash });

  // The checkpoint, when due, in the same transaction and under the same lock as its event.
  const [previous] = await tx.select().from(auditCheckpoint).orderBy(desc(auditCheckpoint.id)).limit(1);
  if (previous && previous.lastEventId >= id) {
    // Events the last checkpoint covers are gone (deleted with the triggers off): signing the log now
    // would bless what is left. The event stands; `audit verify` names what is missing.
    log.error('audit log: events covered by the last checkpoint are missing; no checkpoint written (run `npm run cli -- audit verify`)', { checkpoint: previous.id, lastEventId: previous.lastEventId, eventId: id });
    if (forceCheckpoint) throw new Error('the audit log lost events its last checkpoint covers: run `npm run cli -- audit verify`');
    return undefined;
  }
  const eventCount = previous
    ? previous.eventCount + (id - previous.lastEventId)
    : Number((await execRows<{ n: number }>(tx, sql`select count(*)::bigint as n from audit_event`))[0]?.n ?? 0);
  const schedule = checkpointSchedule();
  if (!forceCheckpoint && !checkpointDue(previous, { eventCount, at: fields.at }, schedule)) return undefined;
  const checkpoint = signCheckpoint({ lastEventId: id, eventCount, chainHash: hash, at: fields.at, ...schedule }, auditSigningKey());
  await tx.insert(auditCheckpoint).values({ id: (previous?.id ?? 0) + 1, ...checkpoint });
  return checkpoint;
}

export { verifyChain, verifyLog, type LogVerification, type VerifyResult } from './verify';

export interface AuditFilter {
  action?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
  limit: number;
}

/** The organisation's events, newest first. Callers check `audit.read` first. */
export async function listOrgEvents(tx: Tx | Db, orgId: string, f: AuditFilter) {
  const where: SQL[] = [eq(auditEvent.orgId, orgId)];
  if (f.action) where.push(eq(auditEvent.action, f.action));
  if (f.actorId) where.push(eq(auditEvent.actorId, f.actorId));
  if (f.from) where.push(gte(auditEvent.at, f.from));
  if (f.to) where.push(lt(auditEvent.at, f.to));
  if (f.beforeId) where.push(lt(auditEvent.id, f.beforeId));
  return tx.select().from(auditEvent).where(and(...where)).orderBy(desc(auditEvent.id)).limit(f.limit);
}

export type CheckpointExport = { ok: true; checkpoint: SignedCheckpoint } | Extract<LogVerification, { ok: false }>;

/**
 * `audit checkpoint`: verifies the whole log, then signs its head now (an `audit.checkpoint` event with
 * a checkpoint of its own) for the operator to keep apart from the database. A broken log is not signed.
 */
export async function exportCheckpoint(database: Db): Promise<CheckpointExport> {
  const verified = await verifyLog(database);
  if (!verified.ok) return verified;
  return { ok: true, checkpoint: await database.transaction((tx) => checkpointNow(tx)) };
}
