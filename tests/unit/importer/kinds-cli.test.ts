/** `routerstack kinds --json` (provider/import/cli.ts, kinds.ts): one element per typed kind, per-version properties. */
import { main } from "../../../provider/import/cli";
import type { KindListing } from "../../../provider/import/kinds";

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), out };
  } finally {
    spy.mockRestore();
  }
}

describe("routerstack kinds --json", () => {
  let listing: KindListing[];
  beforeAll(async () => {
    const r = await run(["kinds", "--json"]);
    expect(r.code).toBe(0);
    listing = JSON.parse(r.out) as KindListing[];
  });

  it("prints one element per kind with kind, platform, menus and properties", () => {
    expect(Array.isArray(listing)).toBe(true);
    const names = listing.map((k) => k.kind);
    expect(new Set(names).size).toBe(names.length);
    for (const k of listing) {
      expect(Object.keys(k).sort()).toEqual(["kind", "menus", "platform", "properties"]);
      expect(k.kind.startsWith(`${k.platform}.`)).toBe(true);
      expect(k.menus.length).toBeGreaterThan(0);
      const keys = Object.keys(k.properties);
      expect(keys).toEqual(k.platform === "routeros" ? ["7.16", "7.19", "7.20", "7.23"] : ["any"]);
      for (const list of Object.values(k.properties)) expect(list).toEqual([...list].sort());
    }
  });

  it("StaticRoute: both route menus; blackhole and check-gateway on every version, suppress-hw-offload gone in 7.23", () => {
    const route = listing.find((k) => k.kind === "routeros.StaticRoute")!;
    expect(route).toMatchObject({ platform: "routeros", menus: ["/ip/route", "/ipv6/route"] });
    for (const v of ["7.16", "7.19", "7.20", "7.23"]) {
      expect(route.properties[v]).toEqual(
        expect.arrayContaining(["blackhole", "check-gateway", "comment", "pref-src"]),
      );
    }
    expect(route.properties["7.20"]).toContain("suppress-hw-offload");
    expect(route.properties["7.23"]).not.toContain("suppress-hw-offload");
  });

  it("BgpSession: router-id until 7.19, output.network-blackhole from 7.23; BgpInstance only from 7.20", () => {
    const session = listing.find((k) => k.kind === "routeros.BgpSession")!;
    expect(session.properties["7.19"]).toContain("router-id");
    expect(session.properties["7.20"]).not.toContain("router-id");
    expect(session.properties["7.20"]).not.toContain("output.network-blackhole");
    expect(session.properties["7.23"]).toContain("output.network-blackhole");
    const instance = listing.find((k) => k.kind === "routeros.BgpInstance")!;
    expect(instance.properties["7.19"]).toEqual([]);
    expect(instance.properties["7.20"]).toContain("router-id");
  });

  it("OpenWrt kinds: <package>.<type> menus and the uci options under any", () => {
    const route = listing.find((k) => k.kind === "openwrt.StaticRoute")!;
    expect(route).toMatchObject({ platform: "openwrt", menus: ["network.route", "network.route6"] });
    expect(route.properties.any).toEqual(expect.arrayContaining(["gateway", "interface", "target"]));
    expect(listing.find((k) => k.kind === "openwrt.FirewallZone")?.menus).toEqual(["firewall.zone"]);
  });
});
