// Node-only: runs the fuzz properties with fast-check. `worker: true` properties run each
// case in a persistent node:worker_threads Worker with a deadline: a case that does not
// answer within TIME_LIMIT_MS + GRACE_MS fails as a hang, and the Worker is replaced.
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { FuzzFailure, TIME_LIMIT_MS } from "./check.js";
import { properties } from "./properties.js";

export { properties };
/** Extra time a worker case gets beyond the call's own limit (message passing, GC). */
export const GRACE_MS = 3000;

/** One Worker, replaced after a hang or a crash. */
export class CasePool {
  /** @type {Worker | undefined} */
  #worker;
  /** @type {Promise<void> | undefined} */
  #ready;
  #id = 0;
  /** @type {Map<number, (m: { ok: boolean, failure?: string }) => void>} */
  #pending = new Map();

  #start() {
    const w = new Worker(new URL("./worker.js", import.meta.url));
    this.#worker = w;
    this.#ready = new Promise((resolve, reject) => {
      w.once("error", reject);
      w.on("message", (m) => {
        if (m.ready) return resolve();
        this.#pending.get(m.id)?.(m);
        this.#pending.delete(m.id);
      });
    });
    w.on("error", (e) => this.#crash(`the worker died: ${e?.message ?? e}`));
    w.on("exit", (code) => this.#crash(`the worker exited with code ${code}`));
  }

  /** @param {string} why */
  #crash(why) {
    for (const resolve of this.#pending.values()) resolve({ ok: false, failure: why });
    this.#pending.clear();
    this.#worker = undefined;
  }

  /**
   * Runs property `name` on `input` in the Worker; throws FuzzFailure on a failure or a hang.
   * @param {string} name @param {unknown} input
   */
  async run(name, input) {
    if (!this.#worker) this.#start();
    await this.#ready;
    const w = /** @type {Worker} */ (this.#worker);
    const id = ++this.#id;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const answer = await new Promise((resolve) => {
      this.#pending.set(id, resolve);
      timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#worker = undefined;
        w.removeAllListeners("exit");
        void w.terminate();
        resolve({ ok: false, failure: `no answer within ${TIME_LIMIT_MS + GRACE_MS} ms: the call hangs (or runs far past ${TIME_LIMIT_MS} ms)` });
      }, TIME_LIMIT_MS + GRACE_MS);
      w.postMessage({ id, name, input });
    });
    clearTimeout(timer);
    if (!answer.ok) throw new FuzzFailure(answer.failure);
  }

  async close() {
    const w = this.#worker;
    this.#worker = undefined;
    if (w) {
      w.removeAllListeners("exit");
      await w.terminate();
    }
  }
}

/**
 * Runs one property; returns fast-check's details.
 * @param {(typeof properties)[number]} prop
 * @param {CasePool} pool
 * @param {{ seed: number, numRuns: number, path?: string, timeLimitMs?: number, endOnFailure?: boolean, ignore?: RegExp, ignored?: Map<string, number> }} params
 *   `ignore` (triage of long runs only, never in CI): failures whose message matches it
 *   count as passes, so the defects behind a known one can be found; `ignored` counts them.
 */
export async function checkProperty(prop, pool, params) {
  /** @type {any} */
  const arb = prop.arb;
  const { ignore, ignored } = params;
  /** @param {unknown} e */
  const triage = (e) => {
    if (!ignore || !(e instanceof FuzzFailure) || !ignore.test(e.message)) throw e;
    const key = e.message.replace(/-?\d[\d.e+-]*/g, "#").slice(0, 120);
    ignored?.set(key, (ignored.get(key) ?? 0) + 1);
  };
  const property = /** @type {any} */ (prop).worker
    ? fc.asyncProperty(arb, (input) => pool.run(prop.name, input).catch(triage))
    : fc.property(arb, (input) => {
        try {
          /** @type {any} */ (prop).run(input);
        } catch (e) {
          triage(e);
        }
      });
  return fc.check(property, {
    seed: params.seed,
    numRuns: params.numRuns,
    path: params.path,
    endOnFailure: params.endOnFailure,
    interruptAfterTimeLimit: params.timeLimitMs,
    markInterruptAsFailure: false,
  });
}

/**
 * A failure report: the shrunk counterexample, its error, and the command that replays it.
 * @param {(typeof properties)[number]} prop @param {any} details
 */
export function report(prop, details) {
  const shown = fc.stringify(details.counterexample?.[0]);
  return [
    `property ${prop.name} failed after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s)`,
    `  counterexample: ${shown.length > 600 ? `${shown.slice(0, 600)}… (${shown.length} chars)` : shown}`,
    `  error: ${details.errorInstance?.message ?? details.error}`,
    `  replay: npm run fuzz -- --only ${prop.name} --seed ${details.seed} --path ${details.counterexamplePath}`,
  ].join("\n");
}
