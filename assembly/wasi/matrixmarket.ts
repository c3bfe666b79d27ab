// Matrix Market text to triplets, from the file's bytes in memory: the semantics and the
// error wording of the library's parser (bindings/operators/matrixmarket.ts), so a file
// reads here to the same entries, or is refused with the same line and reason.
// `coordinate` and `array`; real, integer (and "double"), pattern; general, symmetric,
// skew-symmetric, the stored half expanded; complex and Hermitian files refused.
import { parseDecimal } from "./decimal";
import { allocF64, allocI32, fail, jsNumber } from "./io";

// @ts-ignore: decorator
@inline const SPACE: u32 = 32;
// @ts-ignore: decorator
@inline const TAB: u32 = 9;
// @ts-ignore: decorator
@inline const CR: u32 = 13;
// @ts-ignore: decorator
@inline const LF: u32 = 10;
// @ts-ignore: decorator
@inline const PERCENT: u32 = 37;

/** Entries with symmetric halves expanded, duplicates not yet summed. */
export class Triplets {
  rows: i32 = 0;
  cols: i32 = 0;
  /** Row indices (i32), column indices (i32), values (f64), 0-based, `count` used. */
  row: usize = 0;
  col: usize = 0;
  data: usize = 0;
  count: i32 = 0;
  format: string = "";
  field: string = "";
  symmetry: string = "";
}

/** A token shortened for a message. */
function clip(text: string): string {
  return text.length > 40 ? `${text.substring(0, 40)}… (${text.length} characters)` : text;
}

class Scanner {
  pos: usize;
  line: i32 = 1;

  constructor(public name: string, public buf: usize, public end: usize) {
    this.pos = buf;
  }

  fail(line: i32, message: string): void {
    fail(`${this.name}: Matrix Market line ${line}: ${message}`);
  }

  // @ts-ignore: decorator
  @inline byte(at: usize): u32 {
    return <u32>load<u8>(at);
  }

  skipBlanks(): void {
    while (this.pos < this.end) {
      const c = this.byte(this.pos);
      if (c != SPACE && c != TAB && c != CR) break;
      this.pos++;
    }
  }

  atEol(): bool {
    this.skipBlanks();
    return this.pos >= this.end || this.byte(this.pos) == LF;
  }

  nextLine(): void {
    while (this.pos < this.end && this.byte(this.pos) != LF) this.pos++;
    if (this.pos < this.end) {
      this.pos++;
      this.line++;
    }
  }

  /** Skips blank and `%` comment lines; false at the end of the input. */
  skipEmptyLines(): bool {
    for (;;) {
      if (this.atEol()) {
        if (this.pos >= this.end) return false;
      } else if (this.byte(this.pos) != PERCENT) {
        return true;
      }
      this.nextLine();
    }
    return false; // not reached
  }

  text(a: usize, b: usize): string {
    return String.UTF8.decodeUnsafe(a, b - a);
  }

  /** The rest of the current line, at most 80 bytes, trimmed (for messages). */
  restOfLine(): string {
    let e = this.pos;
    while (e < this.end && this.byte(e) != LF && e - this.pos < 80) e++;
    return this.text(this.pos, e).trim();
  }

  /** The next token's start; `tokenEnd` its end. Fails if the line ends first. */
  tokenEnd: usize = 0;
  token(what: string): usize {
    if (this.atEol()) this.fail(this.line, `expected ${what}, found the end of the line`);
    const start = this.pos;
    while (this.pos < this.end) {
      const c = this.byte(this.pos);
      if (c == SPACE || c == TAB || c == CR || c == LF) break;
      this.pos++;
    }
    this.tokenEnd = this.pos;
    return start;
  }

  /** A non-negative decimal integer token. */
  int(what: string): f64 {
    const a = this.token(what), b = this.tokenEnd;
    let v = 0.0;
    for (let i = a; i < b; i++) {
      const d = this.byte(i) - 48;
      if (d > 9 || v > 70368744177664.0) this.fail(this.line, `${what} must be a non-negative integer, found '${clip(this.text(a, b))}'`);
      v = v * 10 + <f64>d;
    }
    return v;
  }

  /** A finite decimal number token. */
  real(what: string): f64 {
    const a = this.token(what), b = this.tokenEnd;
    const x = parseDecimal(a, <i32>(b - a));
    if (!isFinite(x)) this.fail(this.line, `${what} must be a finite decimal number, found '${clip(this.text(a, b))}'`);
    return x;
  }

  endOfLine(expected: string): void {
    if (!this.atEol()) this.fail(this.line, `expected ${expected}, found extra text '${this.restOfLine()}'`);
  }
}

// @ts-ignore: decorator
@lazy const BANNER = "%%MatrixMarket matrix coordinate|array real|integer|pattern general|symmetric|skew-symmetric";

/** The banner's words, lower-cased, split on blanks. */
function words(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 32;
    const blank = c == 32 || c == 9 || c == 13;
    if (blank && start >= 0) {
      out.push(line.substring(start, i).toLowerCase());
      start = -1;
    } else if (!blank && start < 0) start = i;
  }
  return out;
}

/**
 * Parses Matrix Market bytes [buf, buf + length) named `name` (for messages) into
 * triplets. `matrixOnly`: refuse the array format (the system matrix must be sparse).
 */
export function parseMatrixMarket(name: string, buf: usize, length: usize, matrixOnly: bool): Triplets {
  const sc = new Scanner(name, buf, buf + length);
  const first = sc.restOfLine();
  const w = words(first);
  if (w.length != 5 || w[0] != "%%matrixmarket" || w[1] != "matrix") sc.fail(1, `expected the banner '${BANNER}', found '${first}'`);
  const format = w[2], field = w[3], symmetry = w[4];
  if (format != "coordinate" && format != "array") sc.fail(1, `unknown format '${format}' (coordinate or array)`);
  if (field == "complex" || symmetry == "hermitian") sc.fail(1, "complex matrices are not supported");
  if (field != "real" && field != "integer" && field != "pattern" && field != "double") sc.fail(1, `unknown field '${field}' (real, integer or pattern)`);
  if (symmetry != "general" && symmetry != "symmetric" && symmetry != "skew-symmetric") {
    sc.fail(1, `unknown symmetry '${symmetry}' (general, symmetric or skew-symmetric)`);
  }
  if (format == "array" && field == "pattern") sc.fail(1, "the array format cannot have the pattern field");
  if (format == "array" && matrixOnly) sc.fail(1, "the matrix must be in the coordinate format (a sparse matrix), not array");
  sc.nextLine();

  if (!sc.skipEmptyLines()) sc.fail(sc.line, "the file ends before the size line");
  const sizeLine = sc.line;
  const coordinate = format == "coordinate";
  const pattern = field == "pattern";
  const rows = sc.int("the row count");
  const cols = sc.int("the column count");
  const declared = coordinate ? sc.int("the entry count") : 0.0;
  sc.endOfLine(coordinate ? "'rows cols entries' on the size line" : "'rows cols' on the size line");
  if (rows > 2147483647 || cols > 2147483647) sc.fail(sizeLine, `a ${<i64>rows} × ${<i64>cols} matrix is too large`);
  const symmetric = symmetry != "general";
  const skew = symmetry == "skew-symmetric";
  if (symmetric && rows != cols) sc.fail(sizeLine, `a ${symmetry} matrix must be square, not ${<i32>rows} × ${<i32>cols}`);
  sc.nextLine();

  const expected = coordinate
    ? declared
    : symmetry == "general"
      ? rows * cols
      : symmetry == "symmetric"
        ? (rows * (rows + 1)) / 2
        : (rows * (rows - 1)) / 2;
  if (coordinate && declared > rows * cols) sc.fail(sizeLine, `${<i64>declared} entries cannot fit in a ${<i32>rows} × ${<i32>cols} matrix`);
  // Every entry takes a line of at least "i j v\n" (pattern "i j\n", array "v\n") less
  // the last newline: the input's length bounds what it can hold, whatever it declares,
  // so a 60-byte file cannot reserve gigabytes.
  const most = Math.floor(<f64>(length + 1) / (coordinate ? (pattern ? 4 : 6) : 2));
  if (expected > most) {
    sc.fail(sizeLine, `the size line declares ${<i64>expected} entries but a file of ${length} characters holds at most ${<i64>most}`);
  }
  const n = <i32>expected;
  const capacity = symmetric ? 2 * n : n;
  const t = new Triplets();
  t.rows = <i32>rows;
  t.cols = <i32>cols;
  t.format = format;
  t.field = field == "double" ? "real" : field;
  t.symmetry = symmetry;
  const prow = allocI32(capacity, `${name}'s entries`);
  const pcol = allocI32(capacity, `${name}'s entries`);
  const pval = allocF64(capacity, `${name}'s entries`);
  const integer = field == "integer";
  let count = 0;
  // The array format walks columns; the symmetric forms store only the lower triangle.
  let ai = symmetric && skew ? 1 : 0, aj = 0;
  for (let k = 0; k < n; k++) {
    if (!sc.skipEmptyLines()) sc.fail(sc.line, `the file declares ${n} entries but ends after ${k}`);
    let i = 0, j = 0, v = 0.0;
    if (coordinate) {
      const fi = sc.int("the row index");
      const fj = sc.int("the column index");
      if (fi < 1 || fi > rows) sc.fail(sc.line, `row index ${<i64>fi} is outside 1..${<i32>rows} (indices start at 1)`);
      if (fj < 1 || fj > cols) sc.fail(sc.line, `column index ${<i64>fj} is outside 1..${<i32>cols} (indices start at 1)`);
      i = <i32>fi - 1;
      j = <i32>fj - 1;
      v = pattern ? 1.0 : sc.real("the value");
    } else {
      i = ai;
      j = aj;
      v = sc.real("the value");
      if (++ai >= <i32>rows) {
        aj++;
        ai = symmetric ? aj + (skew ? 1 : 0) : 0;
      }
    }
    if (integer && v != Math.floor(v)) sc.fail(sc.line, `the field is integer but the value is ${jsNumber(v)}`);
    if (skew && i == j && v != 0) sc.fail(sc.line, `a skew-symmetric matrix has a zero diagonal, found ${jsNumber(v)} at (${i + 1}, ${i + 1})`);
    sc.endOfLine(coordinate ? (pattern ? "'row column'" : "'row column value'") : "one value per line");
    sc.nextLine();
    if (!coordinate && v == 0) continue; // dense storage: zeros are not entries
    store<i32>(prow + (<usize>count << 2), i);
    store<i32>(pcol + (<usize>count << 2), j);
    store<f64>(pval + (<usize>count << 3), v);
    count++;
    if (symmetric && i != j) {
      store<i32>(prow + (<usize>count << 2), j);
      store<i32>(pcol + (<usize>count << 2), i);
      store<f64>(pval + (<usize>count << 3), skew ? -v : v);
      count++;
    }
  }
  if (sc.skipEmptyLines()) sc.fail(sc.line, `more entries than the ${n} declared: '${sc.restOfLine()}'`);
  t.row = prow;
  t.col = pcol;
  t.data = pval;
  t.count = count;
  return t;
}
