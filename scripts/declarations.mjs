// Finishes dist/types after tsc: ships the compiler's raw-bindings declarations (so that
// `raw()`'s Exports is typed, not `any`), and gives each top-level export of index.d.ts
// its own declaration carrying the JSDoc of the Solvewasm member it is (tsc writes
// `export const { cg, … } = api` as one declaration of every name, with no comments).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

/** Rewrites `root`/dist/types; throws with the reason when index.d.ts is not as expected. */
export function finishDeclarations(root) {
  const types = join(root, "dist/types");
  mkdirSync(join(types, "generated"), { recursive: true });
  copyFileSync(join(root, "bindings/generated/solvewasm.d.ts"), join(types, "generated/solvewasm.d.ts"));

  const docs = memberDocs(join(root, "bindings/api.ts"));
  const indexPath = join(types, "index.d.ts");
  const text = readFileSync(indexPath, "utf8");
  const file = ts.createSourceFile(indexPath, text, ts.ScriptTarget.ES2022, true);
  // tsc prints the destructuring as one statement declaring every name, with no comments.
  const statement = file.statements.find((s) => ts.isVariableStatement(s) && s.declarationList.declarations.length > 1);
  if (!statement) throw new Error("dist/types/index.d.ts has no multi-name export (from `export const { … } = api`) to split");
  const printed = statement.declarationList.declarations.map((d) => {
    const name = d.name.getText(file);
    if (!d.type) throw new Error(`dist/types/index.d.ts: ${name} has no type`);
    const doc = docs.get(name);
    if (!doc) throw new Error(`bindings/api.ts: Solvewasm.${name} (a top-level export) has no JSDoc`);
    return `${doc}\nexport declare const ${name}: ${d.type.getText(file)};`;
  });
  writeFileSync(indexPath, text.slice(0, statement.getStart(file)) + printed.join("\n") + text.slice(statement.getEnd()));
  denoCopy(types, join(root, "dist/deno-types"));
}

/** Deno does not map an import of "./x.js" to "./x.d.ts" inside declaration files, so its
 * copy (named by dist/entry.deno.js's @ts-self-types) imports the .d.ts files directly. */
function denoCopy(from, to) {
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, relative(from, source));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(source, "utf8").replace(/((?:from |import\()")(\.{1,2}\/[^"]*)\.js"/g, '$1$2.d.ts"'));
  }
}

/** Each property of the Solvewasm interface (inherited ones included) → its JSDoc text. */
function memberDocs(apiPath) {
  const program = ts.createProgram([apiPath], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(apiPath);
  const decl = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === "Solvewasm");
  const docs = new Map();
  for (const symbol of checker.getTypeAtLocation(decl).getProperties()) {
    for (const d of symbol.declarations ?? []) {
      const sf = d.getSourceFile();
      const ranges = ts.getLeadingCommentRanges(sf.text, d.getFullStart()) ?? [];
      const jsdoc = ranges.filter((r) => sf.text.startsWith("/**", r.pos)).at(-1);
      if (jsdoc) docs.set(symbol.name, sf.text.slice(jsdoc.pos, jsdoc.end).replace(/^\s+\*/gm, " *"));
    }
  }
  return docs;
}
