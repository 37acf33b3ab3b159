/**
 * Typechecks a generated program against the built SDK (`node_modules/routerstack`, from `npm run prepare`), the
 * way a user's project sees it: the file is written under the repository's node_modules so `routerstack` and
 * `@pulumi/pulumi` resolve as they would for an installed package.
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

const REPO = path.resolve(__dirname, "../../..");

/** TypeScript's diagnostics for `program` as text lines; [] when it typechecks. */
export function typecheckProgram(program: string): string[] {
  const dir = fs.mkdtempSync(path.join(REPO, "node_modules", ".rs-import-check-"));
  const file = path.join(dir, "index.ts");
  try {
    fs.writeFileSync(file, program);
    const p = ts.createProgram([file], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.join(REPO, "node_modules", "@types")],
    });
    return ts.getPreEmitDiagnostics(p).map((d) => {
      const where =
        d.file && d.start !== undefined
          ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
          : "";
      return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
