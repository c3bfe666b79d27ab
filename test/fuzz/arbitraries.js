// fast-check arbitraries for the fuzz suite: Matrix Market texts (valid, mutated, huge,
// long-lined), CSR and COO triples (valid and hostile), solver option objects and
// misbehaving user operators. Every generated case carries what it expects, so the
// properties never re-derive validity from the library itself.
import fc from "fast-check";

/** Option names that live on Object.prototype: as keys and as string values. */
export const PROTO_NAMES = ["toString", "__proto__", "constructor", "hasOwnProperty", "valueOf", "isPrototypeOf"];

/** Numbers no option should take silently (each solver decides which are in range). */
export const hostileNumber = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  -0,
  0.5,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  1e300,
  -1e300,
  5e-324,
  Number.MAX_VALUE,
);

/** Values of the wrong type for anything. */
export const wrongType = fc.constantFrom(null, "1", "", true, [], {}, [1, 2], () => 1, 1n, Symbol.for("x"));

/** Any value an option might be given. */
export const anyValue = fc.oneof(hostileNumber, wrongType, fc.constantFrom(...PROTO_NAMES), fc.double(), fc.integer({ min: -3, max: 20 }));

/**
 * An object with own keys, including "__proto__" as an own property (as JSON.parse makes
 * it), not a prototype change.
 * @param {[string, unknown][]} entries
 */
export function ownObject(entries) {
  /** @type {Record<string, unknown>} */
  const o = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

// ---------------------------------------------------------------- small dense matrices

/** Exactly representable values, so sums of duplicates and parsed text compare exactly. */
const exactValue = fc.oneof(fc.integer({ min: -9, max: 9 }), fc.constantFrom(0.5, -0.25, 1.125, 1e-3, 1e300, -2.5e-310, 0.1, 1 / 3, Math.PI, 123456.789));

/**
 * @typedef {object} Dense
 * @property {number} rows
 * @property {number} cols
 * @property {number[][]} a
 */

/** @param {number} rows @param {number} cols @param {fc.Arbitrary<number>} [value] @returns {fc.Arbitrary<Dense>} */
export function denseOf(rows, cols, value = exactValue) {
  return fc
    .array(fc.array(fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: value }), { minLength: cols, maxLength: cols }), {
      minLength: rows,
      maxLength: rows,
    })
    .map((a) => ({ rows, cols, a }));
}

/** A random small dense matrix (0..6 × 0..6). */
export const dense = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).chain(([r, c]) => denseOf(r, c));

/** @param {Dense} d */
export function denseToCsr({ rows, cols, a }) {
  const indptr = [0],
    indices = [],
    data = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (a[i][j] !== 0) {
        indices.push(j);
        data.push(a[i][j]);
      }
    }
    indptr.push(indices.length);
  }
  return { rows, cols, indptr, indices, data };
}

/**
 * A random symmetric positive definite matrix of order 1..10 (diagonally dominant, integer
 * entries, some zeros), for solver properties.
 */
export const spd = fc
  .integer({ min: 1, max: 10 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.constantFrom(0, 0, 0, -1, -2, 1, 3), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
    ),
  )
  .map(([n, off, extra]) => {
    const a = Array.from({ length: n }, () => new Array(n).fill(0));
    let k = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i][j] = a[j][i] = off[k++];
    for (let i = 0; i < n; i++) a[i][i] = a[i].reduce((s, v, j) => s + (j === i ? 0 : Math.abs(v)), 0) + 1 + extra[i];
    return { rows: n, cols: n, a };
  });

/** A right-hand side of length n (mixed magnitudes, zero sometimes). @param {number} n */
export function rhs(n) {
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }) },
    { weight: 1, arbitrary: fc.constant(new Array(n).fill(0)) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(1e-200, -3e150, 1), { minLength: n, maxLength: n }) },
  );
}

// ---------------------------------------------------------------- Matrix Market

/** "D"/"d" exponents are Fortran's; the value they mean. @param {string} t */
export const realValueOf = (t) => Number(t.replace(/[dD]/, "e"));

/**
 * @typedef {object} MmCase
 * @property {string} text
 * @property {Dense} expect the dense matrix the text describes
 * @property {string[][]} dataLines tokens of each data line (for targeted mutations)
 * @property {string} field
 */

/** A valid Matrix Market text built from a random small matrix, in any format, field and
 * symmetry the reader supports, with random blanks, comments, CRLF and value spellings. */
export const mmValid = fc
  .record({
    format: fc.constantFrom("coordinate", "array"),
    field: fc.constantFrom("real", "integer", "pattern", "double"),
    symmetry: fc.constantFrom("general", "symmetric", "skew-symmetric"),
    rows: fc.integer({ min: 0, max: 5 }),
    cols: fc.integer({ min: 0, max: 5 }),
    upper: fc.boolean(),
    crlf: fc.boolean(),
    banner: fc.constantFrom("%%MatrixMarket matrix", "%%matrixmarket MATRIX", "%%MatrixMarket  matrix"),
    sep: fc.constantFrom(" ", "  ", "\t", " \t "),
    comments: fc.array(fc.constantFrom("% a comment", "%", "%% 0x10 0b11 NaN", ""), { maxLength: 2 }),
    trailing: fc.constantFrom("", "\n", "\n\n", "  \n"),
    seed: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  })
  .filter((o) => !(o.format === "array" && o.field === "pattern"))
  .chain((o) => {
    const n = o.symmetry === "general" ? o.rows : o.rows;
    const cols = o.symmetry === "general" ? o.cols : o.rows;
    const value = o.field === "real" || o.field === "double" ? exactValue : fc.integer({ min: -99, max: 99 });
    return fc
      .tuple(fc.constant(o), denseOf(n, cols, value))
      .chain(([o, d]) => fc.tuple(fc.constant(o), fc.constant(d), fc.array(fc.nat(6), { minLength: d.rows * d.cols, maxLength: d.rows * d.cols })));
  })
  .map(([o, d, spell]) => {
    const { rows, cols } = d;
    const a = d.a.map((r) => r.slice());
    const pattern = o.field === "pattern";
    // Make the matrix fit its symmetry; pattern values are 1.
    if (pattern) for (const row of a) for (let j = 0; j < cols; j++) if (row[j] !== 0) row[j] = 1;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        if (o.symmetry !== "general" && j > i) a[i][j] = o.symmetry === "symmetric" ? a[j][i] : -a[j][i];
        if (o.symmetry === "skew-symmetric" && i === j) a[i][j] = 0;
      }
    }
    if (pattern && o.symmetry === "skew-symmetric") for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[i][j] = 0;
    const real = !pattern && o.field !== "integer";
    let s = 0;
    const spellValue = (/** @type {number} */ v) => {
      if (!real) return String(v);
      const options = [
        String(v),
        v.toExponential(),
        v.toExponential(16).replace("e", "E"),
        v.toExponential(16).replace("e", "D"),
        Number.isInteger(v) && Math.abs(v) < 1e15 ? `${v}.` : String(v),
        v > 0 ? `+${v}` : String(v),
        v.toPrecision(21),
      ];
      return options[spell[s++ % spell.length] % options.length];
    };
    /** @type {string[][]} */
    const dataLines = [];
    if (o.format === "coordinate") {
      for (let j = 0; j < cols; j++) {
        for (let i = 0; i < rows; i++) {
          if (a[i][j] === 0) continue;
          if (o.symmetry === "symmetric" && j > i) continue;
          if (o.symmetry === "skew-symmetric" && j >= i) continue;
          // symmetric files may store the upper triangle instead (the reader mirrors either)
          const [r, c] = o.symmetry === "symmetric" && o.upper ? [j, i] : [i, j];
          dataLines.push(pattern ? [String(r + 1), String(c + 1)] : [String(r + 1), String(c + 1), spellValue(a[i][j])]);
        }
      }
    } else {
      for (let j = 0; j < cols; j++) {
        for (let i = 0; i < rows; i++) {
          if (o.symmetry === "symmetric" && i < j) continue;
          if (o.symmetry === "skew-symmetric" && i <= j) continue;
          dataLines.push([spellValue(a[i][j])]);
        }
      }
    }
    const nl = o.crlf ? "\r\n" : "\n";
    const size = o.format === "coordinate" ? [rows, cols, dataLines.length] : [rows, cols];
    const lines = [`${o.banner} ${o.format} ${o.field} ${o.symmetry}`, ...o.comments, size.join(o.sep), ...dataLines.map((t) => t.join(o.sep))];
    const text = lines.join(nl) + o.trailing.replace(/\n/g, nl);
    return /** @type {MmCase} */ ({ text, expect: { rows, cols, a }, dataLines, field: o.field });
  });

/** Tokens a Matrix Market number field must refuse (its numbers are decimal). */
export const BAD_NUMBER_TOKENS = [
  "0x10",
  "0X1A",
  "0b11",
  "0B1",
  "0o7",
  "0x1p3",
  "1_0",
  "--1",
  "+-1",
  "1e",
  "1e+",
  ".",
  "-",
  "+",
  "e5",
  "1..2",
  "1.2.3",
  "NaN",
  "nan",
  "Inf",
  "inf",
  "Infinity",
  "-Infinity",
  "1e999",
  "-1e400",
  "１",
  "1\u00a0",
  "0x",
  "١",
];

/** Index tokens the reader must refuse (not positive decimal integers in range). */
export const BAD_INDEX_TOKENS = [...BAD_NUMBER_TOKENS, "1.5", "1e0", "0", "-1", "9999999999999999999", "4294967297", "1.", "+1.0"];

/**
 * A valid text with one data token replaced by a token that must be refused.
 * @type {fc.Arbitrary<{ text: string, token: string, where: string }>}
 */
export const mmBadToken = mmValid
  .filter((c) => c.dataLines.length > 0)
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      line: fc.nat(c.dataLines.length - 1),
      pos: fc.nat(2),
      bad: fc.nat(BAD_INDEX_TOKENS.length - 1),
      inSize: fc.boolean(),
    }),
  )
  .map(({ c, line, pos, bad, inSize }) => {
    const lines = c.text.split(/\r?\n/);
    // the banner, then comments, then the size line: the first line that starts with a digit
    const sizeAt = lines.findIndex((l, i) => i > 0 && /^\s*\d/.test(l));
    const at = inSize ? sizeAt : sizeAt + 1 + line;
    const tokens = lines[at].trim().split(/\s+/);
    const p = pos % tokens.length;
    const isValue = !inSize && p === 2 - (tokens.length === 1 ? 2 : 0) && c.field !== "pattern";
    const pool = isValue ? BAD_NUMBER_TOKENS : BAD_INDEX_TOKENS;
    const token = pool[bad % pool.length];
    tokens[p] = token;
    lines[at] = tokens.join(" ");
    return { text: lines.join("\n"), token, where: inSize ? "the size line" : `data line ${line + 1}, token ${p + 1}` };
  });

/** Valid texts mutated blindly: a byte flipped, a token inserted, deleted or replaced, or truncated. */
export const mmMutated = fc
  .tuple(
    mmValid,
    fc.array(
      fc.record({
        kind: fc.constantFrom("flip", "insert", "delete", "replace", "truncate", "duplicate"),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
        token: fc.constantFrom(...BAD_INDEX_TOKENS, "1", "%", "\n", "\r", "\0", "2147483648", "99999999", "%%MatrixMarket"),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([c, edits]) => {
    let t = c.text;
    for (const e of edits) {
      const at = t.length ? e.at % (t.length + 1) : 0;
      if (e.kind === "flip") t = t.slice(0, at) + String.fromCharCode(e.byte) + t.slice(at + 1);
      else if (e.kind === "insert") t = `${t.slice(0, at)} ${e.token} ${t.slice(at)}`;
      else if (e.kind === "truncate") t = t.slice(0, at);
      else if (e.kind === "duplicate") t = t.slice(0, at) + t.slice(at);
      else {
        const m = /\S+/g;
        const tokens = [...t.matchAll(m)];
        if (!tokens.length) continue;
        const tk = tokens[e.at % tokens.length];
        const end = /** @type {number} */ (tk.index) + tk[0].length;
        t = t.slice(0, tk.index) + (e.kind === "replace" ? e.token : "") + t.slice(end);
      }
    }
    return t;
  });

/** Size lines with huge counts (the reader must refuse or answer quickly, not allocate them). */
export const mmHuge = fc
  .record({
    format: fc.constantFrom("coordinate", "array"),
    symmetry: fc.constantFrom("general", "symmetric"),
    r: fc.constantFrom("2147483647", "2147483648", "4294967296", "100000", "65536", "70368744177664", "1e9", "99999999999999999999", "1"),
    nnz: fc.constantFrom("2147483647", "4294967297", "1000000000", "1", "0", "70368744177664"),
  })
  .map(({ format, symmetry, r, nnz }) => {
    const size = format === "coordinate" ? `${r} ${r} ${nnz}` : `${r} ${r}`;
    return { text: `%%MatrixMarket matrix ${format} real ${symmetry}\n${size}\n1 1 1\n`, square: r };
  });

/** Long lines and tokens, 1 KiB to 1.5 MiB: values with many digits, long comments,
 * padding, or one unterminated line. `value` is what entry (1,1) must read as, if the
 * text is accepted (undefined: it must be refused or read as anything valid). */
export const mmLong = fc
  .record({
    kind: fc.constantFrom("digits", "fraction", "leading-zeros", "comment", "padding", "unterminated", "huge-exponent", "index"),
    length: fc.constantFrom(1024, 130_000, 2 ** 20 + 7, 1_572_864),
    bytes: fc.boolean(),
  })
  .map(({ kind, length, bytes }) => {
    const head = "%%MatrixMarket matrix coordinate real general\n";
    /** @type {string} */
    let text;
    /** @type {number | undefined} */
    let value;
    let mustRefuse = false;
    if (kind === "digits") {
      const tok = `1.${"0".repeat(length)}`; // 1.000…0 = 1
      text = `${head}2 2 1\n1 1 ${tok}\n`;
      value = 1;
    } else if (kind === "fraction") {
      const tok = `0.${"0".repeat(length)}5`; // underflows to 0 (an explicit zero)
      text = `${head}2 2 1\n1 1 ${tok}\n`;
      value = 0;
    } else if (kind === "leading-zeros") {
      text = `${head}2 2 1\n1 1 ${"0".repeat(length)}3\n`;
      value = 3;
    } else if (kind === "comment") {
      text = `${head}%${"x".repeat(length)}\n2 2 1\n1 1 2\n`;
      value = 2;
    } else if (kind === "padding") {
      text = `${head}2 2 1\n1${" ".repeat(length)}1\t${" ".repeat(length >> 1)}4\n`;
      value = 4;
    } else if (kind === "unterminated") {
      text = `${head}2 2 1\n1 1 ${"7".repeat(length)}`; // 777…7 > 1e308 when long: Infinity
      mustRefuse = length > 308;
    } else if (kind === "huge-exponent") {
      text = `${head}2 2 1\n1 1 1e${"9".repeat(length)}\n`;
      mustRefuse = true;
    } else {
      text = `${head}2 2 1\n${"0".repeat(length)}1 1 5\n`; // index 000…01 = 1
      value = 5;
    }
    return { input: bytes ? new TextEncoder().encode(text) : text, kind, length, value, mustRefuse };
  });

// ---------------------------------------------------------------- CSR and COO

/**
 * @typedef {object} CsrCase
 * @property {string} mutation "none" for a valid input
 * @property {{ rows: unknown, cols: unknown, indptr: unknown, indices: unknown, data: unknown }} arrays
 * @property {Dense | undefined} expect the matrix when the input is valid
 * @property {{ sort?: boolean }} [options]
 * @property {readonly string[]} codes the codes an invalid input may be refused with
 */

const CSR_REFUSALS = ["INVALID_MATRIX", "INVALID_ARGUMENT", "DIMENSION_MISMATCH", "NOT_FINITE"];

/** @param {ArrayLike<number>} a @param {string} kind */
function asKind(a, kind) {
  if (kind === "Int32Array") return Int32Array.from(a);
  if (kind === "Float64Array") return Float64Array.from(a);
  if (kind === "Uint32Array") return Uint32Array.from(a);
  return Array.from(a);
}

/**
 * An array-like whose element i reads as `first[i]` the first time and `later[i]` after:
 * a library that reads an element twice (validate, then copy) sees the hostile value.
 * @param {number[]} first @param {number[]} later
 */
export function flipProxy(first, later) {
  const seen = new Set();
  return new Proxy(first.slice(), {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) {
        const i = Number(key);
        if (seen.has(i)) return later[i];
        seen.add(i);
        return target[i];
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * The arrays of a case with each `{ flip, later }` description replaced by a fresh flipProxy.
 * @param {Record<string, unknown>} arrays
 */
export function materialize(arrays) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [k, v] of Object.entries(arrays)) {
    const f = /** @type {{ flip?: number[], later?: number[] }} */ (v);
    out[k] = f && typeof f === "object" && Array.isArray(f.flip) && Array.isArray(f.later) ? flipProxy(f.flip, f.later) : v;
  }
  return out;
}

/** Valid and hostile CSR arrays. @type {fc.Arbitrary<CsrCase>} */
export const csrCase = fc
  .record({
    d: dense,
    mutation: fc.constantFrom(
      "none",
      "none",
      "none",
      "index-out-of-range",
      "index-negative",
      "index-2^32-wrap",
      "index-fractional",
      "index-NaN",
      "data-NaN",
      "data-Infinity",
      "indptr-short",
      "indptr-long",
      "indices-short",
      "data-long",
      "indptr-nonmonotone",
      "indptr-start",
      "indptr-end-past",
      "indptr-fractional",
      "rows-negative",
      "rows-fractional",
      "rows-NaN",
      "rows-huge",
      "rows-string",
      "cols-negative",
      "cols-huge",
      "unsorted",
      "duplicate",
      "unsorted-sorted",
      "null-indices",
      "number-data",
      "proxy-indices",
      "proxy-indptr",
      "proxy-data",
    ),
    kinds: fc.tuple(
      fc.constantFrom("Array", "Int32Array", "Float64Array", "Uint32Array"),
      fc.constantFrom("Array", "Int32Array", "Float64Array"),
      fc.constantFrom("Array", "Float64Array"),
    ),
    pick: fc.nat(),
  })
  .map(({ d, mutation, kinds, pick }) => {
    const base = denseToCsr(d);
    const { rows, cols } = base;
    const indptr = base.indptr.slice(),
      indices = base.indices.slice(),
      data = base.data.slice();
    const nnz = indices.length;
    const k = nnz ? pick % nnz : 0;
    /** @type {Dense | undefined} */
    let expect;
    /** @type {{ sort?: boolean } | undefined} */
    let options;
    /** @type {Record<string, unknown>} */
    const arrays = { rows, cols, indptr, indices, data };
    const need = (/** @type {boolean} */ ok) => ok; // a mutation that cannot apply leaves a valid input
    let applied = true;
    switch (mutation) {
      case "none":
        applied = false;
        break;
      case "index-out-of-range":
        applied = need(nnz > 0) && ((indices[k] = cols + (pick % 3)), true);
        break;
      case "index-negative":
        applied = need(nnz > 0) && ((indices[k] = -1 - (pick % 2)), true);
        break;
      case "index-2^32-wrap":
        applied = need(nnz > 0) && ((indices[k] = indices[k] + 2 ** 32), true);
        break;
      case "index-fractional":
        applied = need(nnz > 0) && ((indices[k] = indices[k] + 0.5), true);
        break;
      case "index-NaN":
        applied = need(nnz > 0) && ((indices[k] = Number.NaN), true);
        break;
      case "data-NaN":
        applied = need(nnz > 0) && ((data[k] = Number.NaN), true);
        break;
      case "data-Infinity":
        applied = need(nnz > 0) && ((data[k] = -Number.POSITIVE_INFINITY), true);
        break;
      case "indptr-short":
        indptr.pop();
        break;
      case "indptr-long":
        indptr.push(nnz);
        break;
      case "indices-short":
        applied = need(nnz > 0) && (indices.pop(), true);
        break;
      case "data-long":
        data.push(1);
        break;
      case "indptr-nonmonotone":
        applied = need(rows >= 2 && nnz > 0);
        if (applied) {
          const r = 1 + (pick % (rows - 1));
          indptr[r] = nnz + 1;
          if (r === rows) applied = false;
        }
        break;
      case "indptr-start":
        indptr[0] = 1;
        break;
      case "indptr-end-past":
        indptr[rows] = nnz + 1;
        break;
      case "indptr-fractional":
        applied = need(rows >= 1 && indptr.length > 2);
        if (applied) indptr[1] = indptr[1] + 0.5;
        break;
      case "rows-negative":
        arrays.rows = -1;
        break;
      case "rows-fractional":
        arrays.rows = rows + 0.5;
        break;
      case "rows-NaN":
        arrays.rows = Number.NaN;
        break;
      case "rows-huge":
        arrays.rows = 2 ** 31;
        break;
      case "rows-string":
        arrays.rows = String(rows);
        break;
      case "cols-negative":
        arrays.cols = -1;
        break;
      case "cols-huge":
        applied = true;
        arrays.cols = 2 ** 32 + cols; // wraps to cols as an i32
        break;
      case "unsorted":
      case "unsorted-sorted": {
        const r = indptr.findIndex((p, i) => i < rows && indptr[i + 1] - p >= 2);
        applied = r >= 0;
        if (applied) {
          const a = indptr[r];
          [indices[a], indices[a + 1]] = [indices[a + 1], indices[a]];
          [data[a], data[a + 1]] = [data[a + 1], data[a]];
          if (mutation === "unsorted-sorted") {
            options = { sort: true };
            expect = d;
          }
        }
        break;
      }
      case "duplicate": {
        const r = indptr.findIndex((p, i) => i < rows && indptr[i + 1] - p >= 2);
        applied = r >= 0;
        if (applied) indices[indptr[r] + 1] = indices[indptr[r]];
        break;
      }
      case "null-indices":
        arrays.indices = null;
        break;
      case "number-data":
        arrays.data = 3;
        break;
      default:
        break;
    }
    if (!applied && !mutation.startsWith("proxy")) return { mutation: "none", arrays: { ...base }, expect: d, codes: [], options };
    if (mutation.startsWith("proxy")) {
      // first read: the valid value; any later read: a hostile one
      const which = mutation.slice(6);
      // described here, built by `materialize` at each call (a Proxy has state)
      if (which === "indices") arrays.indices = { flip: base.indices, later: base.indices.map(() => 1e9) };
      if (which === "indptr") arrays.indptr = { flip: base.indptr, later: base.indptr.map((_, i) => (i ? 2 ** 30 : 0)) };
      if (which === "data") arrays.data = { flip: base.data, later: base.data.map(() => Number.NaN) };
      return { mutation, arrays, expect: d, codes: CSR_REFUSALS, options };
    }
    if (Array.isArray(arrays.indptr)) arrays.indptr = asKind(/** @type {number[]} */ (arrays.indptr), kinds[0]);
    if (Array.isArray(arrays.indices)) arrays.indices = asKind(/** @type {number[]} */ (arrays.indices), kinds[1]);
    if (Array.isArray(arrays.data)) arrays.data = asKind(/** @type {number[]} */ (arrays.data), kinds[2]);
    // A typed array coerces on store: a Uint32Array/Int32Array cannot hold -1, NaN or 0.5,
    // so the mutation may have been undone; such cases are checked by their stored values.
    return { mutation, arrays, expect, codes: CSR_REFUSALS, options };
  })
  .map((c) => /** @type {CsrCase} */ (c));

/** Valid and hostile COO triplets; `expect` sums duplicates (the values are exact). */
export const cooCase = fc
  .record({
    d: dense,
    dups: fc.array(fc.nat(), { maxLength: 4 }),
    mutation: fc.constantFrom("none", "none", "row-out-of-range", "col-negative", "row-fractional", "col-NaN", "data-NaN", "lengths", "rows-huge"),
    pick: fc.nat(),
  })
  .map(({ d, dups, mutation, pick }) => {
    /** @type {number[]} */
    const row = [];
    /** @type {number[]} */
    const col = [];
    /** @type {number[]} */
    const data = [];
    for (let i = 0; i < d.rows; i++)
      for (let j = 0; j < d.cols; j++)
        if (d.a[i][j] !== 0) {
          row.push(i);
          col.push(j);
          data.push(d.a[i][j]);
        }
    const sum = d.a.map((r) => r.slice());
    // split some entries into two halves (exact for the dyadic and integer values used)
    for (const p of dups) {
      if (!row.length) break;
      const k = p % row.length;
      const half = data[k] / 2;
      // only values whose halves add back exactly in any order: multiples of 2^-8 below 2^20
      if (!Number.isInteger(data[k] * 256) || Math.abs(data[k]) >= 2 ** 20) continue;
      data[k] = half;
      row.push(row[k]);
      col.push(col[k]);
      data.push(half);
    }
    /** @type {Record<string, unknown>} */
    const arrays = { rows: d.rows, cols: d.cols, row, col, data };
    const k = row.length ? pick % row.length : -1;
    let applied = k >= 0 || mutation === "lengths" || mutation === "rows-huge";
    if (mutation === "none") applied = false;
    else if (mutation === "row-out-of-range" && k >= 0) row[k] = d.rows;
    else if (mutation === "col-negative" && k >= 0) col[k] = -1;
    else if (mutation === "row-fractional" && k >= 0) row[k] += 0.25;
    else if (mutation === "col-NaN" && k >= 0) col[k] = Number.NaN;
    else if (mutation === "data-NaN" && k >= 0) data[k] = Number.NaN;
    else if (mutation === "lengths") data.push(1);
    else if (mutation === "rows-huge") arrays.rows = 2 ** 31;
    return { mutation: applied ? mutation : "none", arrays, expect: applied ? undefined : { rows: d.rows, cols: d.cols, a: sum } };
  });

// ---------------------------------------------------------------- options

/**
 * @typedef {object} OptionSpec
 * @property {string} name an option name
 * @property {fc.Arbitrary<unknown>} valid values that are in range
 */

/** The options each solver documents (README "Solvers", "SOR", "Multigrid"). */
export const SOLVER_OPTION_NAMES = {
  common: ["x0", "rtol", "atol", "maxiter", "callback", "callbackEvery", "signal", "history"],
  cg: ["M", "nullspace"],
  fcd: ["M", "nullspace", "k", "trueResidual"],
  solve: ["M", "nullspace", "k", "trueResidual", "restart"],
  gmres: ["M", "restart"],
  fgmres: ["M", "restart"],
  bicgstab: ["M"],
  minres: ["M"],
  sor: ["omega", "symmetric", "ordering", "relativeTo"],
  multigridSolve: [],
  multigrid: ["cycle", "pre", "post", "symmetric", "smoother", "omega", "maxLevels"],
  amg: [
    "cycle",
    "pre",
    "post",
    "symmetric",
    "smoother",
    "omega",
    "maxLevels",
    "kind",
    "theta",
    "maxCoarse",
    "prolongatorWeight",
    "B",
    "improveCandidates",
    "blockSize",
    "coarsening",
    "interpolation",
    "maxElements",
    "truncation",
    "maxRowSum",
  ],
};

/** Valid values of each option (n: the system's order). @param {number} n */
export function validOptionValue(n) {
  return {
    x0: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a)),
    rtol: fc.constantFrom(1e-5, 1e-8, 1e-3, 0.5, 1e-10),
    atol: fc.constantFrom(0, 1e-12, 1e-6, Number.POSITIVE_INFINITY),
    maxiter: fc.constantFrom(0, 1, 5, 100, 1000),
    callback: fc.constantFrom(
      () => undefined,
      () => true,
      (/** @type {{ iteration: number }} */ s) => s.iteration < 2,
    ),
    callbackEvery: fc.constantFrom(1, 3),
    signal: fc.constant(new AbortController().signal),
    history: fc.boolean(),
    nullspace: fc.constant(undefined),
    k: fc.constantFrom(1, 2, 4),
    trueResidual: fc.boolean(),
    restart: fc.constantFrom(1, 2, 5, n),
    omega: fc.constantFrom(0.5, 1, 1.5, 1.9),
    symmetric: fc.boolean(),
    ordering: fc.constantFrom("natural"),
    relativeTo: fc.constantFrom("b", "initial"),
    cycle: fc.constantFrom("V", "W", "F"),
    pre: fc.constantFrom(0, 1, 2),
    post: fc.constantFrom(1, 2),
    smoother: fc.constantFrom("sgs", "gs", "jacobi", "l1jacobi", "chebyshev"),
    maxLevels: fc.constantFrom(1, 2, 10),
    theta: fc.constantFrom(0, 0.25),
    maxCoarse: fc.constantFrom(1, 10, 300),
    prolongatorWeight: fc.constantFrom(1, 4 / 3),
    kind: fc.constantFrom("aggregation", "classical"),
    B: fc.constantFrom(new Float64Array(n).fill(1), [new Float64Array(n).fill(1), Float64Array.from({ length: n }, (_, i) => i / n)]),
    improveCandidates: fc.constantFrom(0, 1, 4),
    blockSize: fc.constantFrom(1, 7),
    coarsening: fc.constantFrom("rs", "pmis"),
    interpolation: fc.constantFrom("extended+i", "classical", "direct"),
    maxElements: fc.constantFrom(0, 1, 4),
    truncation: fc.constantFrom(0, 0.2),
    maxRowSum: fc.constantFrom(0.9, 1),
  };
}

/**
 * An options object for `solver`: some valid options, some hostile values, and sometimes
 * a prototype-named key. `hostile` lists what the object contains that must be refused.
 * @param {keyof typeof SOLVER_OPTION_NAMES} solver
 * @param {number} n
 */
export function optionsFor(solver, n) {
  const own = SOLVER_OPTION_NAMES[solver];
  const names = solver === "multigrid" || solver === "amg" ? own : [...SOLVER_OPTION_NAMES.common, ...own];
  const valid = /** @type {Record<string, fc.Arbitrary<unknown>>} */ (validOptionValue(n));
  const entry = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...names).chain((k) => fc.tuple(fc.constant(k), valid[k] ?? fc.constant(undefined), fc.constant(false))) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...names), anyValue, fc.constant(true)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PROTO_NAMES, "rtoll", "M "), anyValue, fc.constant(true)) },
  );
  return fc.uniqueArray(entry, { maxLength: 4, selector: (e) => e[0] }).map((entries) => ({
    options: ownObject(entries.map(([k, v]) => [k, v])),
    /** keys given a value outside the valid generator (they may or may not be in range) */
    hostile: entries.filter((e) => e[2]).map((e) => e[0]),
    /** keys that are not options of this solver: these must be refused */
    unknown: entries.map((e) => e[0]).filter((k) => !names.includes(k)),
  }));
}

// ---------------------------------------------------------------- user operators

/** How a user operator or preconditioner misbehaves. */
export const behaviour = fc.constantFrom(
  "ok",
  "ok",
  "throws",
  "nan",
  "infinity",
  "short",
  "long",
  "array",
  "float32",
  "string",
  "undefined",
  "ignores-out",
  "cg-inside",
  "alloc-inside",
  "grow-inside",
  "nan-late",
);
