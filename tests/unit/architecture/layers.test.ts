/**
 * Issue 16: layers point one way (README "Layout", the rules in .dependency-cruiser.cjs). dependency-cruiser reads
 * every import of provider/ and sdk/ (type-only ones too) and reports one that points up a layer, across to the
 * sibling platform (core below the transport: it uses nothing), or closes a cycle. The last test runs the same rules over a
 * small tree with one of each violation, so a rule that stopped matching would fail here rather than pass silently.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");
const CLI = path.join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

interface CruiseResult {
  summary: { violations: Violation[]; totalCruised: number };
}

function cruise(cwd: string, targets: string[]): CruiseResult {
  const r = spawnSync(process.execPath, [CLI, "--config", CONFIG, "--output-type", "json", ...targets], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  // Exit status is the number of error-level violations; only output that is not JSON means the run failed.
  if (!r.stdout.trim().startsWith("{")) throw new Error(`dependency-cruiser failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as CruiseResult;
}

const edge = (v: Violation) =>
  v.cycle
    ? `${v.rule.name}: ${v.from} → ${v.cycle.map((c) => c.name).join(" → ")}`
    : `${v.rule.name}: ${v.from} → ${v.to}`;

describe("layers", () => {
  let repo: CruiseResult;
  beforeAll(() => {
    repo = cruise(ROOT, ["provider", "sdk"]);
  });

  it("every import in provider/ and sdk/ points down a layer, and none closes a cycle", () => {
    // All of provider/ and sdk/ was read (337 modules on 2026-12-07): an empty run must not pass.
    expect(repo.summary.totalCruised).toBeGreaterThan(300);
    expect(repo.summary.violations.map(edge)).toEqual([]);
  });

  describe("the rules catch each kind of violation", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), "routerstack-layers-"));
      const files: Record<string, string> = {
        "tsconfig.json": JSON.stringify({ compilerOptions: { module: "commonjs", strict: true } }),
        "provider/core/device.ts": "export interface Link { up: boolean }\n",
        "provider/transport/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
        "provider/transport/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
        "provider/transport/code.ts": "export const connect = () => 1;\n",
        "provider/core/contract.ts": 'import type { Link } from "./device";\nexport type Ctx = { link: Link };\n',
        // core uses nothing (DESIGN.md): not even a type of the transport.
        "provider/core/names-transport.ts":
          'import type { connect } from "../transport/code";\nexport type C = typeof connect;\n',
        "provider/transport/uses-core.ts":
          'import type { Link } from "../core/device";\nexport const up = (l: Link) => l.up;\n',
        "provider/resources/kind.ts": "export const kindOf = 1;\n",
        "provider/routeros/engine.ts":
          'import type { Ctx } from "../core/contract";\nimport { kindOf } from "../resources/kind";\n' +
          "export const e = (c: Ctx) => (c.link.up ? kindOf : 0);\n",
        "provider/openwrt/engine.ts": 'import { e } from "../routeros/engine";\nexport const o = e;\n',
        // A cycle through a type-only import is erased at compile time: allowed.
        "provider/openwrt/table.ts": 'import type { Reader } from "./reader";\nexport const table: Reader[] = [];\n',
        "provider/openwrt/reader.ts": 'import { table } from "./table";\nexport type Reader = () => typeof table;\n',
      };
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        writeFileSync(path.join(dir, f), text);
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("up a layer (a type from core up to transport too), across platforms, and a cycle; transport using core and a cycle through a type-only import are allowed", () => {
      const found = cruise(dir, ["provider"]).summary.violations.map(edge).sort();
      expect(found).toEqual(
        [
          "layer:provider/core: provider/core/names-transport.ts → provider/transport/code.ts",
          "layer:provider/openwrt: provider/openwrt/engine.ts → provider/routeros/engine.ts",
          "layer:provider/routeros: provider/routeros/engine.ts → provider/resources/kind.ts",
          "no-cycle: provider/transport/a.ts → provider/transport/b.ts → provider/transport/a.ts",
        ].sort(),
      );
    });
  });
});
