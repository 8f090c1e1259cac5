import { assertK } from './k';
import { type Cell, isSuppressed, type SuppressedTable } from './suppress';

// The differencing check (issue 7): no reader may recover a count of 1..k-1 workers by subtracting
// two published numbers. Pure: it will be given the stored snapshots when publishing is built.
//
// Model, kept small:
// - A snapshot has a scope (a set of whole quarters "2024Q1", a set of federal districts, a set of site
//   types; "all" is the full list, spelled out) and cells: a measure, breakdown values, and a count or
//   null when suppressed. Margins are cells with fewer breakdown values ({} is the grand total).
// - Each cell counts the workers in a box: for every dimension a set of allowed values. The scope
//   gives quarter, district and site type; a breakdown narrows one ("year" narrows the quarters to
//   that year's) or, for a dimension outside the scope (visa type, outcome…), sets it to one value.
// - Two cells of the same measure are comparable when one box nests in the other (equal included):
//   their difference is then the count of workers in the outer box and not the inner one, or, for
//   two versions of one box, the workers who came or left. A difference of 1..k-1 is refused.
// - A table's visible cells that differ only in some breakdown values are summed (all of them must be
//   visible) into a box over every value of that breakdown: "a total and the sum of a nested scope's
//   cells". This assumes a table lists every value of its breakdowns, zeros included.
// Not covered (yet): bounds from suppressed cells, sums across snapshots, chains of three snapshots,
// and populations that are not boxes (a cell's box is exact only if each worker has one quarter).

export interface Scope {
  quarters: readonly string[];
  districts: readonly string[];
  siteTypes: readonly string[];
  /** Whose workers: snapshots of different organisations count different people and never nest. */
  org?: string;
}

export interface SnapshotCell {
  measure: string;
  by: Readonly<Record<string, string>>;
  count: number | null;
}

export interface Snapshot {
  id: string;
  scope: Scope;
  cells: readonly SnapshotCell[];
}

export interface CellRef {
  snapshot: string;
  measure: string;
  by: Record<string, string>;
  /** Set when the number is the sum of several visible cells: the breakdowns summed over. */
  summedOver?: string[];
}

export interface DifferenceFinding {
  candidate: CellRef;
  published: CellRef;
  difference: number;
}

type Box = Map<string, ReadonlySet<string>>; // a dimension absent from the map is unconstrained

const SCOPE_DIMENSIONS = { quarter: 'quarters', district: 'districts', siteType: 'siteTypes' } as const;
const QUARTER = /^\d{4}Q[1-4]$/;

function boxOf(scope: Scope, by: Readonly<Record<string, string>>): Box {
  for (const q of scope.quarters) if (!QUARTER.test(q)) throw new RangeError(`a scope's period is whole quarters like 2024Q1, got ${q}`);
  const box: Box = new Map(Object.entries(SCOPE_DIMENSIONS).map(([dim, field]) => [dim, new Set(scope[field])]));
  if (scope.org !== undefined) box.set('org', new Set([scope.org]));
  const narrow = (dim: string, keep: (v: string) => boolean) => {
    const current = box.get(dim);
    box.set(dim, new Set(current ? [...current].filter(keep) : []));
  };
  for (const [dim, value] of Object.entries(by)) {
    if (dim === 'year') narrow('quarter', (q) => q.startsWith(`${value}Q`));
    else if (dim in SCOPE_DIMENSIONS) narrow(dim, (v) => v === value);
    else box.set(dim, new Set([value]));
  }
  return box;
}

function nests(inner: Box, outer: Box): boolean {
  for (const [dim, allowed] of outer) {
    const own = inner.get(dim);
    if (!own) return false; // unconstrained inside, constrained outside
    for (const v of own) if (!allowed.has(v)) return false;
  }
  return true;
}

interface Number_ {
  ref: CellRef;
  count: number;
  box: Box;
}

/** The snapshot's visible cells and the sums of complete groups of them. */
function numbersOf(snapshot: Snapshot): Number_[] {
  const out: Number_[] = [];
  const groups = new Map<string, SnapshotCell[]>();
  for (const cell of snapshot.cells) {
    if (cell.count !== null) out.push({ ref: { snapshot: snapshot.id, measure: cell.measure, by: { ...cell.by } }, count: cell.count, box: boxOf(snapshot.scope, cell.by) });
    const key = JSON.stringify([cell.measure, Object.keys(cell.by).sort()]);
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  for (const [key, cells] of groups) {
    const [measure, dims] = JSON.parse(key) as [string, string[]];
    // Every non-empty subset of the breakdowns to sum over.
    for (let mask = 1; mask < 1 << dims.length; mask++) {
      const summed = dims.filter((_, i) => mask & (1 << i));
      const kept = dims.filter((_, i) => !(mask & (1 << i)));
      const sums = new Map<string, SnapshotCell[]>();
      for (const cell of cells) {
        const k = JSON.stringify(kept.map((d) => cell.by[d]));
        sums.set(k, [...(sums.get(k) ?? []), cell]);
      }
      for (const members of sums.values()) {
        if (members.length < 2 || members.some((c) => c.count === null)) continue;
        const by = Object.fromEntries(kept.map((d) => [d, members[0]!.by[d]!]));
        const box = boxOf(snapshot.scope, by);
        for (const dim of summed) {
          // The sum covers every value of a summed breakdown: within the scope for scope dimensions, any value otherwise.
          if (!(dim in SCOPE_DIMENSIONS) && dim !== 'year') box.delete(dim);
        }
        out.push({ ref: { snapshot: snapshot.id, measure, by, summedOver: summed }, count: members.reduce((s, c) => s + c.count!, 0), box });
      }
    }
  }
  return out;
}

/** Every pair of comparable numbers, one from the candidate and one from a published snapshot, whose difference is 1..k-1. Empty: publishable. */
export function differencingCheck(candidate: Snapshot, published: readonly Snapshot[], k: number): DifferenceFinding[] {
  assertK(k);
  const mine = numbersOf(candidate);
  const findings: DifferenceFinding[] = [];
  for (const other of published) {
    for (const theirs of numbersOf(other)) {
      for (const n of mine) {
        if (n.ref.measure !== theirs.ref.measure) continue;
        if (!nests(n.box, theirs.box) && !nests(theirs.box, n.box)) continue;
        const difference = Math.abs(n.count - theirs.count);
        if (difference > 0 && difference < k) findings.push({ candidate: n.ref, published: theirs.ref, difference });
      }
    }
  }
  return findings;
}

/** A published table as snapshot cells: its cells, its row and column totals, its grand total. */
export function tableCells(measure: string, rowDimension: string, columnDimension: string, table: SuppressedTable): SnapshotCell[] {
  const count = (c: Cell) => (isSuppressed(c) ? null : c.count);
  return [
    ...table.rows.flatMap((row, r) => table.columns.map((column, c) => ({ measure, by: { [rowDimension]: row, [columnDimension]: column }, count: count(table.cells[r]![c]!) }))),
    ...table.rows.map((row, r) => ({ measure, by: { [rowDimension]: row }, count: count(table.rowTotals[r]!) })),
    ...table.columns.map((column, c) => ({ measure, by: { [columnDimension]: column }, count: count(table.columnTotals[c]!) })),
    { measure, by: {}, count: count(table.total) },
  ];
}
