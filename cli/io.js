// Files in and out for the CLI: Matrix Market text from a path or stdin, numbers from
// flags, and a vector written as a Matrix Market array that reads back exactly.
import { readFile } from "node:fs/promises";
import { UsageError } from "./main.js";

/** The bytes of `path`, or of stdin when it is "-". */
export async function readInput(path, stdin) {
  if (path === "-") {
    const chunks = [];
    for await (const chunk of stdin) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
  }
}

/** A flag's number, or `fallback` when absent; `integer` asks for a whole number ≥ 1. */
export function numberFlag(values, name, fallback, { integer = false } = {}) {
  const text = values[name];
  if (text === undefined) return fallback;
  const v = Number(text);
  const ok = text.trim() !== "" && !Number.isNaN(v) && (integer ? Number.isInteger(v) && v >= 1 : v >= 0);
  if (!ok) throw new UsageError(`--${name} must be ${integer ? "an integer ≥ 1" : "a number ≥ 0"}, got '${text}'`);
  return v;
}

/** x as `%%MatrixMarket matrix array real general`, n × 1; JavaScript's shortest
 * round-trip form of each value, so reading it back gives the same float64s. */
export function vectorToMatrixMarket(x, comment) {
  const lines = ["%%MatrixMarket matrix array real general"];
  if (comment) lines.push(`% ${comment}`);
  lines.push(`${x.length} 1`);
  for (const v of x) lines.push(String(v));
  return `${lines.join("\n")}\n`;
}

/** Writes `text` to stdout, waiting for it to drain (large solutions, pipes). */
export function writeOut(stream, text) {
  return new Promise((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
}
