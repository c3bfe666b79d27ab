// `solvewasm xva config.json`: the four-layer pipeline (xva.run) on a JSON config with the
// same fields as the README's xVA example; prints the adjustments with standard errors.
import { xva } from "solvewasm";
import { readInput, writeOut } from "./io.js";
import { EXIT, UsageError } from "./main.js";

const ADJUSTMENTS = ["cva", "dva", "mva", "colva", "fva"];

/** Runs the subcommand; resolves to the exit code. */
export async function run([path], values, io) {
  let config;
  try {
    config = JSON.parse(new TextDecoder().decode(await readInput(path, io.stdin)));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path} is not JSON: ${e.message}`);
  }
  const res = xva.run(config);
  if (values.json) {
    const out = Object.fromEntries(ADJUSTMENTS.map((k) => [k, res[k]]));
    await writeOut(io.stdout, `${JSON.stringify({ ...out, adjusted: res.adjusted, timings: res.timings })}\n`);
    return EXIT.ok;
  }
  const rows = ADJUSTMENTS.map((k) => `${k.toUpperCase().padEnd(6)} ${fmt(res[k].value)}  ± ${fmt(res[k].se)}`);
  await writeOut(io.stdout, `adjustment  value  (± one standard error)\n${rows.join("\n")}\n`);
  return EXIT.ok;
}

function fmt(v) {
  return (typeof v === "number" ? v.toFixed(4) : String(v)).padStart(10);
}
