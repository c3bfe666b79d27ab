// Matrix Market text (NIST's exchange format, https://math.nist.gov/MatrixMarket/formats.html)
// to and from coordinate triplets. Reads `coordinate` and `array` formats with fields
// real, integer and pattern and symmetries general, symmetric and skew-symmetric;
// 1-based indices; comment and blank lines. Parses straight from a string or from the
// file's bytes into typed arrays: no per-line strings, so memory stays near the
// triplets' size (16 bytes per stored entry, twice that for symmetric files).
import { SolvewasmError } from "../errors.js";

export type MatrixMarketFormat = "coordinate" | "array";
export type MatrixMarketField = "real" | "integer" | "pattern";
export type MatrixMarketSymmetry = "general" | "symmetric" | "skew-symmetric";

export interface MatrixMarketHeader {
  format: MatrixMarketFormat;
  field: MatrixMarketField;
  symmetry: MatrixMarketSymmetry;
}

/** Triplets, possibly with duplicates (summed by `fromCoo`), with symmetric halves expanded. */
export interface Triplets {
  rows: number;
  cols: number;
  row: Int32Array;
  col: Int32Array;
  data: Float64Array;
  /** Entries used in row/col/data (the arrays may be longer). */
  count: number;
  header: MatrixMarketHeader;
}

const SPACE = 32, TAB = 9, CR = 13, LF = 10, PERCENT = 37;

function fail(line: number, message: string): never {
  throw new SolvewasmError("PARSE_ERROR", `Matrix Market line ${line}: ${message}`);
}

/** Reads tokens and lines from a string or bytes without making a string per line. */
class Scanner {
  pos = 0;
  line = 1;
  readonly length: number;
  readonly code: (i: number) => number;
  readonly slice: (a: number, b: number) => string;

  constructor(readonly src: string | Uint8Array) {
    this.length = src.length;
    if (typeof src === "string") {
      this.code = (i) => src.charCodeAt(i);
      this.slice = (a, b) => src.slice(a, b);
    } else {
      this.code = (i) => src[i];
      this.slice = (a, b) => String.fromCharCode(...src.subarray(a, Math.min(b, a + 200)));
    }
  }

  get done(): boolean {
    return this.pos >= this.length;
  }

  /** Skips spaces and tabs (not newlines). */
  skipBlanks(): void {
    while (this.pos < this.length) {
      const c = this.code(this.pos);
      if (c !== SPACE && c !== TAB && c !== CR) break;
      this.pos++;
    }
  }

  /** True at the end of a line (or of the input), after blanks. */
  atEol(): boolean {
    this.skipBlanks();
    return this.pos >= this.length || this.code(this.pos) === LF;
  }

  /** Moves past the next newline. */
  nextLine(): void {
    while (this.pos < this.length && this.code(this.pos) !== LF) this.pos++;
    if (this.pos < this.length) {
      this.pos++;
      this.line++;
    }
  }

  /** Skips blank lines and `%` comment lines; false at the end of the input. */
  skipEmptyLines(): boolean {
    for (;;) {
      if (this.atEol()) {
        if (this.pos >= this.length) return false;
        this.nextLine();
      } else if (this.code(this.pos) === PERCENT) {
        this.nextLine();
      } else {
        return true;
      }
    }
  }

  /** The rest of the current line as a string (for messages). */
  restOfLine(): string {
    let end = this.pos;
    while (end < this.length && this.code(end) !== LF && end - this.pos < 80) end++;
    return this.slice(this.pos, end).trim();
  }

  /** [start, end) of the next token on this line; fails if the line ends first. */
  token(what: string): [number, number] {
    if (this.atEol()) fail(this.line, `expected ${what}, found the end of the line`);
    const start = this.pos;
    while (this.pos < this.length) {
      const c = this.code(this.pos);
      if (c === SPACE || c === TAB || c === CR || c === LF) break;
      this.pos++;
    }
    return [start, this.pos];
  }

  /** A non-negative decimal integer token. */
  int(what: string): number {
    const [a, b] = this.token(what);
    let v = 0;
    for (let i = a; i < b; i++) {
      const d = this.code(i) - 48;
      if (d < 0 || d > 9 || v > 2 ** 46) fail(this.line, `${what} must be a non-negative integer, found '${this.slice(a, b)}'`);
      v = v * 10 + d;
    }
    return v;
  }

  /** A finite number token (Fortran's 1.0D+00 exponent accepted). */
  real(what: string): number {
    const [a, b] = this.token(what);
    const text = this.slice(a, b);
    let v = Number(text);
    if (Number.isNaN(v) && /^[+-]?(\d+\.?\d*|\.\d+)[dD][+-]?\d+$/.test(text)) v = Number(text.replace(/[dD]/, "e"));
    if (!Number.isFinite(v) || text === "") fail(this.line, `${what} must be a finite number, found '${text}'`);
    return v;
  }

  /** Fails unless only blanks remain on the line. */
  endOfLine(expected: string): void {
    if (!this.atEol()) fail(this.line, `expected ${expected}, found extra text '${this.restOfLine()}'`);
  }
}

const BANNER = "%%MatrixMarket matrix coordinate|array real|integer|pattern general|symmetric|skew-symmetric";

function parseHeader(sc: Scanner): MatrixMarketHeader {
  const first = sc.restOfLine();
  const words = first.split(/\s+/).map((w) => w.toLowerCase());
  if (words[0] !== "%%matrixmarket" || words[1] !== "matrix" || words.length !== 5) {
    fail(1, `expected the banner '${BANNER}', found '${first}'`);
  }
  const [, , format, field, symmetry] = words;
  if (format !== "coordinate" && format !== "array") fail(1, `unknown format '${format}' (coordinate or array)`);
  if (field === "complex" || symmetry === "hermitian") fail(1, "complex matrices are not supported");
  if (field !== "real" && field !== "integer" && field !== "pattern" && field !== "double") {
    fail(1, `unknown field '${field}' (real, integer or pattern)`);
  }
  if (symmetry !== "general" && symmetry !== "symmetric" && symmetry !== "skew-symmetric") {
    fail(1, `unknown symmetry '${symmetry}' (general, symmetric or skew-symmetric)`);
  }
  if (format === "array" && field === "pattern") fail(1, "the array format cannot have the pattern field");
  sc.nextLine();
  return {
    format,
    field: field === "double" ? "real" : field,
    symmetry,
  } as MatrixMarketHeader;
}

/** Parses Matrix Market text (or the file's bytes) into triplets. */
export function parseMatrixMarket(input: string | Uint8Array): Triplets {
  if (typeof input !== "string" && !(input instanceof Uint8Array)) {
    throw new SolvewasmError("INVALID_ARGUMENT", "fromMatrixMarket takes the file's text (a string) or its bytes (a Uint8Array)");
  }
  const sc = new Scanner(input);
  const header = parseHeader(sc);
  if (!sc.skipEmptyLines()) fail(sc.line, "the file ends before the size line");
  const sizeLine = sc.line;
  const rows = sc.int("the row count");
  const cols = sc.int("the column count");
  const coordinate = header.format === "coordinate";
  const declared = coordinate ? sc.int("the entry count") : 0;
  sc.endOfLine(coordinate ? "'rows cols entries' on the size line" : "'rows cols' on the size line");
  if (rows > 2 ** 31 - 1 || cols > 2 ** 31 - 1) fail(sizeLine, `a ${rows} × ${cols} matrix is too large`);
  const symmetric = header.symmetry !== "general";
  if (symmetric && rows !== cols) fail(sizeLine, `a ${header.symmetry} matrix must be square, not ${rows} × ${cols}`);
  sc.nextLine();

  const expected = coordinate
    ? declared
    : header.symmetry === "general"
      ? rows * cols
      : header.symmetry === "symmetric"
        ? (rows * (rows + 1)) / 2
        : (rows * (rows - 1)) / 2;
  if (coordinate && declared > rows * cols) fail(sizeLine, `${declared} entries cannot fit in a ${rows} × ${cols} matrix`);
  const capacity = symmetric ? 2 * expected : expected;
  if (capacity > 2 ** 31 - 1) fail(sizeLine, `${expected} entries are more than one matrix can hold here`);
  const row = new Int32Array(capacity), col = new Int32Array(capacity), data = new Float64Array(capacity);
  let count = 0;
  const skew = header.symmetry === "skew-symmetric";
  const pattern = header.field === "pattern";
  const integer = header.field === "integer";
  // Array format walks columns; the symmetric forms store only the lower triangle.
  let ai = symmetric ? (skew ? 1 : 0) : 0, aj = 0;

  for (let k = 0; k < expected; k++) {
    if (!sc.skipEmptyLines()) fail(sc.line, `the file declares ${expected} entries but ends after ${k}`);
    let i: number, j: number, v: number;
    if (coordinate) {
      i = sc.int("the row index");
      j = sc.int("the column index");
      if (i < 1 || i > rows) fail(sc.line, `row index ${i} is outside 1..${rows} (indices start at 1)`);
      if (j < 1 || j > cols) fail(sc.line, `column index ${j} is outside 1..${cols} (indices start at 1)`);
      i--;
      j--;
      v = pattern ? 1 : sc.real("the value");
    } else {
      i = ai;
      j = aj;
      v = sc.real("the value");
      if (++ai >= rows) {
        aj++;
        ai = symmetric ? aj + (skew ? 1 : 0) : 0;
      }
    }
    if (integer && !Number.isInteger(v)) fail(sc.line, `the field is integer but the value is ${v}`);
    if (skew && i === j && v !== 0) fail(sc.line, `a skew-symmetric matrix has a zero diagonal, found ${v} at (${i + 1}, ${i + 1})`);
    sc.endOfLine(coordinate ? (pattern ? "'row column'" : "'row column value'") : "one value per line");
    sc.nextLine();
    if (!coordinate && v === 0) continue; // dense storage: zeros are not entries
    row[count] = i;
    col[count] = j;
    data[count++] = v;
    if (symmetric && i !== j) {
      row[count] = j;
      col[count] = i;
      data[count++] = skew ? -v : v;
    }
  }
  if (sc.skipEmptyLines()) fail(sc.line, `more entries than the ${expected} declared: '${sc.restOfLine()}'`);
  return { rows, cols, row, col, data, count, header };
}

/** Options for writing Matrix Market text. */
export interface MatrixMarketWriteOptions {
  /** Write only the lower triangle with the `symmetric` banner; the matrix must be exactly
   * symmetric (default false). */
  symmetric?: boolean;
  /** Comment lines placed after the banner. */
  comment?: string;
}

/**
 * Writes sorted CSR arrays as `coordinate real` text, values in the shortest form that
 * reads back to the same f64 (so a round trip is exact).
 */
export function writeMatrixMarket(
  rows: number,
  cols: number,
  indptr: Int32Array,
  indices: Int32Array,
  data: Float64Array,
  options: MatrixMarketWriteOptions = {},
): string {
  const symmetric = options.symmetric ?? false;
  const out: string[] = [`%%MatrixMarket matrix coordinate real ${symmetric ? "symmetric" : "general"}`];
  if (options.comment !== undefined) for (const line of options.comment.split("\n")) out.push(line ? `% ${line}` : "%");
  let count = 0;
  if (symmetric) {
    for (let r = 0; r < rows; r++) for (let k = indptr[r]; k < indptr[r + 1]; k++) if (indices[k] <= r) count++;
  } else {
    count = indptr[rows];
  }
  out.push(`${rows} ${cols} ${count}`);
  for (let r = 0; r < rows; r++) {
    for (let k = indptr[r]; k < indptr[r + 1]; k++) {
      const c = indices[k];
      if (!symmetric || c <= r) out.push(`${r + 1} ${c + 1} ${data[k]}`);
    }
  }
  out.push("");
  return out.join("\n");
}
