// What tests read from outside the package, reached the way each runtime can: the harness
// of that runtime sets globalThis.SOLVEWASM_TEST_FIXTURES before importing the tests, with
//   scalar(): the scalar .wasm as bytes or a compiled Module,
//   matrix(name): the text of test/fixtures/matrices/<name> (vendored; provenance and
//   licences in its README.md).

/**
 * What a harness provides (test/run.js, test/runtimes/browser-entry.js, workerd-entry.js).
 * @typedef {object} TestFixtures
 * @property {() => Promise<Uint8Array | WebAssembly.Module>} scalar the scalar build's module
 * @property {(name: string) => Promise<string>} matrix a file of test/fixtures/matrices as text
 */

/** @returns {TestFixtures} */
function fixtures() {
  const f = /** @type {{ SOLVEWASM_TEST_FIXTURES?: TestFixtures }} */ (globalThis).SOLVEWASM_TEST_FIXTURES;
  if (!f) throw new Error("the test harness did not set SOLVEWASM_TEST_FIXTURES");
  return f;
}

/** The scalar (no-SIMD) module, as bytes or a compiled Module: pass it to createSolvewasm. */
export async function scalarModule() {
  return fixtures().scalar();
}

/**
 * The text of a vendored matrix file.
 * @param {string} name a file name in test/fixtures/matrices, e.g. "1138_bus.mtx"
 * @returns {Promise<string>}
 */
export async function matrixText(name) {
  return fixtures().matrix(name);
}

/**
 * The SuiteSparse matrices in test/fixtures/matrices, with their sizes from its README.
 * @type {readonly { name: string, rows: number, nnz: number }[]}
 */
export const MATRICES = [
  { name: "1138_bus.mtx", rows: 1138, nnz: 4054 },
  { name: "494_bus.mtx", rows: 494, nnz: 1666 },
  { name: "ani4.mtx", rows: 3081, nnz: 20971 },
  { name: "bcsstk01.mtx", rows: 48, nnz: 400 },
  { name: "bcsstk03.mtx", rows: 112, nnz: 640 },
  { name: "gr_30_30.mtx", rows: 900, nnz: 7744 },
  { name: "nos4.mtx", rows: 100, nnz: 594 },
];
