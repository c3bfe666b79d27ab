// Long local fuzz runs (issue #13): `npm run fuzz -- --runs N [--seed S] [--only NAME[,NAME…]] [--path P] [--ignore REGEX]`.
// Runs every property of test/fuzz/properties.js (or those whose name contains NAME) for N
// cases each, prints one progress line per property and, on failure, the shrunk
// counterexample and the command that replays it. Exits 1 when a property fails.
// `--ignore REGEX` (triage only) counts failures whose message matches as passes, so that
// a long run finds the defects behind the ones already known; it prints what it ignored.
import { parseArgs } from "node:util";
import { CasePool, checkProperty, properties, report } from "../test/fuzz/runner.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "200" },
    seed: { type: "string" },
    only: { type: "string" },
    path: { type: "string" },
    ignore: { type: "string" },
  },
});
const numRuns = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!(Number.isInteger(numRuns) && numRuns > 0) || !Number.isInteger(seed)) {
  console.error("usage: npm run fuzz -- --runs N [--seed S] [--only NAME] [--path P]");
  process.exit(2);
}
const only = values.only?.split(",");
const selected = properties.filter((p) => !only || only.some((o) => p.name.includes(o)));
if (!selected.length) {
  console.error(`no property matches "${values.only}"; properties: ${properties.map((p) => p.name).join(", ")}`);
  process.exit(2);
}
console.log(`fuzz: ${selected.length} properties, ${numRuns} runs each, seed ${seed}`);
const pool = new CasePool();
let failed = 0;
for (const prop of selected) {
  const t0 = performance.now();
  /** @type {Map<string, number>} */
  const ignored = new Map();
  const ignore = values.ignore === undefined ? undefined : new RegExp(values.ignore);
  const details = await checkProperty(prop, pool, { seed, numRuns, path: values.path, ignore, ignored });
  for (const [message, count] of ignored) console.log(`  ignored ${count}×: ${message}`);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (details.failed) {
    failed++;
    console.log(`✗ ${prop.name} (${s} s)\n${report(prop, details)}`);
  } else {
    console.log(`✓ ${prop.name}: ${details.numRuns} runs (${s} s)`);
  }
}
await pool.close();
console.log(failed ? `${failed} of ${selected.length} properties failed (seed ${seed})` : `all ${selected.length} properties passed (seed ${seed})`);
process.exit(failed ? 1 : 0);
