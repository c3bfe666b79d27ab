// The edge-function recipes of examples/, run as their READMEs say: each example folder is
// copied into a temporary app whose node_modules/solvewasm is the packed package, then
// the README's own command starts it (`npx wrangler dev …` for the Worker, after
// `npx wrangler deploy --dry-run …`; `deno run … server.js` for Deno) on a free port of
// 127.0.0.1. Each gets the same requests: real matrices, whose answers are checked
// against a plain-JS residual, a non-converging solve, and bad bodies.
import { readFileSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { bin, documentedCommand, freePort, makeApp, matrixPath, readMtx, relativeResidual, root, run, startServer } from "./_apps.js";

// Wrangler without telemetry, and without fetching the `Request.cf` placeholder from
// Cloudflare (miniflare skips that under NODE_ENV=test): this machine reaches no host but 127.0.0.1.
const wranglerEnv = { WRANGLER_SEND_METRICS: "false", NODE_ENV: "test" };
const timings = {};

/** POSTs `body` to `base` + `query`; returns { status, json }. */
async function post(base, query, body, init = {}) {
  const response = await fetch(base + query, { method: "POST", body, signal: AbortSignal.timeout(30_000), ...init });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    assert.unreachable(`not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, json, type: response.headers.get("content-type") };
}

const mtx = (name) => readFileSync(matrixPath(name), "utf8");

/** b as SciPy's mmwrite writes a vector: an n × 1 `array` file. */
function vectorMtx(b) {
  return `%%MatrixMarket matrix array real general\n% b\n${b.length} 1\n${Array.from(b, (v) => v.toPrecision(17)).join("\n")}\n`;
}

/** The requests every recipe must answer the same way; `base()` is its origin. */
function requests(test, base) {
  const solved = async (name, query, { b } = {}) => {
    const text = mtx(name);
    const body = b ? text + vectorMtx(b) : text;
    const { status, json, type } = await post(base(), query, body);
    assert.is(status, 200, JSON.stringify(json));
    assert.match(type, /^application\/json/);
    const A = readMtx(text);
    const rhs = b ?? new Float64Array(A.rows).fill(1);
    assert.is(json.n, A.rows);
    assert.is(json.nnz, A.entries.length);
    assert.is(json.x.length, A.rows);
    const residual = relativeResidual(A, json.x, rhs);
    assert.ok(Math.abs(residual - json.relativeResidual) <= 1e-6 * residual + 1e-300, `reported ${json.relativeResidual}, recomputed ${residual}`);
    return { json, residual };
  };

  test("bcsstk01 with IC(0): converged, and the plain-JS residual agrees", async () => {
    const { json, residual } = await solved("bcsstk01.mtx", "/?rtol=1e-8&method=ic0&x=1");
    assert.ok(json.converged, JSON.stringify(json));
    assert.is(json.method, "ic0");
    assert.ok(residual <= 1e-8 * (1 + 1e-6), `‖b − A·x‖/‖b‖ = ${residual}`);
    assert.type(json.ms, "number");
  });

  test("494_bus with Jacobi and gr_30_30 (integer) with plain CG", async () => {
    for (const [name, query] of [
      ["494_bus.mtx", "/?rtol=1e-6&method=jacobi&x=1"],
      ["gr_30_30.mtx", "/?rtol=1e-10&x=1"],
    ]) {
      const { json, residual } = await solved(name, query);
      assert.ok(json.converged, `${name}: ${JSON.stringify({ ...json, x: undefined })}`);
      assert.ok(residual <= Number(new URLSearchParams(query.slice(1)).get("rtol")) * (1 + 1e-6), `${name}: ${residual}`);
    }
  });

  test("b as a second Matrix Market file in the body (nos4, SSOR)", async () => {
    const b = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i + 1));
    const { json, residual } = await solved("nos4.mtx", "/?rtol=1e-9&method=ssor&x=1", { b });
    assert.ok(json.converged, JSON.stringify({ ...json, x: undefined }));
    assert.ok(residual <= 1e-9 * (1 + 1e-6), `${residual}`);
  });

  test("no x unless x=1", async () => {
    const { status, json } = await post(base(), "/", mtx("bcsstk01.mtx"));
    assert.is(status, 200);
    assert.is(json.x, undefined);
    assert.is(json.converged, true);
  });

  test("not converging is a 200 with converged false", async () => {
    const { status, json } = await post(base(), "/?maxiter=3", mtx("nos4.mtx"));
    assert.is(status, 200);
    assert.is(json.converged, false);
    assert.is(json.reason, "maxiter");
    assert.is(json.iterations, 3);
    assert.ok(json.relativeResidual > 1e-5);
    assert.match(json.message, /maxiter/);
  });

  test("bad input is a 400 with the SolvewasmError code", async () => {
    const cases = [
      ["/", "garbage", "PARSE_ERROR", /line 1/],
      ["/", "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1.0\n", "PARSE_ERROR", /line 3/],
      ["/", "", "PARSE_ERROR", /./],
      ["/?rtoll=1e-8", mtx("bcsstk01.mtx"), "INVALID_OPTION", /rtoll/],
      ["/?rtol=-1", mtx("bcsstk01.mtx"), "INVALID_OPTION", /rtol/],
      ["/?rtol=", mtx("bcsstk01.mtx"), "INVALID_OPTION", /rtol/],
      ["/?maxiter=2.5", mtx("bcsstk01.mtx"), "INVALID_OPTION", /maxiter/],
      ["/?maxiter=1000000", mtx("bcsstk01.mtx"), "INVALID_OPTION", /at most/],
      ["/?method=lu", mtx("bcsstk01.mtx"), "INVALID_OPTION", /method/],
      ["/", mtx("bcsstk01.mtx") + vectorMtx(new Float64Array(3)), "DIMENSION_MISMATCH", /48 × 1/],
      ["/", "%%MatrixMarket matrix coordinate real general\n2 3 1\n1 1 1.0\n", "DIMENSION_MISMATCH", /square/],
    ];
    for (const [query, body, code, pattern] of cases) {
      const { status, json } = await post(base(), query, body);
      assert.is(status, 400, `${query} ${body.slice(0, 40)}: ${JSON.stringify(json)}`);
      assert.is(json.error.code, code, json.error.message);
      assert.match(json.error.message, pattern);
    }
  });

  test("a matrix past the memory ceiling is a 413 OUT_OF_MEMORY, and the next request works", async () => {
    const r = await post(base(), "/", "%%MatrixMarket matrix coordinate real general\n50000000 50000000 1\n1 1 1.0\n");
    assert.is(r.status, 413, JSON.stringify(r.json));
    assert.is(r.json.error.code, "OUT_OF_MEMORY");
    const after = await post(base(), "/", mtx("bcsstk01.mtx"));
    assert.is(after.json.converged, true);
  });

  test("anything but POST is a 405", async () => {
    const response = await fetch(base() + "/", { signal: AbortSignal.timeout(30_000) });
    assert.is(response.status, 405);
    assert.is((await response.json()).error.code, "METHOD_NOT_ALLOWED");
  });
}

/** Times one cold request (the first after start) of bcsstk01. */
async function firstRequest(name, base, server) {
  const t0 = performance.now();
  const { status } = await post(base, "/", mtx("bcsstk01.mtx"));
  timings[name] = { readyMs: Math.round(server.startMs), firstRequestMs: Math.round(performance.now() - t0) };
  assert.is(status, 200);
}

{
  const readme = join(root, "examples/cloudflare-worker/README.md");
  const worker = suite("examples/cloudflare-worker (wrangler)");
  let app, server, base;
  worker.before(async () => {
    app = makeApp({ from: "examples/cloudflare-worker" });
    const port = await freePort();
    const [npx, cmd, ...args] = documentedCommand(readme, "npx wrangler dev");
    assert.is(npx + cmd, "npxwrangler");
    const at = args.indexOf("--port");
    args[at + 1] = String(port);
    server = await startServer(bin("wrangler"), args, { cwd: app, env: wranglerEnv, ready: /Ready on (http:\/\/127\.0\.0\.1:\d+)/ });
    base = server.match;
    await firstRequest("wrangler dev", base, server);
  });
  worker.after(() => server?.stop());

  worker("the wrangler.toml and package.json a user copies", () => {
    const toml = readFileSync(join(app, "wrangler.toml"), "utf8");
    assert.match(toml, /^main = "worker\.js"$/m);
    assert.not.match(toml, /\[\[rules\]\]|CompiledWasm/, "the .wasm needs no module rule: wrangler's defaults cover it");
    const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    assert.ok(pkg.dependencies.solvewasm, "depends on solvewasm");
    assert.is(
      readFileSync(join(root, "examples/cloudflare-worker/solve.js"), "utf8"),
      readFileSync(join(root, "examples/deno-serve/solve.js"), "utf8"),
      "the Deno example's solve.js is a copy",
    );
  });

  worker("`npx wrangler deploy --dry-run --outdir dist` uploads the worker and the SIMD .wasm as a module", () => {
    const [, , ...args] = documentedCommand(readme, "npx wrangler deploy --dry-run");
    const out = run(bin("wrangler"), args, { cwd: app, env: wranglerEnv });
    assert.match(out, /--dry-run: exiting now/);
    const files = readdirSync(join(app, "dist"));
    const wasm = files.filter((f) => f.endsWith(".wasm"));
    assert.is(wasm.length, 1, files.join(", "));
    assert.match(wasm[0], /solvewasm\.wasm$/);
    const bundle = readFileSync(join(app, "dist/worker.js"), "utf8");
    assert.ok(bundle.includes(`from "./${wasm[0]}"`), "the bundle imports the .wasm as a module");
    assert.not.match(bundle, /\bimport\(\s*[^"'`\s]/, "no dynamic import with a computed specifier");
  });

  requests(worker, () => base);
  worker.run();

  // The modules `wrangler deploy --dry-run` wrote, served by the README's serve-dist.mjs.
  const deployed = suite("examples/cloudflare-worker (deployed bundle in workerd, serve-dist.mjs)");
  let served;
  deployed.before(async () => {
    const toml = readFileSync(join(app, "wrangler.toml"), "utf8");
    const script = readFileSync(join(app, "serve-dist.mjs"), "utf8");
    assert.is(/compatibilityDate: "([^"]+)"/.exec(script)[1], /^compatibility_date = "([^"]+)"$/m.exec(toml)[1]);
    const [, , ...dryRun] = documentedCommand(readme, "npx wrangler deploy --dry-run");
    run(bin("wrangler"), dryRun, { cwd: app, env: wranglerEnv });
    const [env, node, file] = documentedCommand(readme, "PORT=");
    assert.match(env, /^PORT=\d+$/);
    assert.is(`${node} ${file}`, "node serve-dist.mjs");
    symlinkSync(join(root, "node_modules/miniflare"), join(app, "node_modules/miniflare"));
    const port = await freePort();
    served = await startServer(process.execPath, [file], {
      cwd: app,
      env: { ...wranglerEnv, PORT: String(port) },
      ready: /Ready on (http:\/\/127\.0\.0\.1:\d+)/,
    });
    await firstRequest("workerd (deployed bundle)", served.match, served);
  });
  deployed.after(() => served?.stop());
  requests(deployed, () => served.match);
  deployed.run();
}

{
  const readme = join(root, "examples/deno-serve/README.md");
  const deno = suite("examples/deno-serve (Deno.serve)");
  let server, base;
  deno.before(async () => {
    const app = makeApp({ from: "examples/deno-serve" });
    const [cmd, ...args] = documentedCommand(readme, "deno run");
    assert.is(cmd, "deno");
    assert.is(args.at(-2), "server.js");
    args[args.length - 1] = "0"; // the README's port, 8000, may be taken here: 0 picks a free one
    server = await startServer(bin("deno"), args, { cwd: app, env: { DENO_NO_UPDATE_CHECK: "1" }, ready: /Listening on (http:\/\/127\.0\.0\.1:\d+)/ });
    base = server.match;
    await firstRequest("deno", base, server);
  });
  deno.after(() => server?.stop());

  deno("without --allow-read the entry says which file it needs", () => {
    const app = makeApp({ from: "examples/deno-serve" });
    let message = "";
    try {
      run(bin("deno"), ["run", "--allow-net=127.0.0.1", "server.js", "0"], { cwd: app, env: { DENO_NO_UPDATE_CHECK: "1" } });
    } catch (e) {
      message = e.message;
    }
    assert.match(message, /read access to .*node_modules\/solvewasm\/dist\/solvewasm\.wasm/);
  });

  requests(deno, () => base);
  deno.after(() => console.log(`  edge timings (ms): ${JSON.stringify(timings)}`));
  deno.run();
}

{
  // The body limits, on the handler itself (solve.js under Node, from the same temporary
  // app): over HTTP an answer sent before the body is read races the client's upload.
  const limits = suite("examples: solve.js body limits (in process)");
  let handle, MAX_BODY_BYTES;
  limits.before(async () => {
    const app = makeApp({ from: "examples/deno-serve" });
    ({ handle, MAX_BODY_BYTES } = await import(pathToFileURL(join(app, "solve.js")).href));
  });
  const spaces = (n) => new Uint8Array(n).fill(0x20);
  const answer = async (init) => {
    const response = await handle(new Request("http://localhost/", { method: "POST", ...init }));
    return { status: response.status, json: await response.json() };
  };

  limits("a declared content-length over the limit is refused unread", async () => {
    let pulled = 0;
    const body = new ReadableStream({ pull: (c) => (pulled++, c.enqueue(spaces(1024))) });
    const r = await answer({ body, duplex: "half", headers: { "content-length": String(MAX_BODY_BYTES + 1) } });
    assert.is(r.status, 413);
    assert.is(r.json.error.code, "BODY_TOO_LARGE");
    assert.ok(pulled <= 1, `read ${pulled} chunks`);
  });

  limits("a streamed body is counted while read: refused past the limit, accepted at it", async () => {
    const stream = (total, chunk) => {
      let left = total;
      return new ReadableStream({
        pull(c) {
          if (left <= 0) return c.close();
          const n = Math.min(chunk, left);
          left -= n;
          c.enqueue(spaces(n));
        },
      });
    };
    let r = await answer({ body: stream(MAX_BODY_BYTES + 1, 65536), duplex: "half" });
    assert.is(r.status, 413);
    assert.is(r.json.error.code, "BODY_TOO_LARGE");
    // exactly at the limit it is read (and then refused as a Matrix Market file)
    r = await answer({ body: stream(MAX_BODY_BYTES, 65536), duplex: "half" });
    assert.is(r.status, 400);
    assert.is(r.json.error.code, "PARSE_ERROR");
  });
  limits.run();
}
