// The bundler recipes of examples/README.md, run as written: each section's files (code
// blocks whose first line names them, `// src/index.js`, `<!-- dist/index.html -->`) go
// into a temporary app whose node_modules/solvewasm is the packed package, then its shell
// lines run in order (`npm install …` is what that app already has; `npx tool` runs the
// tool from this repo's node_modules/.bin). The browser bundles are loaded in headless
// Chromium from 127.0.0.1, the workerd bundle in workerd (miniflare); each must report
// the same CG solve as Node.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, symlinkSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { cg, gallery } from "solvewasm";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { makeApp, root } from "./_apps.js";

const readme = readFileSync(join(root, "examples/README.md"), "utf8");
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** One `## ` section of examples/README.md: its named files and its shell lines. */
function section(title) {
  const parts = readme.split(/^## /m);
  const text = parts.find((p) => p.startsWith(title + "\n"));
  if (!text) throw new Error(`examples/README.md has no section "## ${title}"`);
  const files = {};
  const commands = [];
  for (const [, lang, body] of text.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    const name = /^(?:\/\/|<!--) (\S+)(?: -->)?\n/.exec(body);
    if (name) files[name[1]] = body;
    else if (lang === "sh") commands.push(...body.split("\n").filter((l) => l.trim()));
  }
  return { files, commands };
}

/** Runs a section's shell lines in `dir`, npx → the repo's tools; returns their output. */
function runCommands(dir, commands) {
  let output = "";
  for (const line of commands) {
    if (/^npm install\b/.test(line)) continue; // the app has them: solvewasm packed, the tools of this repo
    const r = spawnSync("bash", ["-c", line.replace(/^npx /, "")], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}`, NO_COLOR: "1" },
    });
    output += r.stdout + r.stderr;
    if (r.status !== 0) throw new Error(`\`${line}\` exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return output;
}

/** What the recipes' src/index.js computes, here in Node. */
function expected() {
  const A = gallery.poisson([32, 32]);
  const r = cg(A, new Float64Array(A.rows).fill(1), { rtol: 1e-8 });
  return { converged: r.converged, iterations: r.iterations };
}

let browser;
/** Serves `dir` on 127.0.0.1, opens `page` in Chromium, returns its title once set (or the page's errors). */
async function loadPage(dir, page) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const path = join(dir, new URL(req.url, "http://x").pathname);
    if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) return res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  browser ??= await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const tab = await browser.newPage();
  const errors = [];
  let failed;
  const failure = new Promise((resolve) => (failed = resolve));
  tab.on("pageerror", (e) => {
    errors.push(String(e.message ?? e));
    failed();
  });
  try {
    await tab.goto(`http://127.0.0.1:${server.address().port}/${page}`);
    await Promise.race([tab.waitForFunction(() => document.title !== "", null, { timeout: 30_000 }), failure]);
    return { title: await tab.title(), errors };
  } finally {
    await tab.close();
    server.close();
  }
}

const kb = (path) => readFileSync(path).length / 1024;

const bundlers = suite("bundlers (examples/README.md)");
bundlers.after(() => browser?.close());

bundlers("webpack 5, no config: zero warnings, both .wasm emitted, and the page solves in Chromium", async () => {
  const { files, commands } = section("webpack 5");
  assert.ok(commands.some((c) => c.startsWith("npx webpack")));
  const app = makeApp({ files });
  const output = runCommands(app, commands);
  assert.not.match(output, /WARNING|Critical dependency|ERROR/i, output);
  assert.match(output, /compiled successfully/);
  const wasm = readdirSync(join(app, "dist")).filter((f) => f.endsWith(".wasm"));
  assert.is(wasm.length, 2, `emitted ${wasm.join(", ")}`);
  const { title, errors } = await loadPage(join(app, "dist"), "index.html");
  assert.equal(errors, []);
  assert.equal(JSON.parse(title), { ...expected(), build: "simd" });
  console.log(
    `  webpack main.js: ${kb(join(app, "dist/main.js")).toFixed(0)} KiB, gzip ${(gzipSync(readFileSync(join(app, "dist/main.js"))).length / 1024).toFixed(0)} KiB`,
  );
});

bundlers("esbuild for browsers: bundle + the documented copy of the two .wasm files", async () => {
  const { files, commands } = section("esbuild, for browsers");
  const bundle = commands.find((c) => c.startsWith("npx esbuild src/index.js"));
  const app = makeApp({ files });
  // Without the copy: the page fails with NOT_INITIALIZED naming the 404, as documented.
  runCommands(app, [bundle]);
  const bare = await loadPage(join(app, "public"), "index.html");
  assert.is(bare.title, "");
  assert.match(bare.errors.join("\n"), /solvewasm failed to load: fetching http:\/\/127\.0\.0\.1:\d+\/solvewasm\.wasm answered HTTP 404/);
  // The recipe as written.
  runCommands(app, commands);
  const { title, errors } = await loadPage(join(app, "public"), "index.html");
  assert.equal(errors, []);
  assert.equal(JSON.parse(title), { ...expected(), build: "simd" });
});

bundlers("esbuild for browsers with solvewasm/compat: nothing to copy", async () => {
  const { files, commands } = section("esbuild, for browsers");
  const app = makeApp({ files: { ...files, "public/compat.html": '<!doctype html><script type="module" src="compat.js"></script>\n' } });
  runCommands(
    app,
    commands.filter((c) => c.includes("src/compat.js")),
  );
  assert.equal(
    readdirSync(join(app, "public")).filter((f) => f.endsWith(".wasm")),
    [],
  );
  const { title, errors } = await loadPage(join(app, "public"), "compat.html");
  assert.equal(errors, []);
  assert.is(title, "32");
});

bundlers("esbuild for workerd (--conditions=workerd), run in workerd by the documented miniflare script", () => {
  const { files, commands } = section("esbuild, for Cloudflare Workers");
  const app = makeApp({ files });
  symlinkSync(join(root, "node_modules/miniflare"), join(app, "node_modules/miniflare"));
  const output = runCommands(app, commands);
  const bundle = readFileSync(join(app, "worker/worker.js"), "utf8");
  assert.match(bundle, /^import \w+ from "\.\/solvewasm\.wasm";$/m);
  assert.not.match(bundle, /solvewasm-scalar/);
  const json = JSON.parse(output.trim().split("\n").at(-1));
  assert.equal(json, { ...expected(), build: "simd" });
});

bundlers.run();
