import { CATALOGUE, catalogueProperties, catalogueVersionFor } from "../../../provider/routeros/catalogue";
import { parseVersion } from "../../../provider/routeros/version";
import { kindListing } from "../../../provider/import/kinds";

const v = (s: string) => parseVersion(s)!;

describe("RouterOS argument catalogue", () => {
  it("stands a device version for the newest crawled version not newer than it", () => {
    expect(catalogueVersionFor(v("7.16"))).toBe("7.16");
    expect(catalogueVersionFor(v("7.18.2"))).toBe("7.16");
    expect(catalogueVersionFor(v("7.21rc2"))).toBe("7.20");
    expect(catalogueVersionFor(v("7.22.3"))).toBe("7.20");
    expect(catalogueVersionFor(v("7.23"))).toBe("7.23");
    expect(catalogueVersionFor(v("7.30"))).toBe("7.23");
    expect(catalogueVersionFor(v("7.12"))).toBe("7.16");
  });

  it("answers per version: /routing/bgp/instance exists from 7.20, /ip/route takes blackhole everywhere", () => {
    expect(CATALOGUE["/routing/bgp/instance"].versions).toEqual(["7.20", "7.23"]);
    for (const ver of ["7.16", "7.19", "7.20", "7.23"]) {
      expect(catalogueProperties("/ip/route", "add", v(ver))).toContain("blackhole");
      // Command arguments are not properties.
      expect(catalogueProperties("/ip/route", "add", v(ver))).not.toContain("copy-from");
    }
    // 7.20 moved `router-id` from the BGP connection to the instance.
    expect(catalogueProperties("/routing/bgp/connection", "add", v("7.19"))).toContain("router-id");
    expect(catalogueProperties("/routing/bgp/instance", "add", v("7.20"))).toContain("router-id");
    expect(catalogueProperties("/no/such/menu", "add", v("7.20"))).toBeUndefined();
  });
});

describe("the catalogue covers the kinds", () => {
  it("has every menu a RouterOS kind manages (a kind on a menu it lacks would go unchecked)", () => {
    const menus = kindListing()
      .filter((k) => k.platform === "routeros")
      .flatMap((k) => k.menus);
    expect(menus.length).toBeGreaterThan(20);
    expect(menus.filter((m) => !CATALOGUE[m])).toEqual([]);
  });
});
