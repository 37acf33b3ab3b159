/**
 * Issue 13 item 7: every file derived from the kind registry (provider/resources/registry.ts) is what
 * `npm run kinds` (scripts/gen-kinds.ts) writes — the SDK stubs (paths in users' state), the dynamic provider
 * modules, the SDK classes and the `observed` schemas — and nothing in sdk/stubs or provider/dynamic is a kind
 * the registry lost.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT, unlistedKindModules } from "../../../scripts/gen-kinds";
import { KINDS, kindName, loadKind } from "../../../provider/resources/registry";
import * as routeros from "../../../sdk/routeros";
import * as openwrt from "../../../sdk/openwrt";

describe("files generated from the kind registry", () => {
  let files: Map<string, string>;
  beforeAll(() => {
    // In a child process: the generator formats with prettier, whose dynamic import() jest's VM refuses.
    const out = execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/gen-kinds.ts", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    files = new Map(Object.entries(JSON.parse(out) as Record<string, string>));
  }, 120_000);

  it("are up to date (run `npm run kinds` and commit the result)", () => {
    const stale: string[] = [];
    for (const [rel, text] of files) {
      const file = path.join(ROOT, rel);
      if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) stale.push(rel);
    }
    expect(stale).toEqual([]);
    // One stub and one dynamic module per kind, plus the two SDK modules and the observed schemas.
    expect(files.size).toBe(KINDS.length * 2 + 3);
  });

  it("leave no kind module in sdk/stubs or provider/dynamic that the registry does not list", () => {
    expect(unlistedKindModules(files)).toEqual([]);
  });

  it("list each kind once, each loading its own kind data", () => {
    const names = KINDS.map(kindName);
    expect(new Set(names).size).toBe(names.length);
    const classes = KINDS.map((e) => `${e.platform}.${e.className}`);
    expect(new Set(classes).size).toBe(classes.length);
    for (const e of KINDS) expect(loadKind(e).name).toBe(kindName(e));
  });

  it("export a class per registry kind from the SDK, and no other class", () => {
    const exported = (m: object) =>
      Object.entries(m)
        .filter(([, v]) => typeof v === "function" && /^class\b/.test(String(v)))
        .map(([k]) => k)
        .sort();
    expect(exported(routeros)).toEqual(
      KINDS.filter((e) => e.platform === "routeros")
        .map((e) => e.className)
        .sort(),
    );
    expect(exported(openwrt)).toEqual(
      KINDS.filter((e) => e.platform === "openwrt")
        .map((e) => e.className)
        .sort(),
    );
  });

  it("give each SDK class its kind's own secret inputs", () => {
    const sdk: Record<string, Record<string, unknown>> = { routeros, openwrt };
    for (const e of KINDS) {
      const cls = sdk[e.platform][e.className] as { secretInputs: readonly string[] };
      expect([e.className, cls.secretInputs]).toEqual([e.className, loadKind(e).secrets]);
    }
    // Today's kinds with secrets, so the comparison above compares something.
    expect((routeros.L2tpClient as { secretInputs: readonly string[] }).secretInputs).toEqual(
      expect.arrayContaining(["password", "ipsecSecret"]),
    );
  });
});
