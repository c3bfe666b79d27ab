// How a test reaches the scalar .wasm in each runtime: the harness of that runtime sets
// globalThis.SOLVEWASM_TEST_SCALAR to a source createSolvewasm accepts (bytes, a URL or a
// compiled Module) before the tests are imported.
export async function scalarModule() {
  const source = globalThis.SOLVEWASM_TEST_SCALAR;
  if (!source) throw new Error("the test harness did not provide the scalar module (SOLVEWASM_TEST_SCALAR)");
  return typeof source === "function" ? source() : source;
}
