// Turns whatever a host can offer (a URL, bytes, a fetch Response or an already compiled
// Module) into one WebAssembly.Module, with errors that say what arrived instead.
import { SolvewasmError } from "./errors.js";
import { describe } from "./validate.js";

/** What `init()` accepts. Hosts that forbid compiling from bytes (Cloudflare Workers,
 * Vercel Edge) pass a `WebAssembly.Module`. */
export type InitSource = WebAssembly.Module | BufferSource | URL | string | Response | PromiseLike<Response>;

/** Which module is running: SIMD (f64x2/f32x4) or the scalar fallback. */
export type Build = "simd" | "scalar";

// The smallest module that uses a SIMD instruction (i8x16.splat, i8x16.popcnt), as in
// wasm-feature-detect: `validate` answers whether this engine has fixed-width SIMD.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** True when this engine validates fixed-width WebAssembly SIMD. */
export function simdSupported(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

/** Throws LOAD_FAILED unless `module` looks like a solvewasm module (no imports, our exports). */
export function checkModule(module: WebAssembly.Module): void {
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  if (!names.has("memory") || !names.has("alloc") || !names.has("hasSimd")) {
    throw new SolvewasmError("LOAD_FAILED", "the WebAssembly module passed in is not a solvewasm module: it lacks solvewasm's exports");
  }
  if (WebAssembly.Module.imports(module).length > 0) {
    throw new SolvewasmError("LOAD_FAILED", "the WebAssembly module passed in has imports; solvewasm's modules have none");
  }
}

/** Compiles a source into a Module; `where` names the source in error messages. */
export async function compileSource(source: InitSource, where = "the source passed to init()"): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return compileBytes(toBytes(source), where);
  if (typeof source === "string" || source instanceof URL) return compileUrl(source);
  if (isResponseLike(source) || isThenable(source)) return compileResponse(await source, where);
  throw new SolvewasmError("INVALID_ARGUMENT", `init() takes a URL, bytes, a Response or a WebAssembly.Module, got ${describe(source)}`);
}

/** Reads a file: URL's bytes; set by the Node entry only, so that no other entry holds a
 * dynamic `import("node:fs")` (workerd refuses non-literal imports, webpack warns on them). */
let readFileUrl: ((url: URL) => Promise<Uint8Array>) | undefined;

/** @internal Called by the Node entry: how `init()` reads file: URLs there. */
export function setFileReader(read: (url: URL) => Promise<Uint8Array>): void {
  readFileUrl = read;
}

async function compileUrl(url: string | URL): Promise<WebAssembly.Module> {
  const href = String(url);
  // Node's fetch does not read file: URLs; Deno's and browsers' do (or refuse clearly).
  const isNode = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node && !("Deno" in globalThis);
  if (href.startsWith("file:") && isNode) {
    if (!readFileUrl) {
      throw new SolvewasmError(
        "LOAD_FAILED",
        `cannot read ${href} from this entry: Node's fetch does not read file: URLs. Pass the bytes instead: init(await readFile(url)), or import "solvewasm" (its Node entry reads files)`,
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = await readFileUrl(new URL(href));
    } catch (e) {
      throw new SolvewasmError("LOAD_FAILED", `could not read ${href}: ${(e as Error).message}`, { cause: e });
    }
    return compileBytes(bytes, href);
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new SolvewasmError("LOAD_FAILED", `could not fetch ${href}: ${(e as Error).message}`, { cause: e });
  }
  return compileResponse(response, href);
}

async function compileResponse(response: Response, where: string): Promise<WebAssembly.Module> {
  const url = response.url || where;
  if (!response.ok) {
    throw new SolvewasmError("LOAD_FAILED", `fetching ${url} answered HTTP ${response.status}: serve solvewasm.wasm there, or pass its location to init()`);
  }
  // Read the bytes ourselves rather than compileStreaming: it rejects a wrong MIME type,
  // and we want to name what arrived when a server sends an HTML page instead.
  return compileBytes(new Uint8Array(await response.arrayBuffer()), url);
}

async function compileBytes(bytes: Uint8Array, where: string): Promise<WebAssembly.Module> {
  checkMagic(bytes, where);
  try {
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new SolvewasmError("LOAD_FAILED", `${where} did not compile: ${(e as Error).message}`, { cause: e });
  }
}

/** Throws LOAD_FAILED, naming the source and its first bytes, unless `bytes` start with "\0asm". */
export function checkMagic(bytes: Uint8Array, where: string): void {
  if (bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) return;
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  const text = String.fromCharCode(...bytes.subarray(0, 16)).replace(/[^\x20-\x7e]/g, ".");
  const html = /^\s*</.test(text) ? " — an HTML page, not WebAssembly: the server sent a fallback page" : "";
  throw new SolvewasmError(
    "LOAD_FAILED",
    `${where} is not a WebAssembly module: it starts with ${head || "nothing"} ("${text}")${html}. ` +
      "Serve solvewasm.wasm at that location, or pass its URL, bytes or a compiled module to init().",
  );
}

function toBytes(source: BufferSource): Uint8Array {
  return source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

function isResponseLike(v: unknown): v is Response {
  return typeof Response !== "undefined" && v instanceof Response;
}

function isThenable(v: unknown): v is PromiseLike<Response> {
  return typeof (v as PromiseLike<unknown>)?.then === "function";
}
