import { assertK } from './k';

// Primary and complementary suppression over counts of workers. Pure: no database, no I/O.
//
// Rules (DESIGN.md, "Aggregation and disclosure control"; issue 6):
// - Primary: a count of 1..k-1 is never output as a number. A true zero is shown as 0: it names no
//   worker, and hiding zeros would only mark where the small counts are.
// - Margins (row totals, column totals, the grand total) are always computed and output: a headline
//   total is published anyway, so the cells are protected as if every total were known.
// - A table with its margins is a set of lines: each row with its row total, each column with its
//   column total, the row of column totals with the grand total, the column of row totals with the
//   grand total. In each line "cells sum to the margin". A line with exactly one hidden entry gives
//   it away (margin minus the visible cells), so a second entry is hidden: the smallest non-zero
//   visible one (a hidden zero beside a hidden cell protects nothing: the pair's sum is the cell).
// - A line whose margin is visible also tells the sum of its hidden cells; when that sum is 1..k-1
//   it is itself a count of fewer than k workers (e.g. "3 workers in site types A or B"), so another
//   entry is hidden.
// - Repeated until no line breaks a rule. A margin is a candidate like a cell, chosen only when no
//   cell is smaller (ties go to cells, then to the lower key), so totals stay visible where they can.
// - Rows and columns are put in key order first, so the result depends on the keys and the counts,
//   never on the order the query returned the rows in.

export type Cell = { count: number } | { suppressed: true };

export interface CountTable {
  rows: readonly string[];
  columns: readonly string[];
  /** counts[r][c]: workers in row r and column c. */
  counts: readonly (readonly number[])[];
  /**
   * The margins as published, when they are not the sums of the cells (researchers' perturbed
   * answers: each total carries its own noise). Absent: the sums. Every other rule is unchanged.
   */
  margins?: { rowTotals: readonly number[]; columnTotals: readonly number[]; total: number };
}

export interface SuppressedTable {
  k: number;
  rows: string[];
  columns: string[];
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
}

export interface CountList {
  keys: readonly string[];
  counts: readonly number[];
  /** The total as published when it is not the sum of the counts (see CountTable.margins). */
  total?: number;
}

export interface SuppressedList {
  k: number;
  keys: string[];
  cells: Cell[];
  total: Cell;
}

export const isSuppressed = (cell: Cell): cell is { suppressed: true } => 'suppressed' in cell;

interface Line {
  cells: number[]; // indexes into the entries
  margin: number;
}

/** Decides which entries to hide, given the lines they take part in. Entries are in canonical order. */
function hiddenEntries(values: readonly number[], isMargin: readonly boolean[], lines: readonly Line[], k: number): boolean[] {
  const hidden = values.map((v) => v > 0 && v < k); // primary
  const breaks = (line: Line) => {
    const members = [...line.cells, line.margin];
    const hiddenCount = members.filter((i) => hidden[i]).length;
    if (hiddenCount === 1) return true;
    if (hidden[line.margin]) return false;
    const hiddenSum = line.cells.reduce((sum, i) => sum + (hidden[i] ? values[i]! : 0), 0);
    return hiddenSum > 0 && hiddenSum < k;
  };
  for (;;) {
    const line = lines.find(breaks);
    if (!line) return hidden;
    let best = -1;
    for (const i of [...line.cells, line.margin]) {
      if (hidden[i] || values[i] === 0) continue;
      if (
        best < 0 ||
        values[i]! < values[best]! ||
        (values[i] === values[best] && (Number(isMargin[i]) < Number(isMargin[best]) || (isMargin[i] === isMargin[best] && i < best)))
      ) {
        best = i;
      }
    }
    // Cannot happen: a breaking line always has a non-zero visible entry (its margin at least).
    if (best < 0) throw new Error('complementary suppression found no candidate');
    hidden[best] = true;
  }
}

function checkCount(count: number) {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a count must be a whole number ≥ 0, got ${count}`);
}

function keyOrder(keys: readonly string[], what: string): number[] {
  if (new Set(keys).size !== keys.length) throw new RangeError(`${what} keys must be distinct`);
  // Code-unit order, not localeCompare: the same on every server.
  return keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
}

const show = (count: number, hidden: boolean): Cell => (hidden ? { suppressed: true } : { count });

/** A cross table rows × columns with its margins, suppressed for minimum cell size k. */
export function suppressTable(table: CountTable, k: number): SuppressedTable {
  assertK(k);
  const rowOrder = keyOrder(table.rows, 'row');
  const columnOrder = keyOrder(table.columns, 'column');
  const R = rowOrder.length;
  const C = columnOrder.length;
  if (table.counts.length !== R || table.counts.some((row) => row.length !== C)) {
    throw new RangeError('counts must have one row per row key and one value per column key');
  }
  // The extended grid (R+1) × (C+1) in key order; row R holds the column totals, column C the row totals.
  const at = (r: number, c: number) => r * (C + 1) + c;
  const values = new Array<number>((R + 1) * (C + 1)).fill(0);
  rowOrder.forEach((original, r) =>
    columnOrder.forEach((originalColumn, c) => {
      const count = table.counts[original]![originalColumn]!;
      checkCount(count);
      values[at(r, c)] = count;
      values[at(r, C)]! += count;
      values[at(R, c)]! += count;
      values[at(R, C)]! += count;
    }),
  );
  if (table.margins) {
    const m = table.margins;
    if (m.rowTotals.length !== R || m.columnTotals.length !== C) throw new RangeError('margins must have one total per row and per column');
    rowOrder.forEach((original, r) => (values[at(r, C)] = m.rowTotals[original]!));
    columnOrder.forEach((original, c) => (values[at(R, c)] = m.columnTotals[original]!));
    values[at(R, C)] = m.total;
    [...m.rowTotals, ...m.columnTotals, m.total].forEach(checkCount);
  }
  const isMargin = values.map((_, i) => i % (C + 1) === C || Math.floor(i / (C + 1)) === R);
  const lines: Line[] = [];
  for (let r = 0; r <= R; r++) lines.push({ cells: Array.from({ length: C }, (_, c) => at(r, c)), margin: at(r, C) });
  for (let c = 0; c <= C; c++) lines.push({ cells: Array.from({ length: R }, (_, r) => at(r, c)), margin: at(R, c) });
  const hidden = hiddenEntries(values, isMargin, lines, k);

  // Back to the caller's order.
  const rowPosition = new Map(rowOrder.map((original, r) => [original, r]));
  const columnPosition = new Map(columnOrder.map((original, c) => [original, c]));
  const entry = (r: number, c: number) => show(values[at(r, c)]!, hidden[at(r, c)]!);
  return {
    k,
    rows: [...table.rows],
    columns: [...table.columns],
    cells: table.rows.map((_, ri) => table.columns.map((_, ci) => entry(rowPosition.get(ri)!, columnPosition.get(ci)!))),
    rowTotals: table.rows.map((_, ri) => entry(rowPosition.get(ri)!, C)),
    columnTotals: table.columns.map((_, ci) => entry(R, columnPosition.get(ci)!)),
    total: entry(R, C),
  };
}

/** One breakdown: cells with their total, suppressed for minimum cell size k. */
export function suppressList(list: CountList, k: number): SuppressedList {
  assertK(k);
  const order = keyOrder(list.keys, 'cell');
  if (list.counts.length !== order.length) throw new RangeError('counts must have one value per key');
  const values = order.map((original) => list.counts[original]!);
  values.forEach(checkCount);
  if (list.total !== undefined) checkCount(list.total);
  values.push(list.total ?? values.reduce((a, b) => a + b, 0));
  const isMargin = values.map((_, i) => i === order.length);
  const hidden = hiddenEntries(values, isMargin, [{ cells: order.map((_, i) => i), margin: order.length }], k);
  const position = new Map(order.map((original, i) => [original, i]));
  return {
    k,
    keys: [...list.keys],
    cells: list.keys.map((_, oi) => show(values[position.get(oi)!]!, hidden[position.get(oi)!]!)),
    total: show(values[order.length]!, hidden[order.length]!),
  };
}
