// glibc's float32 elementary functions on this machine, for the elementary benchmark: libmvec
// (glibc's vector libm) at the CPU's widest width and at SSE width (4 float32 lanes, wasm
// SIMD's width), and glibc's scalar libm, each timed over a whole array by
// bench/native/libmvec.c (see its header for the builds). gcc compiles the three builds once
// per process into a temporary directory; which libmvec variants each loop calls is read off
// `objdump -d`, so a function this glibc's libmvec lacks (the loop stays scalar) is reported
// unavailable for that build instead of being timed as libmvec. With no gcc, libmvec or
// objdump the answer is `{ available: false, reason }`: a note for the benchmark, never a throw.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The functions bench/native/libmvec.c evaluates (sigmoidf is 1 / (1 + expf(−x))). */
export const FUNCTIONS = ["expf", "exp2f", "expm1f", "logf", "log2f", "log1pf", "sinf", "cosf", "tanhf", "erff", "sigmoidf"];

/** float32 lanes of a wasm SIMD register (v128). */
export const WASM_LANES = 4;

/**
 * A libmvec rate scaled to wasm SIMD's width, for comparing kernels lane for lane:
 * elemsPerSec · width / lanes (libmvec-avx512 has 16 lanes, so its rate is divided by 4;
 * libmvec-sse has 4, so it stays as measured).
 * @param {number} elemsPerSec
 * @param {number} lanes
 * @param {number} [width]
 */
export const perLane = (elemsPerSec, lanes, width = WASM_LANES) => (elemsPerSec * width) / lanes;

const SOURCE = new URL("native/libmvec.c", import.meta.url).pathname;
// -ffast-math is what makes glibc's <math.h> declare the SIMD variants (and allows the
// vectorizer to reorder); -fopenmp-simd honours the loop's `#pragma omp simd` without
// linking OpenMP. The scalar build keeps glibc's default semantics and never vectorizes.
const BUILDS = [
  { name: "libmvec-native", flags: ["-O3", "-march=native", "-ffast-math", "-fopenmp-simd"], libs: ["-lmvec", "-lm"] },
  { name: "libmvec-sse", flags: ["-O3", "-march=x86-64", "-ffast-math", "-fopenmp-simd"], libs: ["-lmvec", "-lm"] },
  { name: "glibc-scalar", flags: ["-O3", "-march=native", "-fno-tree-vectorize"], libs: ["-lm"] },
];
// The ISA letter of a libmvec symbol (x86-64 vector ABI: _ZGV<isa>N<lanes>v_<name>).
const ISA = { b: "sse", c: "avx", d: "avx2", e: "avx512" };
const VECTOR_SYMBOL = /^_ZGV([bcde])N(\d+)v_(\w+)$/;

let toolchain; // built once per process: { dir, builds, compiler, glibc } or { reason }

/** First line of a failed command's stderr (or its message), for a `reason`. */
const firstLine = (err) =>
  String(err.stderr || err.message || err)
    .split("\n")
    .find((l) => l.trim()) ?? "unknown error";

/** Calls in each pass_<fn> function of an executable, from its disassembly: { fn: [symbols] }. */
function callsByPass(exe) {
  const calls = {};
  let current = null;
  for (const line of execFileSync("objdump", ["-d", "--no-show-raw-insn", exe], { encoding: "utf8", maxBuffer: 64 << 20 }).split("\n")) {
    const head = /^[0-9a-f]+ <pass_(\w+)>:$/.exec(line);
    if (head) current = calls[head[1]] = [];
    else if (line.trim() === "") current = null;
    else if (current) {
      const call = /\bcall\s+[0-9a-f]+ <([^@>+]+)(?:@plt)?>/.exec(line);
      if (call && !current.includes(call[1])) current.push(call[1]);
    }
  }
  return calls;
}

/**
 * What build `b` does for `fn`: the symbols its loop calls and, for a libmvec build, the
 * widest libmvec variant among them (the main loop's; narrower ones and the scalar function
 * only finish an array whose length is not a multiple of the lanes).
 */
function describe(b, fn) {
  const symbols = b.calls[fn] ?? [];
  if (!b.name.startsWith("libmvec")) return { symbols };
  const vector = symbols.map((s) => VECTOR_SYMBOL.exec(s)).filter(Boolean);
  if (vector.length === 0)
    return { symbols, reason: `this glibc's libmvec has no ${fn} at this width: gcc left the loop calling ${symbols.join(", ") || "nothing"}` };
  const widest = vector.reduce((a, m) => (+m[2] > +a[2] ? m : a));
  return { symbols, lanes: +widest[2] };
}

function build() {
  if (spawnSync("gcc", ["--version"]).status !== 0) return { reason: "gcc not found" };
  if (spawnSync("objdump", ["--version"]).status !== 0) return { reason: "objdump (binutils) not found: cannot check which libmvec variants gcc calls" };
  const dir = mkdtempSync(join(tmpdir(), "solvewasm-libmvec-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const builds = [];
  for (const { name, flags, libs } of BUILDS) {
    const exe = join(dir, name);
    let calls;
    try {
      execFileSync("gcc", [...flags, `-DIMPL="${name}"`, "-o", exe, SOURCE, ...libs], { stdio: ["ignore", "ignore", "pipe"] });
      calls = callsByPass(exe);
    } catch (err) {
      return { reason: `gcc ${flags.join(" ")} … ${libs.join(" ")} failed (${libs.includes("-lmvec") ? "is libmvec installed? " : ""}${firstLine(err)})` };
    }
    // The native build is named after the ISA of the variants gcc chose for it (avx512 on a
    // CPU with AVX-512F; the letters b < c < d < e widen); if that is SSE too, it would only
    // repeat libmvec-sse.
    let key = name;
    if (name === "libmvec-native") {
      const isa = Object.values(calls)
        .flat()
        .map((s) => VECTOR_SYMBOL.exec(s)?.[1])
        .filter(Boolean)
        .sort()
        .at(-1);
      if (isa === "b") continue;
      if (isa) key = `libmvec-${ISA[isa]}`;
    }
    builds.push({ key, name, exe, calls, flags: [...flags, ...libs].join(" ") });
  }
  const version = (cmd, args) => spawnSync(cmd, args, { encoding: "utf8" }).stdout?.split("\n")[0].trim();
  return { dir, builds, compiler: version("gcc", ["-dumpfullversion"]), glibc: version("getconf", ["GNU_LIBC_VERSION"]) };
}

/**
 * Times glibc's `fn` over `x` with each implementation (median of `samples` samples, each
 * repeating the whole array until `minSeconds` have gone by, as bench/harness.js does).
 * `impls[key]` is `{ available: true, elems_per_s, seconds_per_pass, y, symbols, flags }`
 * plus `lanes` for the libmvec builds (use perLane for a rate at wasm's 4 lanes), or
 * `{ available: false, reason, symbols }` when libmvec lacks `fn` at that width.
 * Keys: "libmvec-avx512" (the widest libmvec for this CPU: "libmvec-avx2" on one without
 * AVX-512), "libmvec-sse" (4 lanes), "glibc-scalar". The outputs y are for the max-ULP check;
 * when x.length is not a multiple of the lanes, the last elements come from narrower variants.
 * @param {string} fn one of FUNCTIONS
 * @param {Float32Array} x
 * @param {{ samples?: number, minSeconds?: number }} [options]
 * @returns {{ available: true, compiler: string, glibc: string, impls: Record<string, object> } | { available: false, reason: string }}
 */
export function libmvecRates(fn, x, { samples = 7, minSeconds = 0.05 } = {}) {
  if (!FUNCTIONS.includes(fn)) return { available: false, reason: `bench/native/libmvec.c has no ${fn}` };
  toolchain ??= build();
  if (toolchain.reason) return { available: false, reason: toolchain.reason };
  const { dir, builds, compiler, glibc } = toolchain;
  const input = join(dir, "x.f32");
  writeFileSync(input, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  const impls = {};
  for (const b of builds) {
    const { symbols, lanes, reason } = describe(b, fn);
    if (reason) {
      impls[b.key] = { available: false, reason, symbols };
      continue;
    }
    try {
      const out = execFileSync(b.exe, [fn, input, dir, String(samples), String(minSeconds)], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 600e3,
      });
      const { seconds_per_pass } = JSON.parse(out);
      const bytes = readFileSync(join(dir, `${b.name}.f32`));
      const y = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      impls[b.key] = { available: true, elems_per_s: x.length / seconds_per_pass, seconds_per_pass, y, symbols, flags: b.flags, ...(lanes ? { lanes } : {}) };
    } catch (err) {
      impls[b.key] = { available: false, reason: `${b.name} ${fn} failed: ${firstLine(err)}`, symbols };
    }
  }
  return { available: true, compiler: `gcc ${compiler}`, glibc, impls };
}
