// npm run bench -- <suite> [...]: runs bench/<suite>.bench.js; JSON lines on stdout.
// With no suite it lists them. ALIASES are other names of a suite (the one it had before).
import { readdirSync } from "node:fs";

const suites = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".bench.js"))
  .map((f) => f.slice(0, -".bench.js".length));
const ALIASES = { mg: "multigrid" };
const wanted = process.argv.slice(2).map((s) => ALIASES[s] ?? s);
if (wanted.length === 0 || wanted.some((s) => !suites.includes(s))) {
  console.error(
    `usage: npm run bench -- <suite>...   suites: ${suites.join(", ")} (aliases: ${Object.entries(ALIASES)
      .map(([a, s]) => `${a} = ${s}`)
      .join(", ")})`,
  );
  process.exit(wanted.length === 0 ? 0 : 2);
}
for (const suite of wanted) {
  const { run } = await import(`./${suite}.bench.js`);
  await run();
}
