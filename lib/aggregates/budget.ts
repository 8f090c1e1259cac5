import 'server-only';
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { aggregateBudgetGrant, aggregateTableUse, appUser } from '@/db/schema';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { env } from '../env';
import { BadInput, NotFound, problem, RateLimited } from '../errors';
import { inOrg, inTransaction } from '../scope';
import type { AggregateQueryValues, DimensionId } from './definitions';
import type { FactScope } from './query';

// A budget of distinct tables per researcher per rolling window (issue 15). Perturbed answers resist
// differencing, but many different tables that each isolate the same workers, each with its own noise,
// can be averaged (Asghar & Kaafar, PETS 2020). A repeat is free: it gets the same answer. The use is
// rows in PostgreSQL (aggregate_table_use), so every instance counts the same, and a per-researcher
// advisory lock makes two requests at once count as two. The default was chosen with
// test/attacks/averaging.int.test.ts: within one budget, averaging does not reach a small count exactly.

/** Defaults of AGGREGATE_TABLE_BUDGET and AGGREGATE_BUDGET_WINDOW_DAYS (README "Configuration"; lib/env.ts). */
export const DEFAULT_TABLE_BUDGET = 24;
export const DEFAULT_BUDGET_WINDOW_DAYS = 30;

export interface BudgetSettings {
  tables: number;
  windowDays: number;
}

export const budgetSettings = (): BudgetSettings => ({ tables: env.AGGREGATE_TABLE_BUDGET, windowDays: env.AGGREGATE_BUDGET_WINDOW_DAYS });

const DAY = 86_400_000;
const LOCK_CLASS = 1_507_150; // first half of the advisory lock key; the second is the researcher's id hashed

/**
 * A table's identity: the measure, the breakdowns in name order (a table and its transpose are the
 * same cells) and the period as quarter indexes (2024 and 2024Q1–2024Q4 are the same workers).
 */
export function tableKey(q: Pick<AggregateQueryValues, 'measure'>, by: readonly DimensionId[], scope: Pick<FactScope, 'fromQuarter' | 'toQuarter'>): string {
  const canonical = JSON.stringify([q.measure, [...by].sort(), scope.fromQuarter ?? null, scope.toQuarter ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface BudgetUse {
  /** Distinct tables first asked within the window. */
  used: number;
  /** The budget plus the extensions in force. */
  allowance: number;
  windowDays: number;
  /** When the oldest table of the window leaves it (null: none in the window). */
  oldestLeavesAt: Date | null;
}

async function useOf(tx: Tx, userId: string, now: Date, settings: BudgetSettings): Promise<BudgetUse> {
  const since = new Date(now.getTime() - settings.windowDays * DAY);
  const [use] = await tx
    .select({ used: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${aggregateTableUse.firstAskedAt})` })
    .from(aggregateTableUse)
    .where(and(eq(aggregateTableUse.userId, userId), gt(aggregateTableUse.firstAskedAt, since)));
  const [grants] = await tx
    .select({ extra: sql<number>`coalesce(sum(${aggregateBudgetGrant.tables}), 0)::int` })
    .from(aggregateBudgetGrant)
    .where(and(eq(aggregateBudgetGrant.userId, userId), gt(aggregateBudgetGrant.expiresAt, now)));
  const oldest = use?.oldest ? new Date(use.oldest) : null;
  return {
    used: Number(use?.used ?? 0),
    allowance: settings.tables + Number(grants?.extra ?? 0),
    windowDays: settings.windowDays,
    oldestLeavesAt: oldest ? new Date(oldest.getTime() + settings.windowDays * DAY) : null,
  };
}

/**
 * Counts a table against the researcher's budget in the caller's transaction: free when asked before,
 * else refused with 429 when the window's budget is spent. Returns whether the table was new.
 */
export async function chargeTable(tx: Tx, actor: Actor, key: string, now = new Date(), settings = budgetSettings()): Promise<{ newTable: boolean; use: BudgetUse }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${actor.userId}))`);
  const [seen] = await tx
    .select({ at: aggregateTableUse.firstAskedAt })
    .from(aggregateTableUse)
    .where(and(eq(aggregateTableUse.userId, actor.userId), eq(aggregateTableUse.tableKey, key)));
  const use = await useOf(tx, actor.userId, now, settings);
  if (seen) return { newTable: false, use };
  if (use.used >= use.allowance) {
    const resetAt = use.oldestLeavesAt ?? now;
    throw new RateLimited(
      Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
      problem('aggregateBudgetSpent', { used: use.used, allowance: use.allowance, days: use.windowDays, resetAt: resetAt.toISOString().slice(0, 16).replace('T', ' ') }),
    );
  }
  await tx.insert(aggregateTableUse).values({ userId: actor.userId, orgId: actor.orgId, tableKey: key, firstAskedAt: now });
  return { newTable: true, use: { ...use, used: use.used + 1, oldestLeavesAt: use.oldestLeavesAt ?? new Date(now.getTime() + use.windowDays * DAY) } };
}

/** A researcher's own use, for the dashboard; null for staff (no budget: their answers are exact). */
export async function myBudget(actor: Actor, now = new Date()): Promise<BudgetUse | null> {
  assertCan(actor, 'aggregate.read');
  if (actor.role !== 'researcher') return null;
  return inTransaction((tx) => useOf(tx, actor.userId, now, budgetSettings()));
}

export interface ResearcherBudget extends BudgetUse {
  userId: string;
  email: string;
  disabled: boolean;
}

/** An admin's view: every researcher of the organisation and their use. */
export async function researchBudgets(actor: Actor, now = new Date()): Promise<ResearcherBudget[]> {
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'aggregate.budget', { orgId });
    const researchers = await tx
      .select({ id: appUser.id, email: appUser.email, disabledAt: appUser.disabledAt })
      .from(appUser)
      .where(and(eq(appUser.orgId, orgId), eq(appUser.role, 'researcher')))
      .orderBy(asc(appUser.email));
    const settings = budgetSettings();
    const out: ResearcherBudget[] = [];
    for (const r of researchers) out.push({ userId: r.id, email: r.email, disabled: !!r.disabledAt, ...(await useOf(tx, r.id, now, settings)) });
    return out;
  });
}

/** An admin gives a researcher of their organisation `tables` more distinct tables for one window; audited. */
export async function extendBudget(actor: Actor, userId: string, tables: number, now = new Date()): Promise<BudgetUse> {
  if (!Number.isInteger(tables) || tables < 1 || tables > 10_000) throw new BadInput('Extend by a whole number of tables from 1 to 10,000.', [{ path: 'tables', message: 'A whole number from 1 to 10,000.' }]);
  return inOrg(actor, async ({ tx, orgId }) => {
    assertCan(actor, 'aggregate.budget', { orgId });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const [researcher] = uuid.test(userId)
      ? await tx.select({ id: appUser.id, role: appUser.role }).from(appUser).where(and(eq(appUser.id, userId), eq(appUser.orgId, orgId)))
      : [];
    if (!researcher) throw new NotFound('user');
    if (researcher.role !== 'researcher') throw new BadInput(problem('aggregateBudgetNotResearcher'));
    const settings = budgetSettings();
    await tx.insert(aggregateBudgetGrant).values({ userId, orgId, tables, grantedBy: actor.userId, grantedAt: now, expiresAt: new Date(now.getTime() + settings.windowDays * DAY) });
    await audit(tx, actor, { action: 'aggregate.budget_extend', entity: 'user', entityId: userId, details: { tables, days: settings.windowDays } });
    return useOf(tx, userId, now, settings);
  });
}
