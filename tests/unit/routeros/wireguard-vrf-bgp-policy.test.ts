/**
 * The tunnel, VRF and BGP-policy kinds (WireguardInterface, WireguardPeer, Vrf, BgpTemplate, RoutingFilterRule)
 * and BgpSession on both BGP models (7.16/7.19 without instance, 7.20/7.23 with it), against the lab's in-process
 * CLI emulator (tests/lab/routeros, written from routeros-cli.md §5.4, §5.5, §5.11, §5.12): the shared lifecycle
 * (create → no-op → drift → update/unset → renumber → delete), the version rules, secrets, rule escaping, and bad
 * input rejected by `check` with the field named and no device I/O.
 */
import fc from "fast-check";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as wgInterface } from "../../../provider/resources/routeros/wireguard-interface";
import { kind as wgPeer } from "../../../provider/resources/routeros/wireguard-peer";
import { kind as vrf } from "../../../provider/resources/routeros/vrf";
import { kind as template } from "../../../provider/resources/routeros/bgp-template";
import { kind as filterRule } from "../../../provider/resources/routeros/routing-filter-rule";
import { kind as session } from "../../../provider/resources/routeros/bgp-session";
import { clearVersionCache } from "../../../provider/routeros/version";
import * as devices from "../../../provider/dynamic/devices";
import { badInputs, ctxFor, lifecycle, WRITE, type Device } from "./lifecycle";
import { emulator, type Variation } from "./fixtures";

type Rows = Record<string, unknown>[];
const VARIED: Variation = { floatIntegers: true, clockDurations: true, nullForUnset: true };

/** A WireGuard key (base64 of 32 bytes) made of one repeated byte: valid, distinct per byte, readable in tests. */
const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
/** RFC 7748 §6.1: Alice's X25519 private key and the public key derived from it. */
const RFC7748_PRIVATE = Buffer.from("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "hex").toString(
  "base64",
);
const RFC7748_PUBLIC = Buffer.from("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", "hex").toString(
  "base64",
);

const withTunnel = (dev: Device) => {
  dev.run(`/interface/wireguard/add name=wg-transit private-key="${key(9)}"`);
};

describe("emulator 7.20: routeros-wireguard-interface", () => {
  lifecycle({
    kind: wgInterface,
    menu: "/interface/wireguard",
    newDevice: () => emulator(),
    inputs: { name: "wg-transit", listenPort: 51820, privateKey: key(1), comment: "transit tunnel" },
    update: { name: "wg-transit", listenPort: 51821, mtu: 1380, privateKey: key(2), disabled: true },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "listen-port", value: 9999 }], expect: { listenPort: 9999 } },
  });
});

const peer = {
  interface: "wg-transit",
  publicKey: key(3),
  endpointAddress: "198.51.100.7",
  endpointPort: 51820,
  allowedAddress: ["203.0.113.0/24", "192.0.2.248/30", "2001:db8:ffff::/64"],
  presharedKey: key(4),
  persistentKeepalive: "25s",
  name: "transit-peer",
};

// Relies on [I] facts of the emulator: `endpoint-port` reads back 0 while unset, peers have `name` on every version.
describe("emulator 7.20: routeros-wireguard-peer", () => {
  lifecycle({
    kind: wgPeer,
    menu: "/interface/wireguard/peers",
    newDevice: () => emulator(),
    setup: withTunnel,
    inputs: peer,
    update: {
      ...peer,
      presharedKey: undefined,
      name: undefined,
      allowedAddress: ["192.0.2.248/30"],
      persistentKeepalive: 0,
    },
    unsetField: "presharedKey",
    drift: {
      args: [{ kind: "value", prop: "allowed-address", value: ["0.0.0.0/0"] }],
      expect: { allowedAddress: ["0.0.0.0/0"] },
    },
  });
});

describe("emulator 7.16 with variations (floats, clock durations, nulls): routeros-wireguard-peer without endpoint", () => {
  lifecycle({
    kind: wgPeer,
    menu: "/interface/wireguard/peers",
    newDevice: () => emulator("7.16", VARIED),
    setup: withTunnel,
    inputs: { interface: "wg-transit", publicKey: key(5), allowedAddress: ["192.0.2.252/30"] },
    update: {
      interface: "wg-transit",
      publicKey: key(6),
      endpointAddress: "2001:db8::7",
      endpointPort: 13231,
      persistentKeepalive: 25,
      comment: "roaming",
    },
    drift: {
      args: [{ kind: "value", prop: "persistent-keepalive", value: "1m" }],
      expect: { persistentKeepalive: 60 },
    },
  });
});

describe("emulator 7.20: routeros-vrf", () => {
  lifecycle({
    kind: vrf,
    menu: "/ip/vrf",
    newDevice: () => emulator(),
    setup: withTunnel,
    inputs: { name: "transit", interfaces: ["wg-transit"], comment: "eBGP transit" },
    update: { name: "transit", interfaces: ["wg-transit", "ether4"], disabled: true },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "interfaces", value: ["ether5"] }], expect: { interfaces: ["ether5"] } },
  });
});

const transitTemplate = {
  name: "transit",
  as: 64512,
  holdTime: "90s",
  keepaliveTime: 30,
  inputFilter: "transit-in",
  outputFilterChain: "transit-out",
  outputNetwork: "exported",
  outputRedistribute: [],
  comment: "eBGP transit defaults",
};

describe("emulator 7.20: routeros-bgp-template", () => {
  lifecycle({
    kind: template,
    menu: "/routing/bgp/template",
    newDevice: () => emulator(),
    inputs: transitTemplate,
    update: {
      ...transitTemplate,
      inputFilter: undefined,
      keepaliveTime: undefined,
      nexthopChoice: "force-self",
      multihop: true,
    },
    unsetField: "inputFilter",
    drift: { args: [{ kind: "value", prop: "hold-time", value: "3m" }], expect: { holdTime: 180 } },
  });
});

describe("emulator 7.19 with variations: routeros-bgp-template with router-id", () => {
  lifecycle({
    kind: template,
    menu: "/routing/bgp/template",
    newDevice: () => emulator("7.19", VARIED),
    inputs: { ...transitTemplate, routerId: "192.0.2.1" },
    update: { ...transitTemplate, routerId: undefined, useBfd: true, outputDefaultOriginate: "never" },
    unsetField: "routerId",
    drift: { args: [{ kind: "value", prop: "router-id", value: "192.0.2.9" }], expect: { routerId: "192.0.2.9" } },
  });
});

/** A rule with every character the codec must escape inside quotes (§3.3): `"` and `$`. */
const acceptAllocated = 'if (dst == 203.0.113.0/24 && bgp-as-path ~ "^64496$") { accept }';

describe("emulator 7.20: routeros-routing-filter-rule", () => {
  lifecycle({
    kind: filterRule,
    menu: "/routing/filter/rule",
    newDevice: () => emulator(),
    inputs: { chain: "transit-in", rule: acceptAllocated, comment: "only the allocated prefix" },
    update: {
      chain: "transit-in",
      rule: "if (dst in 203.0.113.0/24 && dst-len <= 25) { set distance 20; accept }",
      disabled: true,
    },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "rule", value: "accept" }], expect: { rule: "accept" } },
  });
});

describe("emulator 7.23 with variations: routeros-routing-filter-rule", () => {
  lifecycle({
    kind: filterRule,
    menu: "/routing/filter/rule",
    newDevice: () => emulator("7.23", VARIED),
    inputs: { chain: "transit-out", rule: "if (dst in 203.0.113.0/24) { accept } else { reject }" },
    update: { chain: "k8s-in", rule: "reject", comment: "moved" },
    drift: { args: [{ kind: "value", prop: "chain", value: "other" }], expect: { chain: "other" } },
  });
});

// BgpSession on both models: 7.16–7.19 carry router-id on the connection and use templates; 7.20+ name an instance.
const ebgp = {
  name: "transit-a",
  as: 64512,
  remoteAddress: "192.0.2.250",
  remoteAs: 64496,
  localAddress: "192.0.2.249",
  localRole: "ebgp",
  holdTime: "90s",
  inputFilter: "transit-in",
  outputFilterChain: "transit-out",
  outputNetwork: "exported",
  vrf: "transit",
  comment: "transit over wg-transit",
};
const withVrfAndTemplate = (dev: Device) => {
  withTunnel(dev);
  dev.run("/ip/vrf/add name=transit interfaces=wg-transit; /routing/bgp/template/add name=transit as=64512");
};
const withInstance = (dev: Device) => {
  withVrfAndTemplate(dev);
  dev.run("/routing/bgp/instance/add name=transit as=64512 router-id=192.0.2.249");
};

describe.each([["7.16"], ["7.19"]] as const)(
  "emulator %s: routeros-bgp-session without instance (router-id, templates)",
  (version) => {
    lifecycle({
      kind: session,
      menu: "/routing/bgp/connection",
      newDevice: () => emulator(version),
      setup: withVrfAndTemplate,
      inputs: { ...ebgp, routerId: "192.0.2.249", templates: ["transit"] },
      update: { ...ebgp, routerId: undefined, templates: ["default", "transit"], holdTime: 30, multihop: true },
      unsetField: "routerId",
      drift: { args: [{ kind: "value", prop: "router-id", value: "192.0.2.9" }], expect: { routerId: "192.0.2.9" } },
    });
  },
);

describe.each([
  ["7.20", {}],
  ["7.23", VARIED],
] as const)("emulator %s: routeros-bgp-session with instance", (version, variation) => {
  lifecycle({
    kind: session,
    menu: "/routing/bgp/connection",
    newDevice: () => emulator(version, variation),
    setup: withInstance,
    inputs: { ...ebgp, instance: "transit", templates: ["transit"] },
    update: { ...ebgp, instance: "transit", outputNetwork: undefined, vrf: undefined, nexthopChoice: "force-self" },
    unsetField: "outputNetwork",
    drift: { args: [{ kind: "value", prop: "output.network", value: "other" }], expect: { outputNetwork: "other" } },
  });
});

describe("specifics of the tunnel and BGP-policy kinds", () => {
  beforeEach(() => clearVersionCache());

  it.each([
    [
      "7.20",
      { ...ebgp, routerId: "192.0.2.249", instance: "transit" },
      /create failed: routerId: device "crs" runs RouterOS 7\.20\.8 \(stable\): from 7\.20 router-id belongs to \/routing\/bgp\/instance/,
    ],
    [
      "7.23",
      ebgp,
      /create failed: instance: device "crs" runs RouterOS 7\.23\.1 \(stable\): from 7\.20 every connection names its \/routing\/bgp\/instance/,
    ],
    [
      "7.19",
      { ...ebgp, instance: "transit" },
      /create failed: instance: device "crs" runs RouterOS 7\.19\.6 \(stable\): \/routing\/bgp\/instance exists from 7\.20; leave instance out/,
    ],
    ["7.16", { ...ebgp, instance: "transit", routerId: "192.0.2.249" }, /create failed: instance: .*7\.16\.2/],
  ] as const)(
    "BgpSession on %s: a field of the other BGP model fails naming it, before anything is written",
    async (version, raw, message) => {
      const dev = emulator(version);
      withInstanceIfAny(dev, version);
      const before = JSON.stringify(dev.dump());
      const { ctx, transport } = ctxFor(dev, "site/prod/transit-a");
      await expect(session.driver.create(ctx, session.schema.parse(raw))).rejects.toThrow(message);
      expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
      expect(JSON.stringify(dev.dump())).toBe(before);
    },
  );

  it("BgpSession: update into the other model's field fails the same way and leaves the device as it was", async () => {
    const dev = emulator("7.19");
    withVrfAndTemplate(dev);
    const { ctx, transport } = ctxFor(dev, "site/prod/transit-a");
    const inputs = session.schema.parse({ ...ebgp, routerId: "192.0.2.249" });
    const created = await session.driver.create(ctx, inputs);
    const writes = transport.execs.filter((l) => WRITE.test(l)).length;
    await expect(
      session.driver.update(ctx, created.id, inputs, session.schema.parse({ ...ebgp, instance: "transit" })),
    ).rejects.toThrow(/update failed: instance:/);
    expect(transport.execs.filter((l) => WRITE.test(l))).toHaveLength(writes);
    expect((await session.driver.read(ctx, created.id, inputs))?.observed.inputs).toEqual(inputs);
  });

  it("BgpSession on 7.19 writes router-id and templates on the connection, and no instance", async () => {
    const dev = emulator("7.19");
    withVrfAndTemplate(dev);
    const { ctx, transport } = ctxFor(dev, "site/prod/transit-a");
    await session.driver.create(
      ctx,
      session.schema.parse({ ...ebgp, routerId: "192.0.2.249", templates: ["transit"] }),
    );
    const add = transport.execs.find((l) => l.includes("/routing/bgp/connection/add"))!;
    expect(add).toMatch(/router-id="192\.0\.2\.249"/);
    expect(add).toMatch(/templates="transit"/);
    expect(add).not.toMatch(/instance=/);
    expect(dev.dump()["/routing/bgp/connection"]).toEqual([
      expect.objectContaining({
        name: "transit-a",
        "router-id": "192.0.2.249",
        templates: ["transit"],
        vrf: "transit",
        "output.network": "exported",
      }),
    ]);
  });

  it("BgpTemplate: router-id is refused on 7.20+, naming the field, with nothing written", async () => {
    const dev = emulator("7.23");
    const { ctx, transport } = ctxFor(dev, "site/prod/transit");
    await expect(
      template.driver.create(ctx, template.schema.parse({ name: "transit", routerId: "192.0.2.1" })),
    ).rejects.toThrow(
      /create failed: routerId: device "crs" runs RouterOS 7\.23\.1 \(stable\): from 7\.20 router-id belongs to \/routing\/bgp\/instance, not to templates/,
    );
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("WireguardInterface: observed.publicKey is the device's public key of the private key (RFC 7748 vector)", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/wg");
    const created = await wgInterface.driver.create(
      ctx,
      wgInterface.schema.parse({ name: "wg-transit", privateKey: RFC7748_PRIVATE }),
    );
    expect(created.observed.outputs.publicKey).toBe(RFC7748_PUBLIC);
    expect(created.observed.outputs.running).toBe(true);
  });

  // Masking of `private-key` in print from 7.21 is [I] (routeros-cli.md §0 item 10); the emulator masks by omission.
  it("WireguardInterface on 7.23: the private key is masked in reads and never drift; a rotated key is a change", async () => {
    const dev = emulator("7.23");
    const { transport } = ctxFor(dev, "site/prod/wg");
    const spy = jest.spyOn(devices, "transportFor").mockReturnValue(transport);
    try {
      const p = makeProvider(wgInterface);
      const news = { device: "crs", identity: "site/prod/wg", name: "wg-transit", privateKey: key(7) };
      const checked = (await p.check({}, news)).inputs;
      const created = await p.create(checked);
      expect(JSON.stringify(created.outs)).not.toContain(`"secretHashes":{}`);
      expect(dev.run(":put [:serialize to=json [/interface/wireguard/print detail as-value]]")).not.toContain(
        "private-key",
      );
      const read = await p.read(created.id, created.outs);
      expect(read.inputs?.privateKey).toBe(key(7));
      expect(await p.diff(created.id, read.props!, checked)).toMatchObject({ changes: false });
      const rotated = (await p.check({}, { ...news, privateKey: key(8) })).inputs;
      expect(await p.diff(created.id, read.props!, rotated)).toMatchObject({ changes: true, replaces: [] });
      await p.update(created.id, read.props!, rotated);
      expect((dev.dump()["/interface/wireguard"] as Record<string, unknown>[])[0]["private-key"]).toBe(key(8));
      expect(transport.execs.join("\n")).not.toMatch(/print[^\n]*show-sensitive/);
    } finally {
      spy.mockRestore();
    }
  });

  it("RoutingFilterRule: the rule text is escaped by the codec and stored byte for byte", async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev, "site/prod/in-1");
    await filterRule.driver.create(ctx, filterRule.schema.parse({ chain: "transit-in", rule: acceptAllocated }));
    expect(transport.execs.find((l) => l.includes("/routing/filter/rule/add"))).toContain(
      'rule="if (dst == 203.0.113.0/24 && bgp-as-path ~ \\"^64496\\$\\") { accept }"',
    );
    expect(dev.dump()["/routing/filter/rule"]).toEqual([
      expect.objectContaining({ chain: "transit-in", rule: acceptAllocated }),
    ]);
  });

  it("RoutingFilterRule without order: a new rule is appended after the rules already in the list", async () => {
    const dev = emulator();
    dev.run('/routing/filter/rule/add chain=transit-in rule="reject"');
    const { ctx } = ctxFor(dev, "site/prod/in-1");
    await filterRule.driver.create(ctx, filterRule.schema.parse({ chain: "transit-in", rule: "accept" }));
    expect((dev.dump()["/routing/filter/rule"] as Record<string, unknown>[]).map((r) => r.rule)).toEqual([
      "reject",
      "accept",
    ]);
  });

  it("Vrf: interfaces are a set, sent and read back sorted and de-duplicated", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/vrf");
    const created = await vrf.driver.create(
      ctx,
      vrf.schema.parse({ name: "transit", interfaces: ["ether3", "ether3", "ether2"] }),
    );
    expect(created.observed.inputs.interfaces).toEqual(["ether2", "ether3"]);
    expect((dev.dump()["/ip/vrf"] as Record<string, unknown>[])[0].interfaces).toBe("ether2,ether3");
  });
});

function withInstanceIfAny(dev: Device, version: string): void {
  if (version === "7.20" || version === "7.23") withInstance(dev);
  else withVrfAndTemplate(dev);
}

/** Bad input: `check` names the field and gives the reason; it never asks for a device transport. */
const BAD: [string, UntypedKind, Record<string, unknown>, string, RegExp][] = [
  ["wg key too short", wgInterface, { name: "wg0", privateKey: "abc=" }, "privateKey", /WireGuard key/],
  [
    "wg key not base64 of 32 bytes",
    wgInterface,
    { name: "wg0", privateKey: "x".repeat(44) },
    "privateKey",
    /WireGuard key/,
  ],
  ["wg port 0", wgInterface, { name: "wg0", privateKey: key(1), listenPort: 0 }, "listenPort", />=|too small|1/],
  ["wg mtu 9999999", wgInterface, { name: "wg0", privateKey: key(1), mtu: 9999999 }, "mtu", /65535|too big/],
  ["wg name with space", wgInterface, { name: "wg 0", privateKey: key(1) }, "name", /interface name/],
  [
    "peer public key with a newline",
    wgPeer,
    { interface: "wg0", publicKey: `${key(1)}\n` },
    "publicKey",
    /WireGuard key/,
  ],
  [
    "peer allowed host bits",
    wgPeer,
    { interface: "wg0", publicKey: key(1), allowedAddress: ["192.0.2.1/30"] },
    "allowedAddress.0",
    /no host bits/,
  ],
  [
    "peer endpoint 1.2.3.999",
    wgPeer,
    { interface: "wg0", publicKey: key(1), endpointAddress: "1.2.3.999" },
    "endpointAddress",
    /address or a DNS name/,
  ],
  [
    "peer port without endpoint",
    wgPeer,
    { interface: "wg0", publicKey: key(1), endpointPort: 51820 },
    "endpointAddress",
    /required when endpointPort/,
  ],
  [
    "peer keepalive 1 day",
    wgPeer,
    { interface: "wg0", publicKey: key(1), persistentKeepalive: "1d" },
    "persistentKeepalive",
    /65535/,
  ],
  [
    "peer preshared key empty",
    wgPeer,
    { interface: "wg0", publicKey: key(1), presharedKey: "" },
    "presharedKey",
    /WireGuard key/,
  ],
  ["vrf named main", vrf, { name: "main", interfaces: ["ether2"] }, "name", /built-in/],
  ["vrf without interfaces", vrf, { name: "transit", interfaces: [] }, "interfaces", /at least one/],
  ["vrf interfaces all", vrf, { name: "transit", interfaces: ["all"] }, "interfaces", /all\/none/],
  ["template named default", template, { name: "default" }, "name", /built-in/],
  ["template hold 1s", template, { name: "t", holdTime: "1s" }, "holdTime", /at least 3/],
  [
    "template router-id v6",
    template,
    { name: "t", routerId: "2001:db8::1" },
    "routerId",
    /IPv4 address or a \/routing\/id/,
  ],
  [
    "template redistribute kernel",
    template,
    { name: "t", outputRedistribute: ["kernel"] },
    "outputRedistribute.0",
    /connected|invalid/i,
  ],
  [
    "session router-id 300.1.1.1",
    session,
    { ...ebgp, routerId: "300.1.1.1" },
    "routerId",
    /IPv4 address or a \/routing\/id/,
  ],
  ["session vrf with space", session, { ...ebgp, vrf: "my vrf" }, "vrf", /letters, digits/],
  ["filter rule empty", filterRule, { chain: "in", rule: "  " }, "rule", /empty/],
  [
    "filter rule unbalanced brace",
    filterRule,
    { chain: "in", rule: "if (dst == 203.0.113.0/24) { accept" },
    "rule",
    /unclosed \{/,
  ],
  [
    "filter rule stray paren",
    filterRule,
    { chain: "in", rule: "if dst == 203.0.113.0/24) { accept }" },
    "rule",
    /unmatched \)/,
  ],
  [
    "filter rule open quote",
    filterRule,
    { chain: "in", rule: 'if (bgp-as-path ~ "^645) { accept }' },
    "rule",
    /unterminated/,
  ],
  ["filter rule two lines", filterRule, { chain: "in", rule: "accept\nreject" }, "rule", /one line/],
  [
    "filter rule too long",
    filterRule,
    { chain: "in", rule: `if (${"dst == 203.0.113.0/24 || ".repeat(120)}dst == 198.51.100.0/24) { accept }` },
    "rule",
    /too long/,
  ],
  ["filter chain with space", filterRule, { chain: "transit in", rule: "accept" }, "chain", /letters, digits/],
];

badInputs(BAD);

describe("emulator menus of menus-vpn.ts follow routeros-cli.md", () => {
  it("a malformed key is a runtime error of the property (§4.1 `invalid value for argument`) [I: wording]", () => {
    const dev = emulator();
    expect(dev.run('/interface/wireguard/add name=wg0 private-key="abc"')).toBe(
      "invalid value for argument private-key\r\n",
    );
    expect(dev.dump()["/interface/wireguard"]).toEqual([]);
  });

  it("a WireGuard interface is an interface (type wg) that peers and VRFs refer to; a missing one is `input does not match`", () => {
    const dev = emulator();
    withTunnel(dev);
    expect(JSON.parse(dev.run(":put [:serialize to=json [/interface/print as-value where name=wg-transit]]"))).toEqual([
      expect.objectContaining({ name: "wg-transit", type: "wg" }),
    ]);
    expect(dev.run(`/interface/wireguard/peers/add interface=wg-gone public-key="${key(3)}"`)).toBe(
      "input does not match any value of interface\r\n",
    );
  });

  it("connection `instance` does not exist before 7.20 and `router-id` not from 7.20 (§5.4): parse errors", () => {
    expect(emulator("7.19").run("/routing/bgp/connection/add name=x instance=transit")).toMatch(
      /^syntax error \(line 1 column \d+\)\r\n$/,
    );
    expect(emulator("7.23").run("/routing/bgp/connection/add name=x router-id=192.0.2.1")).toMatch(
      /^bad parameter router-id \(line 1 column \d+\)\r\n$/,
    );
  });
});

describe("RoutingFilterRule text survives the codec and the device byte for byte (fast-check)", () => {
  beforeEach(() => clearVersionCache());

  it("any rule check accepts reads back exactly as declared, and is never drift", async () => {
    // Characters that matter to the CLI (§3.3): quotes, `$`, `\`, `;`, `#`, brackets, non-ASCII.
    const chars = fc.constantFrom(...'abc dst in 203.0.113.0/24 &&|| "$\\;#(){}[]=<>~^é€'.split(""));
    const rules = fc
      .array(chars, { minLength: 1, maxLength: 80 })
      .map((cs) => cs.join(""))
      .filter((r) => filterRule.schema.safeParse({ chain: "c", rule: r }).success);
    await fc.assert(
      fc.asyncProperty(rules, async (rule) => {
        clearVersionCache();
        const dev = emulator();
        const { ctx, transport } = ctxFor(dev, "site/prod/fuzz");
        const inputs = filterRule.schema.parse({ chain: "c", rule });
        const created = await filterRule.driver.create(ctx, inputs);
        expect(created.observed.inputs).toEqual(inputs);
        expect((dev.dump()["/routing/filter/rule"] as Rows)[0].rule).toBe(inputs.rule);
        const writes = transport.execs.filter((l) => WRITE.test(l)).length;
        await filterRule.driver.update(ctx, created.id, inputs, inputs);
        expect(transport.execs.filter((l) => WRITE.test(l))).toHaveLength(writes);
      }),
      { numRuns: 60 },
    );
  });
});
