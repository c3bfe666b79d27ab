// The offline browser app (dist/app/, built from demo/app/ by scripts/build-app.mjs) in
// headless Chromium: from file://, a Solve run in the worker equals the library's own
// result in Node (iterations, and x bit for bit through "Download x"); Cancel aborts a long
// solve through its AbortSignal and the next solve works; the Fluids section advances
// frames with a converged pressure solve each; every section draws its plots (canvas
// pixels checked) and is saved as a screenshot in test/.out/app/; and served from
// 127.0.0.1, once the service worker controls the page, the app reloads and solves with the
// network cut and the server stopped. Prints the measured load and solve times and the
// site's size ("app: …" lines).
import { createServer } from "node:http";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as sw from "../../dist/entry.node.js";
import { buildApp } from "../../scripts/build-app.mjs";

const root = new URL("../..", import.meta.url).pathname;
const site = join(root, "dist/app");
const shots = join(root, "test/.out/app");
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const fluidsPresent = existsSync(join(root, "demo/app/fluids.js"));
const t = suite("app (dist/app in Chromium)");
const state = {};

t.before(async () => {
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: run \`bash scripts/install-chromium.sh\` (or set CHROMIUM_PATH)`);
  await buildApp(); // 0.3 s: the site always matches demo/app (with or without fluids.js)
  mkdirSync(shots, { recursive: true });
  state.browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});
t.after(async () => {
  await state.browser?.close();
  state.server?.close();
});

/** A page with its errors collected (any page error fails the test that made it). */
async function open(context, url) {
  const page = await context.newPage({ viewport: { width: 1280, height: 1000 } });
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && page.errors.push(m.text()));
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName("solvewasm-worker-ready").length > 0, null, { timeout: 30_000 });
  page.loadMs = performance.now() - t0;
  return page;
}

/** Runs the Solve form and returns window.__lastResult (x as an array). */
async function solve(page, { problem = "poisson2d", n, method, rtol = "1e-8" }) {
  await page.evaluate(() => (window.__lastResult = undefined));
  await page.click("#tab-solve");
  await page.selectOption("#solve-form select[name=problem]", problem);
  await page.fill("#solve-form input[name=n]", String(n));
  await page.selectOption("#solve-form select[name=method]", method);
  await page.fill("#solve-form input[name=rtol]", rtol);
  await page.click("#solve-run");
  await page.waitForFunction(() => window.__lastResult !== undefined, null, { timeout: 60_000 });
  return page.evaluate(() => ({ ...window.__lastResult, x: window.__lastResult.x && Array.from(window.__lastResult.x) }));
}

/** Every canvas in a section: its size, distinct colours and pixels near the first plot
 * series' colour (#2563eb), which only a drawn line or point has. */
function canvases(page, section) {
  return page.evaluate((id) => {
    return Array.from(document.querySelectorAll(`#${id} canvas`)).map((c) => {
      const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
      const colours = new Set();
      let series = 0;
      for (let i = 0; i < data.length; i += 4) {
        colours.add(((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]) + data[i + 3] * 2 ** 24);
        if (data[i + 3] > 128 && Math.abs(data[i] - 37) + Math.abs(data[i + 1] - 99) + Math.abs(data[i + 2] - 235) < 60) series++;
      }
      return { id: c.id || "uplot", width: c.width, height: c.height, colours: colours.size, series };
    });
  }, section);
}

/** Screenshot of a section, then its canvases must show drawn plots (and heat maps). */
async function shootAndCheck(page, section, { heat = [] } = {}) {
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${section}.png`), fullPage: true });
  const found = await canvases(page, section);
  const plots = found.filter((c) => c.id === "uplot");
  assert.ok(plots.length > 0, `${section}: no uPlot canvas`);
  for (const c of plots) assert.ok(c.series > 30, `${section}: a plot shows no series (${JSON.stringify(c)})`);
  for (const id of heat) {
    const c = found.find((x) => x.id === id);
    assert.ok(c && c.colours > 16, `${section}: #${id} is (nearly) one colour (${JSON.stringify(c)})`);
  }
}

/** x from a Matrix Market array file. */
function readArrayFile(text) {
  const lines = text.split("\n").filter((l) => l && !l.startsWith("%"));
  const [rows, cols] = lines[0].split(/\s+/).map(Number);
  assert.is(cols, 1);
  const x = lines.slice(1).map(Number);
  assert.is(x.length, rows);
  return x;
}

t("file://: a Solve run in the worker equals the library's own result in Node, x downloaded bit for bit", async () => {
  state.context = await state.browser.newContext({ acceptDownloads: true });
  const page = await open(state.context, pathToFileURL(join(site, "index.html")).href + "#solve");
  state.page = page;
  console.log(`app: file:// load to worker ready ${page.loadMs.toFixed(0)} ms`);
  assert.match(await page.textContent("#engine"), /simd build/);
  const r = await solve(page, { n: 64, method: "pcg-jacobi" });
  assert.ok(r.converged, JSON.stringify({ ...r, x: undefined }));
  // The same problem in Node: 2-D Poisson 64², b = 1, PCG-Jacobi, rtol 1e-8.
  const A = sw.gallery.poisson([64, 64]);
  const M = sw.precond.jacobi(A);
  const t0 = performance.now();
  const ref = sw.cg(A, new Float64Array(A.rows).fill(1), { rtol: 1e-8, M });
  const nodeMs = performance.now() - t0;
  M.dispose();
  A.dispose();
  assert.is(r.iterations, ref.iterations);
  assert.is(r.x.length, ref.x.length);
  assert.ok(
    r.x.every((v, i) => v === ref.x[i]),
    "x from the worker differs from Node's",
  );
  assert.ok(Math.abs(r.trueRelres - ref.residualNorm / 64) < 1e-15, `recomputed residual ${r.trueRelres} vs ${ref.residualNorm / 64}`);
  console.log(
    `app: 2-D Poisson 64² PCG-Jacobi to 1e-8: ${r.iterations} iterations, worker ${r.solveMs.toFixed(1)} ms (cgAsync with progress), Node cg ${nodeMs.toFixed(1)} ms`,
  );
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#solve-download")]);
  const x = readArrayFile(readFileSync(await download.path(), "utf8"));
  assert.ok(
    x.every((v, i) => v === ref.x[i]),
    "the downloaded x differs from Node's",
  );
  await shootAndCheck(page, "solve", { heat: ["solve-heat"] });
  assert.equal(page.errors, []);
});

t("file://: GMRES(30), BiCGSTAB and MINRES in the worker give Node's iterations and x", async () => {
  const page = state.page;
  const A = sw.gallery.poisson([32, 32]);
  const b = new Float64Array(A.rows).fill(1);
  for (const [method, ref] of [
    ["gmres", sw.gmres(A, b, { rtol: 1e-8, restart: 30 })],
    ["bicgstab", sw.bicgstab(A, b, { rtol: 1e-8 })],
    ["minres", sw.minres(A, b, { rtol: 1e-8 })],
  ]) {
    const r = await solve(page, { n: 32, method });
    assert.ok(r.converged, `${method}: ${JSON.stringify({ ...r, x: undefined })}`);
    assert.is(r.iterations, ref.iterations, method);
    assert.ok(
      r.x.every((v, i) => v === ref.x[i]),
      `${method}: x from the worker differs from Node's`,
    );
  }
  A.dispose();
});

t("file://: Cancel stops a long solve through its AbortSignal, the page stays responsive, the next solve works", async () => {
  const page = state.page;
  await page.click("#tab-solve");
  await page.selectOption("#solve-form select[name=problem]", "poisson2d");
  await page.fill("#solve-form input[name=n]", "1024");
  await page.selectOption("#solve-form select[name=method]", "cg");
  await page.fill("#solve-form input[name=rtol]", "1e-14");
  await page.evaluate(() => (window.__lastResult = undefined));
  await page.click("#solve-run");
  await page.waitForFunction(() => /^iteration \d+/.test(document.getElementById("solve-status").textContent), null, { timeout: 30_000 });
  // The main thread answers while the worker solves: a timer and a frame come promptly.
  const lag = await page.evaluate(async () => {
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - t0;
  });
  assert.ok(lag < 250, `the page's event loop lagged ${lag} ms during a solve`);
  await page.waitForTimeout(300);
  const t0 = performance.now();
  await page.click("#solve-cancel");
  await page.waitForFunction(() => window.__lastResult !== undefined, null, { timeout: 10_000 });
  const cancelMs = performance.now() - t0;
  const r = await page.evaluate(() => ({ ...window.__lastResult, x: undefined }));
  assert.is(r.reason, "aborted", `the solve ended by ${r.reason ?? r.error} instead of its AbortSignal`);
  assert.ok(r.iterations > 0 && r.iterations < 20_000, `aborted after ${r.iterations} iterations`);
  assert.match(await page.textContent("#solve-status"), /^cancelled after \d+ iterations/);
  console.log(
    `app: Cancel of 2-D Poisson 1024² CG to 1e-14 answered in ${cancelMs.toFixed(0)} ms (after ${r.iterations} iterations); event-loop lag while solving ${lag.toFixed(1)} ms`,
  );
  const next = await solve(page, { n: 64, method: "cg" });
  assert.ok(next.converged, "the solve after a cancel did not converge");
  assert.equal(page.errors, []);
});

t("file://: a .mtx file picked on the page is read by the worker's Matrix Market reader and solved as in Node", async () => {
  const page = state.page;
  const path = join(root, "test/fixtures/matrices/gr_30_30.mtx");
  await page.evaluate(() => (window.__lastResult = undefined));
  await page.click("#tab-solve");
  await page.selectOption("#solve-form select[name=problem]", "mtx");
  await page.setInputFiles("#solve-form input[name=file]", path);
  await page.selectOption("#solve-form select[name=method]", "pcg-ic0");
  await page.fill("#solve-form input[name=rtol]", "1e-10");
  await page.click("#solve-run");
  await page.waitForFunction(() => window.__lastResult !== undefined, null, { timeout: 30_000 });
  const r = await page.evaluate(() => ({ ...window.__lastResult, x: Array.from(window.__lastResult.x ?? []) }));
  const A = sw.CsrMatrix.fromMatrixMarket(readFileSync(path));
  const M = sw.precond.ic0(A);
  const ref = sw.cg(A, new Float64Array(A.rows).fill(1), { rtol: 1e-10, M });
  M.dispose();
  A.dispose();
  assert.ok(r.converged, JSON.stringify({ ...r, x: undefined }));
  assert.match(r.label, /^gr_30_30\.mtx \(900 × 900/);
  assert.is(r.iterations, ref.iterations);
  assert.ok(
    r.x.every((v, i) => v === ref.x[i]),
    "x from the worker differs from Node's",
  );
  assert.equal(page.errors, []);
});

t("file://: the worker's CG against Node's on 2-D Poisson 512² (measured)", async () => {
  const r = await solve(state.page, { n: 512, method: "cg" });
  const A = sw.gallery.poisson([512, 512]);
  const b = new Float64Array(A.rows).fill(1);
  sw.cg(A, b, { rtol: 1e-8 });
  const t0 = performance.now();
  const ref = sw.cg(A, b, { rtol: 1e-8 });
  const t1 = performance.now();
  await sw.cgAsync(A, b, { rtol: 1e-8 });
  const t2 = performance.now();
  A.dispose();
  assert.is(r.iterations, ref.iterations);
  console.log(
    `app: 2-D Poisson 512² CG to 1e-8: ${r.iterations} iterations; worker ${r.solveMs.toFixed(0)} ms (cgAsync with progress); Node cg ${(t1 - t0).toFixed(0)} ms, Node cgAsync ${(t2 - t1).toFixed(0)} ms`,
  );
});

t("file://: the Fluids section advances frames, each with a converged pressure solve", async () => {
  const page = state.page;
  await page.click("#tab-fluids");
  await page.selectOption("#fluids-form select[name=n]", "128");
  await page.selectOption("#fluids-form select[name=solver]", "gmg-pcg");
  await page.click("#fluids-start");
  if (!fluidsPresent) {
    await page.waitForFunction(() => document.getElementById("fluids-status").textContent.startsWith("Not available"), null, { timeout: 10_000 });
    console.log("app: SKIP the Fluids frames check: demo/app/fluids.js is absent (the section says it is not in this build)");
    return;
  }
  await page.waitForFunction(() => window.__fluidsFrames?.length >= 30 || /bad/.test(document.getElementById("fluids-status").className), null, {
    timeout: 60_000,
  });
  const frames = await page.evaluate(() => window.__fluidsFrames.slice());
  assert.ok(frames.length >= 30, `only ${frames.length} frames: ${await page.textContent("#fluids-status")}`);
  await shootAndCheck(page, "fluids", { heat: ["fluids-canvas"] });
  await page.click("#fluids-stop");
  frames.forEach((f, i) => {
    assert.is(f.frame, frames[0].frame + i, "frames are not consecutive");
    assert.ok(f.converged && f.relativeResidual <= 1e-6, `frame ${f.frame}: ${JSON.stringify(f)}`);
    assert.ok(f.divergenceAfter < 1e-3 * f.divergenceBefore, `frame ${f.frame} was not projected`);
  });
  const fps = await page.textContent("#fluids-stats");
  const solveMs = frames.map((f) => f.solveMs).sort((a, b) => a - b)[frames.length >> 1];
  console.log(
    `app: Fluids 128² GMG-PCG: ${frames.length} frames, median pressure solve ${solveMs.toFixed(1)} ms; ${fps.match(/frames per second([\d.]+)/)?.[1]} fps`,
  );
  assert.equal(page.errors, []);
});

t("file://: ω tuning, xVA and Elementary functions run in their workers and draw their plots", async () => {
  const page = state.page;
  const done = (id) => page.waitForFunction((s) => /\b(ok|bad)\b/.test(document.getElementById(s).className), id, { timeout: 60_000 });
  await page.click("#tab-tuning");
  await page.fill("#tuning-form input[name=T]", "60");
  await page.click("#tuning-run");
  await done("tuning-status");
  assert.match(await page.textContent("#tuning-status"), /^60 systems/);
  await shootAndCheck(page, "tuning");

  // xva.run is synchronous: Cancel ends the worker (after a grace period) and starts a new one.
  await page.click("#tab-xva");
  await page.fill("#xva-form input[name=paths]", "65536");
  await page.fill("#xva-form input[name=steps]", "100");
  await page.click("#xva-run");
  await page.waitForTimeout(300);
  await page.click("#xva-cancel");
  await page.waitForFunction(() => document.getElementById("xva-status").textContent.startsWith("cancelled"), null, { timeout: 10_000 });
  assert.match(await page.textContent("#xva-status"), /worker was restarted/);
  await page.fill("#xva-form input[name=steps]", "50");
  await page.fill("#xva-form input[name=paths]", "4096");
  await page.click("#xva-run");
  await done("xva-status");
  assert.match(await page.textContent("#xva-status"), /^done/);
  const table = await page.textContent("#xva-table");
  for (const name of ["CVA", "DVA", "MVA", "ColVA", "FVA"]) assert.ok(table.includes(name), `${name} missing from the xVA table`);
  await shootAndCheck(page, "xva");

  await page.click("#tab-elementary");
  await page.selectOption("#elementary-form select[name=fn]", "expf");
  await page.fill("#elementary-form input[name=count]", "4000");
  await page.click("#elementary-run");
  await done("elementary-status");
  const status = await page.textContent("#elementary-status");
  const max = Number(status.match(/max ([\d.]+) ULP/)?.[1]);
  assert.ok(max > 0 && max <= 1, `expf's max error ${status}`);
  await shootAndCheck(page, "elementary");
  assert.equal(page.errors, []);
  await state.context.close();
});

t("http://127.0.0.1: after the service worker takes control, the app reloads and solves offline", async () => {
  const types = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webmanifest": "application/manifest+json",
  };
  const server = (state.server = createServer((req, res) => {
    const path = join(site, new URL(req.url, "http://x").pathname.replace(/\/$/, "/index.html"));
    if (!path.startsWith(site) || !existsSync(path)) return res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(readFileSync(path));
  }));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await state.browser.newContext();
  const page = await open(context, `${origin}/`);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined, null, {
    timeout: 30_000,
  });
  const cached = await page.evaluate(async () => {
    const name = (await caches.keys()).find((k) => k.startsWith("solvewasm-app-"));
    return { name, paths: (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname) };
  });
  const files = readdirSync(site).filter((f) => f !== "sw.js");
  for (const f of files) assert.ok(cached.paths.includes(`/${f}`), `${f} is not precached (${cached.paths})`);
  assert.ok(cached.paths.includes("/"));
  // Installable: Chromium's own check of the manifest, icons and service worker.
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  // (Playwright's contexts are incognito ones, which Chromium never installs from: that one
  // error is the test browser's, not the app's.)
  assert.equal(
    installabilityErrors.filter((e) => e.errorId !== "in-incognito"),
    [],
    "Chromium says the app is not installable",
  );
  const { url: manifestUrl, errors: manifestErrors } = await cdp.send("Page.getAppManifest");
  assert.ok(manifestUrl.endsWith("/manifest.webmanifest"));
  assert.equal(manifestErrors, []);

  await context.setOffline(true);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  state.server = undefined;
  // Offline for real: what the cache lacks fails.
  const probe = await page.evaluate(() =>
    fetch(`/not-cached-${Math.random()}`).then(
      (r) => `status ${r.status}`,
      () => "failed",
    ),
  );
  assert.is(probe, "failed", "a request outside the cache still reached a network");
  page.errors.length = 0; // the probe's own "Failed to load resource"
  const t0 = performance.now();
  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName("solvewasm-worker-ready").length > 0, null, { timeout: 30_000 });
  const cachedMs = performance.now() - t0;
  const r = await solve(page, { n: 64, method: "pcg-jacobi" });
  assert.ok(r.converged, "the offline solve did not converge");
  assert.is(r.iterations, 119);
  assert.equal(page.errors, []);
  const sizes = files.map((f) => readFileSync(join(site, f)));
  const raw = sizes.reduce((s, b) => s + b.length, 0) + statSync(join(site, "sw.js")).size;
  const gz = sizes.reduce((s, b) => s + gzipSync(b, { level: 9 }).length, 0) + gzipSync(readFileSync(join(site, "sw.js")), { level: 9 }).length;
  console.log(
    `app: http load to worker ready: first visit ${page.loadMs.toFixed(0)} ms, offline reload from the service worker's cache ${cachedMs.toFixed(0)} ms; site ${(raw / 1024).toFixed(0)} KiB raw, ${(gz / 1024).toFixed(0)} KiB gzipped (${cached.name})`,
  );
  await context.close();
});

t.run();
