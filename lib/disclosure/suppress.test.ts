import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cell, type CountTable, isSuppressed, suppressList, suppressTable, type SuppressedTable } from './suppress';

// Each property was checked to fail with its rule removed (see the report of the `disclosure`
// branch): primary suppression off; complementary suppression off; the hidden-sum rule off; the
// key-order sort replaced by the query's row order.

const RUNS = { numRuns: 1000 };
const k = fc.integer({ min: 3, max: 12 });
// Small counts often, zeros often, large counts sometimes: the cases suppression is about.
const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 80 }));
const keys = (max: number) => fc.uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: max });
const table: fc.Arbitrary<CountTable> = fc
  .tuple(keys(6), keys(6))
  .chain(([rows, columns]) =>
    fc.array(fc.array(count, { minLength: columns.length, maxLength: columns.length }), { minLength: rows.length, maxLength: rows.length }).map((counts) => ({ rows, columns, counts })),
  );

const valueOf = (cell: Cell) => (isSuppressed(cell) ? undefined : cell.count);

/** Every line of the published table: each row with its total, each column with its total, the margins with the grand total. */
function linesOf(t: SuppressedTable): { cells: Cell[]; margin: Cell; name: string }[] {
  return [
    ...t.rows.map((row, r) => ({ cells: t.cells[r]!, margin: t.rowTotals[r]!, name: `row ${row}` })),
    ...t.columns.map((column, c) => ({ cells: t.cells.map((row) => row[c]!), margin: t.columnTotals[c]!, name: `column ${column}` })),
    { cells: t.columnTotals, margin: t.total, name: 'column totals' },
    { cells: t.rowTotals, margin: t.total, name: 'row totals' },
  ];
}

const allOutputs = (t: SuppressedTable) => [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.total];

describe('suppressTable: properties over random tables and k ≥ 3', () => {
  it('never outputs a count in 1..k-1, cell or margin', () => {
    fc.assert(
      fc.property(table, k, (t, k) => {
        for (const cell of allOutputs(suppressTable(t, k))) {
          const v = valueOf(cell);
          if (v !== undefined) expect(v === 0 || v >= k).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('shows every visible count as it is and never hides a zero', () => {
    fc.assert(
      fc.property(table, k, (t, k) => {
        const out = suppressTable(t, k);
        t.counts.forEach((row, r) =>
          row.forEach((n, c) => {
            const cell = out.cells[r]![c]!;
            if (n === 0) expect(cell).toEqual({ count: 0 });
            if (!isSuppressed(cell)) expect(cell.count).toBe(n);
          }),
        );
        const rowTotal = t.counts.map((row) => row.reduce((a, b) => a + b, 0));
        out.rowTotals.forEach((cell, r) => !isSuppressed(cell) && expect(cell.count).toBe(rowTotal[r]));
      }),
      RUNS,
    );
  });

  it('leaves no hidden entry derivable from its line: margin minus the visible cells', () => {
    fc.assert(
      fc.property(table, k, (t, k) => {
        for (const line of linesOf(suppressTable(t, k))) {
          // The reader's attack: with exactly one hidden entry in a line, it is total minus the rest.
          const hidden = [...line.cells, line.margin].filter(isSuppressed).length;
          expect(hidden, line.name).not.toBe(1);
        }
      }),
      RUNS,
    );
  });

  it('leaves no line whose hidden cells add up to 1..k-1 workers when its total is shown', () => {
    fc.assert(
      fc.property(table, k, (t, k) => {
        for (const line of linesOf(suppressTable(t, k))) {
          const margin = valueOf(line.margin);
          if (margin === undefined) continue;
          const hiddenSum = margin - line.cells.reduce((sum, cell) => sum + (valueOf(cell) ?? 0), 0);
          expect(hiddenSum === 0 || hiddenSum >= k, line.name).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('gives the same result, cell by cell, when rows and columns come in another order', () => {
    const shuffled = table.chain((t) =>
      fc.tuple(fc.constant(t), fc.shuffledSubarray(t.rows.map((_, i) => i), { minLength: t.rows.length }), fc.shuffledSubarray(t.columns.map((_, i) => i), { minLength: t.columns.length })),
    );
    fc.assert(
      fc.property(shuffled, k, ([t, rowPerm, columnPerm], k) => {
        const moved: CountTable = {
          rows: rowPerm.map((r) => t.rows[r]!),
          columns: columnPerm.map((c) => t.columns[c]!),
          counts: rowPerm.map((r) => columnPerm.map((c) => t.counts[r]![c]!)),
        };
        const a = suppressTable(t, k);
        const b = suppressTable(moved, k);
        const byKey = (out: SuppressedTable) => {
          const m = new Map<string, Cell>();
          out.rows.forEach((row, r) => {
            out.columns.forEach((column, c) => m.set(`${row}|${column}`, out.cells[r]![c]!));
            m.set(`${row}|*`, out.rowTotals[r]!);
          });
          out.columns.forEach((column, c) => m.set(`*|${column}`, out.columnTotals[c]!));
          m.set('*|*', out.total);
          return m;
        };
        expect(byKey(b)).toEqual(byKey(a));
      }),
      RUNS,
    );
  });
});

describe('suppressList: one breakdown with its total', () => {
  const list = keys(10).chain((keys) => fc.array(count, { minLength: keys.length, maxLength: keys.length }).map((counts) => ({ keys, counts })));

  it('never outputs 1..k-1, never leaves one hidden cell beside a shown total, keeps hidden sums at 0 or ≥ k', () => {
    fc.assert(
      fc.property(list, k, (l, k) => {
        const out = suppressList(l, k);
        const shown = [...out.cells, out.total].map(valueOf);
        for (const v of shown) if (v !== undefined) expect(v === 0 || v >= k).toBe(true);
        expect([...out.cells, out.total].filter(isSuppressed).length).not.toBe(1);
        const total = valueOf(out.total);
        if (total !== undefined) {
          const hiddenSum = total - out.cells.reduce((s, c) => s + (valueOf(c) ?? 0), 0);
          expect(hiddenSum === 0 || hiddenSum >= k).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('gives the same cell for each key whatever the order', () => {
    const shuffled = list.chain((l) => fc.tuple(fc.constant(l), fc.shuffledSubarray(l.keys.map((_, i) => i), { minLength: l.keys.length })));
    fc.assert(
      fc.property(shuffled, k, ([l, perm], k) => {
        const a = suppressList(l, k);
        const b = suppressList({ keys: perm.map((i) => l.keys[i]!), counts: perm.map((i) => l.counts[i]!) }, k);
        const byKey = (out: typeof a) => new Map(out.keys.map((key, i) => [key, out.cells[i]]));
        expect(byKey(b)).toEqual(byKey(a));
        expect(b.total).toEqual(a.total);
      }),
      RUNS,
    );
  });
});

describe('suppression: edge cases', () => {
  const S = { suppressed: true } as const;
  const c = (count: number) => ({ count });

  it('shows an all-zero table as zeros', () => {
    const out = suppressTable({ rows: ['a', 'b'], columns: ['x', 'y'], counts: [[0, 0], [0, 0]] }, 5);
    expect(out.cells).toEqual([[c(0), c(0)], [c(0), c(0)]]);
    expect(out.total).toEqual(c(0));
    expect(suppressList({ keys: ['a'], counts: [0] }, 5)).toMatchObject({ cells: [c(0)], total: c(0) });
  });

  it('shows a count equal to k and hides k-1', () => {
    expect(suppressList({ keys: ['a', 'b'], counts: [5, 20] }, 5)).toMatchObject({ cells: [c(5), c(20)], total: c(25) });
    expect(suppressList({ keys: ['a', 'b', 'c'], counts: [4, 20, 30] }, 5)).toMatchObject({ cells: [S, S, c(30)], total: c(54) });
  });

  it('hides a second cell, the smallest non-zero, and leaves zeros shown', () => {
    // 3 is under k; 0 is no cover (hidden pair would sum to 3); 12 is the smallest non-zero.
    expect(suppressList({ keys: ['a', 'b', 'c', 'd'], counts: [3, 0, 12, 40] }, 5)).toMatchObject({ cells: [S, c(0), S, c(40)], total: c(55) });
  });

  it('hides the total when it is the only cover: one non-zero cell under k', () => {
    expect(suppressList({ keys: ['a', 'b'], counts: [3, 0] }, 5)).toMatchObject({ cells: [S, c(0)], total: S });
  });

  it('hides a third cell when two hidden cells add up to fewer than k', () => {
    expect(suppressList({ keys: ['a', 'b', 'c', 'd'], counts: [1, 2, 10, 30] }, 5)).toMatchObject({ cells: [S, S, S, c(30)], total: c(43) });
  });

  it('one row: the row total is the grand total, and the same rules hold', () => {
    const out = suppressTable({ rows: ['2024'], columns: ['construction', 'logging', 'farming'], counts: [[2, 15, 30]] }, 5);
    expect(out.cells).toEqual([[S, S, c(30)]]);
    expect(out.rowTotals).toEqual([c(47)]);
    // Each column is its cell and a column total of the same value: both hidden together.
    expect(out.columnTotals).toEqual([S, S, c(30)]);
    expect(out.total).toEqual(c(47));
  });

  it('hides a margin under k, and the margin counts as a hidden entry of its line', () => {
    // Row b totals 4 < k: hidden with its cell 4, two hidden entries in that row. Column x then has one
    // hidden cell (15 joins it), which leaves row c with one (35), column z with one (25), row a with
    // one (20); the column of row totals has b's hidden total alone, so row a's total 75 joins it.
    const out = suppressTable({ rows: ['a', 'b', 'c'], columns: ['x', 'y', 'z'], counts: [[20, 30, 25], [4, 0, 0], [15, 40, 35]] }, 5);
    expect(out.cells).toEqual([[S, c(30), S], [S, c(0), c(0)], [S, c(40), S]]);
    expect(out.rowTotals).toEqual([S, S, c(90)]);
    expect(out.columnTotals).toEqual([c(39), c(70), c(60)]);
    expect(out.total).toEqual(c(169));
  });

  it('breaks ties by key, not by the order rows arrive in', () => {
    const a = suppressList({ keys: ['b', 'a', 'c'], counts: [12, 12, 2] }, 5);
    const b = suppressList({ keys: ['a', 'b', 'c'], counts: [12, 12, 2] }, 5);
    expect(a.cells).toEqual([c(12), S, S]);
    expect(b.cells).toEqual([S, c(12), S]);
  });

  it('refuses k below 3, negative or fractional counts, repeated keys, ragged tables', () => {
    expect(() => suppressList({ keys: ['a'], counts: [1] }, 2)).toThrow(RangeError);
    expect(() => suppressList({ keys: ['a'], counts: [-1] }, 5)).toThrow(RangeError);
    expect(() => suppressList({ keys: ['a'], counts: [1.5] }, 5)).toThrow(RangeError);
    expect(() => suppressList({ keys: ['a', 'a'], counts: [1, 2] }, 5)).toThrow(RangeError);
    expect(() => suppressTable({ rows: ['a'], columns: ['x', 'y'], counts: [[1]] }, 5)).toThrow(RangeError);
  });
});

describe('suppression with published margins that are not the sums (perturbed answers)', () => {
  it('shows the margins given, hides any of them in 1..k−1, and still hides a second entry beside a lone hidden one', () => {
    fc.assert(
      fc.property(table, k, fc.integer({ min: -3, max: 3 }), (t, kk, shift) => {
        const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
        // Like a perturbation: each margin moved a little, never below 1, and a zero stays zero.
        const moved = (n: number, by: number) => (n === 0 ? 0 : Math.max(1, n + by));
        const rowTotals = t.counts.map((row) => moved(sum(row), shift));
        const columnTotals = t.columns.map((_, c) => moved(sum(t.counts.map((r) => r[c]!)), -shift));
        const total = moved(sum(t.counts.map(sum)), shift);
        const out = suppressTable({ ...t, margins: { rowTotals, columnTotals, total } }, kk);
        const given = [...rowTotals, ...columnTotals, total];
        [...out.rowTotals, ...out.columnTotals, out.total].forEach((cell, i) => {
          if (isSuppressed(cell)) return;
          expect(cell.count).toBe(given[i]);
          expect(cell.count === 0 || cell.count >= kk).toBe(true);
        });
        for (const line of linesOf(out)) expect([...line.cells, line.margin].filter(isSuppressed).length, line.name).not.toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('with margins equal to the sums, is the same as without', () => {
    fc.assert(
      fc.property(table, k, (t, kk) => {
        const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
        const margins = { rowTotals: t.counts.map(sum), columnTotals: t.columns.map((_, c) => sum(t.counts.map((r) => r[c]!))), total: sum(t.counts.map(sum)) };
        expect(suppressTable({ ...t, margins }, kk)).toEqual(suppressTable(t, kk));
        const list = { keys: t.columns, counts: t.counts[0]! };
        expect(suppressList({ ...list, total: sum(list.counts) }, kk)).toEqual(suppressList(list, kk));
      }),
      { numRuns: 300 },
    );
  });
});
