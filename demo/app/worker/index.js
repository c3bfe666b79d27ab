// The worker: solvewasm's IIFE build runs first (same source string, global `solvewasm`),
// then this dispatcher. Every job gets an AbortController that a { type: "cancel", id }
// message aborts; the async solvers yield to this worker's event loop between chunks, so
// the message is seen mid-solve. See ../lib/worker-client.js for the protocol.
import * as sw from "solvewasm";
import { speedJob, ulpJob } from "./elementary.js";
import { fluidsSolver, fluidsStart, fluidsStep, fluidsStop } from "./fluids.js";
import { solveJob } from "./solve.js";
import { tuningJob } from "./tuning.js";
import { xvaJob } from "./xva.js";

const JOBS = {
  solve: solveJob,
  "fluids-start": fluidsStart,
  "fluids-step": fluidsStep,
  "fluids-solver": fluidsSolver,
  "fluids-stop": fluidsStop,
  tuning: tuningJob,
  xva: xvaJob,
  "elementary-ulp": ulpJob,
  "elementary-speed": speedJob,
};

const controllers = new Map();

self.onmessage = async (e) => {
  const { id, type, payload } = e.data;
  if (type === "cancel") return controllers.get(id)?.abort();
  const job = JOBS[type];
  const controller = new AbortController();
  controllers.set(id, controller);
  try {
    if (!job) throw new Error(`unknown job ${type}`);
    const progress = (data, transfer = []) => self.postMessage({ id, type: "progress", data }, transfer);
    const { result, transfer = [] } = await job(payload, { signal: controller.signal, progress });
    self.postMessage({ id, type: "done", data: result }, transfer);
  } catch (err) {
    self.postMessage({ id, type: "error", error: { code: err?.code, name: err?.name, message: err?.message ?? String(err) } });
  } finally {
    controllers.delete(id);
  }
};

sw.ready.then(
  () => self.postMessage({ type: "ready", build: sw.build }),
  (err) => self.postMessage({ type: "fatal", message: `solvewasm did not load: ${err?.message ?? err}` }),
);
