// The Worker side of test/fuzz/runner.js: runs one case of a `worker: true` property per
// message, in its own solvewasm instance, and answers { ok } or { failure }.
import { parentPort } from "node:worker_threads";
import { describeError, FuzzFailure } from "./check.js";
import { properties } from "./properties.js";

const byName = new Map(properties.map((p) => [p.name, p]));
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
port.on("message", (/** @type {{ id: number, name: string, input: unknown }} */ { id, name, input }) => {
  try {
    /** @type {any} */ (byName.get(name)).run(input);
    port.postMessage({ id, ok: true });
  } catch (e) {
    port.postMessage({ id, ok: false, failure: e instanceof FuzzFailure ? e.message : `the property threw ${describeError(e)}` });
  }
});
port.postMessage({ ready: true });
