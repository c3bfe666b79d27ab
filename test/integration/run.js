// The integration tests: what a user meets outside the library's own API (the CLI, the
// WASI command, the offline app, edge recipes, bundlers, the README's code blocks). Node
// only; every `*.test.js` file in this folder runs, in name order:
// `node test/integration/run.js [filter]`.
import { readdirSync } from "node:fs";

const here = new URL("./", import.meta.url);
const only = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith(".test.js") && (!only || f.includes(only)))
  .sort();
globalThis.UVU_DEFER = 1;
globalThis.UVU_QUEUE = [];
for (const [i, name] of files.entries()) {
  globalThis.UVU_QUEUE.push([name]);
  globalThis.UVU_INDEX = i;
  await import(new URL(name, here).href);
}
const { exec } = await import("uvu");
await exec();
