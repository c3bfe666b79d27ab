// npm run evolve -- --fn expf --budget 60 --seed 1      (a search: writes programs.json and programs.ts)
// npm run evolve -- --render                            (programs.ts again from programs.json)
// npm run evolve -- --report                            (the Pareto tables of bench/RESULTS.md)
// Regularized evolution (population 40, tournament 6, the oldest dies) of straight-line
// kernels for an elementary function, each candidate's constants fitted by tools/evolve/fit.js
// and scored by the bit-exact maximum ULP error of the whole function (range reduction and
// scaling included) on sample points, against its operation cost. Prints the Pareto front
// (max ULP, cost), compares the winner with the classical Horner polynomials (Taylor and
// minimax) of the same operation count, stores the result in tools/evolve/programs.json and
// regenerates assembly/elementary/programs.ts from it.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cost, mutate, show, toAssemblyScript, usesR, compile } from "./program.js";
import { fitConstants } from "./fit.js";
import { TARGETS, samplePoints, maxUlp } from "./target.js";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(" ")
    .split("--")
    .filter(Boolean)
    .map((s) => s.trim().split(/\s+/))
    .map(([k, v]) => [k, v ?? "true"]),
);
if (args.render || args.report) {
  const saved = JSON.parse(readFileSync(new URL("./programs.json", import.meta.url), "utf8"));
  if (args.render) {
    writeFileSync(new URL("../../assembly/elementary/programs.ts", import.meta.url), render(saved));
    console.log("wrote assembly/elementary/programs.ts from tools/evolve/programs.json");
  } else console.log(report(saved));
  process.exit(0);
}
const fn = args.fn ?? "expf";
const budget = Number(args.budget ?? 60);
const seed = Number(args.seed ?? 1);
const goal = Number(args.goal ?? 0.9); // max ULP on the samples, leaving room below 1 for unsampled inputs
// The time budget makes the candidate count machine-dependent; --candidates caps it, so a
// run is reproduced exactly by the seed and the count it printed.
const maxCandidates = Number(args.candidates ?? Infinity);
const target = TARGETS[fn];
const maxNodes = target?.maxNodes ?? 16; // program size limit (the seeds must fit)
if (!target || !(budget > 0) || !Number.isInteger(seed)) {
  console.error(`usage: npm run evolve -- --fn <${Object.keys(TARGETS).join("|")}> --budget <seconds> --seed <n> [--goal <max ULP>]`);
  process.exit(2);
}

// splitmix32: the whole run is a function of the seed (and of the time budget).
let state = seed >>> 0;
const rand = () => {
  state = (state + 0x9e3779b9) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
  t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
  return ((t ^ (t >>> 16)) >>> 0) / 2 ** 32;
};

const store = new URL("./programs.json", import.meta.url);
const saved = existsSync(store) ? JSON.parse(readFileSync(store, "utf8")) : {};
const hard = saved[fn]?.hard ?? [];
const xsSearch = samplePoints(target, 1500, rand, hard);
const xsFinal = samplePoints(target, 1 << 16, rand, hard);

const key = (ind) => (ind.ulp <= goal ? ind.cost + ind.ulp / 10 : 100 + ind.ulp);
const archive = new Map(); // show(program) → individual, kept when Pareto-optimal
function consider(ind) {
  const id = show(ind.p);
  const old = archive.get(id);
  if (old && old.ulp <= ind.ulp) return;
  for (const [k, o] of archive) if (o.ulp <= ind.ulp && o.cost <= ind.cost && k !== id) return;
  for (const [k, o] of archive) if (ind.ulp <= o.ulp && ind.cost <= o.cost) archive.delete(k);
  archive.set(id, ind);
}

function evaluate(p, start) {
  if (!usesR(p) || p.nodes.length > maxNodes) return undefined;
  const fit = fitConstants(p, target, xsSearch, start, rand);
  if (!fit) return undefined;
  return { p, c: fit.c, ulp: fit.ulp, at: fit.at, cost: cost(p) };
}

const t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 1000;
const population = [];
for (const p of target.seeds()) {
  const ind = evaluate(p);
  if (ind) {
    population.push(ind);
    consider(ind);
  }
}
let evaluated = population.length,
  lastReport = 0;
while (elapsed() < budget && evaluated < maxCandidates) {
  const sample = Array.from({ length: 6 }, () => population[Math.floor(rand() * population.length)]);
  const parent = sample.reduce((a, b) => (key(b) < key(a) ? b : a));
  const { program, slotMap } = mutate(parent.p, rand, maxNodes);
  const start = new Array(program.nconst);
  for (const [o, n] of slotMap) start[n] = parent.c[o];
  const child = evaluate(program, start);
  evaluated++;
  if (!child) continue;
  population.push(child);
  if (population.length > 40) population.shift();
  consider(child);
  if (elapsed() - lastReport > 10) {
    lastReport = elapsed();
    const best = [...archive.values()].filter((i) => i.ulp <= goal).sort((a, b) => a.cost - b.cost)[0];
    console.error(
      `[${elapsed().toFixed(0)} s] ${evaluated} candidates; cheapest ≤ ${goal} ULP: ${best ? `cost ${best.cost}, ${best.ulp.toFixed(3)} ULP` : "none yet"}`,
    );
  }
}

// Re-score the front on the large sample (constants searched again there).
const front = [...archive.values()]
  .map((ind) => {
    const fit = fitConstants(ind.p, target, xsFinal, ind.c, rand, { lawson: 0 });
    return fit ? { ...ind, c: fit.c, ulp: fit.ulp, at: fit.at } : ind;
  })
  .sort((a, b) => a.cost - b.cost);
console.log(`Pareto front for ${fn} (${evaluated} candidates, ${budget} s, seed ${seed}; max ULP on ${xsFinal.length} sample inputs):`);
for (const ind of front) console.log(`  cost ${String(ind.cost).padStart(2)}  ${ind.ulp.toFixed(4)} ULP  ${show(ind.p, ind.c)}`);
const winner = front.filter((i) => i.ulp <= goal).sort((a, b) => a.cost - b.cost || a.ulp - b.ulp)[0];
if (!winner) {
  console.log(`no program reached ${goal} ULP on the samples; nothing written`);
  process.exit(1);
}

// Classical baselines with at most the winner's operation count: the target's polynomial in
// Horner form with Taylor coefficients and with minimax ones (fitted as the candidates are).
const classical = target.classical(winner.cost);
const { degree } = classical;
const f64 = target.dtype === "f64";
const toFormat = (c) => (f64 ? c.slice() : c.map(Math.fround));
const taylorC = toFormat(classical.taylor);
const hp = classical.program;
const F = compile(hp, !f64);
const taylor = { p: hp, c: taylorC, ...maxUlp(target, (r) => F(r, taylorC), xsFinal), cost: cost(hp) };
const minimaxFit = fitConstants(hp, target, xsFinal, taylorC, rand);
const minimax = { p: hp, c: minimaxFit.c, ulp: minimaxFit.ulp, at: minimaxFit.at, cost: cost(hp) };
console.log(`winner: cost ${winner.cost}, ${winner.ulp.toFixed(4)} ULP (worst input ${winner.at})`);
console.log(
  `classical within the winner's cost: Taylor degree ${degree} (cost ${taylor.cost}): ${taylor.ulp.toFixed(4)} ULP; minimax degree ${degree} (cost ${minimax.cost}): ${minimax.ulp.toFixed(4)} ULP`,
);
// The cheapest classical (minimax) polynomial that reaches the goal, for "as accurate with fewer operations".
let up;
for (let ops = winner.cost + 1; ops <= winner.cost + 12 && !up; ops++) {
  const cl = target.classical(ops);
  if (cl.degree === degree || (up && cl.degree === up.degree)) continue;
  const fit = fitConstants(cl.program, target, xsFinal, toFormat(cl.taylor), rand);
  if (fit && fit.ulp <= goal) up = { nodes: cl.program.nodes, degree: cl.degree, c: fit.c, ulp: fit.ulp, cost: cost(cl.program) };
}
if (up) console.log(`cheapest classical reaching ${goal} ULP: minimax degree ${up.degree}, cost ${up.cost}, ${up.ulp.toFixed(4)} ULP`);

// The classical front over the evolved front's range of costs: for each degree, Horner with
// Taylor and with minimax constants (the paper's comparison, operations vs max ULP).
const classicalFront = [];
for (let ops = front[0].cost, last; ops <= front[front.length - 1].cost + 4; ops++) {
  const cl = target.classical(ops);
  if (cl.degree === last || cost(cl.program) > ops) continue;
  last = cl.degree;
  const G = compile(cl.program, !f64);
  const tc = toFormat(cl.taylor);
  const tay = maxUlp(target, (r) => G(r, tc), xsFinal);
  const mm = fitConstants(cl.program, target, xsFinal, tc, rand);
  classicalFront.push({ degree: cl.degree, cost: cost(cl.program), taylor: +tay.ulp.toPrecision(5), minimax: mm ? +mm.ulp.toPrecision(5) : null });
}

saved[fn] = {
  command: `npm run evolve -- --fn ${fn} --budget ${budget} --seed ${seed} --candidates ${evaluated}${args.goal ? ` --goal ${goal}` : ""}`,
  fitness: `max ${winner.ulp.toFixed(4)} ULP on ${xsFinal.length} sample inputs, cost ${winner.cost}`,
  evolved: { nodes: winner.p.nodes, c: winner.c, ulp: winner.ulp, cost: winner.cost, text: show(winner.p, winner.c) },
  taylor: { nodes: hp.nodes, degree, c: taylorC, ulp: taylor.ulp, cost: taylor.cost },
  minimax: { nodes: hp.nodes, degree, c: minimax.c, ulp: minimax.ulp, cost: minimax.cost },
  minimaxUp: up,
  front: front.map((i) => ({ cost: i.cost, ulp: +i.ulp.toPrecision(5), text: show(i.p, i.c) })),
  classicalFront,
  hard,
};
writeFileSync(store, JSON.stringify(saved, null, 1) + "\n");
writeFileSync(new URL("../../assembly/elementary/programs.ts", import.meta.url), render(saved));
console.log("wrote tools/evolve/programs.json and assembly/elementary/programs.ts");

/** Markdown: per function, the evolved Pareto front and the classical Horner front (max ULP
 * on the final samples by operation count), from the first cost where either is below 50 ULP. */
function report(all) {
  const out = [];
  for (const [f, e] of Object.entries(all)) {
    if (!e.front) continue;
    out.push(`**${f}** (\`${e.command}\`; ${e.fitness}):`, "", "| ops | evolved max ULP | classical minimax | classical Taylor |", "|---|---|---|---|");
    const costs = [...new Set([...e.front.map((i) => i.cost), ...e.classicalFront.map((i) => i.cost)])].sort((a, b) => a - b);
    for (const c of costs) {
      const ev = e.front.filter((i) => i.cost <= c).sort((a, b) => a.ulp - b.ulp)[0];
      const cl = e.classicalFront.find((i) => i.cost === c);
      const ul = (v) => (v == null ? "—" : v > 1e3 ? v.toExponential(2) : v.toFixed(4));
      if (Math.min(ev?.ulp ?? Infinity, cl?.minimax ?? Infinity) > 50) continue; // the accurate end of the front only
      out.push(`| ${c} | ${ev ? ul(ev.ulp) : "—"} | ${cl ? `${ul(cl.minimax)} (degree ${cl.degree})` : ""} | ${cl ? ul(cl.taylor) : ""} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

function render(all) {
  const head = [
    `// GENERATED by tools/evolve (do not edit): ${Object.entries(all)
      .map(([f, e]) => `${f}: \`${e.command}\`, ${e.fitness}`)
      .join("; ")}.`,
  ];
  head.push("// Kernels on the reduced argument r, evolved (straight-line programs found by regularized");
  head.push("// evolution) and the classical Horner baselines of the same operation count (Taylor,");
  head.push("// minimax); each as an f32x4 lane function and a scalar one with the same operations.");
  head.push("// None is a wasm export: expf.ts inlines the evolved kernels into expf and exp2f,");
  head.push("// trig-fast.ts the sin and cos ones into sinfFast and cosfFast (both use both); the");
  head.push("// classical ones reach only the benchmark module (baseline.ts, exported by assembly/bench.ts).");
  const parts = [head.join("\n")];
  for (const [f, e] of Object.entries(all)) {
    const t = TARGETS[f];
    const kernel = (suffix, p, what) =>
      toAssemblyScript(
        `${t.name}${suffix}`,
        { nodes: p.nodes, nconst: p.c.length },
        p.c,
        `// ${f}, ${what} (cost ${p.cost}, ${p.ulp.toFixed(4)} ULP on the samples)`,
        t.dtype,
      );
    parts.push(kernel("Evolved", e.evolved, `evolved: ${e.evolved.text}`));
    parts.push(kernel("Taylor", e.taylor, `Taylor degree ${e.taylor.degree}`));
    parts.push(kernel("Minimax", e.minimax, `minimax degree ${e.minimax.degree}`));
    if (e.minimaxUp) parts.push(kernel("MinimaxUp", e.minimaxUp, `the cheapest classical reaching the goal: minimax degree ${e.minimaxUp.degree}`));
  }
  return parts.join("\n\n") + "\n";
}
