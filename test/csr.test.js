// CsrMatrix (bindings/operators/csr.ts) against plain JS references: construction from
// arrays, triplets and dense rows, products bit-identical to a sequential JS loop,
// transpose, diagonal, and the errors for malformed input.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CsrMatrix, allocF64, asLinearOperator, blas, createSolvewasm, memoryStats, wasmModule } from "solvewasm";
import { assertSameBits, csrMatvecRef, randomVector, rejects } from "./_helpers.js";

/** A random sparse rows × cols matrix as sorted CSR arrays, with some empty rows. */
function randomCsr(rows, cols, density, seed) {
  const u = randomVector(rows * cols, seed);
  const v = randomVector(rows * cols, seed + 1);
  const indptr = new Int32Array(rows + 1),
    indices = [],
    data = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (Math.abs(u[r * cols + c]) < density) {
        indices.push(c);
        data.push(v[r * cols + c] * 10);
      }
    }
    indptr[r + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

const t = suite("CsrMatrix");

for (const [rows, cols, density] of [
  [1, 1, 1],
  [5, 3, 0.5],
  [40, 40, 0.1],
  [300, 200, 0.02],
  [7, 7, 0],
]) {
  t(`matvec is bit-identical to a sequential JS loop (${rows} × ${cols}, density ${density})`, () => {
    const arrays = randomCsr(rows, cols, density, rows + cols);
    const A = CsrMatrix.fromArrays(arrays);
    try {
      assert.is(A.nnz, arrays.indices.length);
      const x = randomVector(cols, 3);
      assertSameBits(A.matvec(x), csrMatvecRef(arrays, x));
    } finally {
      A.dispose();
    }
  });
}

t("fromCoo sorts, sums duplicates in input order, and equals fromDense", () => {
  const A = CsrMatrix.fromCoo({
    rows: 3,
    cols: 4,
    row: [2, 0, 1, 0, 2, 2],
    col: [3, 1, 0, 1, 0, 3],
    data: [1, 2, 3, 4, 5, 0.5],
  });
  const B = CsrMatrix.fromDense([
    [0, 6, 0, 0],
    [3, 0, 0, 0],
    [5, 0, 0, 1.5],
  ]);
  assert.equal(A.toArrays(), B.toArrays());
  assert.equal(Array.from(A.toArrays().indptr), [0, 1, 2, 4]);
  assert.equal(Array.from(B.toDense()), [0, 6, 0, 0, 3, 0, 0, 0, 5, 0, 0, 1.5]);
  assert.ok(A instanceof CsrMatrix);
  A.dispose();
  B.dispose();
});

t("fromDense accepts row-major data with a shape and drops zeros", () => {
  const A = CsrMatrix.fromDense({ rows: 2, cols: 3, data: new Float64Array([1, 0, 2, 0, 0, 3]) });
  assert.is(A.nnz, 3);
  assert.equal(A.shape, [2, 3]);
  assert.equal(Array.from(A.matvec(new Float64Array([1, 1, 1]))), [3, 3]);
  A.dispose();
});

t("fromArrays with { sort: true } sorts rows and sums duplicates", () => {
  const A = CsrMatrix.fromArrays({ rows: 2, cols: 3, indptr: [0, 3, 4], indices: [2, 0, 2, 1], data: [1, 2, 3, 4] }, { sort: true });
  const { indptr, indices, data } = A.toArrays();
  // biome-ignore format: a matrix or stencil literal reads as its grid
  assert.equal([Array.from(indptr), Array.from(indices), Array.from(data)], [[0, 2, 3], [0, 2, 1], [2, 4, 4]]);
  A.dispose();
});

t("transpose matches the dense transpose and twice gives A back", () => {
  const arrays = randomCsr(13, 9, 0.3, 5);
  const A = CsrMatrix.fromArrays(arrays);
  const T = A.transpose();
  const TT = T.transpose();
  const d = A.toDense(),
    dt = T.toDense();
  for (let r = 0; r < 13; r++) for (let c = 0; c < 9; c++) assert.is(dt[c * 13 + r], d[r * 9 + c]);
  assert.equal(TT.toArrays(), A.toArrays());
  for (const m of [A, T, TT]) m.dispose();
});

t("diagonal reads stored diagonal entries and zeros elsewhere", () => {
  const A = CsrMatrix.fromDense([
    [1, 2, 0],
    [0, 0, 3],
    [4, 0, 5],
    [0, 0, 0],
  ]);
  assert.equal(Array.from(A.diagonal()), [1, 0, 5]);
  assert.is(A.isSymmetric(), false);
  const S = CsrMatrix.fromDense([
    [2, -1],
    [-1, 2],
  ]);
  assert.is(S.isSymmetric(), true);
  A.dispose();
  S.dispose();
});

t("matvec takes F64Buffers and an out argument, and checks lengths", async () => {
  const arrays = randomCsr(20, 30, 0.2, 9);
  const A = CsrMatrix.fromArrays(arrays);
  const xs = randomVector(30, 4);
  const x = allocF64(30).set(xs),
    y = allocF64(20);
  try {
    assert.is(A.matvec(x, y), y);
    assertSameBits(y.toArray(), csrMatvecRef(arrays, xs));
    const out = new Float64Array(20);
    assert.is(A.matvec(xs, out), out);
    assertSameBits(out, y.toArray());
    await rejects(() => A.matvec(new Float64Array(20)), "DIMENSION_MISMATCH", /x has length 20, expected 30/);
    await rejects(() => A.matvec(xs, new Float64Array(30)), "DIMENSION_MISMATCH", /out has length 30/);
    await rejects(() => A.matvec([1, 2]), "INVALID_ARGUMENT");
    const square = CsrMatrix.fromDense([
      [1, 0],
      [0, 1],
    ]);
    const v = allocF64(2).set([1, 2]);
    await rejects(() => square.matvec(v, v), "INVALID_ARGUMENT", /same buffer/);
    square.dispose();
    v.dispose();
  } finally {
    A.dispose();
    x.dispose();
    y.dispose();
  }
});

t("a disposed matrix is DISPOSED and its memory is returned", async () => {
  const before = memoryStats().live;
  const A = CsrMatrix.fromArrays(randomCsr(50, 50, 0.2, 11));
  assert.ok(memoryStats().live > before);
  A.dispose();
  A.dispose();
  assert.is(memoryStats().live, before);
  assert.is(A.alive, false);
  await rejects(() => A.matvec(new Float64Array(50)), "DISPOSED");
});

const bad = suite("CsrMatrix: malformed input");

const good = { rows: 2, cols: 3, indptr: [0, 2, 3], indices: [0, 2, 1], data: [1, 2, 3] };
const cases = [
  ["indptr not non-decreasing", { ...good, indptr: [0, 3, 2], indices: [0, 1, 2], data: [1, 2, 3] }, /non-decreasing/],
  ["indptr[0] not 0", { ...good, indptr: [1, 2, 3] }, /indptr\[0\] must be 0/],
  ["indptr of the wrong length", { ...good, indptr: [0, 3] }, /indptr has length 2, expected rows \+ 1 = 3/],
  ["indptr[rows] not nnz", { ...good, indptr: [0, 2, 2] }, /indptr\[rows\] = 2 but there are 3 entries/],
  ["indices and data of different lengths", { ...good, data: [1, 2] }, /indices has length 3 but data has 2/],
  ["a column index out of range", { ...good, indices: [0, 3, 1] }, /indices\[1\] = 3 \(row 0\) is outside 0..2/],
  ["a negative column index", { ...good, indices: [-1, 2, 1] }, /outside/],
  ["unsorted column indices", { ...good, indices: [2, 0, 1] }, /out of order or repeated.*sort: true/],
  ["a repeated column index", { ...good, indices: [1, 1, 1] }, /out of order or repeated/],
];
for (const [what, arrays, pattern] of cases) {
  bad(`${what} is INVALID_MATRIX`, async () => {
    await rejects(() => CsrMatrix.fromArrays(arrays), "INVALID_MATRIX", pattern);
  });
}

bad("non-finite values are NOT_FINITE; COO errors are INVALID_MATRIX; the module works after", async () => {
  const live = memoryStats().live;
  await rejects(() => CsrMatrix.fromArrays({ ...good, data: [1, NaN, 3] }), "NOT_FINITE", /data\[1\] is NaN/);
  await rejects(() => CsrMatrix.fromCoo({ rows: 2, cols: 2, row: [0, 2], col: [0, 0], data: [1, 1] }), "INVALID_MATRIX", /row\[1\] = 2/);
  await rejects(() => CsrMatrix.fromCoo({ rows: 2, cols: 2, row: [0], col: [0, 1], data: [1] }), "INVALID_MATRIX", /one length/);
  await rejects(() => CsrMatrix.fromDense([[1, 2], [3]]), "DIMENSION_MISMATCH", /row 1 has length 1/);
  await rejects(() => CsrMatrix.fromArrays({ ...good, rows: -1 }), "INVALID_ARGUMENT");
  assert.is(memoryStats().live, live, "nothing leaked");
  assert.is(blas.ddot(new Float64Array([1, 2]), new Float64Array([3, 4])), 11);
});

/** An array whose entries read as `first` the first time and `later` every time after. */
function shifting(first, later) {
  const reads = new Map();
  return new Proxy(first.slice(), {
    get(target, key) {
      if (typeof key !== "string" || !/^\d+$/.test(key)) return Reflect.get(target, key);
      const n = (reads.get(key) ?? 0) + 1;
      reads.set(key, n);
      return n === 1 ? first[+key] : later[+key];
    },
  });
}

bad("arrays are read once: a Proxy whose values change between reads cannot store what was not checked", () => {
  const A = CsrMatrix.fromArrays({ rows: 2, cols: 2, indptr: shifting([0, 1, 2], [0, 0, 9]), indices: shifting([0, 1], [1e6, 1e6]), data: [1, 2] });
  assert.equal(A.toArrays().indices, new Int32Array([0, 1]));
  assert.equal(Array.from(A.matvec(new Float64Array([1, 1]))), [1, 2]);
  A.dispose();
  const B = CsrMatrix.fromCoo({ rows: 2, cols: 2, row: shifting([0, 1], [7, 7]), col: shifting([1, 0], [1e6, -1]), data: shifting([3, 4], [NaN, NaN]) });
  assert.equal(Array.from(B.toDense()), [0, 3, 4, 0]);
  B.dispose();
  // fromDense counts the nonzeros and then stores them: one read keeps the two passes agreed.
  const C = CsrMatrix.fromDense([shifting([0, 0], [5, 5]), shifting([0, 1], [6, 6])]);
  assert.is(C.nnz, 1);
  assert.equal(Array.from(C.toDense()), [0, 0, 0, 1]);
  C.dispose();
});

bad("views of wasm memory (F64Buffer.array) as CSR and COO arrays are copied before the matrix's own allocation can detach them", async () => {
  const S = await createSolvewasm(wasmModule()); // a fresh instance: the matrix grows memory
  const n = 1 << 18;
  const ones = S.allocF64(n);
  ones.array.fill(2);
  const ramp = S.allocF64(n + 1);
  ramp.array.set(Float64Array.from({ length: n + 1 }, (_, k) => k));
  const size = S.memoryStats().size;
  const A = S.CsrMatrix.fromArrays({ rows: n, cols: n, indptr: ramp.array, indices: ramp.array.subarray(0, n), data: ones.array });
  const B = S.CsrMatrix.fromCoo({ rows: n, cols: n, row: ramp.array.subarray(0, n), col: ramp.array.subarray(0, n), data: ones.array });
  assert.ok(S.memoryStats().size > size, "building the matrices grew memory");
  for (const M of [A, B]) {
    const y = M.matvec(new Float64Array(n).fill(1));
    assert.ok(y[0] === 2 && y[n - 1] === 2, "the values stored are the view's");
    M.dispose();
  }
});

const ops = suite("asLinearOperator");

ops("a user's JS operator works through the checked wrapper", async () => {
  const A = asLinearOperator({ rows: 3, cols: 2, matvec: (x) => [x[0], x[1], x[0] + x[1]] });
  assert.equal(Array.from(A.matvec(new Float64Array([1, 2]))), [1, 2, 3]);
  const out = new Float64Array(3);
  assert.is(A.matvec(new Float64Array([1, 1]), out), out);
  await rejects(() => A.matvec(new Float64Array(3)), "DIMENSION_MISMATCH");
  const wrong = asLinearOperator({ rows: 3, cols: 2, matvec: () => new Float64Array(2) });
  await rejects(() => wrong.matvec(new Float64Array(2)), "DIMENSION_MISMATCH", /matvec result has length 2, expected 3/);
  await rejects(() => asLinearOperator({ rows: 3, cols: 2 }), "INVALID_ARGUMENT", /matvec function/);
  await rejects(() => asLinearOperator({ rows: 0, cols: 2, matvec: () => [] }), "INVALID_ARGUMENT");
  const B = CsrMatrix.fromDense([[1]]);
  assert.is(asLinearOperator(B), B, "solvewasm's own operators pass through unchanged");
  B.dispose();
});

t.run();
bad.run();
ops.run();
