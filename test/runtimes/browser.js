// Runs the test suite in headless Chromium: bundles it with esbuild (browser conditions,
// so "solvewasm" resolves to dist/entry.browser.js), serves it on 127.0.0.1 and drives
// Debian's /usr/bin/chromium with playwright-core (test/fixtures/matrices served under
// /matrices/). Then a file:// smoke test of the
// inlined IIFE build. Prints uvu's output and one JSON line {"runtime","passed","failed"}.
import { createServer } from "node:http";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { parseUvu, stripAnsi } from "./summary.js";

const root = new URL("../..", import.meta.url).pathname;
const out = join(root, "test/.out/browser");
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`no Chromium at ${executablePath}: run \`bash scripts/install-chromium.sh\` (or set CHROMIUM_PATH)`);
  process.exit(2);
}

mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(root, "test/runtimes/browser-entry.js")],
  outfile: join(out, "tests.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
});
for (const f of ["solvewasm.wasm", "solvewasm-scalar.wasm", "solvewasm.iife.js"]) copyFileSync(join(root, "dist", f), join(out, f));
writeFileSync(join(out, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="tests.js"></script>\n');
writeFileSync(
  join(out, "compat.html"),
  `<!doctype html><meta charset="utf-8"><script src="solvewasm.iife.js"></script>
<script>
  solvewasm.ready.then(() => {
    const d = solvewasm.blas.ddot(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]));
    document.title = "ddot=" + d + " build=" + solvewasm.build;
  }, (e) => (document.title = "error " + e));
</script>\n`,
);

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const matrices = join(root, "test/fixtures/matrices");
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x").pathname;
  const [base, rel] = url.startsWith("/matrices/") ? [matrices, url.slice("/matrices/".length)] : [out, url];
  const path = join(base, rel);
  if (!path.startsWith(base) || !existsSync(path)) return res.writeHead(404).end("not found");
  res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let passed = 0,
  failed = 0;
try {
  const page = await browser.newPage();
  const lines = [];
  page.on("console", (m) => lines.push(m.text()));
  page.on("pageerror", (e) => lines.push(`\nPAGE ERROR ${e.stack ?? e}\n`));
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => globalThis.__testsDone === true, null, { timeout: 300_000 });
  const harnessError = await page.evaluate(() => globalThis.__testsError);
  const text = lines.join(""); // uvu writes fragments that carry their own newlines
  console.log(stripAnsi(text));
  const r = parseUvu(text);
  if (harnessError || !r) {
    console.error(`the browser suite did not finish: ${harnessError ?? "no uvu summary"}`);
    failed++;
  } else {
    passed += r.passed;
    failed += r.failed;
  }

  // file:// smoke test: the IIFE build with the wasm inlined needs no server and no module scripts.
  const smoke = await browser.newPage();
  await smoke.goto(pathToFileURL(join(out, "compat.html")).href);
  await smoke.waitForFunction(() => document.title !== "", null, { timeout: 30_000 });
  const title = await smoke.title();
  const ok = title === "ddot=32 build=simd";
  console.log(`file:// compat smoke test: ${ok ? "ok" : "FAILED"} (${title})`);
  ok ? passed++ : failed++;
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify({ runtime: "chromium", passed, failed }));
process.exit(failed ? 1 : 0);
