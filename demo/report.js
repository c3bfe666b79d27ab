// npm start: the solvewasm report. Each capability contributes one section (a function in
// demo/sections/ that returns lines of text); they run in order and print as they finish.
import { runtimeSection } from "./sections/runtime.js";
import { blasSection } from "./sections/blas.js";
import { operatorsSection } from "./sections/operators.js";
import { krylovSection } from "./sections/krylov.js";
import { tuningSection } from "./sections/tuning.js";
import { multigridSection } from "./sections/multigrid.js";
import { elementarySection } from "./sections/elementary.js";
import { xvaSection } from "./sections/xva.js";
import { learnedSection } from "./sections/learned.js";

const sections = [
  ["Runtime", runtimeSection],
  ["BLAS level 1 (f64)", blasSection],
  ["Operators: sparse matrices and grid stencils", operatorsSection],
  ["Conjugate directions: CG, preconditioners, FCD", krylovSection],
  ["SOR with a bandit-tuned ω (Learning to Relax)", tuningSection],
  ["Multigrid: a million unknowns", multigridSection],
  ["Learned operators: DCDM and MgNO", learnedSection],
  ["Elementary functions (float32 and float64, ≤ 1 ULP)", elementarySection],
  ["xVA: BSDEs on structural default paths", xvaSection],
];

console.log("solvewasm report\n");
for (const [title, section] of sections) {
  console.log(`── ${title} ${"─".repeat(Math.max(0, 60 - title.length))}`);
  for (const line of await section()) console.log(`  ${line}`);
  console.log();
}
