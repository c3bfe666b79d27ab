// The offline browser app (demo/app/ → dist/app/): a static site of classic scripts that
// works opened from file:// and, served over http(s), installs as an offline app.
//   index.html, app.css (uPlot's stylesheet + demo/app/style.css)
//   app.js     the page (IIFE: uPlot, the sections, and the worker's source as one string:
//              dist/solvewasm.iife.js, wasm inlined, followed by demo/app/worker/ bundled)
//   sw.js      the service worker, precaching every file above under a cache named by
//              their content hash; manifest.webmanifest; icon.svg, icon-192.png, icon-512.png
// Called by scripts/build.mjs after the library bundles; `node scripts/build-app.mjs` alone
// rebuilds the site from an existing dist/.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const src = join(root, "demo/app");
const out = join(root, "dist/app");

// "solvewasm" inside the worker is the global the IIFE build defines (it runs first).
const globalSolvewasm = {
  name: "global-solvewasm",
  setup(build) {
    build.onResolve({ filter: /^solvewasm$/ }, () => ({ path: "solvewasm", namespace: "global" }));
    build.onLoad({ filter: /.*/, namespace: "global" }, () => ({ contents: "module.exports = self.solvewasm;", loader: "js" }));
  },
};
// demo/app/fluids.js (the smoke simulation) comes from its own branch; until it is merged the
// worker answers the Fluids section with this error instead of failing the build.
const missingFluids = {
  name: "missing-fluids",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/fluids\.js$/ }, (args) => {
      if (!args.importer.includes("/worker/") || existsSync(join(src, "fluids.js"))) return undefined;
      return { path: "fluids.js", namespace: "missing" };
    });
    build.onLoad({ filter: /.*/, namespace: "missing" }, () => ({
      contents:
        'export function createSmoke() { throw Object.assign(new Error("the smoke simulation (demo/app/fluids.js) is not in this build"), { code: "MISSING" }); }',
      loader: "js",
    }));
  },
};

const common = { bundle: true, format: "iife", platform: "browser", target: "es2022", logLevel: "warning", absWorkingDir: root, write: false };

/** A PNG (8-bit RGBA, no filter) from a pixel function, with node:zlib. */
function png(size, pixel) {
  const raw = Buffer.alloc(size * (4 * size + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (4 * size + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x / size, y / size), y * (4 * size + 1) + 1 + 4 * x);
  }
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// The icon: a residual history falling across a dark tile (the same drawing as SVG and PNG).
const CURVE = [
  [0.16, 0.22],
  [0.3, 0.3],
  [0.42, 0.46],
  [0.56, 0.56],
  [0.68, 0.7],
  [0.84, 0.8],
];
const iconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1e3a8a"/><stop offset="1" stop-color="#0f766e"/></linearGradient></defs><rect width="1" height="1" rx="0.18" fill="url(#g)"/><polyline points="${CURVE.map((p) => p.join(",")).join(" ")}" fill="none" stroke="#fde047" stroke-width="0.07" stroke-linecap="round" stroke-linejoin="round"/></svg>\n`;
function iconPixel(u, v) {
  // rounded corners (transparent outside), gradient, the curve as a thick polyline
  const r = 0.18,
    cx = Math.min(Math.max(u, r), 1 - r),
    cy = Math.min(Math.max(v, r), 1 - r);
  if ((u - cx) ** 2 + (v - cy) ** 2 > r * r) return [0, 0, 0, 0];
  const t = (u + v) / 2;
  let px = [30 + (15 - 30) * t, 58 + (118 - 58) * t, 138 + (110 - 138) * t];
  let d = Infinity;
  for (let i = 1; i < CURVE.length; i++) {
    const [ax, ay] = CURVE[i - 1],
      [bx, by] = CURVE[i];
    const s = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    d = Math.min(d, Math.hypot(u - ax - s * (bx - ax), v - ay - s * (by - ay)));
  }
  const a = Math.max(0, Math.min(1, (0.035 - d) * 200 + 0.5));
  px = px.map((c, k) => c + ([253, 224, 71][k] - c) * a);
  return [...px.map(Math.round), 255];
}

export async function buildApp() {
  const t0 = performance.now();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const library = readFileSync(join(root, "dist/solvewasm.iife.js"), "utf8");
  const worker = await esbuild.build({ ...common, entryPoints: [join(src, "worker/index.js")], minify: true, plugins: [globalSolvewasm, missingFluids] });
  const workerSource = `${library}\n;${worker.outputFiles[0].text}`;
  const page = await esbuild.build({
    ...common,
    entryPoints: [join(src, "main.js")],
    minify: true,
    plugins: [
      {
        name: "worker-source",
        setup(build) {
          build.onResolve({ filter: /^virtual:worker-source$/ }, () => ({ path: "worker-source", namespace: "virtual" }));
          build.onLoad({ filter: /.*/, namespace: "virtual" }, () => ({ contents: `export default ${JSON.stringify(workerSource)};`, loader: "js" }));
        },
      },
    ],
  });
  const files = {
    "index.html": readFileSync(join(src, "index.html"), "utf8"),
    "app.css": readFileSync(join(root, "node_modules/uplot/dist/uPlot.min.css"), "utf8") + "\n" + readFileSync(join(src, "style.css"), "utf8"),
    "app.js": page.outputFiles[0].text,
    "icon.svg": iconSvg,
    "icon-192.png": png(192, iconPixel),
    "icon-512.png": png(512, iconPixel),
    "manifest.webmanifest": `${JSON.stringify(
      {
        name: "solvewasm — numerical solvers in WebAssembly",
        short_name: "solvewasm",
        description: "Sparse linear solvers, multigrid, a smoke simulation, ω tuning, xVA and elementary functions, offline.",
        start_url: "./index.html",
        scope: "./",
        display: "standalone",
        background_color: "#0b1220",
        theme_color: "#1e3a8a",
        icons: [
          { src: "icon.svg", sizes: "any", type: "image/svg+xml" },
          { src: "icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icon-512.png", sizes: "512x512", type: "image/png", purpose: "any maskable" },
        ],
      },
      null,
      2,
    )}\n`,
  };
  const hash = createHash("sha256");
  for (const [name, body] of Object.entries(files)) hash.update(name).update("\0").update(body);
  const version = hash.digest("hex").slice(0, 12);
  const precache = ["./", ...Object.keys(files)];
  files["sw.js"] = readFileSync(join(src, "sw.js"), "utf8")
    .replace('"__CACHE__"', JSON.stringify(`solvewasm-app-${version}`))
    .replace('["__FILES__"]', JSON.stringify(precache));
  if (!files["sw.js"].includes(version)) throw new Error("demo/app/sw.js lacks its placeholders");
  files["index.html"] = files["index.html"].replaceAll("__VERSION__", version);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(out, name), body);
  const bytes = Object.values(files).reduce((s, b) => s + Buffer.byteLength(b), 0);
  console.error(`built dist/app/ (${(bytes / 2 ** 20).toFixed(2)} MiB, cache ${version}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { version, files: Object.keys(files) };
}

if (import.meta.url === `file://${process.argv[1]}`) await buildApp();
