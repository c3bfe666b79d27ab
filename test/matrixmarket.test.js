// Matrix Market I/O (bindings/operators/matrixmarket.ts): the SuiteSparse matrices in
// test/fixtures/matrices against an independent line-by-line JS reader, exact round trips,
// every format variant, and PARSE_ERRORs that name the line.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CsrMatrix, blas, memoryStats } from "solvewasm";
import { MATRICES, matrixText } from "./_fixtures.js";
import { assertSameBits, csrMatvecRef, randomVector, rejects } from "./_helpers.js";

/** A deliberately simple reader for `coordinate real|integer general|symmetric` files:
 * split lines, mirror symmetric entries, sort by (row, column). Sorted CSR arrays. */
function referenceRead(text) {
  const lines = text.split(/\r?\n/);
  const symmetric = /symmetric/.test(lines[0]);
  let i = 1;
  while (lines[i].startsWith("%")) i++;
  const [rows, cols, count] = lines[i++].trim().split(/\s+/).map(Number);
  const entries = [];
  for (; entries.length < (symmetric ? Infinity : count) && i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    const [r, c, v] = lines[i].trim().split(/\s+/);
    entries.push([+r - 1, +c - 1, Number(v)]);
    if (symmetric && r !== c) entries.push([+c - 1, +r - 1, Number(v)]);
  }
  entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const indptr = new Int32Array(rows + 1);
  for (const [r] of entries) indptr[r + 1]++;
  for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
  return {
    rows,
    cols,
    declared: count,
    indptr,
    indices: Int32Array.from(entries, (e) => e[1]),
    data: Float64Array.from(entries, (e) => e[2]),
  };
}

const real = suite("Matrix Market: SuiteSparse matrices");

for (const { name, rows, nnz } of MATRICES) {
  real(`${name} parses to ${rows} × ${rows} with ${nnz} entries, matvec bit-identical to the reference`, async () => {
    const text = await matrixText(name);
    const A = CsrMatrix.fromMatrixMarket(text);
    try {
      assert.equal([A.rows, A.cols, A.nnz], [rows, rows, nnz]);
      const ref = referenceRead(text);
      assert.equal(A.toArrays(), { rows, cols: rows, indptr: ref.indptr, indices: ref.indices, data: ref.data });
      const x = randomVector(rows, 7);
      assertSameBits(A.matvec(x), csrMatvecRef(ref, x));
    } finally {
      A.dispose();
    }
  });

  real(`${name} round-trips exactly through toMatrixMarket, general and symmetric`, async () => {
    const A = CsrMatrix.fromMatrixMarket(await matrixText(name));
    const forms = [A.toMatrixMarket({ comment: "round trip" })];
    if (A.isSymmetric()) forms.push(A.toMatrixMarket({ symmetric: true }));
    try {
      for (const text of forms) {
        const B = CsrMatrix.fromMatrixMarket(text);
        assert.equal(B.toArrays(), A.toArrays());
        B.dispose();
      }
    } finally {
      A.dispose();
    }
  });
}

real("494_bus.mtx (lower triangle) equals SPEX's full triplet file 494_bus.mat.txt", async () => {
  const A = CsrMatrix.fromMatrixMarket(await matrixText("494_bus.mtx"));
  const lines = (await matrixText("494_bus.mat.txt")).trim().split("\n");
  const [n, , count] = lines[0].trim().split(/\s+/).map(Number);
  const row = [],
    col = [],
    data = [];
  for (const line of lines.slice(1)) {
    const [r, c, v] = line.trim().split(/\s+/);
    row.push(+r - 1);
    col.push(+c - 1);
    data.push(Number(v));
  }
  assert.is(row.length, count);
  const B = CsrMatrix.fromCoo({ rows: n, cols: n, row, col, data });
  assert.equal(A.toArrays(), B.toArrays());
  A.dispose();
  B.dispose();
});

real("the headerless originals are refused at line 1; CRLF line ends are read", async () => {
  for (const name of ["nos4.mtx.orig", "bcsstk01.mtx.orig"]) {
    await rejects(async () => CsrMatrix.fromMatrixMarket(await matrixText(name)), "PARSE_ERROR", /line 1: expected the banner/);
  }
  const text = await matrixText("bcsstk01.mtx");
  const A = CsrMatrix.fromMatrixMarket(text),
    B = CsrMatrix.fromMatrixMarket(text.replace(/\n/g, "\r\n"));
  assert.equal(B.toArrays(), A.toArrays());
  A.dispose();
  B.dispose();
});

const header = "%%MatrixMarket matrix coordinate real general\n";

real("a valid long value token reads correctly (decimal, not a stack overflow)", () => {
  const digits = `0.${"3".repeat(130_000)}`;
  const A = CsrMatrix.fromMatrixMarket(`${header}1 1 1\n1 1 ${digits}\n`);
  assert.is(A.toDense()[0], Number(digits));
  A.dispose();
});

real("a line longer than the string window (a 1.5 MiB comment) parses, as its bytes do, in bounded time", () => {
  for (const where of ["comment", "value"]) {
    const long = where === "comment" ? `% ${"x".repeat(1.5 * 2 ** 20)}\n` : "";
    const value = where === "value" ? `2.${"5".repeat(1.5 * 2 ** 20)}` : "2.5";
    const text = `${header}${long}2 2 1\n2 1 ${value}\n`;
    const t0 = performance.now();
    const A = CsrMatrix.fromMatrixMarket(text),
      B = CsrMatrix.fromMatrixMarket(new TextEncoder().encode(text));
    assert.ok(performance.now() - t0 < 5000, `${where}: ${performance.now() - t0} ms`);
    assert.equal(A.toArrays(), B.toArrays());
    assert.is(A.toDense()[2], Number(value));
    A.dispose();
    B.dispose();
  }
});

real("the file's bytes parse the same as its text", async () => {
  const text = await matrixText("gr_30_30.mtx");
  const A = CsrMatrix.fromMatrixMarket(text),
    B = CsrMatrix.fromMatrixMarket(new TextEncoder().encode(text));
  assert.equal(B.toArrays(), A.toArrays());
  A.dispose();
  B.dispose();
});

real("a text longer than the parser's 1 MiB window, with non-ASCII comments, reads as its bytes do", () => {
  const n = 60_000;
  const lines = ["%%MatrixMarket matrix coordinate real general", "% Übergröße — 行列 ✓", `${n} ${n} ${2 * n}`];
  const v = randomVector(2 * n, 3);
  for (let k = 0; k < n; k++) {
    lines.push(`${k + 1} ${k + 1} ${v[2 * k]}`);
    lines.push(`${k + 1} ${((k * 31) % n) + 1} ${(v[2 * k + 1] * 1e-3).toFixed(9)}`);
    if (k % 1000 === 999) lines.push("% Größe ✓ — multi-byte characters across window boundaries");
  }
  const text = lines.join("\n") + "\n";
  assert.ok(text.length > 2.5 * 2 ** 20, `the text is ${text.length} characters`);
  const A = CsrMatrix.fromMatrixMarket(text),
    B = CsrMatrix.fromMatrixMarket(new TextEncoder().encode(text));
  try {
    assert.equal(A.toArrays(), B.toArrays());
    const { data } = A.toArrays();
    assert.is(A.nnz, 2 * n - [...Array(n).keys()].filter((k) => (k * 31) % n === k).length);
    assert.ok(data.every(Number.isFinite));
  } finally {
    A.dispose();
    B.dispose();
  }
});

const formats = suite("Matrix Market: formats");

const dense = (text) => {
  const A = CsrMatrix.fromMatrixMarket(text);
  const d = Array.from(A.toDense());
  A.dispose();
  return d;
};

formats("coordinate pattern, integer and skew-symmetric", () => {
  assert.equal(dense("%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 2\n2 1\n"), [0, 1, 1, 0]);
  assert.equal(dense("%%MatrixMarket matrix coordinate integer symmetric\n2 2 2\n1 1 5\n2 1 -3\n"), [5, -3, -3, 0]);
  assert.equal(dense("%%MatrixMarket matrix coordinate real skew-symmetric\n3 3 1\n3 1 2.5\n"), [0, 0, -2.5, 0, 0, 0, 2.5, 0, 0]);
});

formats("array format: general (column-major), symmetric and skew-symmetric", () => {
  assert.equal(dense("%%MatrixMarket matrix array real general\n% dense\n2 3\n1\n4\n2\n0\n3\n6\n"), [1, 2, 3, 4, 0, 6]);
  assert.equal(dense("%%MatrixMarket matrix array real symmetric\n2 2\n1\n2\n3\n"), [1, 2, 2, 3]);
  assert.equal(dense("%%MatrixMarket matrix array real skew-symmetric\n3 3\n1\n2\n3\n"), [0, -1, -2, 1, 0, -3, 2, 3, 0]);
});

formats("comments, blank lines, case, Fortran exponents and duplicates", () => {
  const text = "%%matrixmarket MATRIX Coordinate Real General\n% one\n%\n\n 2  2  3 \n1 1 1.5D+00\n\n2 2 -2e0\n1 1 0.25\n";
  assert.equal(dense(text), [1.75, 0, 0, -2]);
});

const parse = suite("Matrix Market: errors name the line");

const parseCases = [
  ["an empty input", "", /line 1: expected the banner/],
  ["a wrong banner", "%%MatrixMarket tensor coordinate real general\n1 1 1\n1 1 1\n", /line 1: expected the banner/],
  ["an unknown field", "%%MatrixMarket matrix coordinate quaternion general\n1 1 0\n", /line 1: unknown field/],
  ["a complex matrix", "%%MatrixMarket matrix coordinate complex hermitian\n1 1 0\n", /line 1: complex matrices are not supported/],
  ["a size line with two numbers", header + "% c\n3 3\n", /line 3: expected the entry count/],
  ["a size line with a word", header + "3 x 3\n", /line 2: the column count must be a non-negative integer, found 'x'/],
  ["a size line with four numbers", header + "3 3 1 1\n1 1 1\n", /line 2: expected 'rows cols entries'/],
  ["fewer entries than declared", header + "3 3 3\n1 1 1\n2 2 1\n", /declares 3 entries but ends after 2/],
  ["more entries than declared", header + "3 3 1\n1 1 1\n2 2 1\n", /line 4: more entries than the 1 declared/],
  ["a non-numeric value", header + "3 3 2\n1 1 1\n2 2 abc\n", /line 4: the value must be a finite decimal number, found 'abc'/],
  ["a non-numeric index", header + "3 3 1\n1 b 1\n", /line 3: the column index must be a non-negative integer/],
  ["a zero index", header + "3 3 1\n0 1 1\n", /line 3: row index 0 is outside 1..3 \(indices start at 1\)/],
  ["an index past the size", header + "3 3 1\n1 4 1\n", /line 3: column index 4 is outside 1..3/],
  ["a NaN value", header + "3 3 1\n1 1 nan\n", /line 3: the value must be a finite decimal number, found 'nan'/],
  ["an infinite value", header + "3 3 1\n1 1 inf\n", /line 3: .*'inf'/],
  ["an overflowing value", header + "3 3 1\n1 1 1e999\n", /line 3: .*'1e999'/],
  ["a missing value", header + "3 3 1\n1 1\n", /line 3: expected the value, found the end of the line/],
  ["extra fields", header + "3 3 1\n1 1 1 7\n", /line 3: expected 'row column value', found extra text '7'/],
  ["a non-integer in an integer file", "%%MatrixMarket matrix coordinate integer general\n1 1 1\n1 1 1.5\n", /line 3: the field is integer/],
  ["a skew-symmetric diagonal", "%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n1 1 1\n", /line 3: a skew-symmetric matrix has a zero diagonal/],
  ["a non-square symmetric matrix", "%%MatrixMarket matrix coordinate real symmetric\n2 3 0\n", /line 2: a symmetric matrix must be square/],
  // Matrix Market numbers are decimal: JavaScript's other literals are not values.
  ["a hexadecimal value", header + "3 3 1\n1 1 0x10\n", /line 3: the value must be a finite decimal number, found '0x10'/],
  ["a binary value", header + "3 3 1\n1 1 0b11\n", /line 3: .*'0b11'/],
  ["an octal value", header + "3 3 1\n1 1 0o7\n", /line 3: .*'0o7'/],
  ["an Infinity value", header + "3 3 1\n1 1 Infinity\n", /line 3: .*'Infinity'/],
  ["a value with separators", header + "3 3 1\n1 1 1_000\n", /line 3: .*'1_000'/],
  // 200 000 digits and one stray letter: rejected in linear time (the number pattern cannot backtrack).
  ["a long digit run ending in a letter", header + `3 3 1\n1 1 ${"1".repeat(200_000)}x\n`, /line 3: .*\(200001 characters\)/],
  ["a value token of 130 000 digits", header + `3 3 1\n1 1 0.${"7".repeat(130_000)}x\n`, /line 3: .*'0\.7{38}… \(130003 characters\)'/],
  [
    "an entry count no file of this length holds",
    "%%MatrixMarket matrix coordinate real general\n100000 100000 2147483647\n1 1 1\n",
    /line 2: the size line declares 2147483647 entries but a file of \d+ characters holds at most \d+/,
  ],
  [
    "a dense size no file of this length holds",
    "%%MatrixMarket matrix array real general\n50000 50000\n1\n",
    /line 2: the size line declares 2500000000 entries/,
  ],
];
for (const [what, text, pattern] of parseCases) {
  parse(`${what} is PARSE_ERROR`, async () => {
    await rejects(() => CsrMatrix.fromMatrixMarket(text), "PARSE_ERROR", pattern);
  });
}

parse("after parse errors nothing is leaked and the module works; a non-text input is INVALID_ARGUMENT", async () => {
  const live = memoryStats().live;
  for (const [, text] of parseCases) {
    try {
      CsrMatrix.fromMatrixMarket(text);
    } catch {}
  }
  assert.is(memoryStats().live, live);
  await rejects(() => CsrMatrix.fromMatrixMarket(42), "INVALID_ARGUMENT");
  assert.is(blas.dnrm2(new Float64Array([3, 4])), 5);
});

real.run();
formats.run();
parse.run();
