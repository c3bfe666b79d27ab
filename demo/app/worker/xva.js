// The xVA section's job: xva.run on the page's configuration, reduced to plain data
// (structured clone). xva.run is synchronous: progress arrives per layer, and a cancel
// ends the worker (worker-client.js restarts it).
import * as sw from "solvewasm";

const est = (e) => ({ value: e.value, se: e.se });

export function xvaJob(config, { progress }) {
  const t0 = performance.now();
  let layers = 0;
  const res = sw.xva.run({ ...config, onProgress: (layer, ms) => progress({ layer, ms, done: ++layers }) });
  const p = res.profiles;
  return {
    result: {
      seconds: (performance.now() - t0) / 1000,
      clean: { value: res.clean.value, trades: Array.from(res.clean.trades) },
      cva: est(res.cva),
      dva: est(res.dva),
      mva: est(res.mva),
      colva: est(res.colva),
      fva: { ...est(res.fva), fca: res.fva.fca, fba: res.fva.fba },
      adjusted: res.adjusted,
      defaultProbability: { ...res.defaultProbability },
      profiles: { times: Array.from(p.times), epe: Array.from(p.epe), ene: Array.from(p.ene), im: Array.from(p.im) },
      timings: res.timings ? JSON.parse(JSON.stringify(res.timings)) : undefined,
    },
  };
}
