// Preconditioners z = M⁻¹·r that run inside wasm (assembly/krylov/precond.ts), each
// declaring whether it is symmetric and linear: `solve` picks CG for those that are both
// and flexible conjugate directions otherwise.
import { SolvewasmError } from "../errors.js";
import { Allocation, disposeSymbol, F64Buffer, productVectors, requireAlive, withVectors, type Liveness, type Vector } from "../memory.js";
import { csrFromArrays, type CsrMatrix } from "../operators/csr.js";
import { WasmOperator, type LinearOperator } from "../operators/operator.js";
import type { Runtime } from "../runtime.js";
import { checkSquare, describe } from "../validate.js";
import { lanczosExtremes } from "./lanczos.js";
import { PreconditionerDescriptor, PreconditionerKind } from "../generated/layouts.js";
import { checkOptionNames, checkOptionsObject } from "../solver.js";
import { ilu0, ilut, type Csr, type IncompleteLu } from "./ilu.js";

/** A handle a preconditioner points into, named for the DISPOSED message. */
export type Dependency = readonly [name: string, handle: Liveness];

/** A preconditioner: applies z = M⁻¹·r. */
export class Preconditioner implements LinearOperator {
  readonly rows: number;
  readonly cols: number;
  /** M⁻¹ is symmetric (CG needs this). */
  readonly symmetric: boolean;
  /** M⁻¹ is a linear map (CG needs this). */
  readonly linear = true;
  /** What setup found, e.g. `{ shift }` for IC(0), `{ lmin, lmax }` for Chebyshev. */
  readonly info: Readonly<Record<string, number>>;
  readonly #rt: Runtime;
  readonly #descriptor: Allocation;
  readonly #owned: { dispose(): void }[];
  readonly #dependencies: readonly Dependency[];

  /**
   * @internal Use the `precond` factories. `fields` fill the descriptor; `owned` is freed
   * with it; `dependencies` are what it points into but does not own (the matrix, a
   * hierarchy): every use checks them, so a disposed one gives DISPOSED, never a wrong answer.
   */
  constructor(
    rt: Runtime,
    readonly name: string,
    n: number,
    fields: Parameters<PreconditionerDescriptor["assign"]>[0],
    owned: { dispose(): void }[],
    dependencies: readonly Dependency[] = [],
    info: Record<string, number> = {},
    symmetric = true,
  ) {
    this.rows = this.cols = n;
    this.#rt = rt;
    this.#owned = owned;
    this.#dependencies = [
      ...dependencies,
      ...owned.filter((o): o is { dispose(): void } & Liveness => "alive" in o).map((o) => ["its own storage", o] as const),
    ];
    this.info = Object.freeze(info);
    this.symmetric = symmetric;
    this.#descriptor = new Allocation(rt, PreconditionerDescriptor.BYTES);
    new PreconditionerDescriptor(rt, this.#descriptor.ptr("Preconditioner")).assign({ ...fields, n });
  }

  /** @internal */
  get runtime(): Runtime {
    return this.#rt;
  }

  /** @internal The descriptor's offset, once its own memory and every dependency is
   * checked alive (DISPOSED naming the one that is not). */
  descriptorPtr(): number {
    const ptr = this.#descriptor.ptr(`${this.name} preconditioner`);
    requireAlive(`this ${this.name} preconditioner`, this.#dependencies);
    return ptr;
  }

  /** z = M⁻¹·r (a new Float64Array, or written into `out`). */
  matvec(r: Vector, out?: Vector): Float64Array {
    const z = productVectors(r, out, this.rows, this.rows, "r");
    withVectors(this.#rt, [r, z], [false, true], (ex, [pr, pz]) => ex.pcApply(this.descriptorPtr(), pr, pz));
    return z as Float64Array;
  }

  /** True while it and everything it points into are usable. */
  get alive(): boolean {
    return this.#descriptor.alive && this.#dependencies.every(([, d]) => d.alive);
  }

  /** Frees what the preconditioner owns (not the operator it was built from). */
  dispose(): void {
    this.#descriptor.free();
    for (const o of this.#owned) o.dispose();
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}

/** The factors of a triangular preconditioner as CSR arrays (0-based, columns sorted). */
export interface TriangularFactors {
  /** Lower triangular, each row's diagonal last (all ones for ILU, L of L·Lᵀ for IC(0)). */
  L: Csr;
  /** Upper triangular, each row's diagonal (the pivot) first. */
  U: Csr;
}

/** A preconditioner M = L·U applied as z = U⁻¹·(L⁻¹·r) in wasm: IC(0) (U = Lᵀ) and the ILUs. */
export class TriangularPreconditioner extends Preconditioner {
  readonly #lower: CsrMatrix;
  readonly #upper: CsrMatrix;

  /** @internal Use `precond.ic0`, `precond.ilu0` or `precond.ilut`; it owns both factors. */
  constructor(rt: Runtime, name: string, lower: CsrMatrix, upper: CsrMatrix, info: Record<string, number>, symmetric: boolean) {
    const l = lower.pointers(),
      u = upper.pointers();
    super(
      rt,
      name,
      lower.rows,
      { kind: PreconditionerKind.TRIANGULAR, ptr0: l.indptr, ptr1: l.indices, ptr2: l.data, ptr3: u.indptr, ptr4: u.indices, ptr5: u.data },
      [lower, upper],
      [],
      info,
      symmetric,
    );
    this.#lower = lower;
    this.#upper = upper;
  }

  /** Copies of L and U (M = L·U). */
  factors(): TriangularFactors {
    this.descriptorPtr(); // DISPOSED after dispose()
    return { L: this.#lower.toArrays(), U: this.#upper.toArrays() };
  }
}

function checkOperator(rt: Runtime, A: unknown, what: string): asserts A is WasmOperator {
  if (!(A instanceof WasmOperator)) {
    throw new SolvewasmError("INVALID_ARGUMENT", `${what} needs a solvewasm operator (CsrMatrix or a gallery operator), got ${describe(A)}`);
  }
  if (A.rt !== rt) throw new SolvewasmError("INVALID_ARGUMENT", `${what}: the operator belongs to another solvewasm instance`);
  A.descriptorPtr(); // DISPOSED for a disposed operator
  checkSquare(A, what);
}

/** Positive diagonal of A, or INVALID_ARGUMENT naming the first bad entry. */
function positiveDiagonal(A: WasmOperator, what: string): Float64Array {
  const d = A.diagonal();
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] > 0)) {
      throw new SolvewasmError("INVALID_ARGUMENT", `${what} needs a positive diagonal; A[${i}][${i}] = ${d[i]} (A is not SPD)`);
    }
  }
  return d;
}

export interface Preconditioners {
  /** M = diag(A). @example cg(A, b, { M: precond.jacobi(A) }) */
  jacobi(A: LinearOperator): Preconditioner;
  /** Symmetric SOR: M = (D + ωL)·D⁻¹·(D + ωU) / (ω(2 − ω)); ω = 1 (default) is symmetric
   * Gauss–Seidel. Grid operators are converted to CSR once. */
  ssor(A: LinearOperator, options?: { omega?: number }): Preconditioner;
  /** Incomplete Cholesky with zero fill, L·Lᵀ ≈ A on A's lower pattern. When a pivot is
   * not positive, A + α·diag(A) is factored instead, α = 10⁻³, 2·10⁻³, …: `info.shift`. */
  ic0(A: LinearOperator): TriangularPreconditioner;
  /** Incomplete LU with zero fill (Saad's IKJ ILU(0)): L·U = A on A's pattern, L unit lower.
   * Any square matrix with every diagonal entry stored; a pivot |u_ii| < 10⁻⁴·‖a_i‖₂ is
   * replaced by ±10⁻⁴·‖a_i‖₂ and counted (`info.modifiedPivots`). Declared symmetric: false.
   * `M.factors()` gives L and U. */
  ilu0(A: LinearOperator, options?: Record<string, never>): TriangularPreconditioner;
  /** Saad's ILUT(τ, p): in each row, entries below τ·‖a_i‖₂ are dropped and the `fill` (p)
   * largest are kept in L and in U besides the diagonal (at most (2p + 1)·n entries in all).
   * Pivots below (10⁻⁴ + τ)·‖a_i‖₂ are replaced and counted as for `ilu0`. */
  ilut(A: LinearOperator, options?: { dropTol?: number; fill?: number }): TriangularPreconditioner;
  /** A Chebyshev polynomial in A of the given degree (default 3, so degree − 1 products
   * per application) on [λmin, 1.05·λmax], both estimated by `lanczosSteps` (default 20)
   * Lanczos steps: `info.lmin`, `info.lmax`. */
  chebyshev(A: LinearOperator, options?: { degree?: number; lanczosSteps?: number }): Preconditioner;
}

export function makePreconditioners(rt: Runtime): Preconditioners {
  return {
    jacobi(A) {
      checkOperator(rt, A, "precond.jacobi");
      const d = positiveDiagonal(A, "precond.jacobi");
      const inv = new F64Buffer(rt, d.length);
      inv.set(d.map((v) => 1 / v));
      return new Preconditioner(rt, "jacobi", d.length, { kind: PreconditionerKind.JACOBI, ptr0: inv.ptr }, [inv]);
    },

    ssor(A, options = {}) {
      checkOperator(rt, A, "precond.ssor");
      checkOptionNames(options, ["omega"], "precond.ssor");
      const omega = options.omega ?? 1;
      if (typeof omega !== "number" || !(omega > 0 && omega < 2)) {
        throw new SolvewasmError("INVALID_OPTION", `omega must be in (0, 2), got ${describe(omega)}`);
      }
      const { csr, owned } = A.asCsr();
      try {
        const d = positiveDiagonal(csr, "precond.ssor");
        const diag = new F64Buffer(rt, d.length).set(d);
        const p = csr.pointers();
        return new Preconditioner(
          rt,
          "ssor",
          d.length,
          { kind: PreconditionerKind.SSOR, ptr0: p.indptr, ptr1: p.indices, ptr2: p.data, ptr3: diag.ptr, param0: omega },
          owned ? [diag, csr] : [diag],
          owned ? [] : [[`its ${csr.constructor.name}`, csr]],
          { omega },
        );
      } catch (e) {
        if (owned) csr.dispose();
        throw e;
      }
    },

    ic0(A) {
      checkOperator(rt, A, "precond.ic0");
      const { csr, owned } = A.asCsr();
      try {
        positiveDiagonal(csr, "precond.ic0");
        const { L, shift } = incompleteCholesky(csr.toArrays());
        return triangular(rt, "ic0", csrFromArrays(rt, L), (lower) => lower.transpose(), { shift }, true);
      } finally {
        if (owned) csr.dispose();
      }
    },

    ilu0(A, options) {
      checkOperator(rt, A, "precond.ilu0");
      checkOptionsObject(options, "precond.ilu0");
      const given = Object.keys(options ?? {});
      if (given.length > 0) {
        throw new SolvewasmError("INVALID_OPTION", `precond.ilu0 takes no options, got "${given[0]}" (precond.ilut has dropTol and fill)`);
      }
      return incompleteLu(rt, A, "ilu0", (a) => ilu0(a, "precond.ilu0"), {});
    },

    ilut(A, options = {}) {
      checkOperator(rt, A, "precond.ilut");
      checkOptionNames(options, ["dropTol", "fill"], "precond.ilut");
      const dropTol = options.dropTol ?? 1e-4;
      const fill = options.fill ?? 10;
      if (typeof dropTol !== "number" || !(dropTol >= 0 && dropTol < Infinity)) {
        throw new SolvewasmError("INVALID_OPTION", `dropTol must be a finite number ≥ 0, got ${describe(dropTol)}`);
      }
      if (!Number.isSafeInteger(fill) || fill < 0) {
        throw new SolvewasmError("INVALID_OPTION", `fill must be an integer ≥ 0 (entries kept per row in L and in U), got ${describe(fill)}`);
      }
      return incompleteLu(rt, A, "ilut", (a) => ilut(a, dropTol, fill, "precond.ilut"), { dropTol, fill });
    },

    chebyshev(A, options = {}) {
      checkOperator(rt, A, "precond.chebyshev");
      checkOptionNames(options, ["degree", "lanczosSteps"], "precond.chebyshev");
      const degree = options.degree ?? 3;
      const steps = options.lanczosSteps ?? 20;
      if (!Number.isInteger(degree) || degree < 1 || degree > 100) {
        throw new SolvewasmError("INVALID_OPTION", `degree must be an integer in [1, 100], got ${describe(degree)}`);
      }
      if (!Number.isInteger(steps) || steps < 2 || steps > 1000) {
        throw new SolvewasmError("INVALID_OPTION", `lanczosSteps must be an integer in [2, 1000], got ${describe(steps)}`);
      }
      const { min, max } = lanczosExtremes((v, w) => A.matvec(v, w), A.rows, steps);
      if (!(min > 0)) {
        throw new SolvewasmError("INVALID_ARGUMENT", `precond.chebyshev needs an SPD operator; Lanczos found an eigenvalue ≈ ${min}`);
      }
      const lmax = 1.05 * max;
      const lmin = Math.min(min, lmax / 2);
      const n = A.rows;
      const d = new F64Buffer(rt, n),
        w = new F64Buffer(rt, n);
      return new Preconditioner(
        rt,
        "chebyshev",
        n,
        { kind: PreconditionerKind.CHEBYSHEV, ptr0: d.ptr, ptr1: w.ptr, degree, param0: lmin, param1: lmax, operator: A.descriptorPtr() },
        [d, w],
        [[`its ${A.constructor.name}`, A]],
        { lmin, lmax, degree },
      );
    },
  };
}

/** Factors A (converted to CSR if needed) with `factor` and wraps L and U. */
function incompleteLu(rt: Runtime, A: WasmOperator, name: string, factor: (a: Csr) => IncompleteLu, extra: Record<string, number>): TriangularPreconditioner {
  const { csr, owned } = A.asCsr();
  let f: IncompleteLu;
  let nnzA: number;
  try {
    nnzA = csr.nnz;
    f = factor(csr.toArrays());
  } finally {
    if (owned) csr.dispose();
  }
  const n = f.L.rows;
  const nnzL = f.L.indptr[n] - n,
    nnzU = f.U.indptr[n];
  const info = { nnzL, nnzU, fillRatio: (nnzL + nnzU) / nnzA, modifiedPivots: f.modifiedPivots, ...extra };
  return triangular(rt, name, csrFromArrays(rt, f.L), () => csrFromArrays(rt, f.U), info, false);
}

/** The preconditioner over `lower` and `makeUpper(lower)`, freeing both if any step fails. */
function triangular(
  rt: Runtime,
  name: string,
  lower: CsrMatrix,
  makeUpper: (lower: CsrMatrix) => CsrMatrix,
  info: Record<string, number>,
  symmetric: boolean,
): TriangularPreconditioner {
  let upper: CsrMatrix | undefined;
  try {
    upper = makeUpper(lower);
    return new TriangularPreconditioner(rt, name, lower, upper, info, symmetric);
  } catch (e) {
    lower.dispose();
    upper?.dispose();
    throw e;
  }
}

/** @internal A solvewasm operator used as M⁻¹ inside wasm (the caller disposes it). */
export function operatorAsPreconditioner(rt: Runtime, op: WasmOperator): Preconditioner {
  return new Preconditioner(
    rt,
    "operator",
    op.rows,
    { kind: PreconditionerKind.OPERATOR, operator: op.descriptorPtr() },
    [],
    [[`its ${op.constructor.name}`, op]],
  );
}

/**
 * IC(0) by rows: for each row i of the lower triangle, l_ik = (a_ik − Σ_j l_ij·l_kj) / l_kk over
 * the shared pattern, then l_ii = √(a_ii − Σ_j l_ij²). Rows of L keep the diagonal last.
 */
export function incompleteCholesky(A: { rows: number; indptr: Int32Array; indices: Int32Array; data: Float64Array }): {
  L: { rows: number; cols: number; indptr: Int32Array; indices: Int32Array; data: Float64Array };
  shift: number;
} {
  const n = A.rows;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) if (A.indices[k] <= i) c++;
    indptr[i + 1] = indptr[i] + c;
  }
  const nnz = indptr[n];
  const indices = new Int32Array(nnz),
    a = new Float64Array(nnz);
  for (let i = 0, q = 0; i < n; i++) {
    for (let k = A.indptr[i]; k < A.indptr[i + 1]; k++) {
      if (A.indices[k] <= i) {
        indices[q] = A.indices[k];
        a[q++] = A.data[k];
      }
    }
    if (q === indptr[i] || indices[q - 1] !== i) {
      throw new SolvewasmError("INVALID_ARGUMENT", `precond.ic0: row ${i} has no diagonal entry`);
    }
  }
  const data = new Float64Array(nnz);
  for (let shift = 0; ; shift = shift ? 2 * shift : 1e-3) {
    if (factor(n, indptr, indices, a, data, shift)) {
      return { L: { rows: n, cols: n, indptr, indices, data }, shift };
    }
    if (shift > 1e6) throw new SolvewasmError("INVALID_ARGUMENT", "precond.ic0: no diagonal shift makes the factorisation succeed");
  }
}

function factor(n: number, indptr: Int32Array, indices: Int32Array, a: Float64Array, l: Float64Array, shift: number): boolean {
  for (let i = 0; i < n; i++) {
    const s = indptr[i],
      e = indptr[i + 1] - 1; // e: the diagonal
    for (let t = s; t < e; t++) {
      const k = indices[t];
      // Σ_j l_ij·l_kj over columns j < k present in both rows (sorted merge).
      let sum = 0;
      let u = s,
        v = indptr[k];
      const vend = indptr[k + 1] - 1;
      while (u < t && v < vend) {
        const cu = indices[u],
          cv = indices[v];
        if (cu === cv) sum += l[u++] * l[v++];
        else if (cu < cv) u++;
        else v++;
      }
      l[t] = (a[t] - sum) / l[vend];
    }
    let d = a[e] * (1 + shift);
    for (let t = s; t < e; t++) d -= l[t] * l[t];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    l[e] = Math.sqrt(d);
  }
  return true;
}
