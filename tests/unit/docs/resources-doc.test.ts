/** docs/resources.md is generated from the kinds; this fails when a kind, schema or JSDoc changed without `npm run docs`. */
import * as fs from "fs";
import { DOC_PATH, generateResourcesDoc } from "../../../scripts/gen-resources-doc";

describe("docs/resources.md", () => {
  it("is up to date with the kind schemas (run `npm run docs` to regenerate)", () => {
    const committed = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, "utf8") : "";
    const fresh = generateResourcesDoc();
    if (committed !== fresh) {
      const a = committed.split("\n");
      const b = fresh.split("\n");
      const first = b.findIndex((l, i) => l !== a[i]);
      const line = first < 0 ? b.length : first;
      throw new Error(
        `docs/resources.md is stale: run \`npm run docs\` and commit the result.\n` +
          `First difference at line ${line + 1}:\n  committed: ${a[line] ?? "(end of file)"}\n  generated: ${b[line] ?? "(end of file)"}`,
      );
    }
  });

  it("documents every kind module under provider/dynamic", () => {
    const doc = generateResourcesDoc();
    const kinds = fs
      .readdirSync(`${__dirname}/../../../provider/dynamic`)
      .filter((f) => f.endsWith(".ts") && !["provider-factory.ts", "devices.ts"].includes(f))
      .map((f) => f.replace(/\.ts$/, ""));
    expect(kinds.length).toBeGreaterThan(0);
    for (const k of kinds) expect(doc).toContain(`- Kind: \`${k}\``);
  });

  /** The section of one SDK class, from its heading to the next. */
  const section = (doc: string, cls: string) => doc.split(/^## /m).find((s) => s.startsWith(`${cls}\n`)) ?? "";

  it("shows the RouterOS versions a kind supports and the fields only some versions take, from the kinds' version gates", () => {
    const doc = generateResourcesDoc();
    expect(section(doc, "routeros.BgpInstance")).toContain(
      "- Versions: RouterOS 7.20 or newer (older versions fail with an error naming the device)",
    );
    expect(section(doc, "routeros.BgpSession")).toContain(
      "- Version rules: `instance` required on RouterOS 7.20 or newer, refused on RouterOS 7.16–7.19; `routerId` refused on RouterOS 7.20 or newer",
    );
    expect(section(doc, "routeros.BgpTemplate")).toContain(
      "- Version rules: `routerId` refused on RouterOS 7.20 or newer",
    );
    expect(section(doc, "routeros.FirewallRule")).toContain("- Versions: RouterOS 7.16 or newer");
    expect(section(doc, "openwrt.Mwan3Interface")).toContain("- Versions: OpenWrt 23.05 or newer");
  });

  it("gives every kind its replacement rule and every duration its unit", () => {
    const doc = generateResourcesDoc();
    const sections = doc.split(/^## /m).filter((s) => s.includes("- Kind: "));
    for (const s of sections) expect(s).toMatch(/- Replaces on change: `device`, resource name \(identity\)/);
    // Only ports are still number-or-text without a unit; durations say theirs.
    const unitless = doc
      .split("\n")
      .filter((l) => l.includes("| number \\| string |"))
      .map((l) => l.split("`")[1]);
    expect(unitless.filter((f) => !/port$/i.test(f))).toEqual([]);
    expect(section(doc, "routeros.BgpSession")).toMatch(/\| `holdTime` \| duration in seconds .*\| `180` \|/);
    expect(section(doc, "routeros.Netwatch")).toMatch(/\| `interval` \| duration in seconds, millisecond resolution /);
  });
});
