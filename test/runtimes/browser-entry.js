// The test bundle's entry in Chromium: fixtures come over HTTP from the harness.
import { runAll } from "../index.js";

async function get(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r;
}
globalThis.SOLVEWASM_TEST_FIXTURES = {
  scalar: async () => new Uint8Array(await (await get("./solvewasm-scalar.wasm")).arrayBuffer()),
  matrix: async (name) => (await get(`./matrices/${name}`)).text(),
};
runAll().then(
  () => (globalThis.__testsDone = true),
  (e) => ((globalThis.__testsError = String(e?.stack ?? e)), (globalThis.__testsDone = true)),
);
