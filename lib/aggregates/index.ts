import 'server-only';
import type { Db, Tx } from '@/db';
import { assertCan, type Actor } from '../access';
import { audit } from '../audit';
import { perturb, type PerturbationParameters, type PerturbationTable } from '../disclosure/cell-key';
import { minCellSize, researcherPerturbation } from '../disclosure/k';
import { type Statistic, withStatistics } from '../disclosure/round';
import { type Cell, isSuppressed, suppressList, suppressTable } from '../disclosure/suppress';
import { BadInput, Forbidden, problem, RateLimited } from '../errors';
import { inTransaction } from '../scope';
import {
  AggregateQuery,
  DIMENSIONS,
  dimensionsFor,
  FORBIDDEN_DIMENSIONS,
  MEASURES,
  quarterIndex,
  type AggregateQueryValues,
  type DimensionId,
  type Measure,
  type Reader,
} from './definitions';
import { chargeTable, tableKey } from './budget';
import { groupFacts, type FactScope, type RawGroup } from './query';

// Aggregates as they may leave the server: counts suppressed under k, figures only for cells of at
// least k workers, rounded. The researcher dashboard, its CSV, the API and (issue 7) summary
// snapshots all come through `answer`. Researchers' counts are perturbed first (the cell-key method,
// lib/disclosure/cell-key.ts; issue 15), and every rule then applies to the perturbed counts.

export type OutCell = { by: Record<string, string>; count: number; value: number | null } | { by: Record<string, string>; suppressed: true };

export interface AggregateAnswer {
  measure: string;
  kind: Measure['kind'];
  unit: 'workers' | 'hours' | 'days' | 'percent' | 'usd';
  by: DimensionId[];
  period: { from: string | null; to: string | null };
  /** Whose workers: one organisation (staff) or all (researchers, the public). */
  audience: FactScope['audience'];
  k: number;
  /** Values of each breakdown, in display order. */
  values: Record<string, string[]>;
  cells: OutCell[];
  /** Row totals, column totals (two breakdowns) and the grand total (`by: {}`), last. */
  margins: OutCell[];
  /**
   * Whether every count carries cell-key noise (researchers): totals then do not equal the sums of
   * their cells. Set on signed-in answers; summary snapshots (exact) leave it out.
   */
  perturbed?: boolean;
  /** The perturbation's parameters when perturbed (the table is on /methodology). */
  perturbation?: PerturbationParameters;
}

/** What a reader may see and at which k. One function decides it for pages, API, CSV and CLI. */
export function viewFor(actor: Actor): { scope: Pick<FactScope, 'audience' | 'orgId'>; reader: Reader; k: number; perturbation: PerturbationTable | null } {
  assertCan(actor, 'aggregate.read');
  // Researchers: every organisation's research-consented workers, perturbed. Staff: their own
  // organisation's workers (consented for internal use), exact (they can read the records anyway), at the researcher k.
  if (actor.role === 'researcher') return { scope: { audience: 'research', orgId: null }, reader: 'researcher', k: minCellSize('researcher'), perturbation: researcherPerturbation() };
  return { scope: { audience: 'internal', orgId: actor.orgId }, reader: 'researcher', k: minCellSize('researcher'), perturbation: null };
}

/** Refuses a breakdown the reader may not use, by name: home province to everyone. */
export function checkBreakdowns(by: readonly string[], reader: Reader): DimensionId[] {
  for (const d of by) {
    if ((FORBIDDEN_DIMENSIONS as readonly string[]).includes(d)) throw new Forbidden(problem('breakdownForbidden', { dimension: d }));
  }
  const allowed = dimensionsFor(reader);
  for (const d of by) {
    // Own properties only: `in` would find __proto__, toString and constructor on the prototype.
    if (!Object.hasOwn(DIMENSIONS, d)) throw new BadInput(problem('breakdownUnknown', { allowed: allowed.join(', ') }), [{ path: 'by', message: `Unknown breakdown "${d.slice(0, 40)}".` }]);
    if (!allowed.includes(d as DimensionId)) throw new Forbidden(problem('breakdownResearchersOnly', { dimension: d }));
  }
  return by as DimensionId[];
}

const statisticOf = (measure: Measure, g: RawGroup, k: number): Record<string, Statistic> => {
  if (measure.kind === 'median') {
    // A median of fewer than k values is close to one worker's own answer, whatever the cell's size.
    if (g.median == null || (g.known ?? 0) < k) return {};
    const kind = measure.unit === 'usd' ? 'money' : measure.unit === 'percent' ? 'percent' : measure.unit;
    return { value: { kind, median: g.median } };
  }
  if (measure.kind === 'share') return { value: { kind: 'share', part: g.part ?? 0, whole: g.whole ?? 0 } };
  return {};
};

function outCell(cell: Cell, by: Record<string, string>, measure: Measure, group: RawGroup | undefined, k: number): OutCell {
  if (isSuppressed(cell)) return { by, suppressed: true };
  const withStats = withStatistics(cell, k, group && cell.count > 0 ? statisticOf(measure, group, k) : {});
  if (isSuppressed(withStats)) return { by, suppressed: true };
  const value = withStats.statistics.value;
  return { by, count: cell.count, value: measure.kind === 'count' || !value ? null : 'percent' in value ? value.percent : value.median };
}

/** A breakdown's values in display order; `present` are those the answer's groups hold (every present value has a margin row). */
function valuesOf(scope: FactScope, d: DimensionId, present: string[]): string[] {
  // A scope limited to some districts or site types lists only those.
  if (d === 'federal_district' && scope.districts) return [...scope.districts];
  if (d === 'site_type' && scope.siteTypes) return [...scope.siteTypes];
  const fixed = DIMENSIONS[d].values;
  if (fixed) return [...fixed];
  if (d === 'year') {
    // Every year of the period (or between the first and last present), so a table shows its zeros.
    const years = present.filter((v) => v !== 'unknown').map(Number);
    const first = scope.fromQuarter !== undefined ? Math.floor(scope.fromQuarter / 4) : Math.min(...years);
    const last = scope.toQuarter !== undefined ? Math.floor(scope.toQuarter / 4) : Math.max(...years);
    const all = Number.isFinite(first) && Number.isFinite(last) ? Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => String(first + i)) : [];
    return present.includes('unknown') ? [...all, 'unknown'] : all;
  }
  return present.sort();
}

/**
 * A group as a reader may see it: with a perturbation table, the count and a share's part and whole
 * are each replaced by themselves plus the noise of their own cell key (the part never above the whole).
 */
function perturbGroup(g: RawGroup, table: PerturbationTable): RawGroup {
  const out: RawGroup = { ...g, count: perturb(table, g.count, g.cellKey) };
  if (g.whole !== undefined && g.part !== undefined) {
    out.whole = perturb(table, g.whole, g.wholeKey ?? 0);
    out.part = Math.min(perturb(table, g.part, g.partKey ?? 0), out.whole);
  }
  return out;
}

/**
 * Computes an answer for a scope at k. No access check here: callers are `aggregateFor` and the
 * summary publisher. With `perturbation` (researchers) every count, margin and share part and whole
 * is perturbed before suppression; without (staff, summary snapshots) the answer is exact.
 */
export async function answer(
  tx: Tx | Db,
  scope: FactScope,
  q: AggregateQueryValues,
  by: readonly DimensionId[],
  k: number,
  perturbation: PerturbationTable | null = null,
): Promise<AggregateAnswer> {
  const measure = MEASURES.get(q.measure)!;
  const exact = await groupFacts(tx, scope, measure, by);
  const groups = perturbation ? exact.map((g) => perturbGroup(g, perturbation)) : exact;
  const values: Record<string, string[]> = {};
  for (const d of by) {
    const present = [...new Set(groups.map((g) => g.keys[by.indexOf(d)]).filter((v): v is string => v != null))];
    const list = valuesOf(scope, d, present);
    for (const v of present) if (!list.includes(v)) list.push(v);
    values[d] = list;
  }
  const find = (keys: (string | null)[]) => groups.find((g) => g.keys.every((v, i) => v === keys[i]));
  const countOf = (keys: (string | null)[]) => find(keys)?.count ?? 0;
  const base = {
    measure: measure.id,
    kind: measure.kind,
    unit: measure.kind === 'count' ? ('workers' as const) : measure.unit,
    by: [...by],
    period: { from: q.from ?? null, to: q.to ?? null },
    audience: scope.audience,
    k,
    values,
    ...(perturbation ? { perturbed: true, perturbation: { ...perturbation.parameters } } : {}),
  };
  const cells: OutCell[] = [];
  const margins: OutCell[] = [];
  if (by.length === 0) {
    // A lone total is a line of its own: shown when 0 or at least k.
    const total = countOf([]);
    margins.push(outCell(total > 0 && total < k ? { suppressed: true } : { count: total }, {}, measure, find([]), k));
  } else if (by.length === 1) {
    const [d] = by as [DimensionId];
    const keys = values[d]!;
    // Perturbed, the total is its own cell, not the sum of the others.
    const list = suppressList({ keys, counts: keys.map((v) => countOf([v])), ...(perturbation ? { total: countOf([null]) } : {}) }, k);
    keys.forEach((v, i) => cells.push(outCell(list.cells[i]!, { [d]: v }, measure, find([v]), k)));
    margins.push(outCell(list.total, {}, measure, find([null]), k));
  } else {
    const [r, c] = by as [DimensionId, DimensionId];
    const rows = values[r]!;
    const columns = values[c]!;
    const totals = perturbation
      ? { rowTotals: rows.map((rv) => countOf([rv, null])), columnTotals: columns.map((cv) => countOf([null, cv])), total: countOf([null, null]) }
      : undefined;
    const table = suppressTable({ rows, columns, counts: rows.map((rv) => columns.map((cv) => countOf([rv, cv]))), margins: totals }, k);
    rows.forEach((rv, ri) => columns.forEach((cv, ci) => cells.push(outCell(table.cells[ri]![ci]!, { [r]: rv, [c]: cv }, measure, find([rv, cv]), k))));
    rows.forEach((rv, ri) => margins.push(outCell(table.rowTotals[ri]!, { [r]: rv }, measure, find([rv, null]), k)));
    columns.forEach((cv, ci) => margins.push(outCell(table.columnTotals[ci]!, { [c]: cv }, measure, find([null, cv]), k)));
    margins.push(outCell(table.total, {}, measure, find([null, null]), k));
  }
  return { ...base, cells, margins };
}

/** A signed-in reader's question: checked, answered at their k, and written to the audit log with its parameters. */
export async function aggregateFor(actor: Actor, raw: unknown): Promise<AggregateAnswer> {
  const view = viewFor(actor);
  // Breakdowns are checked before the rest so "home_province" is refused by name, not as a typo.
  const rawBy = (raw as { by?: unknown } | null)?.by;
  if (Array.isArray(rawBy) || typeof rawBy === 'string') checkBreakdowns((Array.isArray(rawBy) ? rawBy : [rawBy]).filter((v): v is string => typeof v === 'string'), view.reader);
  const q = AggregateQuery.parse(raw);
  const by = checkBreakdowns(q.by, view.reader);
  const scope: FactScope = {
    ...view.scope,
    fromQuarter: q.from ? quarterIndex(q.from, false) : undefined,
    toQuarter: q.to ? quarterIndex(q.to, true) : undefined,
  };
  const details = { measure: q.measure, by, from: q.from ?? null, to: q.to ?? null, audience: scope.audience, k: view.k, perturbed: !!view.perturbation };
  try {
    return await inTransaction(async (tx) => {
      // Researchers: a new table counts against their budget (lib/aggregates/budget.ts); a repeat is free.
      const charged = view.perturbation ? await chargeTable(tx, actor, tableKey(q, by, scope)) : null;
      const result = await answer(tx, scope, q, by, view.k, view.perturbation);
      await audit(tx, actor, { action: 'aggregate.query', entity: 'aggregate', details: charged ? { ...details, newTable: charged.newTable } : details });
      return { ...result, perturbed: !!view.perturbation };
    });
  } catch (e) {
    // The refusal rolled the question back; the audit log still keeps that it was asked.
    if (e instanceof RateLimited) await inTransaction((tx) => audit(tx, actor, { action: 'aggregate.refused_budget', entity: 'aggregate', details }));
    throw e;
  }
}
