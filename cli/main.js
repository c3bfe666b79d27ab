// The `solvewasm` command: parses the command line, runs one subcommand, and maps the
// outcome to an exit code — 0 converged (or done), 1 not converged, 2 bad input (one line
// on stderr, no stack trace). Subcommands live beside this file, one module each.
import { parseArgs } from "node:util";

export const EXIT = { ok: 0, notConverged: 1, badInput: 2 };

/** A mistake on the command line or in an input file: exit 2 with this message. */
export class UsageError extends Error {}

const USAGE = `usage: solvewasm <command> [options]

commands:
  solve A.mtx [--rhs b.mtx] [--x0 x0.mtx] [--method M] [--precond P] [--amg K]
              [--rtol R] [--atol A] [--maxiter N] [--out x.mtx] [--json]
      Solves A·x = b (b = ones without --rhs; A.mtx may be - for stdin).
      --method  auto (default) | cg | fcd | gmres | bicgstab | minres | sor | amg
      --precond auto (default) | none | jacobi | ssor | ic0 | ilu0 | ilut | chebyshev | amg
      --amg     aggregation (default) | classical: the kind of AMG
      x is written as a Matrix Market array to --out, or to stdout.
  info A.mtx [--json]    shape, nonzeros, symmetry, diagonal dominance, extreme
                         eigenvalue estimates and a suggested method
  xva config.json [--json]
                         the four-layer xVA pipeline (xva.run) on a JSON config
  report                 the solvewasm report (what \`npm start\` prints)

exit codes: 0 converged, 1 not converged, 2 bad input`;

const COMMANDS = {
  solve: {
    options: {
      rhs: { type: "string" },
      x0: { type: "string" },
      method: { type: "string", default: "auto" },
      precond: { type: "string", default: "auto" },
      amg: { type: "string", default: "aggregation" },
      rtol: { type: "string" },
      atol: { type: "string" },
      maxiter: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
    },
    operands: 1,
    load: () => import("./solve.js"),
  },
  info: { options: { json: { type: "boolean", default: false } }, operands: 1, load: () => import("./info.js") },
  xva: { options: { json: { type: "boolean", default: false } }, operands: 1, load: () => import("./xva.js") },
  report: { options: {}, operands: 0, load: () => import("./report.js") },
};

/**
 * Runs the command line `argv` (without node and the script); returns the exit code.
 * `io` carries stdin/stdout/stderr so that tests can drive it in-process.
 */
export async function main(argv, io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }) {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout).write(`${USAGE}\n`);
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(", ")}; --help for usage)`);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${name}: ${e.message}`);
    }
    if (parsed.positionals.length !== command.operands) {
      throw new UsageError(`${name} takes ${command.operands === 0 ? "no file" : "one file"}, got ${parsed.positionals.length ? parsed.positionals.join(" ") : "none"} (--help for usage)`);
    }
    const { run } = await command.load();
    return await run(parsed.positionals, parsed.values, io);
  } catch (e) {
    // Bad input of every kind (a flag, a file, a matrix the library refuses) is exit 2 with
    // one line; anything else is a bug worth its stack trace.
    if (e instanceof UsageError || e?.name === "SolvewasmError") {
      io.stderr.write(`solvewasm ${name}: ${e.code ? `${e.code}: ` : ""}${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}
