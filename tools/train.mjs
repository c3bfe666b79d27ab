// npm run train -- dcdm [--grid 64] [--steps N | --seconds N] [--seed S] [--channels C] [--batch B] [--lr L] [--lr-final L]
//                        [--from FILE] [--out FILE] [--ship]
// npm run train -- mgno --problem darcy [--grid 63] [--samples N] [--steps N | --minutes M] [--seed S] [--channels C]
//                        [--layers L] [--batch B] [--lr L] [--lr-final L] [--out FILE] [--ship]
// npm run train -- ship FILE   (ships a weight file written earlier with --out)
// Trains a learned model inside solvewasm (wasm kernels, no Python) and writes its weight
// file; --ship also regenerates bindings/learned/shipped.ts, the weights the package
// carries. Progress (step, loss, ETA) goes to stderr. Deterministic for a given seed.
import { readFileSync, writeFileSync } from "node:fs";
import { learned, SolvewasmError } from "../dist/entry.node.js";

const root = new URL("..", import.meta.url);
const [kind, ...rest] = process.argv.slice(2);
const args = {};
for (let i = kind === "ship" ? 1 : 0; i < rest.length; i++) {
  const a = rest[i];
  if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
  const key = a.slice(2);
  if (key === "ship") args.ship = true;
  else args[key] = rest[++i];
}
const FLAGS = {
  dcdm: ["grid", "steps", "seconds", "seed", "channels", "batch", "lr", "lr-final", "from", "out", "ship"],
  mgno: ["problem", "grid", "samples", "steps", "minutes", "seed", "channels", "layers", "batch", "lr", "lr-final", "out", "ship"],
  ship: [],
};
for (const k of Object.keys(args)) {
  if (FLAGS[kind] && !FLAGS[kind].includes(k)) {
    process.stderr.write(`train: ${kind} has no flag --${k} (flags: ${FLAGS[kind].map((f) => `--${f}`).join(" ")})\n`);
    process.exit(2);
  }
}
const num = (k, d) => {
  if (args[k] === undefined) return d;
  const v = Number(args[k]);
  if (!Number.isFinite(v)) {
    process.stderr.write(`train: --${k} must be a number, got ${args[k]}\n`);
    process.exit(2);
  }
  return v;
};

async function trainDcdm() {
  const grid = num("grid", 64);
  const options = { grid, seed: num("seed", 1), channels: num("channels", 8), batch: num("batch", 16), lr: num("lr", 1e-3) };
  if (args.steps !== undefined) options.steps = num("steps");
  if (args["lr-final"] !== undefined) options.lrFinal = num("lr-final");
  if (args.from !== undefined) options.model = learned.dcdm(readFileSync(args.from));
  if (args.seconds !== undefined) options.seconds = num("seconds");
  let last = 0;
  options.onProgress = (p) => {
    if (p.seconds - last < 2 && p.eta !== 0) return;
    last = p.seconds;
    const eta = p.eta === undefined ? "" : `, ETA ${Math.round(p.eta)} s`;
    process.stderr.write(`dcdm step ${p.step}: loss ${p.loss.toExponential(3)} (${p.seconds.toFixed(0)} s${eta})\n`);
  };
  const { model, steps, seconds, losses } = await learned.trainDcdm(options);
  const command =
    `npm run train -- dcdm --grid ${grid} --steps ${steps} --seed ${options.seed} --channels ${options.channels} --batch ${options.batch} --lr ${options.lr}` +
    (options.lrFinal ? ` --lr-final ${options.lrFinal}` : "") +
    (args.from ? ` --from ${args.from}` : "");
  const bytes = model.toWeights({ ...model.provenance, command, date: new Date().toISOString().slice(0, 10), seconds: Math.round(seconds) });
  const first = losses.slice(0, 20).reduce((a, b) => a + b, 0) / Math.min(20, losses.length);
  process.stderr.write(`dcdm: ${steps} steps in ${seconds.toFixed(0)} s, loss ${first.toExponential(3)} → ${model.provenance.loss.toExponential(3)}\n`);
  return { name: SHIPPED_NAMES.dcdm, bytes };
}

async function trainMgno() {
  if ((args.problem ?? "darcy") !== "darcy") throw new Error(`mgno trains on --problem darcy only, got ${args.problem}`);
  const grid = num("grid", 63);
  const samples = num("samples", 1000);
  const seed = num("seed", 1);
  const tick = (what, total) => (i) => {
    if (i % 100 === 0 || i === total) process.stderr.write(`${what}: ${i}/${total} Darcy samples solved\n`);
  };
  const data = learned.darcyData(grid, samples, seed, tick("training data", samples));
  const held = learned.darcyData(grid, 100, seed + 1000, tick("held-out data", 100));
  const config = { channels: num("channels", 12), layers: num("layers", 4) };
  const options = { data, config, seed, batch: num("batch", 8), lr: num("lr", 1e-3), lrFinal: num("lr-final", 1e-4) };
  if (args.steps !== undefined) options.steps = num("steps");
  if (args.minutes !== undefined) options.seconds = 60 * num("minutes");
  let last = 0;
  options.onProgress = (p) => {
    if (p.seconds - last < 5 && p.eta !== 0) return;
    last = p.seconds;
    const eta = p.eta === undefined ? "" : `, ETA ${Math.round(p.eta)} s`;
    process.stderr.write(`mgno step ${p.step}: relative L2 ${p.loss.toFixed(4)} (${p.seconds.toFixed(0)} s${eta})\n`);
  };
  const { model, steps, seconds } = await learned.trainMgno(options);
  const test = learned.relativeL2(model, held);
  const command =
    `npm run train -- mgno --problem darcy --grid ${grid} --samples ${samples} --steps ${steps} --seed ${seed} --channels ${config.channels} --layers ${config.layers} ` +
    `--batch ${options.batch} --lr ${options.lr} --lr-final ${options.lrFinal}`;
  process.stderr.write(
    `mgno: ${steps} steps in ${seconds.toFixed(0)} s; held-out relative L2 mean ${test.mean.toFixed(4)}, max ${test.max.toFixed(4)} (100 samples, seed ${seed + 1000})\n`,
  );
  const bytes = model.toWeights({
    ...model.provenance,
    command,
    date: new Date().toISOString().slice(0, 10),
    seconds: Math.round(seconds),
    heldOut: { samples: 100, seed: seed + 1000, meanRelativeL2: test.mean, maxRelativeL2: test.max },
  });
  return { name: SHIPPED_NAMES.mgno, bytes };
}

/** Writes bytes into bindings/learned/shipped.ts under name, keeping the other entries. */
function ship(name, bytes) {
  const path = new URL("bindings/learned/shipped.ts", root);
  const text = readFileSync(path, "utf8");
  const entries = Object.fromEntries([...text.matchAll(/^ {2}"([^"]+)":\n? *"([^"]*)",$/gm)].map((m) => [m[1], m[2]]));
  entries[name] = Buffer.from(bytes).toString("base64");
  const body = Object.entries(entries)
    .map(([k, v]) => `  "${k}":\n    "${v}",`)
    .join("\n");
  writeFileSync(
    path,
    "// Generated by `npm run train` (tools/train.mjs). Do not edit: retrain to change.\n" +
      "// Weight files (bindings/learned/weights.ts format) shipped with the package, base64;\n" +
      "// each one's header carries its provenance (command, seed, steps, loss, date).\n" +
      `export const SHIPPED: Record<string, string> = {\n${body}\n};\n`,
  );
  process.stderr.write(`updated bindings/learned/shipped.ts (${name}); run npm run build\n`);
}

const SHIPPED_NAMES = { dcdm: "dcdm-poisson", mgno: "mgno-darcy" };

try {
  if (kind === "ship") {
    // npm run train -- ship FILE: ships a weight file made earlier (--out) under its model's name.
    const bytes = new Uint8Array(readFileSync(rest[0]));
    const { model } = learned.readWeights(bytes);
    if (!(model in SHIPPED_NAMES)) throw new Error(`${rest[0]} holds a ${model} model; shipped models are ${Object.keys(SHIPPED_NAMES).join(", ")}`);
    ship(SHIPPED_NAMES[model], bytes);
    process.exit(0);
  }
  if (kind !== "dcdm" && kind !== "mgno") throw new Error(`usage: npm run train -- dcdm|mgno [options] (got ${kind ?? "nothing"})`);
  const { name, bytes } = kind === "dcdm" ? await trainDcdm() : await trainMgno();
  const out = args.out ?? `${name}.swnn`;
  writeFileSync(out, bytes);
  process.stderr.write(`wrote ${out} (${bytes.length} bytes)\n`);
  if (args.ship) ship(name, bytes);
} catch (e) {
  process.stderr.write(`train: ${e instanceof SolvewasmError ? `${e.code}: ` : ""}${e.message}\n`);
  process.exit(1);
}
