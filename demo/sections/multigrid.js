import { amg, cg, gallery, multigrid } from "solvewasm";

/** CG, GMG-PCG and both kinds of AMG-PCG on 2D Poisson with a million unknowns, and their residual
 * histories as a text plot (iterations on a log axis). */
export async function multigridSection() {
  const n = 1023;
  const A = gallery.poisson([n, n]);
  const b = new Float64Array(n * n).fill(1);
  const runs = [];
  const timed = (name, mark, setup, solve) => {
    const t0 = performance.now();
    const M = setup();
    const t1 = performance.now();
    const r = solve(M);
    const t2 = performance.now();
    runs.push({ name, mark, r, setup: (t1 - t0) / 1000, solve: (t2 - t1) / 1000 });
  };
  timed(
    "CG",
    "C",
    () => undefined,
    () => cg(A, b, { rtol: 1e-8, history: true }),
  );
  timed(
    "GMG-PCG (V(1,1), red-black GS)",
    "G",
    () => multigrid(A),
    (ml) => {
      const r = cg(A, b, { rtol: 1e-8, history: true, M: ml.asPreconditioner() });
      ml.dispose();
      return r;
    },
  );
  const csr = A.toCsr();
  for (const [name, mark, kind] of [
    ["SA-AMG-PCG (on the CSR form)", "A", "aggregation"],
    ["classical AMG-PCG (hypre's defaults)", "K", "classical"],
  ]) {
    timed(
      name,
      mark,
      () => amg(csr, { kind }),
      (ml) => {
        const r = cg(csr, b, { rtol: 1e-8, history: true, M: ml.asPreconditioner() });
        ml.dispose();
        return r;
      },
    );
  }
  csr.dispose();
  A.dispose();
  const lines = [`2D Poisson, ${n}² = ${(n * n).toLocaleString("en")} unknowns, b = 1, rtol 1e-8:`];
  for (const { name, mark, r, setup, solve } of runs) {
    lines.push(`  ${mark}  ${name.padEnd(38)} ${String(r.iterations).padStart(5)} iterations   setup ${setup.toFixed(2)} s   solve ${solve.toFixed(2)} s`);
  }
  // Rows: decades of ‖r‖/‖b‖; columns: iterations 1, 2, 4, … (log axis).
  const bnorm = Math.sqrt(n * n);
  const cols = 12;
  const grid = Array.from({ length: 9 }, () => Array(cols).fill(" "));
  for (const { mark, r } of runs) {
    r.history.forEach((v, it) => {
      const c = it === 0 ? 0 : Math.min(cols - 1, Math.floor(Math.log2(it)) + 1);
      const d = Math.min(8, Math.max(0, Math.floor(-Math.log10(v / bnorm))));
      if (grid[d][c] === " " || grid[d][c] === mark) grid[d][c] = mark;
      else if (!grid[d][c].includes(mark)) grid[d][c] = "*";
    });
  }
  lines.push("", "  ‖r‖/‖b‖   residual history (* = several)");
  grid.forEach((row, d) => lines.push(`  1e-${d}    |${row.map((ch) => `  ${ch}  `).join("")}`));
  lines.push(`           +${"-----".repeat(cols)}`);
  lines.push(
    `  iteration ${Array.from({ length: cols }, (_, c) =>
      String(c === 0 ? 0 : 2 ** (c - 1))
        .padStart(4)
        .padEnd(5),
    ).join("")}`,
  );
  return lines;
}
