// Decimal text to f64, correctly rounded, so the command reads every Matrix Market value
// to the same double as JavaScript's Number() (and so the library's fromMatrixMarket).
// AssemblyScript's own parseFloat keeps 19 digits and scales approximately; this does not.
//
// Two paths. Fast (Clinger, "How to read floating point numbers accurately", 1990), the
// library's #fastDecimal: at most 15 significant digits and |exponent| ≤ 22, one exact
// product or quotient. Otherwise exact: the digits as a decimal number of up to 800 digits
// (and a flag for any discarded non-zero digit), scaled by powers of two until its integer
// part is the 53-bit significand, then rounded half to even.
//
// The exact path is a port of Go's strconv decimal conversion (src/strconv/decimal.go,
// decimal.floatBits in src/strconv/atof.go), Copyright 2009 The Go Authors, BSD-3-Clause
// licence (https://go.dev/LICENSE). Changes: digits stored as values 0–9; leftShift
// multiplies from the last digit into a second buffer instead of Go's table of digit counts.

// Exact powers of ten: up to 10^22 every one is a double.
// @ts-ignore: decorator
@lazy const POW10: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

// 800 digits are enough for every halfway case between two doubles (at most 767
// significant digits); beyond them only "was anything non-zero dropped" matters.
// @ts-ignore: decorator
@inline const MAX_DIGITS = 800;
// A shift of k bits multiplies a digit by up to 9·2^k plus a carry below 2^k: 60 fits u64.
// @ts-ignore: decorator
@inline const MAX_SHIFT = 60;
// @ts-ignore: decorator
@lazy const digits = memory.data(MAX_DIGITS + 32);
// @ts-ignore: decorator
@lazy const shifted = memory.data(MAX_DIGITS + 32);

let nd = 0; // digits used
let dp = 0; // decimal point: the value is 0.d[0]d[1]… × 10^dp
let trunc = false; // non-zero digits were discarded past d[nd − 1]

// @ts-ignore: decorator
@inline function digit(i: i32): u32 {
  return <u32>load<u8>(digits + <usize>i);
}

function trim(): void {
  while (nd > 0 && digit(nd - 1) == 0) nd--;
  if (nd == 0) dp = 0;
}

/** Divides by 2^k, k ≤ MAX_SHIFT. */
function rightShift(k: u32): void {
  let r = 0, w = 0;
  let n: u64 = 0;
  // Enough leading digits to cover the first shift.
  for (; (n >> k) == 0; r++) {
    if (r >= nd) {
      if (n == 0) {
        nd = 0;
        return;
      }
      while ((n >> k) == 0) {
        n = n * 10;
        r++;
      }
      break;
    }
    n = n * 10 + digit(r);
  }
  dp -= r - 1;
  const mask: u64 = (<u64>1 << k) - 1;
  for (; r < nd; r++) {
    const c = digit(r);
    store<u8>(digits + <usize>(w++), <u8>(n >> k));
    n = (n & mask) * 10 + c;
  }
  while (n > 0) {
    const dig = n >> k;
    n &= mask;
    if (w < MAX_DIGITS) store<u8>(digits + <usize>(w++), <u8>dig);
    else if (dig > 0) trunc = true;
    n = n * 10;
  }
  nd = w;
  trim();
}

/** Multiplies by 2^k, k ≤ MAX_SHIFT. */
function leftShift(k: u32): void {
  const end = MAX_DIGITS + 32;
  let w = end;
  let n: u64 = 0;
  for (let r = nd - 1; r >= 0; r--) {
    n += <u64>digit(r) << k;
    const q = n / 10;
    store<u8>(shifted + <usize>(--w), <u8>(n - q * 10));
    n = q;
  }
  while (n > 0) {
    const q = n / 10;
    store<u8>(shifted + <usize>(--w), <u8>(n - q * 10));
    n = q;
  }
  const count = end - w;
  dp += count - nd;
  const keep = min(count, MAX_DIGITS);
  memory.copy(digits, shifted + <usize>w, <usize>keep);
  for (let i = keep; i < count; i++) if (load<u8>(shifted + <usize>(w + i)) != 0) trunc = true;
  nd = keep;
  trim();
}

function shift(k: i32): void {
  if (nd == 0) return;
  for (; k > MAX_SHIFT; k -= MAX_SHIFT) leftShift(MAX_SHIFT);
  for (; k < -MAX_SHIFT; k += MAX_SHIFT) rightShift(MAX_SHIFT);
  if (k > 0) leftShift(<u32>k);
  else if (k < 0) rightShift(<u32>-k);
}

/** The integer part, rounded half to even (a discarded digit breaks the tie upwards). */
function roundedInteger(): u64 {
  let n: u64 = 0;
  let i = 0;
  for (; i < dp && i < nd; i++) n = n * 10 + digit(i);
  for (; i < dp; i++) n *= 10;
  if (dp >= 0 && dp < nd) {
    const d = digit(dp);
    const up = d == 5 && dp + 1 == nd ? trunc || (dp > 0 && (digit(dp - 1) & 1) == 1) : d >= 5;
    if (up) n++;
  }
  return n;
}

// Powers of two that bring 10^dp toward 1 in one shift, by dp (Go's powtab).
// @ts-ignore: decorator
@lazy const POWTAB: StaticArray<i32> = [1, 3, 6, 9, 13, 16, 19, 23, 26];

/** The decimal held in `digits` as an f64, correctly rounded (±Infinity past the range). */
function decimalToF64(negative: bool): f64 {
  let mant: u64 = 0;
  let exp = 0; // biased exponent field
  if (nd == 0 || dp < -330) {
    mant = 0;
    exp = 0;
  } else if (dp > 310) {
    return negative ? -Infinity : Infinity;
  } else {
    // Scale into [0.5, 1): the binary exponent e of 0.5 ≤ v·2^−e < 1.
    let e = 0;
    while (dp > 0) {
      const n = dp >= POWTAB.length ? 27 : POWTAB[dp];
      shift(-n);
      e += n;
    }
    while (dp < 0 || (dp == 0 && digit(0) < 5)) {
      const n = -dp >= POWTAB.length ? 27 : POWTAB[-dp];
      shift(n);
      e -= n;
    }
    e--; // [0.5, 1) to [1, 2)
    // Below the smallest normal exponent: denormal, fewer significand bits.
    if (e < -1022) {
      shift(e + 1022);
      e = -1022;
    }
    if (e > 1023) return negative ? -Infinity : Infinity;
    shift(53);
    mant = roundedInteger();
    if (mant == (<u64>1 << 53)) {
      mant >>= 1;
      e++;
      if (e > 1023) return negative ? -Infinity : Infinity;
    }
    exp = mant & (<u64>1 << 52) ? e + 1023 : 0;
  }
  const bits = (mant & ((<u64>1 << 52) - 1)) | (<u64>exp << 52) | (negative ? <u64>1 << 63 : 0);
  return reinterpret<f64>(bits);
}

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}

/**
 * The f64 nearest the decimal in bytes [p, p + len): [+-]digits[.digits][(e|E|d|D)[+-]digits]
 * or [+-].digits[…] (Fortran's D exponent, as the library's parser; no hex, no Infinity).
 * NaN when the text is not such a number; ±Infinity when it is beyond the f64 range.
 */
export function parseDecimal(p: usize, len: i32): f64 {
  let i = 0;
  let negative = false;
  if (i < len && (load<u8>(p) == 45 || load<u8>(p) == 43)) negative = load<u8>(p + <usize>(i++)) == 45;
  // One pass for the grammar and the fast path; the digits are kept for the exact path.
  nd = 0;
  dp = 0;
  trunc = false;
  let m = 0.0, significant = 0, scale = 0;
  let sawDigits = false, sawDot = false;
  for (; i < len; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    if (c == 46) {
      if (sawDot) return NaN;
      sawDot = true;
      dp = nd;
      continue;
    }
    if (!isDigit(c)) break;
    sawDigits = true;
    const d = c - 48;
    if (sawDot) scale--;
    if (m != 0 || d != 0) significant++;
    m = m * 10 + <f64>d;
    if (d == 0 && nd == 0) {
      dp--; // a leading zero: the value starts further right
      continue;
    }
    if (nd < MAX_DIGITS) store<u8>(digits + <usize>(nd++), <u8>d);
    else if (d != 0) trunc = true;
  }
  if (!sawDigits) return NaN;
  if (!sawDot) dp = nd;
  let e = 0;
  if (i < len) {
    const c = load<u8>(p + <usize>i) | 32;
    if (c != 101 && c != 100) return NaN; // e, d
    i++;
    let eneg = false;
    if (i < len && (load<u8>(p + <usize>i) == 45 || load<u8>(p + <usize>i) == 43)) eneg = load<u8>(p + <usize>(i++)) == 45;
    if (i >= len) return NaN;
    for (; i < len; i++) {
      const c = <u32>load<u8>(p + <usize>i);
      if (!isDigit(c)) return NaN;
      if (e < 100000) e = e * 10 + <i32>(c - 48);
    }
    if (eneg) e = -e;
  }
  scale += e;
  if (significant <= 15 && scale <= 22 && scale >= -22) {
    const v = scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
    return negative ? -v : v;
  }
  dp += e;
  return decimalToF64(negative);
}
