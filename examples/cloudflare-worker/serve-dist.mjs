// Serves the output of `npx wrangler deploy --dry-run --outdir dist` (the files wrangler
// would upload) in workerd through miniflare, with no dev server in between.
//   PORT=8787 node serve-dist.mjs
import { Miniflare } from "miniflare";

const mf = new Miniflare({
  modules: true,
  scriptPath: "dist/worker.js",
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2025-12-01", // as in wrangler.toml
  host: "127.0.0.1",
  port: Number(process.env.PORT ?? 8787),
});
console.log(`Ready on ${await mf.ready}`);
