// The one definition of every structure and tag that crosses the wasm boundary. The build
// (scripts/build.mjs) generates from it
//   assembly/generated/layouts.ts — enums and @unmanaged classes the kernels read through
//     `changetype<Class>(ptr).field`, and self-check exports (offsetof, a probe);
//   bindings/generated/layouts.ts — the same enums and accessor classes over wasm memory.
// Offsets are computed here with natural alignment (AssemblyScript's rule for unmanaged
// classes); test/layouts.test.js compares them with the compiler's offsetof<…>() and reads
// a probe written by wasm back through every accessor. Neither side spells an offset.

/** Tags: one enum per meaning. Values are what the kernels switch on. */
export const enums = {
  /** What an operator descriptor describes (assembly/operators/apply.ts). */
  OperatorKind: { CSR: 1, STENCIL5: 2, STENCIL7: 3, TERMS: 4, DIFFUSION: 5 },
  /** What a preconditioner descriptor describes (assembly/krylov/precond.ts). */
  PreconditionerKind: { JACOBI: 1, SSOR: 2, TRIANGULAR: 3, CHEBYSHEV: 4, OPERATOR: 5, MULTILEVEL: 6 },
  /** What a solver's `…Iterate(state, steps)` returns (assembly/krylov/state.ts). */
  SolverStatus: { RUNNING: 0, CONVERGED: 1, BREAKDOWN: 2, MAXITER: 3, NONFINITE: 4, DIVERGED: 5, NEED_MATVEC: 10, NEED_PRECOND: 11 },
  /** Bits of SolverState.flags. */
  SolverFlag: { PC_CALLER: 1, RESTART: 2, TRUE_RESIDUAL: 4 },
  /** Multigrid cycle shapes. */
  CycleKind: { V: 0, W: 1, F: 2 },
  /** Multigrid smoothers: red-black Gauss–Seidel (constant 5-/7-point stencils), weighted
   * Jacobi (with the level's diagonal, or its l1 row norms for l1-Jacobi), symmetric
   * Gauss–Seidel on CSR (a forward then a backward sweep per step), and Gauss–Seidel on CSR
   * forward before the coarse correction and backward after it (hypre's hybrid GS), and
   * Chebyshev: x += p(A)·(b − A·x), p the degree-2 Chebyshev polynomial for A⁻¹ on the
   * level's [chebLo, chebHi]. */
  SmootherKind: { RBGS: 0, JACOBI: 1, SGS: 2, GS: 3, CHEBYSHEV: 4 },
  /** Polynomial basis of the xVA regressions (assembly/xva/regress.ts basisEval). */
  BasisKind: { MONOMIAL: 0, HERMITE: 1 },
  /** Black–Scholes values of a trade (assembly/xva/special.ts bsAccumulate). */
  PayoffKind: { FORWARD: 0, CALL: 1, PUT: 2 },
  /** How a first-passage default is detected between steps (assembly/xva/paths.ts). */
  ExitKind: { DISCRETE: 0, BRIDGE: 1 },
  /** How a convolution reads past a grid's edge (assembly/learned/conv.ts): PyTorch's
   * padding_mode 'zeros', 'replicate', 'circular' and 'reflect'. */
  Padding: { ZEROS: 0, REPLICATE: 1, CIRCULAR: 2, REFLECT: 3 },
};

// Field types: i8, i32, f64, and ptr (a byte offset in wasm memory: usize, 4 bytes).
const ptrs = (...names) => names.map((n) => [n, "ptr"]);
const i32s = (...names) => names.map((n) => [n, "i32"]);
const f64s = (...names) => names.map((n) => [n, "f64"]);

/** Structures, each `{ doc, fields: [name, type][], extends? }`; fields in memory order. */
export const structs = {
  OperatorDescriptor: {
    doc: "An operator the kernels can apply (opApply). A line is a grid row of nx points (stencils) or one matrix row (CSR). ptr0–ptr3: CSR indptr, indices, data; TERMS the StencilTerm table; DIFFUSION the diagonal, then the face coefficients along x, y and z. coef0–coef6: the 5-point (s, w, c, e, n) or 7-point (b, s, w, c, e, n, t) stencil.",
    fields: [
      ...i32s("kind", "nx", "ny", "nz", "lines", "perLine"),
      ...ptrs("ptr0", "ptr1", "ptr2", "ptr3"),
      ["nterms", "i32"],
      ...f64s("coef0", "coef1", "coef2", "coef3", "coef4", "coef5", "coef6"),
    ],
  },
  StencilTerm: {
    doc: "One term of a general stencil (OperatorKind.TERMS): offsets along x, y, z and the coefficient.",
    fields: [
      ["dx", "i8"],
      ["dy", "i8"],
      ["dz", "i8"],
      ["coef", "f64"],
    ],
  },
  PreconditionerDescriptor: {
    doc: "A preconditioner z = M⁻¹·r (pcApply). JACOBI ptr0 = 1/diag; SSOR ptr0–ptr2 A as CSR, ptr3 diag, param0 ω; TRIANGULAR (IC(0), ILU) z = U⁻¹·L⁻¹·r: ptr0–ptr2 L lower triangular (diagonal last, divided by), ptr3–ptr5 U upper triangular (diagonal first); CHEBYSHEV operator, [param0, param1] the interval, degree, ptr0–ptr1 scratch; OPERATOR operator; MULTILEVEL ptr0 a Hierarchy.",
    fields: [
      ...i32s("kind", "n"),
      ...ptrs("ptr0", "ptr1", "ptr2", "ptr3", "ptr4", "ptr5"),
      ["degree", "i32"],
      ...f64s("param0", "param1"),
      ["operator", "ptr"],
    ],
  },
  SolverState: {
    doc: "What every Krylov state machine keeps between chunks (cgIterate, fcdIterate). op 0: the caller applies A (NEED_MATVEC); src/dst: the vectors of a request; curvature: pᵀA·p of the current direction; limit: the residual norm past which the iteration has diverged (DIVERGED).",
    fields: [
      ...i32s("n"),
      ...ptrs("op", "pc"),
      ...i32s("phase", "iter", "maxiter", "flags"),
      ["hist", "ptr"],
      ...i32s("histCount", "nnull"),
      ...ptrs("pnull", "src", "dst", "x", "r", "z", "b"),
      ...f64s("tol", "rnorm", "curvature", "limit"),
    ],
  },
  CgState: {
    doc: "CG: direction p, q = A·p, rᵀz of the current direction, ‖r‖² of the last update.",
    extends: "SolverState",
    fields: [...ptrs("p", "q"), ...f64s("rz", "rr")],
  },
  FcdState: {
    doc: "FCD: k directions kept; a ring of k + 1 slots of (p, A·p) at ring, pᵀA·p per slot at dring; ax scratch for the true residual.",
    extends: "SolverState",
    fields: [...i32s("k", "count", "head"), ...ptrs("ring", "dring", "ax")],
  },
  GmresState: {
    doc: "GMRES(m) and FGMRES, right-preconditioned: the Arnoldi basis V (m + 1 vectors), Z (flexible: the m preconditioned vectors; else one), w the new vector, the Hessenberg H ((m + 1) × m, column-major), Givens cs/sn, g (the rotated βe₁), y; j the inner index, flexible 0/1, reorth counts the second Gram–Schmidt passes, pending the status the cycle ends with once x is updated (0: a restart).",
    extends: "SolverState",
    fields: [...i32s("m", "j", "flexible", "reorth", "pending"), ...ptrs("V", "Z", "w", "H", "cs", "sn", "g", "y")],
  },
  BicgstabState: {
    doc: "BiCGSTAB (van der Vorst), right-preconditioned: the shadow residual rhat, p, v = A·p̂, ŝ, t = A·ŝ (p̂ lives in z); rho, alpha, omega of the last step.",
    extends: "SolverState",
    fields: [...ptrs("rhat", "p", "v", "shat", "t"), ...f64s("rho", "alpha", "omega")],
  },
  MinresState: {
    doc: "MINRES (Paige–Saunders, as SciPy's minres.py), SPD preconditioner: Lanczos vectors r1, r2, y (y = M⁻¹·r2 in z's place), v, the direction ring w, w1, w2; the recurrences' scalars.",
    extends: "SolverState",
    fields: [...ptrs("r1", "r2", "v", "w", "w1", "w2"), ...f64s("beta", "oldb", "alfa", "dbar", "epsln", "phibar", "cs", "sn")],
  },
  Hierarchy: {
    doc: "A multigrid hierarchy (mlCycle, mlSolve): `levels` Level records at `records`, the coarsest level's dense Cholesky factor (row-major, coarseSize²), the cycle and smoother; omega is the Jacobi weight.",
    fields: [...i32s("levels", "cycle", "pre", "post", "symmetric", "smoother"), ...ptrs("records", "coarseFactor"), ["coarseSize", "i32"], ["omega", "f64"]],
  },
  Level: {
    doc: "One level: its operator A; P and R (CSR operators; 0 for geometric full weighting and linear interpolation); diag(A) (Gauss–Seidel, Jacobi; l1-Jacobi's row norms; 0 where no smoother needs it); x, b (0 on level 0: the caller's), r and scratch vectors; Chebyshev's 2n scratch `cheb` and interval [chebLo, chebHi] (0 unless the smoother is Chebyshev).",
    fields: [...ptrs("A", "P", "R", "diag", "x", "b", "r", "scratch", "cheb"), ...f64s("chebLo", "chebHi")],
  },
};

const SIZE = { i8: 1, i32: 4, f64: 8, ptr: 4 };

/** Offsets (natural alignment, base fields first) and sizes of every structure. */
export function layout() {
  const out = {};
  for (const [name, s] of Object.entries(structs)) {
    const base = s.extends ? out[s.extends] : undefined;
    let at = base ? base.bytes : 0;
    const fields = base ? [...base.fields] : [];
    for (const [field, type] of s.fields) {
      at = Math.ceil(at / SIZE[type]) * SIZE[type];
      fields.push({ name: field, type, offset: at });
      at += SIZE[type];
    }
    out[name] = { name, doc: s.doc, extends: s.extends, own: s.fields.map(([f]) => f), fields, bytes: at };
  }
  return out;
}

const HEADER = "// Generated by `npm run build` from scripts/layouts.mjs. Do not edit.\n";
const AS_TYPE = { i8: "i8", i32: "i32", f64: "f64", ptr: "usize" };
const VIEW = { i8: ["getInt8", "setInt8"], i32: ["getInt32", "setInt32"], f64: ["getFloat64", "setFloat64"], ptr: ["getUint32", "setUint32"] };

/** The AssemblyScript side: enums, unmanaged classes and the self-check exports. */
export function assemblyScript() {
  const L = Object.values(layout());
  const lines = [HEADER];
  for (const [name, values] of Object.entries(enums)) {
    lines.push(`export enum ${name} {`, ...Object.entries(values).map(([k, v]) => `  ${k} = ${v},`), "}", "");
  }
  for (const s of L) {
    lines.push(`/** ${s.doc} */`, `@unmanaged export class ${s.name}${s.extends ? ` extends ${s.extends}` : ""} {`);
    for (const f of s.fields.filter((f) => s.own.includes(f.name))) lines.push(`  ${f.name}: ${AS_TYPE[f.type]};`);
    lines.push("}", "");
  }
  lines.push(
    "/** offsetof<S>(field f) for structure s in scripts/layouts.mjs order; f = −1: the size. */",
    "export function layoutOffset(s: i32, f: i32): i32 {",
    "  switch (s) {",
  );
  L.forEach((s, i) => {
    lines.push(`    case ${i}:`, "      switch (f) {");
    s.fields.forEach((f, j) => lines.push(`        case ${j}: return <i32>offsetof<${s.name}>("${f.name}");`));
    lines.push(`        default: return <i32>offsetof<${s.name}>();`, "      }");
  });
  lines.push("  }", "  return -1;", "}", "");
  lines.push(
    "/** Writes field j + 1 into field j of structure s at p, through the class: the bindings read it back. */",
    "export function layoutProbe(s: i32, p: usize): void {",
    "  switch (s) {",
  );
  L.forEach((s, i) => {
    lines.push(`    case ${i}: {`, `      const v = changetype<${s.name}>(p);`);
    s.fields.forEach((f, j) => lines.push(`      v.${f.name} = <${AS_TYPE[f.type]}>${j + 1};`));
    lines.push("      break;", "    }");
  });
  lines.push("  }", "}", "");
  return lines.join("\n");
}

/** The TypeScript side: the same enums and accessor classes over a host's memory. */
export function typeScript() {
  const L = Object.values(layout());
  const lines = [
    HEADER,
    "/** Anything with the instance's current memory (a Runtime). */",
    "export interface MemoryHost {",
    "  readonly memory: WebAssembly.Memory;",
    "}",
    "",
  ];
  for (const [name, values] of Object.entries(enums)) {
    lines.push(
      `export const ${name} = ${JSON.stringify(values)
        .replace(/"(\w+)":/g, "$1: ")
        .replace(/,/g, ", ")} as const;`,
    );
    lines.push(`export type ${name} = (typeof ${name})[keyof typeof ${name}];`, "");
  }
  for (const s of L) {
    lines.push(
      `/** ${s.doc} */`,
      `export class ${s.name} {`,
      `  static readonly BYTES = ${s.bytes};`,
      `  static readonly OFFSETS = { ${s.fields.map((f) => `${f.name}: ${f.offset}`).join(", ")} } as const;`,
      "  constructor(readonly host: MemoryHost, readonly ptr: number) {}",
      "  /** Zeroes the structure, then writes the given fields. */",
      `  assign(values: { ${s.fields.map((f) => `${f.name}?: number`).join("; ")} }): this {`,
      `    new Uint8Array(this.host.memory.buffer, this.ptr, ${s.bytes}).fill(0);`,
      `    for (const [k, v] of Object.entries(values)) if (v !== undefined) (this as unknown as Record<string, number>)[k] = v;`,
      "    return this;",
      "  }",
    );
    for (const f of s.fields) {
      const [get, set] = VIEW[f.type];
      const le = f.type === "i8" ? "" : ", true";
      lines.push(
        `  get ${f.name}(): number {`,
        `    return new DataView(this.host.memory.buffer).${get}(this.ptr + ${f.offset}${le});`,
        "  }",
        `  set ${f.name}(v: number) {`,
        `    new DataView(this.host.memory.buffer).${set}(this.ptr + ${f.offset}, v${le});`,
        "  }",
      );
    }
    lines.push("}", "");
  }
  lines.push(
    "/** Every structure in scripts/layouts.mjs order (the index is layoutOffset's and layoutProbe's s). */",
    `export const LAYOUTS = [${L.map((s) => s.name).join(", ")}] as const;`,
    "",
  );
  return lines.join("\n");
}
