import highsLoader, { type Highs } from 'highs';

// The smallest and largest value a linear quantity can take over the integer points of a system of
// linear constraints (non-negative integer unknowns). The linear relaxation is solved first with
// HiGHS (WebAssembly, no network); the integer program only when the linear optimum is fractional.
// One persistent model per system, so each further quantity only changes the objective and starts
// from the last basis.

export interface LinearRow {
  /** Column index → coefficient. */
  entries: readonly (readonly [number, number])[];
  lower: number;
  upper: number;
  /** Whatever the caller needs to know which published number this row stands for. */
  tag?: number;
}

export interface LinearSystem {
  columns: number;
  /** Upper bound per column (Infinity when none). */
  columnUpper?: readonly number[];
  rows: readonly LinearRow[];
}

export interface QuantityBounds {
  low: number;
  high: number;
  /** Tags of the rows that hold the bounds (non-zero duals of the linear programs). */
  binding: number[];
  /** The integer program had to be solved (the linear bounds were fractional). */
  integer: boolean;
}

let loading: Promise<Highs> | undefined;
/** HiGHS is loaded once per process (about 0.2 s). */
export const loadSolver = () => (loading ??= highsLoader());

const EPS = 1e-6;
const isWhole = (v: number) => Math.abs(v - Math.round(v)) < EPS;

export interface BoundsSolver {
  /**
   * [low, high] of the quantity. `width`: the caller only needs to know whether the interval is at
   * least this wide; once an integer solution shows it is, `high` may be any value at least low + width.
   */
  bounds(quantity: ReadonlyMap<number, number>, width?: number): QuantityBounds;
  /** True when an integer solution puts the quantity, whose true value is `truth`, at least `width` above it (so its interval is wide). */
  clearlyWide(quantity: ReadonlyMap<number, number>, width: number, truth: number): boolean;
  dispose(): void;
}

/** A solver for one system; `bounds` may be called for many quantities. Infeasible systems answer an empty interval (low > high). */
export async function boundsSolver(system: LinearSystem): Promise<BoundsSolver> {
  const highs = await loadSolver();
  const { columns, rows } = system;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    for (const [c, v] of row.entries) {
      indices.push(c);
      values.push(v);
    }
    starts.push(indices.length);
  }
  const upper = system.columnUpper ? Float64Array.from(system.columnUpper, (u) => (Number.isFinite(u) ? u : highs.infinity)) : new Float64Array(columns).fill(highs.infinity);
  const data = {
    numCols: columns,
    numRows: rows.length,
    colCost: new Float64Array(columns),
    colLower: new Float64Array(columns),
    colUpper: upper,
    rowLower: Float64Array.from(rows, (r) => (Number.isFinite(r.lower) ? r.lower : -highs.infinity)),
    rowUpper: Float64Array.from(rows, (r) => (Number.isFinite(r.upper) ? r.upper : highs.infinity)),
    matrix: { format: 'csr' as const, numRows: rows.length, numCols: columns, starts, indices, values },
  };
  const lp = highs.createModel(data);
  // Without presolve, and with the primal simplex, each further objective starts from the last basis
  // (still primal feasible: only the costs change): about five times faster than solving afresh.
  lp.options.set({ output_flag: false, presolve: 'off', simplex_strategy: 4 });
  let mip: ReturnType<Highs['createModel']> | undefined;
  const status = highs.constants.modelStatus;
  let lastCost: number[] = [];
  let lastCostMip: number[] = [];

  function optimum(model: typeof lp, sense: 'min' | 'max', targeted = false): { value: number; solution: Float64Array; duals: Float64Array } | 'unbounded' | 'infeasible' {
    model.changeObjectiveSense(sense === 'min' ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize);
    const run = model.run();
    if (run.modelStatus === status.unbounded || run.modelStatus === status.unboundedOrInfeasible) return run.modelStatus === status.unbounded ? 'unbounded' : 'infeasible';
    if (run.modelStatus === status.infeasible) return 'infeasible';
    const stoppedAtTarget = targeted && run.modelStatus === status.objectiveTarget;
    if (run.modelStatus !== status.optimal && !stoppedAtTarget) throw new Error(`the disclosure audit's solver stopped with model status ${run.modelStatus}`);
    const solution = model.getSolution();
    return { value: model.getObjectiveValue(), solution: solution.colValue, duals: solution.rowDual };
  }

  function integerModel() {
    if (!mip) {
      mip = highs.createModel({ ...data, integrality: new Int32Array(columns).fill(highs.constants.variableType.integer) });
      mip.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0 });
    }
    return mip;
  }

  const cost = (model: typeof lp, quantity: ReadonlyMap<number, number>, last: number[]) => {
    for (const c of last) model.changeColCost(c, 0);
    for (const [c, v] of quantity) model.changeColCost(c, v);
    return [...quantity.keys()];
  };
  const fractional = (o: ReturnType<typeof optimum>) => typeof o === 'object' && (!isWhole(o.value) || o.solution.some((v) => !isWhole(v)));
  const value = (o: ReturnType<typeof optimum>, unbounded: number) => (o === 'unbounded' ? unbounded : o === 'infeasible' ? NaN : o.value);

  return {
    clearlyWide(quantity, width, truth) {
      lastCost = cost(lp, quantity, lastCost);
      const high = optimum(lp, 'max');
      // The smallest value is at most the true one, so an integer solution `width` above the true
      // value proves the interval wide. The linear optimum is one when it is an integer point;
      // otherwise the integer program looks for one and stops at the first (a linear optimum alone
      // proves nothing: integer optima of such systems can lie well inside it).
      if (high === 'unbounded') return true;
      if (high === 'infeasible' || high.value < truth + width - EPS) return false;
      if (!fractional(high)) return true;
      const m = integerModel();
      lastCostMip = cost(m, quantity, lastCostMip);
      m.options.set({ objective_target: truth + width });
      const witness = optimum(m, 'max', true);
      return witness === 'unbounded' || (witness !== 'infeasible' && witness.value >= truth + width - EPS);
    },
    bounds(quantity, width = Infinity) {
      lastCost = cost(lp, quantity, lastCost);
      const low = optimum(lp, 'min');
      const high = optimum(lp, 'max');
      if (low === 'infeasible' || high === 'infeasible') return { low: 1, high: 0, binding: [], integer: false };
      const binding = new Set<number>();
      for (const o of [low, high]) {
        if (o === 'unbounded') continue;
        o.duals.forEach((d, i) => {
          if (Math.abs(d) > EPS && rows[i]!.tag !== undefined) binding.add(rows[i]!.tag!);
        });
      }
      let lo = value(low, -Infinity);
      let hi = value(high, Infinity);
      let integer = false;
      // Narrower than `width` already: the integer interval is narrower still (it lies inside), so the
      // question is settled; the linear bounds, rounded inward, are reported.
      if (hi - lo < width) return { low: Math.ceil(lo - EPS), high: Math.floor(hi + EPS), binding: [...binding].sort((a, b) => a - b), integer: false };
      // The linear bounds are outer bounds: where an optimum is not an integer point, the integer
      // program gives the integer bound (the property tests check it against an enumeration).
      if (fractional(low) || fractional(high)) {
        // The smallest integer
        // value is found exactly (the search stops once it meets the linear bound); the largest only
        // until it is `width` above the smallest, which settles the question asked.
        integer = true;
        const m = integerModel();
        lastCostMip = cost(m, quantity, lastCostMip);
        // A side whose linear optimum is already an integer point is exact as it is.
        if (fractional(low)) {
          const floor = Math.ceil(lo - EPS);
          m.options.set({ objective_target: Number.isFinite(floor) ? floor : -1e15 });
          const l = optimum(m, 'min', true);
          if (l === 'infeasible') return { low: 1, high: 0, binding: [], integer };
          lo = value(l, -Infinity);
        }
        if (fractional(high)) {
          const goal = lo + width;
          m.options.set({ objective_target: Number.isFinite(goal) ? goal : 1e15 });
          const h = optimum(m, 'max', true);
          hi = value(h, Infinity);
        }
      }
      const round = (v: number) => (Number.isFinite(v) && isWhole(v) ? Math.round(v) : v);
      return { low: round(lo), high: round(hi), binding: [...binding].sort((a, b) => a - b), integer };
    },
    dispose() {
      lp.dispose();
      mip?.dispose();
    },
  };
}
