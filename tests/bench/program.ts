/**
 * The benchmark's Pulumi program, written at run time into the lab's temporary directory (with a
 * `node_modules` link to this repository's, so `routerstack` resolves to the installed package as in a user
 * program). It declares the resources listed in the JSON file named by ROUTERSTACK_BENCH_RESOURCES: at N=500
 * the list is too large for stack config, which the engine passes in one environment variable (E2BIG).
 * Same shape as tests/e2e/program, which reads the list from config.
 */
import * as fs from "fs";
import * as path from "path";

const INDEX = `"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const { routeros, openwrt } = require("routerstack");
const sdk = { routeros, openwrt };
const specs = JSON.parse(fs.readFileSync(process.env.ROUTERSTACK_BENCH_RESOURCES, "utf8"));
const made = {};
for (const spec of specs) {
  const Kind = sdk[spec.platform][spec.kind];
  if (!Kind) throw new Error("no " + spec.platform + "." + spec.kind + " in routerstack");
  // A session names its instance by a plain string, so the order must be declared, as a user program would.
  const dependsOn = (spec.dependsOn || []).map((n) => made[n]);
  made[spec.name] = new Kind(spec.name, spec.args, { dependsOn });
}
`;

export const BENCH_STACK = "bench";
export const BENCH_PASSPHRASE = "routerstack-bench";

/** Writes the program into `dir` and returns it. */
export function writeBenchProgram(dir: string, repoRoot: string): string {
  fs.mkdirSync(dir, { recursive: true });
  // plain JavaScript, so TypeScript off as a user would set it: the CLI then loads no ts-node, and the test
  // engine runs the program under bare node rather than tsx (whose hooks would add ~0.5 s to every operation)
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: routerstack-bench\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
  );
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "routerstack-bench-program", private: true, type: "commonjs", main: "index.js" }) + "\n",
  );
  fs.writeFileSync(path.join(dir, "index.js"), INDEX);
  const nm = path.join(dir, "node_modules");
  if (!fs.existsSync(nm)) fs.symlinkSync(path.join(repoRoot, "node_modules"), nm, "dir");
  return dir;
}
