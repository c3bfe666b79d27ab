// Every test file, in order. Each runtime's harness imports this list, so a new test
// file is added here once and runs in Node, Deno, Chromium and workerd alike.
export const testFiles = [
  ["runtime.test.js", () => import("./runtime.test.js")],
  ["layouts.test.js", () => import("./layouts.test.js")],
  ["blas.test.js", () => import("./blas.test.js")],
  ["csr.test.js", () => import("./csr.test.js")],
  ["matrixmarket.test.js", () => import("./matrixmarket.test.js")],
  ["stencil.test.js", () => import("./stencil.test.js")],
  ["gallery-ns.test.js", () => import("./gallery-ns.test.js")],
  ["krylov.test.js", () => import("./krylov.test.js")],
  ["krylov-ns.test.js", () => import("./krylov-ns.test.js")],
  ["scipy-iterative.test.js", () => import("./scipy-iterative.test.js")],
  ["ilu.test.js", () => import("./ilu.test.js")],
  ["relax.test.js", () => import("./relax.test.js")],
  ["relax-tuner.test.js", () => import("./relax-tuner.test.js")],
  ["multigrid.test.js", () => import("./multigrid.test.js")],
  ["amg.test.js", () => import("./amg.test.js")],
  ["amg-classical.test.js", () => import("./amg-classical.test.js")],
  ["contract.test.js", () => import("./contract.test.js")],
  ["elementary.test.js", () => import("./elementary.test.js")],
  ["elementary-erf-fast.test.js", () => import("./elementary-erf-fast.test.js")],
  ["elementary-trig-fast.test.js", () => import("./elementary-trig-fast.test.js")],
  ["xva.test.js", () => import("./xva.test.js")],
  ["learned.test.js", () => import("./learned.test.js")],
  ["fuzz.test.js", () => import("./fuzz.test.js")],
];

/**
 * Imports the test files into uvu's queue, then runs them all with one summary.
 * `only` (optional) keeps the files whose name contains it.
 */
export async function runAll(only) {
  globalThis.UVU_DEFER = 1;
  globalThis.UVU_QUEUE = [];
  const files = testFiles.filter(([name]) => !only || name.includes(only));
  for (const [i, [name, load]] of files.entries()) {
    globalThis.UVU_QUEUE.push([name]);
    globalThis.UVU_INDEX = i;
    await load();
  }
  const { exec } = await import("uvu");
  await exec();
}
