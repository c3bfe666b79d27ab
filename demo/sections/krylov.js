import { readFile } from "node:fs/promises";
import { cg, CsrMatrix, fcd, gallery, precond } from "solvewasm";

/** CG with each preconditioner on a Poisson problem and on a real matrix: iterations, time. */
export async function krylovSection() {
  const lines = [];
  const n = 256,
    h = 1 / (n + 1);
  const poisson = gallery.poisson([n, n]);
  const problems = [[`2D Poisson ${n}² (b = h²·1)`, poisson, new Float64Array(n * n).fill(h * h), 2 / (1 + Math.PI * h)]];
  let bus;
  try {
    bus = CsrMatrix.fromMatrixMarket(await readFile(new URL("../../test/fixtures/matrices/1138_bus.mtx", import.meta.url), "utf8"));
    problems.push(["1138_bus (κ ≈ 8.6e6, b = 1)", bus, new Float64Array(bus.rows).fill(1), 1]);
  } catch {
    lines.push("(test/fixtures/matrices/1138_bus.mtx not found: the real-matrix part is skipped)");
  }
  lines.push(`${"".padEnd(30)}${"method".padEnd(24)}iterations   setup     solve   ‖b − Ax‖/‖b‖`);
  for (const [name, A, b, omega] of problems) {
    const bn = Math.sqrt(b.reduce((s, v) => s + v * v, 0));
    let title = name;
    const methods = [
      ["CG", () => undefined],
      ["PCG Jacobi", () => precond.jacobi(A)],
      [`PCG SSOR ω = ${omega.toFixed(3)}`, () => precond.ssor(A, { omega })],
      ["PCG IC(0)", () => precond.ic0(A)],
      ["PCG Chebyshev deg 4", () => precond.chebyshev(A, { degree: 4 })],
    ];
    for (const [label, build] of methods) {
      const t0 = performance.now();
      const M = build();
      const t1 = performance.now();
      const r = cg(A, b, { rtol: 1e-8, M });
      const t2 = performance.now();
      M?.dispose();
      lines.push(
        `${title.padEnd(30)}${label.padEnd(24)}${String(r.iterations).padStart(10)}  ${(t1 - t0).toFixed(1).padStart(6)} ms ${(t2 - t1).toFixed(1).padStart(6)} ms   ${(r.residualNorm / bn).toExponential(1)}${r.converged ? "" : ` (${r.reason})`}`,
      );
      title = "";
    }
    const t0 = performance.now();
    const J = precond.jacobi(A);
    const r = fcd(A, b, { rtol: 1e-8, k: 2, M: J });
    J.dispose();
    lines.push(
      `${"".padEnd(30)}${"FCD k = 2, Jacobi".padEnd(24)}${String(r.iterations).padStart(10)}  ${"".padStart(9)} ${(performance.now() - t0).toFixed(1).padStart(6)} ms   ${(r.residualNorm / bn).toExponential(1)}`,
    );
  }
  poisson.dispose();
  bus?.dispose();
  return lines;
}
