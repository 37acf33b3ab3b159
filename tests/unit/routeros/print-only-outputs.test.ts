/**
 * Properties `print` shows but add/set refuse are outputs (issue 13 item 2): every print-only property of a kind's
 * menus (provider/routeros/catalogue.ts `printOnlyOutputs`, from the 7.22.3 crawl) reaches `observed.outputs` under
 * its camelCase name, beside the kind's own output names; `about` and secret-looking names never do.
 */
import { createConsole } from "../../lab/routeros/cli";
import { CATALOGUE, fieldName, printOnlyOutputs } from "../../../provider/routeros/catalogue";
import { kind as firewallRule } from "../../../provider/resources/routeros/firewall-rule";
import { kind as wireguardInterface } from "../../../provider/resources/routeros/wireguard-interface";
import { clearVersionCache } from "../../../provider/routeros/version";
import { ctxFor } from "./lifecycle";

beforeEach(() => clearVersionCache());

describe("printOnlyOutputs", () => {
  it("names each print-only property in camelCase, as inputs are named", () => {
    expect(fieldName("local.default-address")).toBe("localDefaultAddress");
    expect(printOnlyOutputs(["/routing/bgp/connection"])).toMatchObject({
      localDefaultAddress: "local.default-address",
    });
    expect(printOnlyOutputs(["/ip/firewall/filter"])).toEqual({
      bytes: "bytes",
      dynamic: "dynamic",
      invalid: "invalid",
      packets: "packets",
    });
  });

  it("leaves out `about` and names that may hold a secret, keeps a public key", () => {
    expect(CATALOGUE["/ipv6/dhcp-client"].printOnly).toEqual(expect.arrayContaining(["about", "reconfigure-key"]));
    const v6 = printOnlyOutputs(["/ipv6/dhcp-client"]);
    expect(Object.values(v6)).not.toContain("about");
    expect(Object.values(v6)).not.toContain("reconfigure-key");
    expect(v6).toMatchObject({ prefix: "prefix", status: "status" });
    expect(printOnlyOutputs(["/interface/wireguard"])).toEqual({ publicKey: "public-key", running: "running" });
  });

  it("every print-only name that looks secret is reviewed: only public-key is kept (a new crawl adding one fails here)", () => {
    const looksSecret = /key|secret|pass|psk|token|auth|pin|md5|community|cert/;
    const names = new Set(Object.values(CATALOGUE).flatMap((m) => m.printOnly ?? []));
    const suspicious = [...names].filter((n) => looksSecret.test(n)).sort();
    expect(suspicious).toEqual(["public-key", "reconfigure-key"]);
    const menus = Object.keys(CATALOGUE);
    expect(Object.values(printOnlyOutputs(menus)).filter((n) => looksSecret.test(n))).toEqual(["public-key"]);
  });

  it("spans every menu of a kind", () => {
    expect(printOnlyOutputs(["/ip/route", "/ipv6/route"])).toMatchObject({
      localAddress: "local-address",
      slaac: "slaac",
    });
  });
});

describe("emulator 7.20: print-only properties read back as outputs", () => {
  it("a FirewallRule's counters and flags are outputs; its inputs are unchanged", async () => {
    const c = createConsole({ version: "7.20", startingConfig: "empty" });
    const dev = { run: (l: string) => c.run(l) };
    const { ctx } = ctxFor(dev, "site/prod/fw");
    const inputs = firewallRule.schema.parse({ table: "filter", chain: "forward", action: "accept", order: 0 });
    const made = await firewallRule.driver.create(ctx, inputs);
    expect(made.observed.outputs).toMatchObject({ bytes: 0, packets: 0, dynamic: false, invalid: false });
    const read = await firewallRule.driver.read(ctx, made.id, inputs);
    expect(read?.observed.outputs).toMatchObject({ bytes: 0, packets: 0 });
    expect(Object.keys(read?.observed.inputs ?? {})).not.toContain("bytes");
  });

  it("a WireguardInterface's public key, which the device derives, is an output", async () => {
    const c = createConsole({ version: "7.20", startingConfig: "empty" });
    const dev = { run: (l: string) => c.run(l) };
    const { ctx } = ctxFor(dev, "site/prod/wg");
    const inputs = wireguardInterface.schema.parse({
      name: "wg-out",
      privateKey: Buffer.alloc(32, 3).toString("base64"),
    });
    const made = await wireguardInterface.driver.create(ctx, inputs);
    const read = await wireguardInterface.driver.read(ctx, made.id, inputs);
    expect(read?.observed.outputs).toMatchObject({
      publicKey: "Xf7dO2vUf2+ijuFdlp1bsOpTd01Ii9r53xxuASSz7yI=",
      running: true,
    });
  });
});
