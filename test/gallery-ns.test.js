// The nonsymmetric and indefinite gallery (bindings/operators/gallery.ts): convection–
// diffusion, Helmholtz and the MAC Stokes saddle-point matrix. Each is checked entry by
// entry against a plain JS assembly written from its definition, its products bit for bit
// against a JS CSR loop (SIMD and scalar builds), convection–diffusion against the PDE it
// discretises (truncation error of order 1 upwind, 2 central), and the symmetric ones'
// inertia by Sylvester's law (dense LDLᵀ) against the analytic eigenvalues.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createSolvewasm, gallery } from "solvewasm";
import { scalarModule } from "./_fixtures.js";
import { assertSameBits, csrMatvecRef, randomVector, rejects } from "./_helpers.js";

/** Row-major coordinates of point p on `grid` (last axis fastest). */
function coords(p, grid) {
  const idx = new Array(grid.length);
  for (let a = grid.length - 1; a >= 0; a--) {
    idx[a] = p % grid[a];
    p = Math.floor(p / grid[a]);
  }
  return idx;
}

/** CSR arrays from rows of [column, value] pairs (columns sorted here, zeros dropped). */
function csrFromRows(rows) {
  const indptr = [0],
    indices = [],
    data = [];
  for (const r of rows) {
    for (const [c, v] of [...r].sort((x, y) => x[0] - y[0])) {
      if (v === 0) continue;
      indices.push(c);
      data.push(v);
    }
    indptr.push(indices.length);
  }
  return { rows: rows.length, cols: rows.length, indptr, indices, data };
}

/**
 * h²·(−Δu + β·∇u) on the unit domain, assembled point by point from the finite
 * differences: −Δ gives 2 per axis at the point and −1 at both neighbours; β_a·∂_a u is
 * β_a(u_p − u_{p−e_a})/h upwind for β_a > 0, β_a(u_{p+e_a} − u_p)/h for β_a < 0, and
 * β_a(u_{p+e_a} − u_{p−e_a})/(2h) central; times h² that is c_a = β_a·h on the stencil.
 */
function convectionDiffusionRef(grid, peclet, scheme, velocity) {
  const d = grid.length,
    n = grid[0],
    h = 1 / (n + 1);
  const norm = Math.sqrt(velocity.reduce((s, x) => s + x * x, 0)); // ‖v‖ as the gallery sums it
  const c = velocity.map((v) => ((peclet * v) / norm) * h);
  const strides = grid.map((_, a) => grid.slice(a + 1).reduce((x, y) => x * y, 1));
  const N = n ** d;
  const rows = [];
  for (let p = 0; p < N; p++) {
    const idx = coords(p, grid);
    let centre = 2 * d;
    const row = [];
    for (let a = 0; a < d; a++) {
      let west = -1,
        east = -1;
      if (scheme === "central") {
        west = -1 - c[a] / 2;
        east = -1 + c[a] / 2;
      } else if (c[a] > 0) {
        centre += c[a];
        west = -1 - c[a];
      } else if (c[a] < 0) {
        centre += -c[a];
        east = -1 + c[a];
      }
      if (idx[a] > 0) row.push([p - strides[a], west]);
      if (idx[a] < n - 1) row.push([p + strides[a], east]);
    }
    row.push([p, centre]);
    rows.push(row);
  }
  return csrFromRows(rows);
}

/** h²·(−Δu − k²u): delsq with σ = (k·h)² subtracted from the diagonal. */
function helmholtzRef(grid, k) {
  const h = 1 / (grid[0] + 1);
  return addToDiagonal(
    convectionDiffusionRef(
      grid,
      0,
      "central",
      grid.map(() => 1),
    ),
    -((k * h) ** 2),
  );
}

/** Adds `shift` to every diagonal entry (2d − σ, computed as 2d + (−σ) = 2d − σ exactly). */
function addToDiagonal(A, shift) {
  const data = A.data.slice();
  for (let r = 0; r < A.rows; r++) {
    for (let k = A.indptr[r]; k < A.indptr[r + 1]; k++) if (A.indices[k] === r) data[k] += shift;
  }
  return { ...A, data };
}

/**
 * The MAC Stokes matrix assembled face by face (the gallery goes cell by cell): each
 * interior face couples its two cells through the gradient Bᵀ (+1 towards the cell on its
 * high side, −1 on its low side); each face's Laplacian row has 4, a −1 per existing
 * neighbouring face of the same kind, and +1 per wall parallel to it (ghost value −u).
 */
function saddlePointRef(n, { stabilization = 0, pin = stabilization === 0 } = {}) {
  const nu = n * (n - 1),
    size = 2 * nu + n * n;
  const rows = Array.from({ length: size }, () => new Map());
  const add = (r, c, v) => rows[r].set(c, (rows[r].get(c) ?? 0) + v);
  const cell = (j, i) => 2 * nu + j * n + i;
  const pinned = pin ? cell(0, 0) : -1;
  // x-velocity faces: between (j, i) and (j, i + 1); y-velocity: between (j, i) and (j + 1, i).
  const kinds = [
    { base: 0, nj: n, ni: n - 1, low: (j, i) => cell(j, i), high: (j, i) => cell(j, i + 1), walls: (j) => (j === 0) + (j === n - 1) },
    { base: nu, nj: n - 1, ni: n, low: (j, i) => cell(j, i), high: (j, i) => cell(j + 1, i), walls: (_, i) => (i === 0) + (i === n - 1) },
  ];
  for (const { base, nj, ni, low, high, walls } of kinds) {
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++) {
        const f = base + j * ni + i;
        add(f, f, 4 + walls(j, i));
        for (const [dj, di] of [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
        ]) {
          if (j + dj >= 0 && j + dj < nj && i + di >= 0 && i + di < ni) add(f, base + (j + dj) * ni + i + di, -1);
        }
        for (const [c, v] of [
          [high(j, i), 1],
          [low(j, i), -1],
        ]) {
          if (c === pinned) continue;
          add(f, c, v);
          add(c, f, v);
        }
      }
  }
  for (let p = 2 * nu; p < size; p++) {
    if (p === pinned) add(p, p, 1);
    else if (stabilization !== 0) add(p, p, -stabilization);
  }
  return csrFromRows(rows.map((m) => [...m]));
}

/** toCsr()'s arrays equal `want` entry by entry, and the operator's product, its CSR's and
 * a JS CSR loop over `want` agree bit for bit (also on the scalar build when given). */
function checkAgainst(A, want, scalarA) {
  const C = typeof A.toCsr === "function" ? A.toCsr() : A;
  try {
    const got = C.toArrays();
    assert.equal(Array.from(got.indptr), want.indptr, "indptr");
    assert.equal(Array.from(got.indices), want.indices, "indices");
    assertSameBits(got.data, want.data, "data");
    const u = randomVector(A.cols, 7);
    const y = A.matvec(u);
    assertSameBits(y, csrMatvecRef(want, u), "A·u against the JS CSR loop");
    assertSameBits(C.matvec(u), y, "toCsr()·u against A·u");
    if (scalarA) assertSameBits(scalarA.matvec(u), y, "the scalar build's A·u");
  } finally {
    if (C !== A) C.dispose();
  }
}

/** Sylvester inertia [positive, negative, zero (|pivot| ≤ tol)] of a symmetric CSR matrix
 * from a dense LDLᵀ without pivoting (fine for the orders used here: no zero pivot arises
 * before the last block). */
function inertia({ rows: N, indptr, indices, data }, tol = 1e-9) {
  const a = new Float64Array(N * N);
  for (let r = 0; r < N; r++) for (let k = indptr[r]; k < indptr[r + 1]; k++) a[r * N + indices[k]] = data[k];
  const counts = [0, 0, 0];
  for (let k = 0; k < N; k++) {
    const d = a[k * N + k];
    if (Math.abs(d) <= tol) {
      counts[2]++;
      continue; // a zero pivot last in its block: nothing below to eliminate
    }
    counts[d > 0 ? 0 : 1]++;
    for (let i = k + 1; i < N; i++) {
      const l = a[i * N + k] / d;
      if (l === 0) continue;
      for (let j = k + 1; j < N; j++) a[i * N + j] -= l * a[k * N + j];
    }
  }
  return counts;
}

const GRIDS = [[1], [2], [9], [1, 1], [2, 2], [3, 3], [5, 5], [8, 8], [17, 17], [1, 1, 1], [2, 2, 2], [3, 3, 3], [6, 6, 6]];

const cd = suite("gallery.convectionDiffusion");
let scalar;
cd.before(async () => {
  scalar = await createSolvewasm(await scalarModule());
});

for (const [scheme, peclet, velocity] of [
  ["upwind", 10, undefined],
  ["upwind", 300, [1, -2, 0.5]],
  ["central", 10, undefined],
  ["central", 300, [-3, 1, 2]],
  ["central", 0, undefined],
]) {
  cd(`${scheme}, Pe = ${peclet}, velocity ${JSON.stringify(velocity ?? "ones")}: entries and products against the JS assembly`, () => {
    for (const grid of GRIDS) {
      const v = velocity?.slice(0, grid.length) ?? grid.map(() => 1);
      if (v.every((x) => x === 0)) continue;
      const options = { peclet, scheme, velocity: v };
      const A = gallery.convectionDiffusion(grid, options);
      const S = scalar.gallery.convectionDiffusion(grid, options);
      checkAgainst(A, convectionDiffusionRef(grid, peclet, scheme, v), S);
      A.dispose();
      S.dispose();
    }
  });
}

cd("the default is Pe = 10, upwind, along the diagonal; nonsymmetric for Pe > 0", () => {
  const A = gallery.convectionDiffusion([6, 6]);
  checkAgainst(A, convectionDiffusionRef([6, 6], 10, "upwind", [1, 1]));
  const C = A.toCsr();
  assert.is(C.isSymmetric(), false);
  C.dispose();
  A.dispose();
  const P = gallery.convectionDiffusion([6, 6], { peclet: 0 }).toCsr();
  const L = gallery.poisson([6, 6]).toCsr();
  assert.equal(P.toArrays().data, L.toArrays().data, "Pe = 0 is delsq");
  P.dispose();
  L.dispose();
});

cd("upwind is an M-matrix for every Pe (off-diagonals ≤ 0, row sums ≥ 0, = 0 inside)", () => {
  for (const peclet of [1, 100, 1e4]) {
    const A = gallery.convectionDiffusion([7, 7], { peclet, velocity: [2, -1] }).toCsr();
    const { indptr, indices, data } = A.toArrays();
    for (let r = 0; r < A.rows; r++) {
      let sum = 0;
      for (let k = indptr[r]; k < indptr[r + 1]; k++) {
        if (indices[k] !== r) assert.ok(data[k] <= 0, `row ${r}`);
        sum += data[k];
      }
      assert.ok(sum >= -1e-12 * peclet, `row ${r} sums to ${sum}`);
      if (indptr[r + 1] - indptr[r] === 5) assert.ok(Math.abs(sum) <= 1e-12 * peclet, `interior row ${r} sums to ${sum}`);
    }
    A.dispose();
  }
});

cd("A·u/h² discretises −Δu + β·∇u: error O(h) upwind, O(h²) central (u = sin πx sin πy)", () => {
  // β = Pe·v/‖v‖ with v = (v_y, v_x) in grid order; u vanishes on the boundary, so the
  // Dirichlet zeros outside are exact and the error is pure truncation.
  const peclet = 20,
    v = [1, -2];
  const beta = v.map((x) => (peclet * x) / Math.hypot(...v));
  const error = (n, scheme) => {
    const h = 1 / (n + 1);
    const pts = Array.from({ length: n * n }, (_, p) => [(Math.floor(p / n) + 1) * h, ((p % n) + 1) * h]); // [y, x]
    const u = Float64Array.from(pts, ([y, x]) => Math.sin(Math.PI * x) * Math.sin(Math.PI * y));
    const A = gallery.convectionDiffusion([n, n], { peclet, scheme, velocity: v });
    const Au = A.matvec(u);
    A.dispose();
    let worst = 0;
    pts.forEach(([y, x], p) => {
      const sx = Math.sin(Math.PI * x),
        sy = Math.sin(Math.PI * y);
      const cx = Math.cos(Math.PI * x),
        cy = Math.cos(Math.PI * y);
      const want = 2 * Math.PI ** 2 * sx * sy + beta[0] * Math.PI * sx * cy + beta[1] * Math.PI * cx * sy;
      worst = Math.max(worst, Math.abs(Au[p] / h ** 2 - want));
    });
    return worst;
  };
  const up = error(15, "upwind") / error(31, "upwind");
  const ce = error(15, "central") / error(31, "central");
  assert.ok(up > 1.8 && up < 2.2, `upwind error ratio ${up} (expected ≈ 2)`);
  assert.ok(ce > 3.6 && ce < 4.4, `central error ratio ${ce} (expected ≈ 4)`);
  assert.ok(error(31, "central") < 0.05 * peclet, "central is accurate");
});

const hh = suite("gallery.helmholtz");

hh("entries and products against delsq − σI, σ = (k·h)²", () => {
  for (const grid of GRIDS) {
    for (const k of [0, 3, 25]) {
      const A = gallery.helmholtz(grid, { k });
      checkAgainst(A, helmholtzRef(grid, k));
      assert.is(A.diagonal()[0], 2 * grid.length - (k * (1 / (grid[0] + 1))) ** 2);
      A.dispose();
    }
  }
  const P = gallery.helmholtz([4, 4]).toCsr(); // k = 0 by default: delsq
  const L = gallery.poisson([4, 4]).toCsr();
  assert.equal(P.toArrays().data, L.toArrays().data);
  P.dispose();
  L.dispose();
});

hh("symmetric; inertia (Sylvester, dense LDLᵀ) matches delsq's eigenvalues minus σ", () => {
  for (const [grid, k] of [
    [[7, 7], 0],
    [[7, 7], 4],
    [[7, 7], 10],
    [[7, 7], 18],
    [[40], 50],
    [[4, 4, 4], 12],
  ]) {
    const n = grid[0],
      d = grid.length,
      h = 1 / (n + 1),
      sigma = (k * h) ** 2;
    // Eigenvalues of delsq: Σ_a (2 − 2 cos(i_a π h)), i_a = 1 … n.
    let neg = 0;
    const N = n ** d;
    for (let p = 0; p < N; p++) {
      const lambda = coords(p, grid).reduce((s, i) => s + 2 - 2 * Math.cos((i + 1) * Math.PI * h), 0) - sigma;
      assert.ok(Math.abs(lambda) > 1e-6, "no eigenvalue at the shift");
      if (lambda < 0) neg++;
    }
    const A = gallery.helmholtz(grid, { k }).toCsr();
    assert.is(A.isSymmetric(), true);
    assert.equal(inertia(A.toArrays()), [N - neg, neg, 0], `grid ${grid}, k = ${k}`);
    if (k >= 10) assert.ok(neg > 0 && neg < N, "indefinite");
    A.dispose();
  }
});

const sp = suite("gallery.saddlePoint");

sp("entries and products against the face-by-face assembly (pinned, stabilised, singular)", () => {
  for (const n of [2, 3, 4, 7]) {
    for (const options of [undefined, { stabilization: 1e-3 }, { pin: false }, { stabilization: 0.5, pin: true }]) {
      const K = gallery.saddlePoint([n, n], options);
      assert.is(K.rows, 3 * n * n - 2 * n);
      checkAgainst(K, saddlePointRef(n, options));
      assert.is(K.isSymmetric(), true);
      K.dispose();
    }
  }
});

sp("B = −div: the divergence of a discrete field, and constant pressures in Bᵀ's null space", () => {
  const n = 5,
    nu = n * (n - 1);
  const K = gallery.saddlePoint([n, n], { pin: false });
  // Velocity field u = 1 on the x-faces, v = 0: outflow minus inflow per cell is
  // (east face exists) − (west face exists), so −div is −1 in column 0, +1 in column n − 1.
  const w = new Float64Array(K.cols);
  w.fill(1, 0, nu);
  const Kw = K.matvec(w);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const want = (i > 0 ? 1 : 0) - (i < n - 1 ? 1 : 0);
      assert.is(Kw[2 * nu + j * n + i], want, `cell (${j}, ${i})`);
    }
  const p = new Float64Array(K.cols).fill(1, 2 * nu);
  assert.ok(
    K.matvec(p).every((v) => v === 0),
    "K·[0; 1] = 0",
  );
  K.dispose();
});

sp("inertia: pinned (2n(n−1) + 1, n² − 1, 0), stabilised (2n(n−1), n², 0), singular one zero", () => {
  for (const n of [2, 3, 6]) {
    const nv = 2 * n * (n - 1),
      np = n * n;
    for (const [options, want] of [
      [undefined, [nv + 1, np - 1, 0]],
      [{ stabilization: 1e-2 }, [nv, np, 0]],
      [{ pin: false }, [nv, np - 1, 1]],
    ]) {
      const K = gallery.saddlePoint([n, n], options);
      assert.equal(inertia(K.toArrays()), want, `n = ${n}, ${JSON.stringify(options)}`);
      K.dispose();
    }
  }
});

const errors = suite("nonsymmetric gallery: bad input");

errors("grids: unequal sizes, 4D, saddlePoint not 2D or n < 2", async () => {
  await rejects(() => gallery.convectionDiffusion([4, 5]), "INVALID_ARGUMENT", /sizes must be equal/);
  await rejects(() => gallery.helmholtz([3, 3, 4]), "INVALID_ARGUMENT", /sizes must be equal/);
  await rejects(() => gallery.helmholtz([2, 2, 2, 2]), "INVALID_ARGUMENT");
  await rejects(() => gallery.convectionDiffusion([0, 0]), "INVALID_ARGUMENT");
  await rejects(() => gallery.saddlePoint([4, 4, 4]), "INVALID_ARGUMENT", /2D grid/);
  await rejects(() => gallery.saddlePoint([1, 1]), "INVALID_ARGUMENT", /n ≥ 2/);
  await rejects(() => gallery.saddlePoint([4, 5]), "INVALID_ARGUMENT", /equal/);
  await rejects(() => gallery.saddlePoint("4x4"), "INVALID_ARGUMENT");
});

errors("options: unknown names, negative or non-finite values, wrong types", async () => {
  await rejects(() => gallery.convectionDiffusion([4, 4], { pecelt: 3 }), "INVALID_OPTION", /did you mean "peclet"/);
  await rejects(() => gallery.convectionDiffusion([4, 4], { peclet: -1 }), "INVALID_OPTION", /nonnegative/);
  await rejects(() => gallery.convectionDiffusion([4, 4], { peclet: NaN }), "NOT_FINITE");
  await rejects(() => gallery.convectionDiffusion([4, 4], { peclet: Infinity }), "NOT_FINITE");
  await rejects(() => gallery.convectionDiffusion([4, 4], { peclet: "10" }), "INVALID_ARGUMENT");
  await rejects(() => gallery.convectionDiffusion([4, 4], { scheme: "downwind" }), "INVALID_OPTION", /upwind/);
  await rejects(() => gallery.convectionDiffusion([4, 4], { velocity: [1] }), "DIMENSION_MISMATCH", /velocity has length 1, expected 2/);
  await rejects(() => gallery.convectionDiffusion([4, 4], { velocity: [0, 0] }), "INVALID_OPTION", /not be zero/);
  await rejects(() => gallery.convectionDiffusion([4, 4], { velocity: [1, NaN] }), "NOT_FINITE", /velocity\[1\]/);
  await rejects(() => gallery.convectionDiffusion([4, 4], { velocity: 1 }), "INVALID_OPTION");
  await rejects(() => gallery.convectionDiffusion([4, 4], null), "INVALID_OPTION");
  await rejects(() => gallery.helmholtz([4, 4], { kappa: 2 }), "INVALID_OPTION", /no option "kappa"/);
  await rejects(() => gallery.helmholtz([4, 4], { k: -2 }), "INVALID_OPTION");
  await rejects(() => gallery.helmholtz([4, 4], { k: NaN }), "NOT_FINITE");
  await rejects(() => gallery.saddlePoint([4, 4], { epsilon: 1 }), "INVALID_OPTION");
  await rejects(() => gallery.saddlePoint([4, 4], { stabilization: -1 }), "INVALID_OPTION");
  await rejects(() => gallery.saddlePoint([4, 4], { stabilization: Infinity }), "NOT_FINITE");
  await rejects(() => gallery.saddlePoint([4, 4], { pin: 1 }), "INVALID_OPTION", /pin/);
});

cd.run();
hh.run();
sp.run();
errors.run();
