/** `uciKind()` (provider/resources/openwrt/uci-kind.ts): a kind is its option rows; a row out of place fails at load. */
import { z } from "zod";
import { uci, uciKind } from "../../../provider/resources/openwrt/uci-kind";
import { uciOptions } from "../../../provider/resources/openwrt/fields";
import { kind as firewallZone } from "../../../provider/resources/openwrt/firewall-zone";

const schema = z.object({ name: z.string().optional(), mtu: z.number().optional(), extraOptions: uciOptions }).strict();
const base = {
  name: "openwrt-test",
  docs: "https://openwrt.org/docs/guide-user/base-system/basic-networking",
  schema,
  package: "network",
  sectionType: "device",
  section: { nameField: "name" as const },
};

describe("uciKind", () => {
  it("derives platform, replaceOn (the section name first), secrets and the section adoption from the rows", () => {
    const k = uciKind({ ...base, options: { mtu: uci.option("mtu") } });
    expect(k).toMatchObject({ platform: "openwrt", replaceOn: ["name"], secrets: [], deleteBeforeReplace: true });
    const secret = z.object({ name: z.string().optional(), key: z.string(), extraOptions: uciOptions }).strict();
    const s = uciKind({ ...base, schema: secret, options: { key: uci.option("key", { secret: true }) } });
    expect(s.secrets).toEqual(["key"]);
  });

  it("refuses an input field without a uci option row", () => {
    expect(() => uciKind({ ...base, options: {} })).toThrow("kind openwrt-test: input field mtu has no uci option row");
  });

  it("refuses a row for something that is not an input field", () => {
    expect(() => uciKind({ ...base, options: { mtu: uci.option("mtu"), mru: uci.option("mru") } })).toThrow(
      "kind openwrt-test: mru is not an input field",
    );
  });

  it("refuses a package without a known reload", () => {
    expect(() => uciKind({ ...base, package: "nosuchpkg", options: { mtu: uci.option("mtu") } })).toThrow(
      "kind openwrt-test: no reload known for uci package nosuchpkg",
    );
  });

  it("a rewritten kind keeps what it declared before: FirewallZone replaces on its section name", () => {
    expect(firewallZone.replaceOn).toEqual(["name"]);
    expect(firewallZone.platform).toBe("openwrt");
  });
});
