import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { aggregateTableUse, auditEvent } from '@/db/schema';
import { orgWithActors, type RoleActors } from '@/test/actors';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import { approveTestimony, createTestimony, submitTestimony } from '../testimonies';
import { budgetSettings, DEFAULT_BUDGET_WINDOW_DAYS, DEFAULT_TABLE_BUDGET, extendBudget, researchBudgets } from './budget';
import { aggregateFor } from './index';

// The researchers' budget of distinct tables (issue 15): new tables count, repeats are free, the
// 429 says why and until when, an admin sees the use and extends it, the window rolls, and the use
// lives in the database (rows, an advisory lock), not in this process.

let database: TestDatabase;
let a: RoleActors;
let b: RoleActors;

/** Distinct tables: the period starts in a different year each time. */
const table = (i: number) => ({ by: ['year'], from: String(1990 + i), to: '2100' });
const used = async (userId: string) =>
  (await execRows<{ n: number }>(database.db, sql`select count(*)::int as n from aggregate_table_use where user_id = ${userId}`))[0]!.n;

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('budget-a');
  b = await orgWithActors('budget-b');
  for (let i = 0; i < 6; i++) {
    const { id } = await createTestimony(a.caseworker, {
      interviewDate: '2025-02-01',
      deployment: { start: '2024-03', region: 'primorsky-krai', siteType: 'construction', visaType: 'student', outcome: 'returned' },
      consent: { scopes: ['internal', 'research'], method: 'oral' },
    });
    await submitTestimony(a.caseworker, id);
    await approveTestimony(a.reviewer, id);
  }
}, 120_000);
afterAll(() => database.drop());

describe(`research budget on ${testDbKind}`, () => {
  it('defaults to 24 distinct tables in 30 days', () => {
    expect([DEFAULT_TABLE_BUDGET, DEFAULT_BUDGET_WINDOW_DAYS]).toEqual([24, 30]);
    expect(budgetSettings()).toEqual({ tables: 24, windowDays: 30 });
  });

  it('counts new tables, answers repeats for free, and refuses the next new table with 429 and a clear message', async () => {
    for (let i = 0; i < DEFAULT_TABLE_BUDGET; i++) await aggregateFor(a.researcher, table(i));
    expect(await used(a.researcher.userId)).toBe(24);
    // Repeats, the transposed table and the same period in quarters are the same tables: free.
    await aggregateFor(a.researcher, table(3));
    await aggregateFor(a.researcher, { by: ['year'], from: '1990Q1', to: '2100Q4' });
    const refused = await aggregateFor(a.researcher, table(24)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limited' });
    const message = (refused as Error).message;
    expect(message).toMatch(/^You have asked 24 different tables in the last 30 days, the most a researcher may \(24\)\./);
    expect(message).toMatch(/Tables you have asked before stay free/);
    expect(message).toMatch(/admin can extend your budget; otherwise a new table can be asked again from \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\)\./);
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(29 * 86_400);
    expect(await used(a.researcher.userId)).toBe(24);
    // The refused question is in the audit log too.
    const refusals = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'aggregate.refused_budget'), eq(auditEvent.actorId, a.researcher.userId)));
    expect(refusals.map((e) => e.details)).toEqual([expect.objectContaining({ from: '2014', to: '2100', perturbed: true })]);
    const queries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'aggregate.query'), eq(auditEvent.actorId, a.researcher.userId)));
    expect(queries.filter((e) => (e.details as { newTable: boolean }).newTable)).toHaveLength(24);
    expect(queries).toHaveLength(26);
  });

  it('staff are not charged: their answers are exact', async () => {
    for (let i = 0; i < 30; i++) await aggregateFor(a.caseworker, table(i));
    expect(await used(a.caseworker.userId)).toBe(0);
  });

  it('an admin sees each researcher of their organisation and extends one budget; nobody else may', async () => {
    const before = await researchBudgets(a.admin);
    expect(before).toEqual([expect.objectContaining({ userId: a.researcher.userId, used: 24, allowance: 24, windowDays: 30, disabled: false })]);
    expect(before[0]!.oldestLeavesAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    await expect(extendBudget(a.admin, a.researcher.userId, 2)).resolves.toMatchObject({ used: 24, allowance: 26 });
    await aggregateFor(a.researcher, table(24));
    await aggregateFor(a.researcher, table(25));
    await expect(aggregateFor(a.researcher, table(26))).rejects.toMatchObject({ status: 429 });
    expect((await researchBudgets(a.admin))[0]).toMatchObject({ used: 26, allowance: 26 });
    const [event] = await database.db.select().from(auditEvent).where(eq(auditEvent.action, 'aggregate.budget_extend'));
    expect(event).toMatchObject({ actorId: a.admin.userId, entityId: a.researcher.userId, details: { tables: 2, days: 30 } });
    // Another organisation's admin finds no such researcher; a reviewer or researcher may not; only researchers have budgets.
    await expect(extendBudget(b.admin, a.researcher.userId, 5)).rejects.toMatchObject({ status: 404 });
    await expect(extendBudget(a.reviewer, a.researcher.userId, 5)).rejects.toMatchObject({ status: 403 });
    await expect(researchBudgets(a.researcher)).rejects.toMatchObject({ status: 403 });
    await expect(extendBudget(a.admin, a.caseworker.userId, 5)).rejects.toMatchObject({ status: 422 });
    await expect(extendBudget(a.admin, a.researcher.userId, 0)).rejects.toMatchObject({ status: 422 });
    await expect(extendBudget(a.admin, 'not-a-uuid', 5)).rejects.toMatchObject({ status: 404 });
    expect(await researchBudgets(b.admin)).toEqual([expect.objectContaining({ userId: b.researcher.userId, used: 0, allowance: 24 })]);
  });

  it('the window rolls: tables asked more than 30 days ago no longer count, and stay free to repeat', async () => {
    await database.db.update(aggregateTableUse).set({ firstAskedAt: new Date(Date.now() - 31 * 86_400_000) }).where(eq(aggregateTableUse.userId, a.researcher.userId));
    await aggregateFor(a.researcher, table(26));
    await aggregateFor(a.researcher, table(0)); // asked 31 days ago: still a repeat
    expect((await researchBudgets(a.admin))[0]).toMatchObject({ used: 1 });
  });

  it('two new tables asked at once with one left: exactly one is answered', async () => {
    const r = b.researcher;
    for (let i = 0; i < DEFAULT_TABLE_BUDGET - 1; i++) await aggregateFor(r, table(i));
    const results = await Promise.allSettled([aggregateFor(r, table(40)), aggregateFor(r, table(41)), aggregateFor(r, table(42))]);
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((x) => x.status === 'rejected').map((x) => (x as PromiseRejectedResult).reason.status)).toEqual([429, 429]);
    expect(await used(r.userId)).toBe(24);
  });
});
