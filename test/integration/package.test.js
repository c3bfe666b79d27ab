// The newcomer's path: `npm pack`, the tarball installed in an empty project, then every
// README code block run there as written — js blocks as modules with Node (a block whose
// first line is `// name.cjs` is written under that name), ts blocks through
// `tsc --strict` with skipLibCheck off and through `deno check`, the html block in
// Chromium from file://, sh lines that call the `solvewasm` command. Also publint and
// arethetypeswrong on the tarball. (Install and build commands in sh blocks are not run.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = new URL("../..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules/.bin", name);

function run(cmd, args, cwd, options = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" }, ...options });
  return { code: r.status, out: r.stdout ?? "", err: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
}

/** The README's fenced code blocks: { lang, line, code }. */
export function readmeBlocks(text) {
  const blocks = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i + 1;
    while (++i < lines.length && !lines[i].startsWith("```"));
    blocks.push({ lang: open[1], line: start, code: lines.slice(start, i).join("\n") });
  }
  return blocks;
}

const project = mkdtempSync(join(tmpdir(), "solvewasm-newcomer-"));
const pack = run("npm", ["pack", "--json", "--pack-destination", project], root);
const tarball = pack.code === 0 ? join(project, JSON.parse(pack.out)[0].filename) : undefined;
writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "newcomer", private: true, type: "module" })}\n`);
const install = tarball ? run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], project) : pack;
const blocks = readmeBlocks(readFileSync(join(root, "README.md"), "utf8"));

test("npm pack and install the tarball into an empty project", () => {
  assert.is(pack.code, 0, pack.err);
  assert.is(install.code, 0, install.err);
});

test("publint finds no errors or warnings in the tarball", () => {
  const r = run(bin("publint"), ["--strict", tarball], root);
  assert.is(r.code, 0, r.out + r.err);
});

test("arethetypeswrong (ESM-only profile) finds no problem in the JavaScript entry points", () => {
  // The .wasm subpaths are assets and the IIFE a classic script; none is imported for types.
  const exclude = ["solvewasm.wasm", "solvewasm-scalar.wasm", "solvewasm-wasi.wasm", "compat.iife.js", "package.json"];
  const r = run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", "--exclude-entrypoints", ...exclude], root);
  assert.is(r.code, 0, r.out + r.err);
});

test("the README has the blocks this test runs", () => {
  const langs = new Set(blocks.map((b) => b.lang));
  for (const lang of ["js", "ts", "html", "sh"]) assert.ok(langs.has(lang), `no ${lang} block`);
  assert.ok(blocks.filter((b) => b.lang === "js").length >= 12);
});

for (const block of blocks.filter((b) => b.lang === "js")) {
  const name = /^\/\/ ([\w.-]+\.c?js)\n/.exec(block.code)?.[1] ?? `readme-${block.line}.mjs`;
  test(`README js block at line ${block.line} runs as written (${name})`, () => {
    writeFileSync(join(project, name), block.code);
    const r = run(process.execPath, [name], project);
    assert.is(r.code, 0, `README.md:${block.line}\n${r.err}`);
  });
}

for (const block of blocks.filter((b) => b.lang === "ts")) {
  test(`README ts block at line ${block.line} type-checks: tsc --strict (skipLibCheck false) and deno check`, () => {
    const file = `readme-${block.line}.ts`;
    writeFileSync(join(project, file), block.code);
    const tsconfig = { compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, target: "es2022", module: "nodenext", types: [] }, files: [file] };
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = run(bin("tsc"), ["-p", "tsconfig.json"], project);
    assert.is(tsc.code, 0, tsc.out + tsc.err);
    // Deno resolves the bare specifier through the project's node_modules.
    const deno = run(bin("deno"), ["check", "--node-modules-dir=manual", file], project);
    assert.is(deno.code, 0, deno.out + deno.err);
  });
}

test("a type error in user code is reported (the type checks above can fail)", () => {
  writeFileSync(join(project, "wrong.ts"), 'import { cg } from "solvewasm";\nconst n: string = cg;\n');
  const tsconfig = { compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, module: "nodenext" }, files: ["wrong.ts"] };
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify(tsconfig));
  assert.is.not(run(bin("tsc"), ["-p", "tsconfig.json"], project).code, 0);
  assert.is.not(run(bin("deno"), ["check", "--node-modules-dir=manual", "wrong.ts"], project).code, 0);
});

test("README sh lines that call the solvewasm command run", () => {
  const lines = blocks.filter((b) => b.lang === "sh").flatMap((b) => b.code.split("\n").filter((l) => /^npx solvewasm /.test(l)));
  assert.ok(lines.length >= 2, "the README shows the command");
  for (const line of lines) {
    const r = run("sh", ["-c", line], project);
    assert.is(r.code, 0, `${line}\n${r.err}`);
  }
});

test("npx solvewasm solve on a matrix the package ships: converged, JSON on stdout", () => {
  const r = run("npx", ["solvewasm", "solve", "node_modules/solvewasm/test/fixtures/matrices/bcsstk03.mtx", "--json", "--out", "x.mtx"], project);
  assert.is(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  assert.is(result.converged, true);
  assert.ok(result.relativeResidual <= 1e-8, String(result.relativeResidual));
  assert.ok(readFileSync(join(project, "x.mtx"), "utf8").startsWith("%%MatrixMarket matrix array real general"));
});

test("npx solvewasm report runs from the installed package (every file it needs is shipped)", () => {
  const r = run("npx", ["solvewasm", "report"], project);
  assert.is(r.code, 0, r.err);
  for (const section of ["Runtime", "Multigrid", "Learned operators", "xVA"]) assert.match(r.out, section);
});

test("require('solvewasm') fails in CommonJS, as the README says", () => {
  writeFileSync(join(project, "req.cjs"), 'require("solvewasm");\n');
  const r = run(process.execPath, ["req.cjs"], project);
  assert.is.not(r.code, 0);
  assert.match(r.err, /ERR_REQUIRE_(ASYNC_MODULE|ESM)/);
});

test("the README html block works opened from file:// in Chromium", async () => {
  const block = blocks.find((b) => b.lang === "html");
  writeFileSync(join(project, "page.html"), block.code);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const seen = [];
    page.on("pageerror", (e) => seen.push(`pageerror: ${e.message}`));
    page.on("console", (m) => seen.push(`console.${m.type()}: ${m.text()}`));
    await page.goto(`file://${join(project, "page.html")}`);
    // Generous: the IIFE carries the module and the shipped weights (1.3 MB) and a loaded CI
    // machine may take a while to compile it.
    await page
      .waitForFunction(() => document.body.textContent.includes("x·x"), null, { timeout: 90_000 })
      .catch((e) => {
        throw new Error(`${e.message}\n${seen.join("\n")}`);
      });
    assert.is(await page.evaluate(() => document.getElementById("out").textContent), "x·x = 14");
  } finally {
    await browser.close();
  }
});

test.run();
