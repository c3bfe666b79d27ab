// `solvewasm report`: the report `npm start` prints (demo/report.js, shipped in the package).
import { EXIT } from "./main.js";

/** Runs the subcommand; resolves to the exit code. */
export async function run() {
  await import("../demo/report.js");
  return EXIT.ok;
}
