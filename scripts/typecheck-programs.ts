/**
 * Type-checks every Pulumi program in the repository the way the Pulumi CLI's Node.js language host would run it:
 * `@pulumi/pulumi`'s `cmd/run` registers ts-node with type-checking on (the default unless the program's tsconfig
 * sets `noCheck` or PULUMI_NODEJS_TRANSPILE_ONLY=true), with the `typescript` and `ts-node` that resolve from the
 * program's own `@pulumi/pulumi` (falling back to the copies vendored inside it: ts-node 7.0.1, TypeScript 3.8.3),
 * with the program's tsconfig.json when it has one and otherwise ts-node's defaults, and with target ES2020,
 * module/moduleResolution nodenext unless the tsconfig says otherwise (@pulumi/pulumi `cmd/run/run.js` and
 * `tsutils.js`, 3.270). ts-node checks each file as it is required, so this compiles the program's entry point and
 * every local file it imports, without running anything.
 *
 * A program is a directory with a Pulumi.yaml whose runtime is nodejs with `typescript` not turned off; its
 * entry point is Pulumi.yaml's `main`, else package.json's `main`, else index.ts.
 *
 * Usage: `ts-node --transpile-only scripts/typecheck-programs.ts [dir ...]` (default: every program in the
 * repository). Exits 1 naming each file and error when any program does not type-check.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
/** Programs written with a type error on purpose (the test engine's proof that programs are type-checked): they must fail. */
const MUST_FAIL = new Set(["tests/engine/fixtures/typed"]);
const SKIP_DIRS = new Set(["node_modules", "dist", ".git", ".lab", ".engine-state", "scratch"]);

interface Program {
  dir: string;
  main: string;
}

/** The few Pulumi.yaml keys needed here, read line by line (top-level `main:`, runtime `typescript:`). */
function readProject(dir: string): { nodejs: boolean; typescript: boolean; main?: string } {
  const text = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
  const runtime = /^runtime:\s*(\S+)?\s*$/m.exec(text);
  const runtimeName = runtime?.[1] ?? /^runtime:\s*\n\s+name:\s*(\S+)/m.exec(text)?.[1];
  const tsOff = /^\s+typescript:\s*false\s*$/m.test(text);
  const main = /^main:\s*(\S+)\s*$/m.exec(text)?.[1];
  return { nodejs: runtimeName === "nodejs", typescript: !tsOff, main };
}

function findPrograms(dir: string, out: Program[]): void {
  if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
    const p = readProject(dir);
    if (p.nodejs && p.typescript) {
      const pkgFile = path.join(dir, "package.json");
      const pkgMain = fs.existsSync(pkgFile)
        ? (JSON.parse(fs.readFileSync(pkgFile, "utf8")).main as string | undefined)
        : undefined;
      out.push({ dir, main: path.resolve(dir, p.main ?? pkgMain ?? "index.ts") });
    }
  }
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) findPrograms(path.join(dir, e.name), out);
  }
}

/** The program's entry point and the local .ts files it imports, transitively (what ts-node would compile). */
function localFiles(ts: typeof import("typescript"), main: string): string[] {
  const seen = new Set<string>();
  const queue = [main];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles) {
      if (!imp.fileName.startsWith(".")) continue;
      const base = path.resolve(path.dirname(file), imp.fileName);
      const hit = [base, `${base}.ts`, path.join(base, "index.ts")].find((f) => f.endsWith(".ts") && fs.existsSync(f));
      if (hit && !hit.includes(`${path.sep}node_modules${path.sep}`)) queue.push(hit);
    }
  }
  return [...seen];
}

function checkProgram(prog: Program): string[] {
  // What cmd/run does, from the program's directory (it chdirs there before loading ts-node).
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [prog.dir] }));
  const fromPulumi = (id: string, vendored: string): string => {
    try {
      return require.resolve(id, { paths: [pulumiDir] });
    } catch {
      return path.join(pulumiDir, "vendor", vendored);
    }
  };
  const typescriptPath = fromPulumi("typescript", "typescript@3.8.3/typescript.js");
  const tsnodePath = fromPulumi("ts-node", "ts-node@7.0.1");
  // The program's copies, found at run time as cmd/run finds them: not this repository's.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const ts = require(typescriptPath) as typeof import("typescript");
  const tsnode = require(tsnodePath) as typeof import("ts-node");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const tsconfig = path.join(prog.dir, "tsconfig.json");
  const hasTsconfig = fs.existsSync(tsconfig);
  const own = hasTsconfig
    ? ((ts.readConfigFile(tsconfig, ts.sys.readFile).config?.compilerOptions ?? {}) as Record<string, unknown>)
    : {};
  const nodeNext = Number(ts.version.split(".")[0]) * 100 + Number(ts.version.split(".")[1]) >= 407;
  const service = tsnode.create({
    compiler: typescriptPath,
    transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY
      ? process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true"
      : (own.noCheck as boolean | undefined),
    project: tsconfig,
    skipProject: !hasTsconfig,
    cwd: prog.dir,
    compilerOptions: {
      target: "ES2020",
      module: nodeNext ? "nodenext" : "commonjs",
      moduleResolution: nodeNext ? "nodenext" : "node",
      sourceMap: "true",
      ...own,
    },
  });
  const errors: string[] = [];
  const files = localFiles(ts, prog.main);
  for (const file of files) {
    try {
      service.compile(fs.readFileSync(file, "utf8"), file);
    } catch (e) {
      const text = (e as { diagnosticText?: string }).diagnosticText ?? (e as Error).message;
      errors.push(`${path.relative(ROOT, prog.dir) || "."}: ${text}`);
    }
  }
  const rel = path.relative(ROOT, prog.dir) || ".";
  process.stdout.write(
    `${rel}: ${files.length} file(s), typescript ${ts.version}, ts-node ${tsnode.VERSION}, ` +
      `${hasTsconfig ? "tsconfig.json" : "no tsconfig.json"}: ${errors.length ? "FAILED" : "ok"}\n`,
  );
  return errors;
}

function main(): void {
  const args = process.argv.slice(2);
  const programs: Program[] = [];
  if (args.length) for (const a of args) findPrograms(path.resolve(a), programs);
  else findPrograms(ROOT, programs);
  if (!programs.length) throw new Error("no Pulumi TypeScript program found");
  let failed = 0;
  for (const prog of programs) {
    const errors = checkProgram(prog);
    if (MUST_FAIL.has(path.relative(ROOT, prog.dir))) {
      if (errors.length) continue;
      failed++;
      process.stderr.write(`${path.relative(ROOT, prog.dir)}: has a deliberate type error but type-checked\n`);
    } else if (errors.length) {
      failed++;
      for (const e of errors) process.stderr.write(`${e}\n`);
    }
  }
  if (failed) {
    process.stderr.write(
      `${failed} of ${programs.length} program(s) do not type-check as the Pulumi CLI would run them\n`,
    );
    process.exit(1);
  }
}

main();
