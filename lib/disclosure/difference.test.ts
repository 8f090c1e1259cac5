import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differencingCheck, type Scope, type Snapshot, type SnapshotCell, tableCells } from './difference';
import { suppressList, suppressTable } from './suppress';

// The property was checked to fail with its rule removed: comparing equal boxes only (no nesting),
// and leaving out the sums of complete groups of cells.

const QUARTERS = ['2023Q1', '2023Q2', '2023Q3', '2023Q4', '2024Q1', '2024Q2', '2024Q3', '2024Q4'];
const DISTRICTS = ['far-east', 'siberia', 'central'];
const SITE_TYPES = ['construction', 'logging'];
const VISAS = ['work', 'study'];
interface Worker { quarter: string; district: string; siteType: string; visa: string }
const UNIVERSE: Worker[] = QUARTERS.flatMap((quarter) => DISTRICTS.flatMap((district) => SITE_TYPES.flatMap((siteType) => VISAS.map((visa) => ({ quarter, district, siteType, visa })))));

const worker = fc.record({ quarter: fc.constantFrom(...QUARTERS), district: fc.constantFrom(...DISTRICTS), siteType: fc.constantFrom(...SITE_TYPES), visa: fc.constantFrom(...VISAS) });
const BREAKDOWNS = [[], ['year'], ['district'], ['visa'], ['siteType', 'visa'], ['year', 'district'], ['district', 'siteType']] as const;

const matches = (w: Worker, scope: Scope, by: Readonly<Record<string, string>>) =>
  scope.quarters.includes(w.quarter) &&
  scope.districts.includes(w.district) &&
  scope.siteTypes.includes(w.siteType) &&
  Object.entries(by).every(([d, v]) => (d === 'year' ? w.quarter.startsWith(`${v}Q`) : w[d as keyof Worker] === v));

function valuesOf(dim: string, scope: Scope): string[] {
  if (dim === 'year') return [...new Set(scope.quarters.map((q) => q.slice(0, 4)))];
  if (dim === 'district') return [...scope.districts];
  if (dim === 'siteType') return [...scope.siteTypes];
  return VISAS;
}

/** What the aggregation will publish: a table of workers by 0, 1 or 2 breakdowns, suppressed, with or without its margins. */
function publish(id: string, workers: Worker[], scope: Scope, dims: readonly string[], k: number, margins: boolean): Snapshot {
  const count = (by: Record<string, string>) => workers.filter((w) => matches(w, scope, by)).length;
  let cells: SnapshotCell[];
  if (dims.length === 0) cells = [{ measure: 'workers', by: {}, count: count({}) >= k || count({}) === 0 ? count({}) : null }];
  else if (dims.length === 1) {
    const keys = valuesOf(dims[0]!, scope);
    const out = suppressList({ keys, counts: keys.map((v) => count({ [dims[0]!]: v })) }, k);
    const shown = (c: (typeof out.cells)[number]) => ('count' in c ? c.count : null);
    cells = [...keys.map((v, i) => ({ measure: 'workers', by: { [dims[0]!]: v }, count: shown(out.cells[i]!) })), { measure: 'workers', by: {}, count: shown(out.total) }];
  } else {
    const [rd, cd] = dims as [string, string];
    const rows = valuesOf(rd, scope);
    const columns = valuesOf(cd, scope);
    const out = suppressTable({ rows, columns, counts: rows.map((r) => columns.map((c) => count({ [rd]: r, [cd]: c }))) }, k);
    cells = tableCells('workers', rd, cd, out);
  }
  if (!margins) cells = cells.filter((c) => Object.keys(c.by).length === dims.length);
  return { id, scope, cells };
}

/** The reader's attack, worked out on the universe of possible workers rather than on boxes. */
function recoverable(a: Snapshot, b: Snapshot, k: number): string | undefined {
  const numbers = (s: Snapshot) => {
    const out: { profiles: Set<number>; count: number; name: string }[] = [];
    const profilesOf = (by: Readonly<Record<string, string>>) => new Set(UNIVERSE.flatMap((w, i) => (matches(w, s.scope, by) ? [i] : [])));
    for (const c of s.cells) if (c.count !== null) out.push({ profiles: profilesOf(c.by), count: c.count, name: `${s.id} ${JSON.stringify(c.by)}` });
    // Sums of visible cells across one breakdown, or all of them.
    const dims = Object.keys(s.cells.reduce((most, c) => (Object.keys(c.by).length > Object.keys(most.by).length ? c : most), s.cells[0]!).by);
    const full = s.cells.filter((c) => Object.keys(c.by).length === dims.length);
    const subsets = dims.length === 2 ? [[dims[0]!], [dims[1]!], dims] : dims.length === 1 ? [dims] : [];
    for (const over of subsets) {
      const groups = new Map<string, SnapshotCell[]>();
      for (const c of full) {
        const key = dims.filter((d) => !over.includes(d)).map((d) => c.by[d]).join('|');
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      for (const [key, members] of groups) {
        if (members.some((c) => c.count === null)) continue;
        const profiles = new Set(members.flatMap((c) => [...profilesOf(c.by)]));
        out.push({ profiles, count: members.reduce((sum, c) => sum + c.count!, 0), name: `${s.id} sum over ${over.join(',')} at ${key}` });
      }
    }
    return out;
  };
  const within = (x: Set<number>, y: Set<number>) => [...x].every((i) => y.has(i));
  for (const x of numbers(a)) {
    for (const y of numbers(b)) {
      const d = Math.abs(x.count - y.count);
      if ((within(x.profiles, y.profiles) || within(y.profiles, x.profiles)) && d > 0 && d < k) return `${x.name} − ${y.name} = ${d}`;
    }
  }
  return undefined;
}

const subset = <T,>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
const scopes = fc
  .record({ quarters: subset(QUARTERS), districts: subset(DISTRICTS), siteTypes: subset(SITE_TYPES) })
  .chain((outer) =>
    // Equal scopes (two versions of one summary) half the time: that is where small differences are common.
    fc.tuple(fc.constant(outer), fc.oneof(fc.constant(outer), fc.record({ quarters: subset(outer.quarters), districts: subset(outer.districts), siteTypes: subset(outer.siteTypes) }))),
  );

describe('differencing check: properties', () => {
  it('never accepts a pair from which a count of 1..k-1 is recovered by subtraction', () => {
    let refused = 0;
    fc.assert(
      fc.property(
        fc.array(worker, { minLength: 20, maxLength: 250 }),
        fc.array(fc.nat(), { maxLength: 4 }), // workers gone by the new snapshot (withdrawn consent)
        scopes,
        fc.boolean(),
        fc.constantFrom(...BREAKDOWNS),
        fc.constantFrom(...BREAKDOWNS),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 3, max: 8 }),
        (workers, gone, [outer, inner], innerIsNew, dimsOld, dimsNew, marginsOld, marginsNew, k) => {
          const later = workers.filter((_, i) => !gone.some((g) => workers.length && g % workers.length === i));
          const old = publish('old', workers, innerIsNew ? outer : inner, dimsOld, k, marginsOld);
          const next = publish('new', later, innerIsNew ? inner : outer, dimsNew, k, marginsNew);
          const findings = differencingCheck(next, [old], k);
          if (findings.length) refused++;
          else expect(recoverable(next, old, k)).toBeUndefined();
        },
      ),
      { numRuns: 1000 },
    );
    expect(refused).toBeGreaterThan(20); // the refusing branch is exercised, not only the accepting one
  });
});

describe('differencing check: examples', () => {
  const all: Scope = { quarters: QUARTERS.slice(4), districts: DISTRICTS, siteTypes: SITE_TYPES };
  const farEast: Scope = { ...all, districts: ['far-east'] };

  it('refuses a nested scope whose total is 3 short of the outer total, naming both cells', () => {
    const published: Snapshot = { id: 'summary-1 v1', scope: all, cells: [{ measure: 'workers', by: {}, count: 40 }] };
    const candidate: Snapshot = { id: 'summary-2 v1', scope: farEast, cells: [{ measure: 'workers', by: {}, count: 37 }] };
    expect(differencingCheck(candidate, [published], 10)).toEqual([
      { candidate: { snapshot: 'summary-2 v1', measure: 'workers', by: {} }, published: { snapshot: 'summary-1 v1', measure: 'workers', by: {} }, difference: 3 },
    ]);
    expect(differencingCheck(candidate, [published], 3)).toEqual([]);
  });

  it('refuses a new version of the same scope one worker smaller (a withdrawn consent)', () => {
    const v1: Snapshot = { id: 'v1', scope: all, cells: [{ measure: 'workers', by: { siteType: 'logging' }, count: 25 }] };
    const v2: Snapshot = { id: 'v2', scope: all, cells: [{ measure: 'workers', by: { siteType: 'logging' }, count: 24 }] };
    expect(differencingCheck(v2, [v1], 5).map((f) => f.difference)).toEqual([1]);
  });

  it('compares a total with the sum of a nested scope\'s visible cells', () => {
    const published: Snapshot = { id: 'p', scope: all, cells: [{ measure: 'workers', by: { district: 'far-east' }, count: 30 }] };
    const candidate: Snapshot = {
      id: 'c',
      scope: farEast,
      cells: [
        { measure: 'workers', by: { siteType: 'construction' }, count: 12 },
        { measure: 'workers', by: { siteType: 'logging' }, count: 16 },
      ],
    };
    expect(differencingCheck(candidate, [published], 5)).toMatchObject([{ candidate: { by: {}, summedOver: ['siteType'] }, difference: 2 }]);
  });

  it('does not compare scopes that overlap without nesting, other measures, or suppressed cells', () => {
    const a: Snapshot = { id: 'a', scope: { ...all, districts: ['far-east', 'siberia'] }, cells: [{ measure: 'workers', by: {}, count: 40 }] };
    const b: Snapshot = { id: 'b', scope: { ...all, districts: ['siberia', 'central'] }, cells: [{ measure: 'workers', by: {}, count: 38 }] };
    expect(differencingCheck(b, [a], 10)).toEqual([]);
    const c: Snapshot = { id: 'c', scope: all, cells: [{ measure: 'injured', by: {}, count: 38 }, { measure: 'workers', by: {}, count: null }] };
    expect(differencingCheck(c, [{ ...a, scope: all }], 10)).toEqual([]);
  });

  it('accepts equal counts and differences of at least k', () => {
    const p: Snapshot = { id: 'p', scope: all, cells: [{ measure: 'workers', by: {}, count: 40 }] };
    expect(differencingCheck({ ...p, id: 'q' }, [p], 10)).toEqual([]);
    expect(differencingCheck({ id: 'q', scope: farEast, cells: [{ measure: 'workers', by: {}, count: 30 }] }, [p], 10)).toEqual([]);
  });
});
