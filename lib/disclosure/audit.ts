import { boundsSolver, type LinearRow } from './bounds';
import { assertK } from './k';

// The audit of the whole published record (issue 14). The adversary keeps every number ever
// published and solves for the rest; so before a snapshot is stored, every number of every
// published version (retracted ones too: they were public once) is put together with it, and for
// every small count the smallest and largest value the record allows are computed. Pure but for
// the solver: the caller gives the published record, the candidate and the true counts.
//
// Model:
// - A published cell counts the workers in a box: for each dimension (quarter, federal district,
//   site type, visa type, outcome, organisation, …) a set of allowed values; a dimension the box
//   does not name is unconstrained.
// - Atoms are the cells of the common refinement of every box, merged when no box tells them apart
//   (same membership in every box): that is the finest a reader can ever tell workers apart. The
//   unknowns are the workers per atom, non-negative integers.
// - A visible count is an equality over the atoms in its box; a hidden one is only "≥ 0".
// - A share measure splits each atom by whether the attribute holds (and, for answers that may be
//   unknown, whether it was answered): a whole percent s of W answers bounds the workers with the
//   attribute Y by the rounding rule of round.ts (half up): (2s − 1)·W ≤ 200·Y < (2s + 1)·W.
// - Medians are left out: they bound values, not counts of workers.
// - A sensitive quantity is an atom, a published cell or an attribute count whose true value is
//   1..k−1. Its interval [min, max] over the record's integer solutions must be at least P wide.
// - Populations change between publications. Snapshots published on the data of today (the caller
//   knows: their scope's facts are unchanged) are one system with the candidate. A snapshot whose
//   data changed since is a system of its own, and the change between it and today is a quantity
//   too: a count the candidate pins, minus the same count then, must not be pinned to 1..k−1 workers.

/** Allowed values per dimension; a dimension not named is unconstrained. */
export type Box = Readonly<Record<string, readonly string[]>>;

export interface AuditShare {
  attribute: string;
  /** 'all': the share's whole is every worker of the cell; 'known': those who answered. */
  whole: 'all' | 'known';
  percent: number;
}

export interface AuditCell {
  /** The breakdown values as published, to name the cell. */
  by: Readonly<Record<string, string>>;
  box: Box;
  count: number | null;
  share?: AuditShare | null;
}

export interface AuditSnapshot {
  id: string;
  cells: readonly AuditCell[];
}

/** True counts of the candidate's era, at the finest grain the facts have: one row per combination of dimension values. */
export interface TruthRow {
  values: Readonly<Record<string, string>>;
  workers: number;
  /** Per attribute: workers with it (part) and workers whose answer is known (whole). */
  attributes?: Readonly<Record<string, { part: number; whole: number }>>;
}

export interface AuditInput {
  candidate: AuditSnapshot;
  /** Published snapshots whose numbers still hold for today's data. */
  current: readonly AuditSnapshot[];
  /** Published snapshots whose data changed since: each is a population of its own. */
  past?: readonly AuditSnapshot[];
  truth: readonly TruthRow[];
  k: number;
  /** The protection interval: a sensitive quantity's interval must be at least this wide. */
  protection: number;
}

export interface AuditFinding {
  kind: 'count' | 'attribute' | 'change';
  /** The quantity's box, as narrow as the record tells it. */
  box: Box;
  attribute?: string;
  /** The interval the record allows (for 'change': of the difference between then and now). */
  low: number;
  high: number;
  /** Other snapshots whose numbers combine to give it (the candidate excluded). */
  with: string[];
}

export interface AuditStats {
  atoms: number;
  columns: number;
  rows: number;
  quantities: number;
  solved: number;
  integer: number;
}

export const OTHER = '\u0000other';

// --- Boxes and atoms --------------------------------------------------------------------------

const boxKey = (box: Box) =>
  JSON.stringify(
    Object.keys(box)
      .sort()
      .map((d) => [d, [...box[d]!].sort()]),
  );

/** Does the atom (one value class per dimension) lie in the box? */
export function boxContains(box: Box, values: Readonly<Record<string, string>>): boolean {
  for (const [d, allowed] of Object.entries(box)) {
    const v = values[d];
    if (v === undefined || !allowed.includes(v)) return false;
  }
  return true;
}

class Bits {
  readonly words: Uint32Array;
  constructor(n: number, fill = false) {
    this.words = new Uint32Array(Math.ceil(n / 32)).fill(fill ? 0xffffffff : 0);
  }
  set(i: number) {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  has(i: number) {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  and(other: Bits): Bits | null {
    const out = new Bits(0);
    (out as { words: Uint32Array }).words = new Uint32Array(this.words.length);
    let any = false;
    for (let w = 0; w < this.words.length; w++) {
      const v = this.words[w]! & other.words[w]!;
      out.words[w] = v;
      if (v) any = true;
    }
    return any ? out : null;
  }
  key() {
    return Array.from(this.words, (w) => w.toString(36)).join('.');
  }
  *members(limit: number) {
    for (let w = 0; w < this.words.length; w++) {
      let v = this.words[w]!;
      while (v) {
        const bit = 31 - Math.clz32(v & -v);
        const i = w * 32 + bit;
        if (i < limit) yield i;
        v &= v - 1;
      }
    }
  }
}

export interface Refinement {
  dims: string[];
  /** Per dimension, its value classes (OTHER stands for every value no box names). */
  classes: string[][][];
  /** Atoms: per atom the values of each dimension it covers, and the boxes that contain it. */
  atoms: { values: string[][]; boxes: number[] }[];
  /** Atom of a combination of one value per dimension (undefined: in no box). */
  atomOf(values: Readonly<Record<string, string>>): number | undefined;
}

/** The common refinement of some boxes, atoms merged when every box contains both or neither. Atoms in no box are left out. */
export function refine(boxes: readonly Box[]): Refinement {
  const dims = [...new Set(boxes.flatMap((b) => Object.keys(b)))].sort();
  const n = boxes.length;
  const classes: string[][][] = [];
  const masks: Bits[][] = [];
  const classOfValue: Map<string, number>[] = [];
  for (const d of dims) {
    const named = [...new Set(boxes.flatMap((b) => b[d] ?? []))].sort();
    const bySignature = new Map<string, string[]>();
    for (const v of [...named, OTHER]) {
      const sig = boxes.map((b) => (b[d] ? (b[d]!.includes(v) ? '1' : '0') : '-')).join('');
      bySignature.set(sig, [...(bySignature.get(sig) ?? []), v]);
    }
    const dimClasses = [...bySignature.values()];
    classes.push(dimClasses);
    const index = new Map<string, number>();
    dimClasses.forEach((values, c) => values.forEach((v) => index.set(v, c)));
    classOfValue.push(index);
    masks.push(
      dimClasses.map((values) => {
        const m = new Bits(n);
        boxes.forEach((b, i) => {
          if (!b[d] || b[d]!.includes(values[0]!)) m.set(i);
        });
        return m;
      }),
    );
  }
  const atomBySignature = new Map<string, number>();
  const atoms: Refinement['atoms'] = [];
  const atomOfTuple = new Map<string, number>();
  const walk = (depth: number, inside: Bits, tuple: number[]) => {
    if (depth === dims.length) {
      const key = inside.key();
      let a = atomBySignature.get(key);
      if (a === undefined) {
        a = atoms.length;
        atomBySignature.set(key, a);
        atoms.push({ values: dims.map(() => []), boxes: [...inside.members(n)] });
      }
      const atom = atoms[a]!;
      tuple.forEach((c, i) => {
        for (const v of classes[i]![c]!) if (!atom.values[i]!.includes(v)) atom.values[i]!.push(v);
      });
      atomOfTuple.set(tuple.join(','), a);
      return;
    }
    masks[depth]!.forEach((mask, c) => {
      const next = inside.and(mask);
      if (next) walk(depth + 1, next, [...tuple, c]);
    });
  };
  if (n > 0) walk(0, new Bits(n, true), []);
  return {
    dims,
    classes,
    atoms,
    atomOf(values) {
      const tuple = dims.map((d, i) => classOfValue[i]!.get(values[d] ?? OTHER) ?? classOfValue[i]!.get(OTHER)!);
      return atomOfTuple.get(tuple.join(','));
    },
  };
}

/** The box an atom covers: the values of each dimension it spans (OTHER left out). */
export const atomBox = (r: Refinement, atom: number): Box => Object.fromEntries(r.dims.map((d, i) => [d, r.atoms[atom]!.values[i]!.filter((v) => v !== OTHER)]));

// --- The system of one population ---------------------------------------------------------------

interface Published {
  box: Box;
  snapshot: string;
  cell: AuditCell;
}

interface Quantity {
  kind: 'count' | 'attribute';
  box: Box;
  attribute?: string;
  /** Columns and coefficients. */
  terms: Map<number, number>;
  truth?: number;
}

interface System {
  refinement: Refinement;
  columns: number;
  rows: LinearRow[];
  /** Row tag → the snapshots that publish it. */
  tags: string[][];
  attributeColumns: Map<string, { y: Map<number, number>; w: Map<number, number> | null }>;
  /** Tightest visible count over a box that contains the atom (Infinity: none). */
  atomCap: number[];
  /** The atom each column belongs to. */
  columnAtom: number[];
  boxIndex: Map<string, number>;
  boxes: Box[];
}

/** Builds the linear system of one population from the cells that describe it. `extra` boxes only refine (quantities asked about). */
function buildSystem(published: readonly Published[], extra: readonly Box[] = []): System {
  const boxIndex = new Map<string, number>();
  const boxes: Box[] = [];
  const indexOf = (box: Box) => {
    const key = boxKey(box);
    let i = boxIndex.get(key);
    if (i === undefined) {
      i = boxes.length;
      boxIndex.set(key, i);
      boxes.push(box);
    }
    return i;
  };
  for (const p of published) indexOf(p.box);
  for (const b of extra) indexOf(b);
  const refinement = refine(boxes);
  const atomsOfBox: number[][] = boxes.map(() => []);
  refinement.atoms.forEach((a, i) => a.boxes.forEach((b) => atomsOfBox[b]!.push(i)));

  const rows: LinearRow[] = [];
  const tags: string[][] = [];
  const tagOf = new Map<string, number>();
  const tag = (key: string, snapshot: string) => {
    let t = tagOf.get(key);
    if (t === undefined) {
      t = tags.length;
      tagOf.set(key, t);
      tags.push([]);
    }
    if (!tags[t]!.includes(snapshot)) tags[t]!.push(snapshot);
    return t;
  };
  const atomCount = refinement.atoms.length;
  const atomCap = new Array<number>(atomCount).fill(Infinity);
  let columns = atomCount;
  const columnAtom: number[] = Array.from({ length: atomCount }, (_, a) => a);
  const attributeColumns = new Map<string, { y: Map<number, number>; w: Map<number, number> | null }>();
  const attributeFor = (attribute: string, whole: 'all' | 'known') => {
    let cols = attributeColumns.get(attribute);
    if (!cols) {
      cols = { y: new Map(), w: whole === 'known' ? new Map() : null };
      attributeColumns.set(attribute, cols);
    }
    return cols;
  };
  const countRows = new Set<string>();
  const shareRows = new Set<string>();
  for (const p of published) {
    if (p.cell.count === null) continue;
    const b = boxIndex.get(boxKey(p.box))!;
    const key = `count:${b}:${p.cell.count}`;
    const t = tag(`count:${b}`, p.snapshot);
    for (const a of atomsOfBox[b]!) atomCap[a] = Math.min(atomCap[a]!, p.cell.count);
    if (!countRows.has(key)) {
      countRows.add(key);
      rows.push({ entries: atomsOfBox[b]!.map((a) => [a, 1] as const), lower: p.cell.count, upper: p.cell.count, tag: t });
    }
  }
  // Attribute columns for the atoms of every box with a visible share.
  for (const p of published) {
    const share = p.cell.share;
    if (p.cell.count === null || !share) continue;
    const cols = attributeFor(share.attribute, share.whole);
    const b = boxIndex.get(boxKey(p.box))!;
    for (const a of atomsOfBox[b]!) {
      if (!cols.y.has(a)) {
        cols.y.set(a, columns++);
        columnAtom.push(a);
        if (cols.w) {
          cols.w.set(a, columns++);
            columnAtom.push(a);
        }
      }
    }
  }
  // y ≤ w ≤ x per atom.
  for (const cols of attributeColumns.values()) {
    for (const [a, y] of cols.y) {
      const w = cols.w?.get(a);
      if (w === undefined) rows.push({ entries: [[y, 1], [a, -1]], lower: -Infinity, upper: 0 });
      else {
        rows.push({ entries: [[y, 1], [w, -1]], lower: -Infinity, upper: 0 });
        rows.push({ entries: [[w, 1], [a, -1]], lower: -Infinity, upper: 0 });
      }
    }
  }
  for (const p of published) {
    const share = p.cell.share;
    if (p.cell.count === null || !share) continue;
    const b = boxIndex.get(boxKey(p.box))!;
    const key = `share:${b}:${share.attribute}:${share.percent}`;
    const t = tag(`share:${b}:${share.attribute}`, p.snapshot);
    if (shareRows.has(key)) continue;
    shareRows.add(key);
    const cols = attributeColumns.get(share.attribute)!;
    const s = share.percent;
    const whole = (a: number) => (cols.w ? cols.w.get(a)! : a);
    // (2s − 1)·W ≤ 200·Y  and  200·Y ≤ (2s + 1)·W − 1 (integers: "<" is "≤ … − 1").
    const entries = (coefW: number) => {
      const terms = new Map<number, number>();
      for (const a of atomsOfBox[b]!) {
        terms.set(cols.y.get(a)!, (terms.get(cols.y.get(a)!) ?? 0) + 200);
        terms.set(whole(a), (terms.get(whole(a)) ?? 0) - coefW);
      }
      return [...terms].filter(([, v]) => v !== 0) as [number, number][];
    };
    rows.push({ entries: entries(2 * s - 1), lower: 0, upper: Infinity, tag: t });
    rows.push({ entries: entries(2 * s + 1), lower: -Infinity, upper: -1, tag: t });
  }
  return { refinement, columns, rows, tags, attributeColumns, atomCap, columnAtom, boxIndex, boxes };
}

const atomsIn = (s: System, box: Box) => {
  const b = s.boxIndex.get(boxKey(box));
  if (b === undefined) return [];
  return s.refinement.atoms.flatMap((a, i) => (a.boxes.includes(b) ? [i] : []));
};

// --- The audit ----------------------------------------------------------------------------------

const published = (snapshots: readonly AuditSnapshot[]): Published[] => snapshots.flatMap((s) => s.cells.map((cell) => ({ box: cell.box, snapshot: s.id, cell })));

function truthOf(system: System, truth: readonly TruthRow[]) {
  const atoms = new Array<number>(system.refinement.atoms.length).fill(0);
  const attributes = new Map<string, { part: number[]; whole: number[] }>();
  for (const row of truth) {
    const a = system.refinement.atomOf(row.values);
    if (a === undefined) continue;
    atoms[a]! += row.workers;
    for (const [name, v] of Object.entries(row.attributes ?? {})) {
      let t = attributes.get(name);
      if (!t) {
        t = { part: new Array<number>(atoms.length).fill(0), whole: new Array<number>(atoms.length).fill(0) };
        attributes.set(name, t);
      }
      t.part[a]! += v.part;
      t.whole[a]! += v.whole;
    }
  }
  return { atoms, attributes };
}

const small = (v: number, k: number) => v >= 1 && v < k;

/** The sensitive quantities of a system: atoms, published cells and attribute counts whose true value is 1..k−1. */
function sensitiveQuantities(system: System, cells: readonly Published[], truth: readonly TruthRow[], k: number): Quantity[] {
  const t = truthOf(system, truth);
  const out: Quantity[] = [];
  const seen = new Set<string>();
  const add = (q: Quantity) => {
    const key = `${q.kind}:${q.attribute ?? ''}:${[...q.terms.keys()].sort((a, b) => a - b).join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(q);
  };
  system.refinement.atoms.forEach((_, a) => {
    if (small(t.atoms[a]!, k)) add({ kind: 'count', box: atomBox(system.refinement, a), terms: new Map([[a, 1]]), truth: t.atoms[a] });
  });
  for (const p of cells) {
    const atoms = atomsIn(system, p.box);
    const total = atoms.reduce((s, a) => s + t.atoms[a]!, 0);
    if (small(total, k)) add({ kind: 'count', box: p.box, terms: new Map(atoms.map((a) => [a, 1])), truth: total });
  }
  for (const [attribute, cols] of system.attributeColumns) {
    const tt = t.attributes.get(attribute);
    if (!tt) continue;
    for (const [a, y] of cols.y) {
      if (small(tt.part[a]!, k)) add({ kind: 'attribute', attribute, box: atomBox(system.refinement, a), terms: new Map([[y, 1]]), truth: tt.part[a] });
      const w = cols.w?.get(a) ?? a;
      const without = (cols.w ? tt.whole[a]! : t.atoms[a]!) - tt.part[a]!;
      if (small(without, k)) add({ kind: 'attribute', attribute: `not ${attribute}`, box: atomBox(system.refinement, a), terms: new Map([[w, 1], [y, -1]]), truth: without });
    }
    for (const p of cells) {
      if (p.cell.share?.attribute !== attribute || p.cell.count === null) continue;
      const atoms = atomsIn(system, p.box);
      const part = atoms.reduce((s, a) => s + tt.part[a]!, 0);
      if (small(part, k)) add({ kind: 'attribute', attribute, box: p.box, terms: new Map(atoms.map((a) => [cols.y.get(a)!, 1])), truth: part });
    }
  }
  return out;
}

/** Cheap outer bound: a quantity of atoms in no visible box is unbounded above (no solve needed). */
function bounded(system: System, q: Quantity): boolean {
  for (const [column, coef] of q.terms) if (coef > 0 && !Number.isFinite(system.atomCap[system.columnAtom[column]!]!)) return false;
  return true;
}

export interface AuditResult {
  findings: AuditFinding[];
  stats: AuditStats;
  /** The numbers admit no integer solution (computed from data that changed meanwhile): nothing was judged. */
  inconsistent?: boolean;
}

/** Every sensitive quantity the candidate, with the record, would leave narrower than the protection interval. Empty: publishable. */
export async function auditRecord(input: AuditInput): Promise<AuditResult> {
  assertK(input.k);
  if (!Number.isInteger(input.protection) || input.protection < 2) throw new RangeError(`the protection interval must be a whole number of at least 2, got ${input.protection}`);
  const P = input.protection;
  const all = [...published([input.candidate]), ...published(input.current)];
  const stats: AuditStats = { atoms: 0, columns: 0, rows: 0, quantities: 0, solved: 0, integer: 0 };
  const findings: AuditFinding[] = [];
  if (all.length === 0) return { findings, stats };
  const system = buildSystem(all);
  stats.atoms += system.refinement.atoms.length;
  stats.columns += system.columns;
  stats.rows += system.rows.length;
  const quantities = sensitiveQuantities(system, all, input.truth, input.k);
  stats.quantities += quantities.length;
  const narrow: { q: Quantity; low: number; high: number; binding: number[] }[] = [];
  if (quantities.length) {
    const solver = await boundsSolver(system);
    try {
      for (const q of quantities) {
        if (!bounded(system, q)) continue;
        stats.solved += 1;
        if (q.truth !== undefined && solver.clearlyWide(q.terms, P, q.truth)) continue;
        const b = solver.bounds(q.terms, P);
        stats.solved += 1;
        if (b.integer) stats.integer += 1;
        // No integer solution: the numbers were computed from data that changed while publishing (or
        // a bug). Nothing can be judged; the caller refuses and asks to try again.
        if (b.low > b.high) return { findings, stats, inconsistent: true };
        if (b.high - b.low < P) narrow.push({ q, low: b.low, high: b.high, binding: b.binding });
      }
    } finally {
      solver.dispose();
    }
  }
  // Refuse only what the candidate makes narrower: a quantity exactly as narrow before it (records
  // published before this audit existed) is not the candidate's doing, and refusing it would block
  // every later publication. "Before" is the same system with the rows only the candidate publishes
  // relaxed, so the quantity is the same set of workers on both sides.
  if (narrow.length) {
    const onlyCandidate = (r: LinearRow) => r.tag !== undefined && system.tags[r.tag]!.every((id) => id === input.candidate.id);
    const before = await boundsSolver({ ...system, rows: system.rows.map((r) => (onlyCandidate(r) ? { ...r, lower: -Infinity, upper: Infinity } : r)) });
    try {
      for (const n of narrow) {
        const b = before.bounds(n.q.terms, P);
        stats.solved += 1;
        if (b.low === n.low && b.high === n.high) continue;
        const withIds = [...new Set(n.binding.flatMap((t) => system.tags[t] ?? []))].filter((id) => id !== input.candidate.id);
        findings.push({ kind: n.q.kind, box: n.q.box, attribute: n.q.attribute, low: n.low, high: n.high, with: withIds });
      }
    } finally {
      before.dispose();
    }
  }
  findings.push(...(await changes(input, system, stats)));
  return { findings, stats };
}

/** The same quantity in another system's columns (its box refines it there); null when it cannot be expressed. */
function translate(to: System, q: Quantity): Map<number, number> | null {
  const atoms = atomsIn(to, q.box);
  if (!atoms.length) return null;
  if (q.kind === 'count') return new Map(atoms.map((a) => [a, 1]));
  const attribute = q.attribute!.replace(/^not /, '');
  const cols = to.attributeColumns.get(attribute);
  if (!cols || atoms.some((a) => !cols.y.has(a))) return null;
  const negated = q.attribute!.startsWith('not ');
  const terms = new Map<number, number>();
  for (const a of atoms) {
    terms.set(cols.y.get(a)!, negated ? -1 : 1);
    if (negated) terms.set(cols.w?.get(a) ?? a, 1);
  }
  return terms;
}

/**
 * Changes between a snapshot of a changed population and today: for each count or share the
 * candidate shows, the difference with the same box then. Refused when the record pins the
 * difference (narrower than P, 0 excluded) to within 1..k−1 workers.
 */
async function changes(input: AuditInput, current: System, stats: AuditStats): Promise<AuditFinding[]> {
  const past = input.past ?? [];
  if (!past.length) return [];
  const P = input.protection;
  const findings: AuditFinding[] = [];
  // Today's quantities the candidate publishes, with their interval in today's system.
  const asked: { q: Quantity; low: number; high: number }[] = [];
  const solver = await boundsSolver(current);
  try {
    for (const cell of input.candidate.cells) {
      if (cell.count === null) continue;
      const atoms = atomsIn(current, cell.box);
      asked.push({ q: { kind: 'count', box: cell.box, terms: new Map(atoms.map((a) => [a, 1])) }, low: cell.count, high: cell.count });
      if (cell.share) {
        const cols = current.attributeColumns.get(cell.share.attribute)!;
        const q: Quantity = { kind: 'attribute', attribute: cell.share.attribute, box: cell.box, terms: new Map(atoms.map((a) => [cols.y.get(a)!, 1])) };
        const b = solver.bounds(q.terms, P);
        stats.solved += 1;
        if (b.high - b.low < P) asked.push({ q, low: b.low, high: b.high });
      }
    }
  } finally {
    solver.dispose();
  }
  for (const snapshot of past) {
    const cells = published([snapshot]);
    const relevant = asked.filter(({ q }) => cells.some((p) => p.cell.count !== null && contains(p.box, q.box)));
    if (!relevant.length) continue;
    const then = buildSystem(cells, relevant.map((r) => r.q.box));
    stats.atoms += then.refinement.atoms.length;
    const s = await boundsSolver(then);
    try {
      for (const r of relevant) {
        const terms = translate(then, r.q);
        if (!terms) continue;
        const b = s.bounds(terms, P);
        stats.solved += 1;
        if (b.low > b.high) continue;
        const low = r.low - b.high;
        const high = r.high - b.low;
        const excludesZero = low > 0 || high < 0;
        const reachesSmall = (low <= input.k - 1 && high >= 1) || (low <= -1 && high >= 1 - input.k);
        const pinnedSmall = high - low < P && excludesZero && reachesSmall;
        if (pinnedSmall) findings.push({ kind: 'change', box: r.q.box, attribute: r.q.attribute, low, high, with: [snapshot.id] });
      }
    } finally {
      s.dispose();
    }
  }
  return findings;
}

/** Every value the inner box allows, the outer allows too. */
export function contains(outer: Box, inner: Box): boolean {
  for (const [d, allowed] of Object.entries(outer)) {
    const own = inner[d];
    if (!own) return false;
    for (const v of own) if (!allowed.includes(v)) return false;
  }
  return true;
}
