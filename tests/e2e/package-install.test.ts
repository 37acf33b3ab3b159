/**
 * The package as a user gets it: `npm pack` of this checkout, installed from the tarball into a fresh project in a
 * temporary directory outside the repository next to the project's own `@pulumi/pulumi`, then a small program
 * converged on the lab from there. Checks what a symlinked or nested install would break: one `@pulumi/pulumi` in
 * the tree (routerstack's is a peer dependency), and `__provider` serialized as a `require()` of the installed
 * package, not the provider's code by value (DESIGN.md "Pulumi integration", docs/reference/pulumi-dynamic-host.md §3).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { runEngine } from "../engine";
import { LabSession, labAvailable, PASSPHRASE } from "./harness";

const run = labAvailable() ? describe : describe.skip;
const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const installedVersion = (dir: string, name: string): string =>
  JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [dir] }), "utf8")).version;

/** Every package.json named `name` under `dir/node_modules`, nested copies included. */
function copiesOf(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (modules: string): void => {
    if (!fs.existsSync(modules)) return;
    for (const e of fs.readdirSync(modules, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === ".bin") continue;
      const scoped = e.name.startsWith("@");
      const pkgDirs = scoped
        ? fs.readdirSync(path.join(modules, e.name)).map((n) => path.join(modules, e.name, n))
        : [path.join(modules, e.name)];
      for (const pkgDir of pkgDirs) {
        const pj = path.join(pkgDir, "package.json");
        if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, "utf8")).name === name) found.push(pkgDir);
        walk(path.join(pkgDir, "node_modules"));
      }
    }
  };
  walk(path.join(dir, "node_modules"));
  return found;
}

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { openwrt, routeros } from "routerstack";

const route = new routeros.StaticRoute("r1", { device: "crs", dstAddress: "198.51.100.128/26", gateway: "192.0.2.2" });
const section = new openwrt.UciSection("s1", {
  device: "dlink",
  package: "network",
  name: "rs_pkg",
  type: "route",
  options: { target: "198.51.100.128/26" },
});
export const ids = pulumi.all([route.id, section.id]);
`;

run("the packed package, installed into a fresh project", () => {
  const s = new LabSession();
  let work = "";
  let project = "";
  let tarball = "";

  beforeAll(async () => {
    // Outside the repository, so nothing resolves from the checkout's node_modules.
    work = fs.mkdtempSync(path.join(os.tmpdir(), "rs-pkg-"));
    expect(path.relative(ROOT, work).startsWith("..")).toBe(true);
    // dist/ is built by `prepare` (npm ci, pretest); packing must not rebuild it under the lab lock.
    const { stdout } = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
      cwd: ROOT,
    });
    tarball = path.join(work, JSON.parse(stdout)[0].filename);
    project = path.join(work, "site");
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({
        name: "site",
        private: true,
        main: "index.ts",
        dependencies: { "@pulumi/pulumi": installedVersion(ROOT, "@pulumi/pulumi"), routerstack: `file:${tarball}` },
        // What the Pulumi CLI's TypeScript runtime loads from the program's node_modules.
        devDependencies: {
          "ts-node": rootPkg.devDependencies["ts-node"],
          typescript: rootPkg.devDependencies.typescript,
        },
      }),
    );
    fs.writeFileSync(
      path.join(project, "Pulumi.yaml"),
      "name: site\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    fs.copyFileSync(path.join(ROOT, "tests/e2e/program/Pulumi.test.yaml"), path.join(project, "Pulumi.test.yaml"));
    fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
    await exec("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: project, timeout: 600_000 });
    await s.start("pkg");
  }, 900_000);

  afterAll(async () => {
    await s.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("ships only the built package, with an entry for every __provider target", () => {
    const pkgDir = path.join(project, "node_modules", "routerstack");
    expect(fs.lstatSync(pkgDir).isSymbolicLink()).toBe(false);
    const installed = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
    expect(installed.private).toBeUndefined();
    expect(installed.peerDependencies["@pulumi/pulumi"]).toBe(rootPkg.peerDependencies["@pulumi/pulumi"]);
    expect(fs.existsSync(path.join(pkgDir, "dist", "sdk", "index.d.ts"))).toBe(true);
    // Neither sources, tests nor the lab ship.
    for (const absent of ["tests", "provider", "sdk", "dist/tests", "examples"])
      expect(fs.existsSync(path.join(pkgDir, absent))).toBe(false);
    // Every stub the SDK hands to Pulumi, and the provider module each one requires, resolves through `exports`.
    const stubs = fs.readdirSync(path.join(ROOT, "sdk", "stubs")).map((f) => f.replace(/\.ts$/, ""));
    expect(stubs.length).toBeGreaterThan(20);
    for (const name of stubs) {
      expect(require.resolve(`routerstack/sdk/stubs/${name}`, { paths: [project] })).toBe(
        path.join(pkgDir, "dist", "sdk", "stubs", `${name}.js`),
      );
      expect(require.resolve(`routerstack/provider/dynamic/${name}`, { paths: [project] })).toBe(
        path.join(pkgDir, "dist", "provider", "dynamic", `${name}.js`),
      );
    }
  });

  it("has exactly one @pulumi/pulumi in the installed tree, the project's own", async () => {
    expect(copiesOf(project, "@pulumi/pulumi")).toEqual([path.join(project, "node_modules", "@pulumi", "pulumi")]);
    const { stdout } = await exec("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], { cwd: project });
    expect(new Set(stdout.trim().split("\n"))).toEqual(
      new Set([path.join(project, "node_modules", "@pulumi", "pulumi")]),
    );
  });

  it("loads with require('routerstack') from the project", async () => {
    const { stdout } = await exec(
      process.execPath,
      [
        "-e",
        'const r = require("routerstack"); console.log(typeof r.routeros.StaticRoute, require.resolve("routerstack"))',
      ],
      { cwd: project },
    );
    expect(stdout.trim()).toBe(
      `function ${path.join(project, "node_modules", "routerstack", "dist", "sdk", "index.js")}`,
    );
  });

  it("converges a program on the lab, and every __provider is one require() line of the installed package", async () => {
    const stateFile = path.join(work, "state.json");
    const opts = {
      programDir: project,
      stack: "test",
      stateFile,
      passphrase: PASSPHRASE,
      configOverrides: { "routerstack:devices": s.lab.devices },
    };
    const up = await runEngine("up", opts);
    expect(up.errors).toEqual([]);
    expect(up.counts.create).toBe(2);
    expect(up.providerStrings).toHaveLength(2);
    for (const p of up.providerStrings) {
      const requires = p.split("\n").filter((l) => l.includes("require("));
      expect(requires).toHaveLength(1);
      expect(requires[0]).toMatch(/require\("routerstack\/sdk\/stubs\/(routeros-static-route|openwrt-uci-section)"\)/);
      expect(Buffer.byteLength(p)).toBeLessThan(1024);
    }
    const again = await runEngine("up", opts);
    expect(again.errors).toEqual([]);
    expect(again.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0, same: 2 });
    const down = await runEngine("destroy", opts);
    expect(down.errors).toEqual([]);
    expect(down.counts.delete).toBe(2);
  });
});
