// The weight format of solvewasm's learned models (format version 1), little-endian:
//   bytes 0–3    "SWNN"
//   bytes 4–7    u32 format version (1)
//   bytes 8–11   u32 byte length L of the header
//   bytes 12…    the header, UTF-8 JSON: { model, config, tensors: [{ name, shape }], provenance }
//   then zero bytes to the next multiple of 4, then every tensor's float32 values in the
//   header's order, each in PyTorch's layout (its state_dict shape, row-major).
// The same content also reads from a JSON object (a fixture, or what tools/ exporters
// write): { format: "solvewasm-weights", version: 1, model, config, tensors: { name: { shape, data } }, provenance }.
import { SolvewasmError } from "../errors.js";
import { describe } from "../validate.js";
import type { ParamSpec } from "./graph.js";
import { SHIPPED } from "./shipped.js";

export const WEIGHTS_MAGIC = "SWNN";
export const WEIGHTS_VERSION = 1;

/** A decoded weight file: which model, its configuration, and its tensors by name. */
export interface Weights {
  readonly model: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly tensors: ReadonlyMap<string, { readonly shape: readonly number[]; readonly data: Float32Array }>;
  /** How the weights were made: command, seed, steps, loss, date (free-form). */
  readonly provenance: Readonly<Record<string, unknown>>;
}

const bad = (message: string) => new SolvewasmError("INVALID_ARGUMENT", message);

function checkShape(name: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 4 || !shape.every((d) => Number.isInteger(d) && d >= 1 && d <= 2 ** 20)) {
    throw bad(`weights: tensor ${name} has shape ${describe(shape)}; a shape is 1 to 4 positive integers`);
  }
  return shape as number[];
}

function checkFinite(name: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw bad(`weights: tensor ${name}[${i}] is ${data[i]}; weights must be finite`);
}

function checkHeader(h: unknown): { model: string; config: Record<string, unknown>; provenance: Record<string, unknown> } {
  if (typeof h !== "object" || h === null) throw bad("weights: the header is not a JSON object");
  const { model, config = {}, provenance = {} } = h as Record<string, unknown>;
  if (typeof model !== "string" || model === "") throw bad(`weights: the header names no model (got ${describe(model)})`);
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw bad("weights: config must be an object");
  if (typeof provenance !== "object" || provenance === null || Array.isArray(provenance)) throw bad("weights: provenance must be an object");
  return { model, config: config as Record<string, unknown>, provenance: provenance as Record<string, unknown> };
}

/** Reads a weight file (bytes) or its JSON form; refuses anything malformed, naming what. */
export function decodeWeights(source: unknown): Weights {
  if (source instanceof ArrayBuffer) source = new Uint8Array(source);
  if (source instanceof Uint8Array) return decodeBinary(source);
  if (typeof source === "object" && source !== null && !ArrayBuffer.isView(source)) return decodeJson(source as Record<string, unknown>);
  throw bad(`weights must be the bytes of a weight file (Uint8Array or ArrayBuffer) or its JSON object, got ${describe(source)}`);
}

/** Weights this module decoded (and so checked): the only Weights objects taken as they are. */
const decoded = new WeakSet<object>();

function decodeBinary(bytes: Uint8Array): Weights {
  if (bytes.length < 12 || String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) !== WEIGHTS_MAGIC) {
    throw bad(`weights: not a solvewasm weight file (it must start with "${WEIGHTS_MAGIC}")`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== WEIGHTS_VERSION) throw bad(`weights: format version ${version}; this solvewasm reads version ${WEIGHTS_VERSION}`);
  const length = view.getUint32(8, true);
  if (12 + length > bytes.length) throw bad(`weights: the header says ${length} bytes but the file has ${bytes.length - 12} after the preamble (truncated)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(12, 12 + length)));
  } catch (e) {
    throw bad(`weights: the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  const { model, config, provenance } = checkHeader(header);
  const list = (header as { tensors?: unknown }).tensors;
  if (!Array.isArray(list)) throw bad("weights: the header has no tensors list");
  let at = (12 + length + 3) & ~3;
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const entry of list) {
    const name = (entry as { name?: unknown })?.name;
    if (typeof name !== "string" || name === "") throw bad(`weights: a tensor has no name (got ${describe(name)})`);
    if (tensors.has(name)) throw bad(`weights: tensor ${name} appears twice`);
    const shape = checkShape(name, (entry as { shape?: unknown }).shape);
    const n = shape.reduce((a, b) => a * b, 1);
    if (at + 4 * n > bytes.length)
      throw bad(`weights: tensor ${name} [${shape}] needs ${4 * n} bytes at offset ${at}, but the file ends at ${bytes.length} (truncated)`);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(at + 4 * i, true);
    checkFinite(name, data);
    tensors.set(name, { shape, data });
    at += 4 * n;
  }
  if (at !== bytes.length) throw bad(`weights: ${bytes.length - at} bytes follow the last tensor (the file does not match its header)`);
  return remember({ model, config, tensors, provenance });
}

function decodeJson(o: Record<string, unknown>): Weights {
  if (o.format !== "solvewasm-weights") throw bad(`weights: a JSON weight object has format "solvewasm-weights", got ${describe(o.format)}`);
  if (o.version !== WEIGHTS_VERSION) {
    throw bad(`weights: format version ${typeof o.version === "number" ? o.version : describe(o.version)}; this solvewasm reads version ${WEIGHTS_VERSION}`);
  }
  const { model, config, provenance } = checkHeader(o);
  const given = o.tensors;
  if (typeof given !== "object" || given === null || Array.isArray(given)) throw bad("weights: tensors must be an object of { shape, data } by name");
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const name of Object.keys(given)) {
    const t = (given as Record<string, unknown>)[name] as { shape?: unknown; data?: unknown } | null;
    const shape = checkShape(name, t?.shape);
    const n = shape.reduce((a, b) => a * b, 1);
    const raw = t?.data;
    if (!Array.isArray(raw) && !ArrayBuffer.isView(raw)) throw bad(`weights: tensor ${name} has no data array`);
    const values = raw as ArrayLike<unknown>;
    if (values.length !== n) throw bad(`weights: tensor ${name} [${shape}] needs ${n} values, got ${values.length}`);
    const data = Float32Array.from(values as ArrayLike<number>, (v) => (typeof v === "number" ? v : Number.NaN));
    checkFinite(name, data);
    tensors.set(name, { shape, data });
  }
  return remember({ model, config, tensors, provenance });
}

function remember(w: Weights): Weights {
  decoded.add(w);
  return w;
}

/** The bytes of a weight file. */
export function encodeWeights(w: {
  model: string;
  config: Record<string, unknown>;
  tensors: Iterable<[string, { shape: readonly number[]; data: ArrayLike<number> }]>;
  provenance: Record<string, unknown>;
}): Uint8Array {
  const entries = [...w.tensors];
  const header = new TextEncoder().encode(
    JSON.stringify({ model: w.model, config: w.config, tensors: entries.map(([name, t]) => ({ name, shape: t.shape })), provenance: w.provenance }),
  );
  const start = (12 + header.length + 3) & ~3;
  const floats = entries.reduce((n, [, t]) => n + t.data.length, 0);
  const bytes = new Uint8Array(start + 4 * floats);
  const view = new DataView(bytes.buffer);
  bytes.set([...WEIGHTS_MAGIC].map((c) => c.charCodeAt(0)));
  view.setUint32(4, WEIGHTS_VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  let at = start;
  for (const [, t] of entries) for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i], true);
  return bytes;
}

/** Checks that `w` holds exactly the tensors `specs` name, each of its shape. */
export function checkTensors(w: Weights, specs: Iterable<ParamSpec>, what: string): void {
  const want = new Map([...specs].map((s) => [s.name, s.shape]));
  for (const [name, shape] of want) {
    const t = w.tensors.get(name);
    if (!t) throw bad(`${what}: the weights have no tensor ${name} (shape [${shape}])`);
    if (t.shape.join() !== shape.join()) throw bad(`${what}: tensor ${name} has shape [${t.shape}], the model needs [${shape}]`);
  }
  for (const name of w.tensors.keys()) if (!want.has(name)) throw bad(`${what}: the weights have a tensor ${name} this model does not use`);
}

/** Base64 of bytes, and back (the shipped weights are embedded as base64 text). */
export function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Decoded weights from any accepted source: bytes, JSON, decoded Weights, or a shipped name. */
export function resolveWeights(source: unknown): Weights {
  if (typeof source === "string") {
    const text = SHIPPED[source];
    if (text === undefined) throw bad(`no shipped weights named ${source} (shipped: ${Object.keys(SHIPPED).join(", ") || "none"})`);
    return decodeBinary(fromBase64(text));
  }
  if (typeof source === "object" && source !== null && decoded.has(source)) return source as Weights;
  return decodeWeights(source);
}
