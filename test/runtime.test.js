// The boundary every capability stands on: typed errors, the memory ceiling, buffer
// handles, recovery from traps, and loading from each kind of source.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { blas, allocF64, init, memoryStats, raw, wasmModule, createSolvewasm, SolvewasmError } from "solvewasm";
import { scalarModule } from "./_fixtures.js";
import { rejects } from "./_helpers.js";

const MiB = 2 ** 20;

const errors = suite("errors");

errors("mismatched lengths are DIMENSION_MISMATCH, naming the argument and both lengths", async () => {
  await rejects(() => blas.ddot(new Float64Array(3), new Float64Array(4)), "DIMENSION_MISMATCH", /y has length 4, expected 3/);
  await rejects(() => blas.daxpy(1, new Float64Array(2), new Float64Array(1)), "DIMENSION_MISMATCH");
  await rejects(() => blas.dcopy(new Float64Array(0), new Float64Array(1)), "DIMENSION_MISMATCH");
});

errors("anything but a Float64Array or F64Buffer is INVALID_ARGUMENT", async () => {
  for (const bad of [[1, 2], new Float32Array(2), null, undefined, "12", { length: 2 }]) {
    await rejects(() => blas.dnrm2(bad), "INVALID_ARGUMENT", /x must be a Float64Array/);
  }
});

errors("a non-finite scalar is NOT_FINITE, a non-number INVALID_ARGUMENT", async () => {
  await rejects(() => blas.dscal(NaN, new Float64Array(2)), "NOT_FINITE");
  await rejects(() => blas.daxpy(Infinity, new Float64Array(2), new Float64Array(2)), "NOT_FINITE");
  await rejects(() => blas.dscal("2", new Float64Array(2)), "INVALID_ARGUMENT");
});

errors("SolvewasmError is an Error with a stable code", () => {
  const e = new SolvewasmError("INVALID_ARGUMENT", "x");
  assert.instance(e, Error);
  assert.is(e.name, "SolvewasmError");
  assert.is(e.code, "INVALID_ARGUMENT");
});

errors.run();

const memory = suite("memory");

memory("an allocation past the ceiling is OUT_OF_MEMORY and leaves nothing allocated", async () => {
  const sw = await createSolvewasm(wasmModule(), { memoryLimit: 8 * MiB });
  const before = sw.memoryStats();
  await rejects(() => sw.allocF64(2 * MiB), "OUT_OF_MEMORY", /ceiling of 8\.0 MiB/);
  assert.equal(sw.memoryStats(), before);
  // The second temporary copy fails: the first must be freed again.
  const big = new Float64Array(600_000).fill(1);
  await rejects(() => sw.blas.ddot(big, big), "OUT_OF_MEMORY");
  assert.equal(sw.memoryStats(), before, "both copies are reserved together: memory did not grow for the first");
  assert.is(sw.blas.ddot(big.subarray(0, 1000), big.subarray(0, 1000)), 1000);
});

memory("a solve whose workspace passes the ceiling is refused before any of it is allocated (memory does not grow)", async () => {
  const sw = await createSolvewasm(wasmModule(), { memoryLimit: 16 * MiB });
  const A = sw.gallery.poisson([1000, 1000]); // 8 MB per vector: one fits, a workspace does not
  const b = new Float64Array(A.rows).fill(1);
  const ml = sw.multigrid(sw.gallery.poisson([7, 7]));
  const before = sw.memoryStats();
  for (const [name, solve] of [
    ["cg", () => sw.cg(A, b)],
    ["fcd", () => sw.fcd(A, b)],
    ["sor", () => sw.sor(A, b, { ordering: "red-black" })],
    ["sor", () => sw.sor(A, b)], // natural order: the CSR copy of the grid is part of the request
  ]) {
    const e = await rejects(solve, "OUT_OF_MEMORY", /nothing was allocated/);
    assert.match(e.message, new RegExp(`this ${name} solve needs`));
    assert.equal(sw.memoryStats(), before, `${name}: memory as it was`);
  }
  // The chunked history keeps a huge maxiter from asking for memory it never uses.
  assert.ok(ml.solve(new Float64Array(49).fill(1), { maxiter: 2 ** 27 + 1 }).converged);
  assert.ok(sw.cg(sw.gallery.poisson([100, 100]), new Float64Array(10_000).fill(1)).converged, "the instance still works");
});

memory("no single buffer may pass the allocator's 1 GiB block limit", async () => {
  await rejects(() => allocF64(2 ** 27), "OUT_OF_MEMORY", /one buffer holds at most/);
});

memory("an invalid memoryLimit is INVALID_ARGUMENT", async () => {
  await rejects(() => createSolvewasm(wasmModule(), { memoryLimit: 1000 }), "INVALID_ARGUMENT");
  await rejects(() => createSolvewasm(wasmModule(), { memoryLimit: 2 ** 40 }), "INVALID_ARGUMENT");
});

memory("10^5 alloc/free cycles keep wasm memory bounded", () => {
  const before = memoryStats();
  for (let i = 0; i < 100_000; i++) allocF64(1 + (i % 997)).dispose();
  const after = memoryStats();
  assert.is(after.live, before.live);
  assert.ok(after.size <= Math.max(before.size, 2 * MiB), `memory grew from ${before.size} to ${after.size}`);
});

memory("a buffer refuses use after dispose, and dispose twice is safe", async () => {
  const x = allocF64(4).set([1, 2, 3, 4]);
  assert.equal(Array.from(x.toArray()), [1, 2, 3, 4]);
  x.dispose();
  x.dispose();
  assert.is(x.alive, false);
  await rejects(() => x.array, "DISPOSED");
  await rejects(() => blas.dnrm2(x), "DISPOSED");
});

memory("views are rebuilt after memory grows", () => {
  const x = allocF64(8).set([1, 2, 3, 4, 5, 6, 7, 8]);
  const old = x.array;
  const big = allocF64(4 * MiB); // 32 MiB: forces memory.grow, which detaches old views
  try {
    assert.is(old.byteLength, 0, "the old view is detached");
    assert.equal(Array.from(x.array), [1, 2, 3, 4, 5, 6, 7, 8]);
  } finally {
    big.dispose();
    x.dispose();
  }
});

memory("a view of wasm memory (F64Buffer.array) passed as an argument survives the growth its own call causes", async () => {
  // A fresh instance starts small: each call below copies the 32 MiB view into a temporary
  // block as large, which grows memory and detaches the view mid-call. The copy goes by
  // offset, so the call still sees the vector's values.
  const S = await createSolvewasm(wasmModule());
  const n = 4 * MiB;
  const v = S.allocF64(n);
  v.array.fill(0.5);
  let size = S.memoryStats().size;
  const grew = () => {
    const now = S.memoryStats().size;
    const did = now > size;
    size = now;
    return did;
  };
  assert.is(S.blas.dnrm2(v.array), Math.sqrt(n) / 2);
  assert.ok(grew(), "the call grew memory");
  const w = S.allocF64(n);
  grew();
  S.blas.dcopy(v.array, w.array);
  assert.ok(grew(), "the call grew memory");
  assert.ok(w.array[n - 1] === 0.5 && w.array[0] === 0.5, "written through the view's offset");
  const A = S.gallery.poisson([2048, 2048]);
  const x = S.allocF64(A.rows).set(new Float64Array(A.rows).fill(1));
  grew();
  assert.is(A.matvec(x.array)[0], 2);
  assert.ok(grew(), "the product grew memory");
  assert.is(S.cg(A, x.array, { maxiter: 1 }).iterations, 1);
  assert.ok(grew(), "the solve grew memory");
  // x0 as a view: the solve copies it before its workspace can detach it.
  const x0 = S.allocF64(A.rows);
  const B = S.gallery.poisson([2500, 2500]);
  const zero = S.allocF64(B.rows);
  grew();
  assert.is(S.sor(B, new Float64Array(B.rows).fill(1), { x0: zero.array, maxiter: 1 }).iterations, 1);
  assert.ok(grew(), "the solve grew memory");
  for (const h of [x0, B, zero]) h.dispose();
  for (const h of [v, w, x, A]) h.dispose();
});

memory("buffers cannot cross instances", async () => {
  const other = await createSolvewasm(wasmModule());
  const x = other.allocF64(3);
  await rejects(() => blas.dnrm2(x), "INVALID_ARGUMENT", /another solvewasm instance/);
  x.dispose();
});

memory.run();

const traps = suite("traps");

traps("a trap is WASM_TRAP, voids older buffers, and the next call works", async () => {
  const x = allocF64(2).set([3, 4]);
  const e = await rejects(() => raw((ex) => ex.ddot(4, 2 ** 32 - 16, 0)), "WASM_TRAP", /fresh instance/);
  assert.instance(e.cause, WebAssembly.RuntimeError);
  assert.is(blas.dnrm2(new Float64Array([3, 4])), 5);
  assert.is(x.alive, false);
  await rejects(() => x.array, "DISPOSED", /trapped/);
  x.dispose(); // harmless: the block went with the old instance
  assert.is(memoryStats().live, 0);
});

traps.run();

const loading = suite("loading");

const htmlPage = new TextEncoder().encode("<!DOCTYPE html><html><body>Not found</body></html>");

loading("both modules have zero imports and report their build", async () => {
  assert.equal(WebAssembly.Module.imports(wasmModule()), []);
  const scalar = await scalarModule();
  const compiled = scalar instanceof WebAssembly.Module ? scalar : await WebAssembly.compile(scalar);
  assert.equal(WebAssembly.Module.imports(compiled), []);
  assert.is((await createSolvewasm(compiled)).build, "scalar");
  assert.is((await createSolvewasm(wasmModule())).build, "simd");
});

// Exported only by the benchmark module (assembly/bench.ts → build/solvewasm-bench.wasm).
const BASELINES = [
  "expfTaylor",
  "expfMinimax",
  "expfMinimaxUp",
  "expfMathf",
  "exp2fMathf",
  "expm1fMathf",
  "sigmoidfMathf",
  "tanhfMathf",
  "logfMathf",
  "log2fMathf",
  "log1pfMathf",
  "sinfMathf",
  "cosfMathf",
  "dexpMath",
  "dlogMath",
  "expfAccurate",
  "exp2fAccurate",
];

loading("neither shipped module exports a benchmark baseline; both export the same names", async () => {
  const scalar = await scalarModule();
  const compiled = scalar instanceof WebAssembly.Module ? scalar : await WebAssembly.compile(scalar);
  const simdNames = WebAssembly.Module.exports(wasmModule()).map((e) => e.name);
  const scalarNames = WebAssembly.Module.exports(compiled).map((e) => e.name);
  for (const names of [simdNames, scalarNames]) {
    for (const kernel of ["memory", "alloc", "expf", "exp2f", "sigmoidf", "sinf", "dexp", "dlog", "normCdf"])
      assert.ok(names.includes(kernel), `${kernel} is exported`);
    assert.equal(
      names.filter((n) => BASELINES.includes(n) || /(Mathf|Math|Taylor|Minimax|MinimaxUp|Accurate)$/.test(n)),
      [],
    );
  }
  assert.equal([...scalarNames].sort(), [...simdNames].sort());
});

loading("HTML instead of wasm is LOAD_FAILED naming what arrived", async () => {
  await rejects(() => createSolvewasm(htmlPage), "LOAD_FAILED", /HTML page/);
  const response = new Response(htmlPage, { headers: { "content-type": "text/html" } });
  await rejects(() => createSolvewasm(response), "LOAD_FAILED", /3c 21 44 4f/);
});

loading("an HTTP error is LOAD_FAILED with the status", async () => {
  await rejects(() => createSolvewasm(new Response("gone", { status: 404 })), "LOAD_FAILED", /HTTP 404/);
});

loading("a module that is not solvewasm, or a wrong kind of source, is refused", async () => {
  const simdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  // workerd refuses to compile bytes at all: that too must be LOAD_FAILED with the reason.
  await rejects(() => createSolvewasm(simdProbe), "LOAD_FAILED", /not a solvewasm module|did not compile/);
  await rejects(() => createSolvewasm(42), "INVALID_ARGUMENT");
});

loading("a failed init() leaves the default instance working", async () => {
  await rejects(() => init(htmlPage), "LOAD_FAILED");
  assert.is(blas.ddot(new Float64Array([2]), new Float64Array([3])), 6);
});

loading("init() accepts a compiled Module and bytes", async () => {
  await init(wasmModule());
  assert.is(blas.dnrm2(new Float64Array([6, 8])), 10);
});

loading.run();
