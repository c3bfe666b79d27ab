// The page's side of the worker: one Web Worker per section, started from a Blob URL whose
// source (dist/solvewasm.iife.js, wasm inlined, then demo/app/worker/) is inlined in app.js,
// because Chromium refuses `new Worker(url)` and module scripts on file:// pages.
//
// Protocol (structured-clone messages):
//   page → worker  { id, type, payload }      run job `type` (worker/index.js lists them)
//                  { type: "cancel", id }     abort that job's AbortController
//   worker → page  { type: "ready", build }   once solvewasm has loaded
//                  { id, type: "progress", data } | { id, type: "done", data } | { id, type: "error", error }
// A job that does not answer a cancel within CANCEL_GRACE_MS (a long synchronous step, such
// as an xVA layer) is ended by terminating the worker, which is then started afresh.
import workerSource from "virtual:worker-source";

const CANCEL_GRACE_MS = 1500;
let blobUrl;

/** A job error the page shows as "cancelled" rather than as a failure. */
export class Cancelled extends Error {
  constructor(restarted) {
    super(restarted ? "cancelled (the worker was restarted)" : "cancelled");
    this.name = "Cancelled";
    this.restarted = restarted;
  }
}

export class WorkerClient {
  #worker;
  #jobs = new Map();
  #next = 1;
  /** @param {string} name shown in errors */
  constructor(name) {
    this.name = name;
    blobUrl ??= URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
    this.#spawn();
  }

  #spawn() {
    const worker = new Worker(blobUrl, { name: `solvewasm-${this.name}` });
    this.#worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === "ready") return resolve(m);
        if (m.type === "fatal") return reject(new Error(m.message));
        const job = this.#jobs.get(m.id);
        if (!job) return;
        if (m.type === "progress") job.onProgress?.(m.data);
        else {
          this.#jobs.delete(m.id);
          clearTimeout(job.timer);
          if (m.type === "done") job.resolve(m.data);
          else job.reject(Object.assign(new Error(m.error.message), { code: m.error.code, name: m.error.name ?? "Error" }));
        }
      };
      worker.onerror = (e) => {
        e.preventDefault();
        const err = new Error(`worker error: ${e.message}`);
        reject(err);
        for (const job of this.#jobs.values()) job.reject(err);
        this.#jobs.clear();
      };
    });
  }

  /**
   * Runs a job in the worker.
   * @param {string} type
   * @param {unknown} payload
   * @param {{ onProgress?: (data: any) => void, transfer?: Transferable[] }} [options]
   * @returns {{ promise: Promise<any>, cancel: () => void }}
   */
  run(type, payload, { onProgress, transfer = [] } = {}) {
    const id = this.#next++;
    const job = { onProgress };
    const promise = new Promise((resolve, reject) => Object.assign(job, { resolve, reject }));
    this.#jobs.set(id, job);
    this.ready.then(
      () => this.#worker.postMessage({ id, type, payload }, transfer),
      (err) => job.reject(err),
    );
    const cancel = () => {
      if (!this.#jobs.has(id) || job.cancelling) return;
      job.cancelling = true;
      this.#worker.postMessage({ type: "cancel", id });
      job.timer = setTimeout(() => this.restart(new Cancelled(true), id), CANCEL_GRACE_MS);
    };
    return { promise, cancel };
  }

  /** Terminates the worker (ending every job: `id`'s with `reason`, others as restarted) and starts a new one. */
  restart(reason = new Cancelled(true), id) {
    this.#worker.terminate();
    for (const [jid, job] of this.#jobs) {
      clearTimeout(job.timer);
      job.reject(jid === id ? reason : new Error("the worker was restarted"));
    }
    this.#jobs.clear();
    this.#spawn();
    this.onRestart?.();
  }
}
