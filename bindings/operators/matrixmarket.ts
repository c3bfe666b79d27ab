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

const SPACE = 32,
  TAB = 9,
  CR = 13,
  LF = 10,
  PERCENT = 37;
const PLUS = 43,
  MINUS = 45,
  DOT = 46,
  ZERO = 48,
  NINE = 57;
// Strings are read through a 1 MiB window of UTF-8 bytes, so the parser has one code path
// (bytes) and a string input costs no second full-size copy.
const WINDOW = 1 << 20;
// Exact powers of ten: up to 10^22 every one is a double, which makes the fast path below
// correctly rounded (Clinger, "How to read floating point numbers accurately", 1990).
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const utf8 = new TextDecoder();
// A Matrix Market value: sign, digits with an optional point, an optional e/E/d/D exponent.
// Unambiguous (each digit can match one way only), so a long token fails in linear time.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eEdD][+-]?\d+)?$/;

/** A token shortened for a message. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}… (${text.length} characters)` : text;
}

function fail(line: number, message: string): never {
  throw new SolvewasmError("PARSE_ERROR", `Matrix Market line ${line}: ${message}`);
}

/** Reads tokens and lines from bytes (a file's, or a string's through a window). */
class Scanner {
  buf: Uint8Array;
  pos = 0;
  end: number;
  line = 1;
  #text: string | undefined;
  #textPos = 0;
  #encoder: TextEncoder | undefined;

  constructor(src: string | Uint8Array) {
    if (typeof src === "string") {
      this.#text = src;
      this.#encoder = new TextEncoder();
      this.buf = new Uint8Array(WINDOW + 4);
      this.end = 0;
      this.#refill();
    } else {
      this.buf = src;
      this.end = src.length;
    }
  }

  /** Moves the unread bytes to the front of the window and encodes more of the string. */
  #refill(): void {
    const rest = this.end - this.pos;
    this.buf.copyWithin(0, this.pos, this.end);
    this.pos = 0;
    this.end = rest;
    const text = this.#text!;
    // Up to a third of the free room in UTF-16 units: at most 3 bytes each, so it always fits.
    const room = Math.floor((this.buf.length - rest - 4) / 3);
    if (room <= 0 || this.#textPos >= text.length) return;
    let stop = Math.min(text.length, this.#textPos + room);
    if (stop < text.length && (text.charCodeAt(stop - 1) & 0xfc00) === 0xd800) stop--; // keep surrogate pairs whole
    const { written } = this.#encoder!.encodeInto(text.slice(this.#textPos, stop), this.buf.subarray(rest));
    this.#textPos = stop;
    this.end = rest + written;
  }

  /** Makes sure the window holds the whole current line (strings only). A line longer than
   * half the window doubles it, so a string reads every file its bytes would; the window
   * stays within six times the longest line's bytes. */
  ensureLine(): void {
    if (this.#text === undefined) return;
    for (;;) {
      const lf = this.buf.subarray(this.pos, this.end).indexOf(LF);
      if (lf >= 0 || this.#textPos >= this.#text.length) return;
      if (this.pos === 0 && this.end > this.buf.length / 2) {
        const grown = new Uint8Array(2 * this.buf.length);
        grown.set(this.buf.subarray(0, this.end));
        this.buf = grown;
      }
      this.#refill();
    }
  }

  /** Skips spaces, tabs and carriage returns (not newlines). */
  skipBlanks(): void {
    const b = this.buf;
    while (this.pos < this.end) {
      const c = b[this.pos];
      if (c !== SPACE && c !== TAB && c !== CR) break;
      this.pos++;
    }
  }

  /** True at the end of a line (or of the input), after blanks. */
  atEol(): boolean {
    this.skipBlanks();
    return this.pos >= this.end || this.buf[this.pos] === LF;
  }

  /** Moves past the next newline and makes the following line available. */
  nextLine(): void {
    const lf = this.buf.subarray(this.pos, this.end).indexOf(LF);
    if (lf < 0) {
      this.pos = this.end;
    } else {
      this.pos += lf + 1;
      this.line++;
    }
    this.ensureLine();
  }

  /** Skips blank lines and `%` comment lines; false at the end of the input. */
  skipEmptyLines(): boolean {
    for (;;) {
      if (this.atEol()) {
        if (this.pos >= this.end) return false;
        this.nextLine();
      } else if (this.buf[this.pos] === PERCENT) {
        this.nextLine();
      } else {
        return true;
      }
    }
  }

  /** Bytes [a, b) as text, for messages. */
  text(a: number, b: number): string {
    return utf8.decode(this.buf.subarray(a, b));
  }

  /** The rest of the current line as a string (for messages). */
  restOfLine(): string {
    let end = this.pos;
    while (end < this.end && this.buf[end] !== LF && end - this.pos < 80) end++;
    return this.text(this.pos, end).trim();
  }

  /** [start, end) of the next token on this line; fails if the line ends first. */
  token(what: string): [number, number] {
    if (this.atEol()) fail(this.line, `expected ${what}, found the end of the line`);
    const b = this.buf;
    const start = this.pos;
    while (this.pos < this.end) {
      const c = b[this.pos];
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
      const d = this.buf[i] - ZERO;
      if (d < 0 || d > 9 || v > 2 ** 46) fail(this.line, `${what} must be a non-negative integer, found '${clip(this.text(a, b))}'`);
      v = v * 10 + d;
    }
    return v;
  }

  /** A finite decimal number token (Fortran's 1.0D+00 exponent accepted; not JavaScript's
   * 0x10, 0b11, Infinity or 1_000, which Number() alone would take). */
  real(what: string): number {
    const [a, b] = this.token(what);
    const v = this.#fastDecimal(a, b);
    if (v !== undefined) return v;
    // Decoded, not String.fromCharCode.apply: a token of any length is one string.
    const text = this.text(a, b);
    const x = DECIMAL.test(text) ? Number(text.replace(/[dD]/, "e")) : Number.NaN;
    if (!Number.isFinite(x)) fail(this.line, `${what} must be a finite decimal number, found '${clip(text)}'`);
    return x;
  }

  /** [sign]digits[.digits][(e|E)[sign]digits] with at most 15 significant digits and a
   * small exponent, converted exactly; undefined for anything else (Number() decides). */
  #fastDecimal(a: number, b: number): number | undefined {
    const buf = this.buf;
    let i = a,
      neg = false;
    if (buf[i] === MINUS || buf[i] === PLUS) neg = buf[i++] === MINUS;
    let m = 0,
      digits = 0,
      scale = 0,
      any = false;
    for (; i < b; i++) {
      const c = buf[i];
      if (c < ZERO || c > NINE) break;
      any = true;
      if (m !== 0 || c !== ZERO) digits++;
      m = m * 10 + (c - ZERO);
    }
    if (i < b && buf[i] === DOT) {
      for (i++; i < b; i++) {
        const c = buf[i];
        if (c < ZERO || c > NINE) break;
        any = true;
        if (m !== 0 || c !== ZERO) digits++;
        m = m * 10 + (c - ZERO);
        scale--;
      }
    }
    if (!any || digits > 15) return undefined;
    if (i < b && (buf[i] === 101 || buf[i] === 69)) {
      i++;
      let eneg = false,
        e = 0,
        edigits = 0;
      if (buf[i] === MINUS || buf[i] === PLUS) eneg = buf[i++] === MINUS;
      for (; i < b && buf[i] >= ZERO && buf[i] <= NINE && edigits < 5; i++, edigits++) e = e * 10 + (buf[i] - ZERO);
      if (edigits === 0) return undefined;
      scale += eneg ? -e : e;
    }
    if (i !== b || scale > 22 || scale < -22) return undefined;
    const v = scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
    return neg ? -v : v;
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
  sc.ensureLine();
  const header = parseHeader(sc);
  if (!sc.skipEmptyLines()) fail(sc.line, "the file ends before the size line");
  const sizeLine = sc.line;
  const rows = sc.int("the row count");
  const cols = sc.int("the column count");
  const coordinate = header.format === "coordinate";
  const pattern = header.field === "pattern";
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
  // Each entry takes a line of at least "i j v\n" (pattern "i j\n", array "v\n") minus the
  // last newline, so the input's length bounds what it can hold, whatever it declares.
  const most = Math.floor((input.length + 1) / (coordinate ? (pattern ? 4 : 6) : 2));
  if (expected > most) fail(sizeLine, `the size line declares ${expected} entries but a file of ${input.length} characters holds at most ${most}`);
  // Sized by the declaration, which the check above bounds by the input's own length (16
  // bytes of triplets per entry, an entry per 2–6 characters, twice for symmetric files):
  // a few times the input's size at most, so a 60-byte file cannot reserve gigabytes.
  const capacity = symmetric ? 2 * expected : expected;
  const row = new Int32Array(capacity),
    col = new Int32Array(capacity),
    data = new Float64Array(capacity);
  let count = 0;
  const skew = header.symmetry === "skew-symmetric";
  const integer = header.field === "integer";
  // Array format walks columns; the symmetric forms store only the lower triangle.
  let ai = symmetric ? (skew ? 1 : 0) : 0,
    aj = 0;

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
