import { cg, fcd, gallery, precond, CsrMatrix } from "solvewasm";
for (const n of [128, 256, 512]) {
  const A = gallery.poisson([n, n]);
  const h = 1 / (n + 1);
  const b = new Float64Array(n * n).fill(h * h);
  let t0 = performance.now();
  const r = cg(A, b, { rtol: 1e-8 });
  const t = performance.now() - t0;
  console.log(n, r.iterations, r.converged, r.reason, r.residualNorm.toExponential(3), (t).toFixed(1) + "ms");
  const C = A.toCsr();
  for (const [name, M] of [["ic0", precond.ic0(C)], ["ssor", precond.ssor(C, { omega: 2 / (1 + Math.PI * h) })], ["jacobi", precond.jacobi(A)], ["cheb", precond.chebyshev(A, {degree: 4})]]) {
    t0 = performance.now();
    const r2 = cg(A, b, { rtol: 1e-8, M });
    console.log("  ", name, r2.iterations, r2.converged, r2.residualNorm.toExponential(3), (performance.now() - t0).toFixed(1) + "ms", JSON.stringify(M.info));
    M.dispose();
  }
  for (const k of [1, 2, 4]) { const r3 = fcd(A, b, { rtol: 1e-8, k }); console.log("   fcd k", k, r3.iterations, r3.converged); }
}
