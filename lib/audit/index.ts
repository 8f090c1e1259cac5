import 'server-only';
import { and, asc, desc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { auditEvent } from '@/db/schema';
import type { Actor } from '../access';
import { eventHash, GENESIS } from './chain';

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

/** Appends one event inside the caller's transaction: the event exists exactly when the change does. */
export async function audit(tx: Tx | Db, actor: Actor | null, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditEvent.hash }).from(auditEvent).orderBy(desc(auditEvent.id)).limit(1);
  const prevHash = last?.hash ?? GENESIS;
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
  await tx.insert(auditEvent).values({ ...fields, prevHash, hash: eventHash(prevHash, fields) });
}

export type VerifyResult = { ok: true; count: number } | { ok: false; count: number; brokenId: number; reason: string };

/** Walks the whole chain in id order, in pages, recomputing every hash. */
export async function verifyChain(database: Db, pageSize = 2000): Promise<VerifyResult> {
  let prev = GENESIS;
  let after = 0;
  let count = 0;
  for (;;) {
    const page = await database.select().from(auditEvent).where(gt(auditEvent.id, after)).orderBy(asc(auditEvent.id)).limit(pageSize);
    if (page.length === 0) return { ok: true, count };
    for (const row of page) {
      if (row.prevHash !== prev) return { ok: false, count, brokenId: row.id, reason: 'previous hash does not match the row before it' };
      if (eventHash(prev, row) !== row.hash) return { ok: false, count, brokenId: row.id, reason: 'row content does not match its hash' };
      prev = row.hash;
      after = row.id;
      count += 1;
    }
  }
}

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
