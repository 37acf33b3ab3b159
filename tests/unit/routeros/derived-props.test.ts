/**
 * The inputs derived from RouterOS's own catalogue (scripts/gen-routeros-props.ts): the committed files are fresh,
 * and every managed menu × crawled version is covered (≥ 95% of its add/set arguments accepted by the kinds, no
 * accepted name the catalogue lacks). Computed from the kinds and the catalogue, not hard-coded.
 */
import * as fs from "fs";
import { coverage, generateAll, routerosKinds } from "../../../scripts/gen-routeros-props";
import { CATALOGUE, CATALOGUE_VERSIONS, COMMAND_ARGS } from "../../../provider/routeros/catalogue";

describe("catalogue-derived RouterOS inputs", () => {
  it("generated/ files are up to date with the catalogue and the kinds (run `npm run props`)", () => {
    const files = generateAll();
    expect(files.size).toBeGreaterThan(20);
    for (const [file, content] of files) {
      const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      if (committed !== content) throw new Error(`${file} is stale: run \`npm run props\` and commit the result`);
    }
  });

  const rows = coverage();

  it("covers every managed menu on every crawled version", () => {
    const menus = new Set(rows.map((r) => r.menu));
    expect(menus.has("/ip/route")).toBe(true);
    expect(menus.has("/routing/bgp/connection")).toBe(true);
    for (const v of CATALOGUE_VERSIONS) expect(rows.some((r) => r.version === v)).toBe(true);
  });

  it.each(CATALOGUE_VERSIONS)("RouterOS %s: the kinds accept ≥ 95%% of the managed menus' add/set arguments", (v) => {
    const mine = rows.filter((r) => r.version === v);
    const accepted = mine.reduce((n, r) => n + r.accepted, 0);
    const args = mine.reduce((n, r) => n + r.args, 0);
    expect(accepted / args).toBeGreaterThanOrEqual(0.95);
    // Per menu: ≥ 95% accepted, or the rest left out on purpose by a kind's `notInputs` (with its reason).
    const low = mine
      .filter((r) => (r.accepted + r.excluded.length) / r.args < 0.95)
      .map((r) => `${r.menu}: ${r.accepted}/${r.args}, missing ${r.missing.join(" ")}`);
    expect(low).toEqual([]);
  });

  it("no kind declares a property its menus' catalogue lacks on every version", () => {
    const unknown: string[] = [];
    for (const { file, view } of routerosKinds()) {
      // Read-only properties `print` shows (an ethernet port's `default-name`) may be keys that select an item.
      const known = new Set(
        view.menus.flatMap((m) => [...Object.keys(CATALOGUE[m]?.args ?? {}), ...(CATALOGUE[m]?.printOnly ?? [])]),
      );
      if (view.menus.every((m) => !CATALOGUE[m])) continue;
      for (const [field, p] of Object.entries(view.properties))
        if (!known.has(p) && !COMMAND_ARGS.has(p)) unknown.push(`${file}: ${field} → ${p}`);
    }
    expect(unknown).toEqual([]);
  });

  it("names derived inputs in camelCase like the hand-written ones (output.network-blackhole → outputNetworkBlackhole)", () => {
    const session = routerosKinds().find((k) => k.file === "bgp-session.ts")!;
    expect(session.view.properties.outputNetworkBlackhole).toBe("output.network-blackhole");
    expect(session.view.properties.localRole).toBe("local.role");
    expect(session.view.derivedFields).toContain("outputNetworkBlackhole");
    expect(session.view.derivedFields).not.toContain("localRole");
  });
});
