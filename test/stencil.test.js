// Grid operators and the gallery (bindings/operators/stencil.ts, gallery.ts): products
// bit-identical to their own toCsr() and to plain JS references with PyAMG's
// stencil_grid semantics, the diffusion operator's faces, boundaries and masks, and
// PyAMG's documented anisotropic stencils.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { allocF64, gallery, memoryStats } from "solvewasm";
import { assertSameBits, csrMatvecRef, randomVector, rejects } from "./_helpers.js";

/** (A·u)_p = Σ S[centre + off]·u_{p+off} over offsets inside the grid, offsets in index
 * order: PyAMG's stencil_grid, written directly. `stencil` is nested, one level per axis. */
function stencilRef(stencil, grid, u) {
  const dims = grid.length;
  const shape = [];
  for (let s = stencil, d = 0; d < dims; d++, s = s[0]) shape.push(s.length);
  const terms = [];
  const walk = (node, offs) => {
    if (offs.length === dims) return node !== 0 && terms.push([offs, node]);
    node.forEach((v, i) => walk(v, [...offs, i - (shape[offs.length] - 1) / 2]));
  };
  walk(stencil, []);
  const strides = grid.map((_, a) => grid.slice(a + 1).reduce((x, y) => x * y, 1));
  const n = grid.reduce((x, y) => x * y, 1);
  const y = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const idx = strides.map((s, a) => Math.floor(p / s) % grid[a]);
    let acc = 0;
    for (const [offs, c] of terms) {
      if (offs.every((o, a) => idx[a] + o >= 0 && idx[a] + o < grid[a])) {
        acc += c * u[p + offs.reduce((q, o, a) => q + o * strides[a], 0)];
      }
    }
    y[p] = acc;
  }
  return y;
}

/** Checks A·u three ways: against `want`, against A.toCsr(), and through F64Buffers. */
function checkProduct(A, want, seed = 1) {
  const u = randomVector(A.cols, seed);
  const y = A.matvec(u);
  if (want) assertSameBits(y, want(u), "against the JS reference");
  const C = A.toCsr();
  try {
    assertSameBits(C.matvec(u), y, "against toCsr()");
    assertSameBits(csrMatvecRef(C.toArrays(), u), y, "against the JS CSR loop");
    const ub = allocF64(A.cols).set(u),
      yb = allocF64(A.rows);
    A.matvec(ub, yb);
    assertSameBits(yb.toArray(), y, "through F64Buffers");
    ub.dispose();
    yb.dispose();
  } finally {
    C.dispose();
  }
}

// biome-ignore format: a matrix or stencil literal reads as its grid
const LAPLACE = {
  1: [-1, 2, -1],
  2: [[0, -1, 0], [-1, 4, -1], [0, -1, 0]],
  3: [[[0, 0, 0], [0, -1, 0], [0, 0, 0]], [[0, -1, 0], [-1, 6, -1], [0, -1, 0]], [[0, 0, 0], [0, -1, 0], [0, 0, 0]]],
};

const stencils = suite("stencil operators");

// Sizes around the SIMD pairs and the edge columns: 1, 2, 3, 4, 5 and odd/even mixes.
const GRIDS_2D = [
  [1, 1],
  [1, 7],
  [7, 1],
  [2, 2],
  [3, 4],
  [5, 5],
  [4, 9],
  [17, 6],
];
const GRIDS_3D = [
  [1, 1, 1],
  [2, 3, 4],
  [3, 3, 3],
  [4, 5, 7],
  [6, 2, 9],
];

for (const grid of [[1], [2], [9], ...GRIDS_2D, ...GRIDS_3D]) {
  stencils(`gallery.poisson(${JSON.stringify(grid)}) matches stencil_grid of the Laplacian, bit for bit`, () => {
    const A = gallery.poisson(grid);
    checkProduct(A, (u) => stencilRef(LAPLACE[grid.length], grid, u));
    assert.ok(A.diagonal().every((v) => v === 2 * grid.length));
    A.dispose();
  });
}

stencils("poisson([3, 3]).toCsr() is MATLAB's delsq of a 5 × 5 grid", () => {
  const A = gallery.poisson([3, 3]).toCsr();
  const want = [
    4, -1, 0, -1, 0, 0, 0, 0, 0, -1, 4, -1, 0, -1, 0, 0, 0, 0, 0, -1, 4, 0, 0, -1, 0, 0, 0, -1, 0, 0, 4, -1, 0, -1, 0, 0, 0, -1, 0, -1, 4, -1, 0, -1, 0, 0, 0,
    -1, 0, -1, 4, 0, 0, -1, 0, 0, 0, -1, 0, 0, 4, -1, 0, 0, 0, 0, 0, -1, 0, -1, 4, -1, 0, 0, 0, 0, 0, -1, 0, -1, 4,
  ];
  assert.equal(Array.from(A.toDense()), want);
  assert.is(A.isSymmetric(), true);
  A.dispose();
});

// biome-ignore format: a matrix or stencil literal reads as its grid
const NINE = [[1, 2, 3], [4, -20, 6], [7, 8, 9]];
// biome-ignore format: a matrix or stencil literal reads as its grid
const WIDE = [[0, 0, 1, 0, 0], [0, 0, 2, 0, 0], [1, 2, -12, 2, 1], [0, 0, 2, 0, 0], [0, 0, 1, 0, 0]];
// biome-ignore format: a matrix or stencil literal reads as its grid
const CUBE = [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[10, 11, 12], [13, -200, 15], [16, 17, 18]], [[19, 20, 21], [22, 23, 24], [25, 26, 27]]];
// biome-ignore format: a matrix or stencil literal reads as its grid
for (const [name, stencil, grids] of [
  ["a 9-point stencil", NINE, GRIDS_2D],
  ["a 5 × 5 stencil", WIDE, [[1, 1], [2, 3], [5, 6], [9, 4]]],
  ["a 27-point stencil", CUBE, GRIDS_3D],
  ["a 3-point 1D stencil", [1, -3, 2], [[1], [2], [11]]],
]) {
  stencils(`stencilGrid with ${name} matches the direct JS reference on every grid`, () => {
    for (const grid of grids) {
      const A = gallery.stencilGrid(stencil, grid);
      checkProduct(A, (u) => stencilRef(stencil, grid, u), grid.length);
      A.dispose();
    }
  });
}

stencils("anisotropic stencils are PyAMG's diffusion_stencil_2d (its docstring examples)", () => {
  // diffusion_stencil_2d(epsilon=0.1, type='FD') on stencil_grid(sten, (2, 4)), from PyAMG's docstring.
  const A = gallery.anisotropic([2, 4], { epsilon: 0.1 }).toCsr();
  const want = [
    [2.2, -0.1, 0, 0, -1, 0, 0, 0],
    [-0.1, 2.2, -0.1, 0, 0, -1, 0, 0],
    [0, -0.1, 2.2, -0.1, 0, 0, -1, 0],
    [0, 0, -0.1, 2.2, 0, 0, 0, -1],
    [-1, 0, 0, 0, 2.2, -0.1, 0, 0],
    [0, -1, 0, 0, -0.1, 2.2, -0.1, 0],
    [0, 0, -1, 0, 0, -0.1, 2.2, -0.1],
    [0, 0, 0, -1, 0, 0, -0.1, 2.2],
  ].flat();
  const got = A.toDense();
  // 1e-15: the FD formula computes −(ε·c² + s²) with c = cos 0 = 1, s = 0, exactly 0.1.
  want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-15, `entry ${i}: ${got[i]} vs ${v}`));
  A.dispose();
  // diffusion_stencil_2d(epsilon=0.0001, theta=pi/6, type='FD'), printed to 7 digits in PyAMG's docstring.
  const B = gallery.anisotropic([3, 3], { epsilon: 0.0001, theta: Math.PI / 6 }).toCsr();
  const row = B.toDense().slice(4 * 9, 5 * 9); // the centre point's row holds the whole stencil
  const sten = [-0.2164847, -0.750025, 0.2164847, -0.250075, 2.0002, -0.250075, 0.2164847, -0.750025, -0.2164847];
  sten.forEach((v, i) => assert.ok(Math.abs(row[i] - v) <= 5e-8, `stencil ${i}: ${row[i]} vs ${v}`));
  B.dispose();
  // The FE isotropic stencil is [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]]/3 (PyAMG's test_diffusion.py).
  const F = gallery.anisotropic([3, 3], { type: "FE" }).toCsr();
  const fe = F.toDense().slice(36, 45);
  [-1, -1, -1, -1, 8, -1, -1, -1, -1].forEach((v, i) => assert.ok(Math.abs(fe[i] - v / 3) <= 1e-15));
  F.dispose();
});

const diffusion = suite("diffusion operators");

/** -div(k grad u) assembled from its definition: harmonic face means, Dirichlet faces k_p,
 * Neumann faces nothing, masked cells identity rows. Dense, for small grids. */
function diffusionRef(k, grid, boundary, mask) {
  const n = grid.reduce((a, b) => a * b, 1);
  const strides = grid.map((_, a) => grid.slice(a + 1).reduce((x, y) => x * y, 1));
  const A = new Float64Array(n * n);
  const on = (p) => !mask || !!mask[p];
  for (let p = 0; p < n; p++) {
    if (!on(p)) {
      A[p * n + p] = 1;
      continue;
    }
    const idx = strides.map((s, a) => Math.floor(p / s) % grid[a]);
    for (let a = 0; a < grid.length; a++) {
      for (const dir of [-1, 1]) {
        const j = idx[a] + dir;
        if (j < 0 || j >= grid[a]) {
          if (boundary === "dirichlet") A[p * n + p] += k[p];
          continue;
        }
        const q = p + dir * strides[a];
        if (!on(q)) continue;
        const w = k[p] === k[q] ? k[p] : (2 * k[p] * k[q]) / (k[p] + k[q]);
        A[p * n + p] += w;
        A[p * n + q] -= w;
      }
    }
  }
  return A;
}

for (const grid of [[6], [5, 7], [1, 4], [4, 3, 5], [2, 2, 2]]) {
  for (const boundary of ["dirichlet", "neumann"]) {
    diffusion(`variable k on ${JSON.stringify(grid)}, ${boundary}: the assembled definition, symmetric, bit-identical to toCsr()`, () => {
      const n = grid.reduce((a, b) => a * b, 1);
      const k = Float64Array.from(randomVector(n, n), (v) => 1.5 + v); // in (0.5, 2.5)
      const mask = Array.from({ length: n }, (_, p) => (p * 7) % 5 !== 0);
      for (const m of [undefined, mask]) {
        const A = gallery.diffusion(k, grid, { boundary, mask: m });
        const C = A.toCsr();
        const want = diffusionRef(k, grid, boundary, m);
        const got = C.toDense();
        // The JS definition adds the diagonal's faces in another order: 4 ulp of the diagonal.
        want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 4 * 2 ** -52 * Math.abs(v), `entry ${i}: ${got[i]} vs ${v}`));
        assert.is(C.isSymmetric(), true);
        checkProduct(A, null, 3);
        C.dispose();
        A.dispose();
      }
    });
  }
}

diffusion("k = 1 with Dirichlet boundaries is gallery.poisson, entry for entry", () => {
  for (const grid of [[9], [5, 6], [3, 4, 5]]) {
    const A = gallery.diffusion(1, grid).toCsr(),
      P = gallery.poisson(grid).toCsr();
    assert.equal(A.toArrays(), P.toArrays());
    A.dispose();
    P.dispose();
  }
});

diffusion("Neumann: constants are in the null space (A·1 = 0 exactly), also with a mask", () => {
  const grid = [8, 8];
  // k ∈ {1, 3}: face means 1, 1.5 or 3, so every sum below is exact.
  const k = Float64Array.from({ length: 64 }, (_, p) => (p % 3 === 0 ? 3 : 1));
  const mask = Array.from({ length: 64 }, (_, p) => p % 9 !== 4);
  const A = gallery.diffusion(k, grid, { boundary: "neumann", mask });
  const y = A.matvec(new Float64Array(64).fill(1));
  mask.forEach((on, p) => assert.is(y[p], on ? 0 : 1, `row ${p}`));
  A.dispose();
});

const gridErrors = suite("grid operators: bad input");

gridErrors("grid sizes must be 1 to 3 positive integers", async () => {
  for (const grid of [[0, 4], [-1], [2.5, 3], [], [1, 2, 3, 4], "8x8", [NaN]]) {
    await rejects(() => gallery.poisson(grid), "INVALID_ARGUMENT");
  }
});

gridErrors("coefficient fields of the wrong length or with non-positive values", async () => {
  await rejects(() => gallery.diffusion(new Float64Array(15), [4, 4]), "DIMENSION_MISMATCH", /k has length 15, expected 16/);
  await rejects(() => gallery.diffusion(new Float64Array(16).fill(1).fill(0, 3, 4), [4, 4]), "INVALID_ARGUMENT", /k\[3\] = 0/);
  await rejects(() => gallery.diffusion(new Float64Array(16).fill(-1), [4, 4]), "INVALID_ARGUMENT", /positive/);
  await rejects(() => gallery.diffusion(new Float64Array(16).fill(NaN), [4, 4]), "NOT_FINITE", /k\[0\] is NaN/);
  await rejects(() => gallery.diffusion([1, "2", ...new Array(14).fill(1)], [4, 4]), "INVALID_ARGUMENT", /k\[1\] is "2", not a number/);
  await rejects(() => gallery.diffusion(0, [4, 4]), "INVALID_ARGUMENT", /must be positive/);
  await rejects(() => gallery.diffusion(1, [4, 4], { mask: [1, 0] }), "INVALID_ARGUMENT", /mask has length 2/);
  await rejects(() => gallery.diffusion(1, [4, 4], { boundary: "periodic" }), "INVALID_ARGUMENT", /boundary/);
});

gridErrors("stencils that are ragged, even-sized or of the wrong depth; anisotropic in 3D", async () => {
  // biome-ignore format: a matrix or stencil literal reads as its grid
  await rejects(() => gallery.stencilGrid([[1, 2], [3, 4]], [4, 4]), "INVALID_ARGUMENT", /odd/);
  // biome-ignore format: a matrix or stencil literal reads as its grid
  await rejects(() => gallery.stencilGrid([[0, 1, 0], [1, 2], [0, 1, 0]], [4, 4]), "INVALID_ARGUMENT", /ragged/);
  await rejects(() => gallery.stencilGrid([1, 2, 1], [4, 4]), "INVALID_ARGUMENT", /2-level nested/);
  // biome-ignore format: a matrix or stencil literal reads as its grid
  await rejects(() => gallery.stencilGrid([[0, 1, 0], [1, NaN, 1], [0, 1, 0]], [4, 4]), "NOT_FINITE");
  await rejects(() => gallery.anisotropic([4, 4, 4]), "INVALID_ARGUMENT", /2D/);
  await rejects(() => gallery.anisotropic([4, 4], { epsilon: -1 }), "INVALID_ARGUMENT");
});

gridErrors("matvec with the wrong length is DIMENSION_MISMATCH; disposal frees the coefficients", async () => {
  const live = memoryStats().live;
  const A = gallery.diffusion(2, [5, 5]);
  await rejects(() => A.matvec(new Float64Array(24)), "DIMENSION_MISMATCH", /x has length 24, expected 25/);
  A.dispose();
  await rejects(() => A.matvec(new Float64Array(25)), "DISPOSED");
  const S = gallery.stencilGrid(NINE, [4, 4]);
  S.dispose();
  assert.is(memoryStats().live, live);
});

stencils.run();
diffusion.run();
gridErrors.run();
