// The test bundle's entry in Chromium: the scalar module comes over HTTP from the harness.
import { runAll } from "../index.js";

globalThis.SOLVEWASM_TEST_SCALAR = async () => new Uint8Array(await (await fetch("./solvewasm-scalar.wasm")).arrayBuffer());
runAll().then(
  () => (globalThis.__testsDone = true),
  (e) => ((globalThis.__testsError = String(e?.stack ?? e)), (globalThis.__testsDone = true)),
);
