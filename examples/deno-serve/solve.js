// One request handler for edge runtimes: POST a Matrix Market matrix A (and optionally a
// right-hand side b after it), get the CG solution of A·x = b as JSON. The same file runs
// in Cloudflare Workers (worker.js) and Deno (../deno-serve/server.js); it uses only
// fetch-API objects (Request, Response) and solvewasm.
//
//   POST /?rtol=1e-8&maxiter=2000&method=ic0&x=1
//   body: A as a Matrix Market file; b = ones, or a second Matrix Market file (n × 1,
//         `array` or `coordinate`) appended after A's last line
//   200:  {converged, reason, iterations, relativeResidual, n, nnz, method, ms, x?, message?}
//   400:  {error: {code, message}}: code is SolvewasmError's (PARSE_ERROR, INVALID_OPTION, …)
//   413:  {error: {code: "BODY_TOO_LARGE" | "OUT_OF_MEMORY", message}}
import { CsrMatrix, SolvewasmError, cg, init, precond, wasmModule } from "solvewasm";

/** Largest body accepted, in bytes (a 4 MiB Matrix Market file holds about 150 000 entries). */
export const MAX_BODY_BYTES = 4 * 2 ** 20;
/** Wasm memory for one request: a matrix or workspace beyond it is OUT_OF_MEMORY (413). */
export const MEMORY_LIMIT = 64 * 2 ** 20;
/** Most iterations one request may ask for (a Worker's CPU time is limited). */
export const MAX_ITER = 20_000;

const METHODS = {
  cg: () => undefined,
  jacobi: (A) => precond.jacobi(A),
  ssor: (A) => precond.ssor(A),
  ic0: (A) => precond.ic0(A),
};
const PARAMS = ["rtol", "maxiter", "method", "x"];

// The package loaded its module at import; reload it once with this handler's memory ceiling.
await init(wasmModule(), { memoryLimit: MEMORY_LIMIT });

/** Answers one request; never throws. */
export async function handle(request) {
  const t0 = performance.now();
  if (request.method !== "POST") {
    return json(405, { error: { code: "METHOD_NOT_ALLOWED", message: "POST a Matrix Market file (see README.md)" } });
  }
  let A, M;
  try {
    const query = options(new URL(request.url).searchParams);
    const text = await readBody(request);
    if (text === undefined) {
      return json(413, { error: { code: "BODY_TOO_LARGE", message: `the body is larger than ${MAX_BODY_BYTES} bytes` } });
    }
    const [matrixText, rhsText] = splitParts(text);
    A = CsrMatrix.fromMatrixMarket(matrixText);
    const b = rhsText === undefined ? new Float64Array(A.rows).fill(1) : rhs(rhsText, A.rows);
    M = METHODS[query.method](A);
    const r = cg(A, b, { rtol: query.rtol, maxiter: query.maxiter ?? Math.min(10 * A.rows, MAX_ITER), M });
    let bNorm = 0;
    for (const v of b) bNorm += v * v;
    bNorm = Math.sqrt(bNorm);
    return json(200, {
      converged: r.converged,
      reason: r.reason,
      ...(r.message ? { message: r.message } : {}),
      iterations: r.iterations,
      relativeResidual: bNorm > 0 ? r.residualNorm / bNorm : r.residualNorm,
      n: A.rows,
      nnz: A.nnz,
      method: query.method,
      ms: performance.now() - t0,
      ...(query.x ? { x: Array.from(r.x) } : {}),
    });
  } catch (e) {
    if (!(e instanceof SolvewasmError)) {
      return json(500, { error: { code: "INTERNAL", message: String(e?.message ?? e) } });
    }
    return json(e.code === "OUT_OF_MEMORY" ? 413 : 400, { error: { code: e.code, message: e.message } });
  } finally {
    M?.dispose?.();
    A?.dispose();
  }
}

/** The query string, checked: unknown names and bad values are INVALID_OPTION. */
function options(params) {
  for (const name of params.keys()) {
    if (!PARAMS.includes(name)) throw new SolvewasmError("INVALID_OPTION", `unknown query parameter "${name}" (known: ${PARAMS.join(", ")})`);
  }
  const number = (name) => (params.has(name) ? (params.get(name).trim() === "" ? Number.NaN : Number(params.get(name))) : undefined);
  const method = params.get("method") ?? "cg";
  if (!Object.hasOwn(METHODS, method)) {
    throw new SolvewasmError("INVALID_OPTION", `method must be one of ${Object.keys(METHODS).join(", ")}, got "${method}"`);
  }
  const maxiter = number("maxiter");
  if (maxiter > MAX_ITER) throw new SolvewasmError("INVALID_OPTION", `maxiter must be at most ${MAX_ITER}, got ${maxiter}`);
  const x = params.get("x");
  if (x !== null && x !== "0" && x !== "1") throw new SolvewasmError("INVALID_OPTION", `x must be 0 or 1, got "${x}"`);
  // rtol and maxiter go to cg as they are: it refuses NaN, negative or fractional values.
  return { rtol: number("rtol"), maxiter, method, x: x === "1" };
}

/** The body as text, or undefined when it passes MAX_BODY_BYTES (checked while reading). */
async function readBody(request) {
  const declared = Number(request.headers.get("content-length"));
  if (declared > MAX_BODY_BYTES) return undefined;
  if (!request.body) return "";
  const chunks = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(r.value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) bytes.set(c, (at += c.byteLength) - c.byteLength);
  return new TextDecoder().decode(bytes);
}

/** A and, when a second "%%MatrixMarket" header line follows, b's file. */
function splitParts(text) {
  const at = text.search(/\n%%MatrixMarket/i);
  return at < 0 ? [text, undefined] : [text.slice(0, at + 1), text.slice(at + 1)];
}

/** b from its own Matrix Market file: n × 1, as `mmwrite` writes a vector. */
function rhs(text, n) {
  const B = CsrMatrix.fromMatrixMarket(text);
  try {
    if (B.rows !== n || B.cols !== 1) {
      throw new SolvewasmError("DIMENSION_MISMATCH", `b must be a ${n} × 1 Matrix Market matrix, got ${B.rows} × ${B.cols}`);
    }
    const { indptr, data } = B.toArrays();
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) if (indptr[i + 1] > indptr[i]) b[i] = data[indptr[i]];
    return b;
  } finally {
    B.dispose();
  }
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}
