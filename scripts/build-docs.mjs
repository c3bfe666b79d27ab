// The API reference (TypeDoc, from the JSDoc of bindings/) into dist/app/api/, linked from
// the offline app. Called by scripts/build.mjs after the declarations are written.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** Writes the reference; returns an error message, or undefined on success. */
export function buildDocs(root) {
  const args = [
    "--entryPoints",
    "bindings/index.ts",
    "--tsconfig",
    "tsconfig.json",
    "--out",
    "dist/app/api",
    "--name",
    "solvewasm API",
    "--readme",
    "none",
    "--excludeInternal",
    "--disableSources",
    "--skipErrorChecking",
    "--logLevel",
    "Error",
  ];
  const r = spawnSync(join(root, "node_modules/.bin/typedoc"), args, { cwd: root, stdio: "inherit" });
  return r.status === 0 ? undefined : `typedoc exited with ${r.status}`;
}
