/**
 * The simple RouterOS kinds of issue 6 (PppProfile, IpAddress, Vlan, InterfaceListMember) against the lab's
 * in-process CLI emulator (tests/lab/routeros; /ppp/profile and /interface/list from menus-misc.ts, whose facts
 * are [I]): the shared lifecycle (create → no-op → drift → update/unset → renumber → delete), the built-in PPP
 * profiles (adopt, restored on destroy), and bad input rejected by `check` with the field named and no device I/O.
 */
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as pppProfile } from "../../../provider/resources/routeros/ppp-profile";
import { kind as ipAddress } from "../../../provider/resources/routeros/ip-address";
import { kind as vlan } from "../../../provider/resources/routeros/vlan";
import { kind as listMember } from "../../../provider/resources/routeros/interface-list-member";
import { clearVersionCache } from "../../../provider/routeros/version";
import { badInputs, ctxFor, lifecycle } from "./lifecycle";
import { emulator, type Variation } from "./fixtures";

const VARIED: Variation = { floatIntegers: true, clockDurations: true, nullForUnset: true };

const onUp = ':log info "l2tp up"; /ip/route/set [find where comment~"backup"] distance=1';
const onDown = ':local t "backup"\n:log warning ("$t down")\n/ip/route/set [find where comment~$t] distance=250';

describe("emulator 7.20: routeros-ppp-profile (scripts, addresses, dns)", () => {
  lifecycle({
    kind: pppProfile,
    menu: "/ppp/profile",
    newDevice: () => emulator(),
    inputs: {
      name: "l2tp-backup",
      localAddress: "198.51.100.2",
      remoteAddress: "198.51.100.1",
      onUp,
      onDown,
      useEncryption: "required",
      changeTcpMss: "yes",
      onlyOne: "yes",
      dnsServer: ["192.0.2.53", "192.0.2.54"],
      comment: "public /30 over the tunnel",
    },
    update: { name: "l2tp-backup", localAddress: "pool-backup", onUp, useEncryption: "no", changeTcpMss: "no" },
    unsetField: "dnsServer",
    drift: {
      args: [{ kind: "value", prop: "on-up", value: ":log info tampered" }],
      expect: { onUp: ":log info tampered" },
    },
  });
});

describe("emulator 7.23 with variations: routeros-ppp-profile", () => {
  lifecycle({
    kind: pppProfile,
    menu: "/ppp/profile",
    newDevice: () => emulator("7.23", VARIED),
    inputs: { name: "pppoe-wan", dnsServer: ["192.0.2.53"] },
    update: { name: "pppoe-wan", remoteAddress: "192.0.2.9", onDown },
    unsetField: "dnsServer",
    drift: { args: [{ kind: "value", prop: "only-one", value: "no" }], expect: { onlyOne: "no" } },
  });
});

describe("emulator 7.20: routeros-ip-address (IPv4)", () => {
  lifecycle({
    kind: ipAddress,
    menu: "/ip/address",
    newDevice: () => emulator(),
    inputs: { address: "198.51.100.2/30", interface: "ether2", comment: "wan2 link" },
    update: { address: "198.51.100.6/30", interface: "ether3", disabled: true },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "interface", value: "ether4" }], expect: { interface: "ether4" } },
  });
});

describe("emulator 7.23 with variations: routeros-ip-address (IPv6)", () => {
  lifecycle({
    kind: ipAddress,
    menu: "/ipv6/address",
    newDevice: () => emulator("7.23", VARIED),
    inputs: { address: "2001:DB8:7:0::1/64", interface: "vlan6" },
    update: { address: "2001:db8:7::2/64", interface: "vlan6", comment: "second" },
    drift: { args: [{ kind: "value", prop: "disabled", value: true }], expect: { disabled: true } },
  });
});

describe("emulator 7.20: routeros-vlan", () => {
  lifecycle({
    kind: vlan,
    menu: "/interface/vlan",
    newDevice: () => emulator(),
    inputs: { name: "vlan7", vlanId: 7, interface: "bridge", comment: "backup hand-off" },
    update: { name: "vlan7", vlanId: 70, interface: "ether2", mtu: 1480 },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "vlan-id", value: 8 }], expect: { vlanId: 8 } },
  });
});

describe("emulator 7.16: routeros-vlan", () => {
  lifecycle({
    kind: vlan,
    menu: "/interface/vlan",
    newDevice: () => emulator("7.16"),
    inputs: { name: "vlan100", vlanId: 100, interface: "ether5", mtu: 1496 },
    update: { name: "vlan100", vlanId: 100, interface: "ether5", disabled: true },
    drift: { args: [{ kind: "value", prop: "mtu", value: 1400 }], expect: { mtu: 1400 } },
  });
});

describe("emulator 7.20: routeros-interface-list-member (defconf WAN list [I])", () => {
  lifecycle({
    kind: listMember,
    menu: "/interface/list/member",
    newDevice: () => emulator(),
    inputs: { list: "WAN", interface: "pppoe-gpon", comment: "gpon uplink" },
    update: { list: "LAN", interface: "bridge", disabled: true },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "list", value: "LAN" }], expect: { list: "LAN" } },
  });
});

describe("specifics of the simple kinds", () => {
  beforeEach(() => clearVersionCache());

  it("PppProfile: scripts reach the device byte for byte; the dns list keeps its order", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/profile");
    await pppProfile.driver.create(
      ctx,
      pppProfile.schema.parse({ name: "l2tp-backup", onUp, onDown, dnsServer: ["192.0.2.54", "192.0.2.53"] }),
    );
    const [item] = dev.dump()["/ppp/profile"] as Record<string, unknown>[];
    expect(item).toMatchObject({
      name: "l2tp-backup",
      "on-up": onUp,
      "on-down": onDown,
      "dns-server": "192.0.2.54,192.0.2.53",
      comment: "rs:site/prod/profile",
    });
  });

  it("PppProfile: the built-in `default` is taken over only with adopt, and destroy restores it instead of removing it", async () => {
    const dev = emulator();
    const read = () =>
      JSON.parse(
        dev.run(
          ':put [:serialize to=json options=json.no-string-conversion [/ppp/profile/print detail as-value where name="default"]]',
        ),
      )[0];
    const factory = read();
    const inputs = pppProfile.schema.parse({ name: "default", onUp, changeTcpMss: "no", onlyOne: "yes" });
    const plain = ctxFor(dev, "site/prod/default");
    const untouched = dev.dump();
    await expect(pppProfile.driver.create(plain.ctx, inputs)).rejects.toThrow(
      /already has an item named "default".*adopt/,
    );
    // The create's `add` is conditional on the name being free (codec.addUnless): it did not run.
    expect(dev.dump()).toEqual(untouched);

    const adopt = ctxFor(dev, "site/prod/default", true);
    const res = await pppProfile.driver.create(adopt.ctx, inputs);
    expect(res.observed.inputs).toEqual(inputs);
    // Adopted items are not tagged (menu-engine.ts): the comment stays as it was.
    expect(read()).toMatchObject({ "on-up": onUp, "change-tcp-mss": "no", "only-one": "yes" });
    expect(read().comment).toBeUndefined();

    await pppProfile.driver.delete(adopt.ctx, res.id, inputs);
    expect(read()).toEqual(factory);
  });

  it("PppProfile: `default-encryption` is restored to use-encryption=yes", async () => {
    const dev = emulator("7.23", VARIED);
    const { ctx } = ctxFor(dev, "site/prod/enc", true);
    const inputs = pppProfile.schema.parse({
      name: "default-encryption",
      useEncryption: "required",
      dnsServer: ["192.0.2.53"],
    });
    const res = await pppProfile.driver.create(ctx, inputs);
    await pppProfile.driver.delete(ctx, res.id, inputs);
    const [row] = JSON.parse(
      dev.run(
        ':put [:serialize to=json options=json.no-string-conversion [/ppp/profile/print detail as-value where name="default-encryption"]]',
      ),
    );
    expect(row).toMatchObject({ "use-encryption": "yes", "change-tcp-mss": "yes" });
    expect(row.comment ?? null).toBeNull();
    expect(row["dns-server"] ?? null).toBeNull();
  });

  it("IpAddress: a change of family moves the address from /ip/address to /ipv6/address", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/addr");
    const v4 = ipAddress.schema.parse({ address: "198.51.100.2/30", interface: "ether2" });
    const v6 = ipAddress.schema.parse({ address: "2001:db8:2::2/64", interface: "ether2" });
    const res = await ipAddress.driver.create(ctx, v4);
    expect(res.observed.outputs.network).toBe("198.51.100.0");
    await ipAddress.driver.update(ctx, res.id, v4, v6);
    const tagged = (menu: string) =>
      (dev.dump()[menu] as Record<string, unknown>[]).filter((r) => r.comment === "rs:site/prod/addr");
    expect(tagged("/ip/address")).toEqual([]);
    expect(tagged("/ipv6/address")).toMatchObject([{ address: "2001:db8:2::2/64", interface: "ether2" }]);
  });

  it("IpAddress: an address on a missing interface fails with the device's message and leaves nothing", async () => {
    const dev = emulator();
    const before = dev.dump();
    const { ctx } = ctxFor(dev, "site/prod/addr");
    await expect(
      ipAddress.driver.create(ctx, ipAddress.schema.parse({ address: "198.51.100.2/30", interface: "ether9" })),
    ).rejects.toThrow(/create failed: RouterOS error: input does not match any value of interface/);
    expect(dev.dump()).toEqual(before);
  });

  it("Vlan: the starting config's vlan6 is not taken over without adopt; a name used by another interface is refused by the device", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/vlan");
    const before = dev.dump();
    await expect(
      vlan.driver.create(ctx, vlan.schema.parse({ name: "vlan6", vlanId: 6, interface: "bridge" })),
    ).rejects.toThrow(/already has an item named "vlan6"/);
    expect(dev.dump()).toEqual(before);
    await expect(
      vlan.driver.create(ctx, vlan.schema.parse({ name: "ether2", vlanId: 2, interface: "bridge" })),
    ).rejects.toThrow(/already have interface with such name/);
  });

  it("InterfaceListMember: a list that does not exist and a duplicate member are refused by the device", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/m1");
    await expect(
      listMember.driver.create(ctx, listMember.schema.parse({ list: "BACKUP", interface: "ether2" })),
    ).rejects.toThrow(/input does not match any value of list/);
    await listMember.driver.create(ctx, listMember.schema.parse({ list: "WAN", interface: "ether2" }));
    const other = ctxFor(dev, "site/prod/m2");
    await expect(
      listMember.driver.create(other.ctx, listMember.schema.parse({ list: "WAN", interface: "ether2" })),
    ).rejects.toThrow(/already have such entry/);
    expect((dev.dump()["/interface/list/member"] as unknown[]).length).toBe(1);
  });
});

/** Bad input: `check` names the field and gives the reason; it never asks for a device transport. */
const BAD: [string, UntypedKind, Record<string, unknown>, string, RegExp][] = [
  ["profile name with a space", pppProfile, { name: "l2tp backup" }, "name", /letters, digits/],
  [
    "profile local-address 192.0.2.256",
    pppProfile,
    { name: "p", localAddress: "192.0.2.256" },
    "localAddress",
    /IPv4 address.*pool/,
  ],
  [
    "profile remote-address IPv6",
    pppProfile,
    { name: "p", remoteAddress: "2001:db8::1" },
    "remoteAddress",
    /IPv4 address.*pool/,
  ],
  [
    "profile use-encryption maybe",
    pppProfile,
    { name: "p", useEncryption: "maybe" },
    "useEncryption",
    /required|invalid/i,
  ],
  [
    "profile change-tcp-mss as boolean",
    pppProfile,
    { name: "p", changeTcpMss: true },
    "changeTcpMss",
    /yes|invalid|expected/i,
  ],
  ["profile script with NUL", pppProfile, { name: "p", onUp: "a\u0000b" }, "onUp", /control/],
  ["profile script too long", pppProfile, { name: "p", onDown: ":log info x;".repeat(200) }, "onDown", /too long/],
  [
    "profile three dns servers",
    pppProfile,
    { name: "p", dnsServer: ["192.0.2.1", "192.0.2.2", "192.0.2.3"] },
    "dnsServer",
    /at most 2/,
  ],
  ["profile dns server a name", pppProfile, { name: "p", dnsServer: ["dns.example"] }, "dnsServer.0", /IPv4 address/],
  ["profile disabled (no such property)", pppProfile, { name: "p", disabled: true }, "disabled", /unknown property/],
  ["address without length", ipAddress, { address: "198.51.100.2", interface: "ether2" }, "address", /prefix length/],
  ["address /33", ipAddress, { address: "198.51.100.2/33", interface: "ether2" }, "address", /prefix length/],
  ["address /129", ipAddress, { address: "2001:db8::1/129", interface: "ether2" }, "address", /prefix length/],
  ["address not an address", ipAddress, { address: "wan/24", interface: "ether2" }, "address", /prefix length/],
  [
    "address interface with a slash",
    ipAddress,
    { address: "198.51.100.2/30", interface: "ether/2" },
    "interface",
    /interface name/,
  ],
  [
    "address read-only output as input",
    ipAddress,
    { address: "198.51.100.2/30", interface: "ether2", actualInterface: "ether2" },
    "actualInterface",
    /unknown property/,
  ],
  ["vlan id 0", vlan, { name: "vlan0", vlanId: 0, interface: "bridge" }, "vlanId", /1|small/i],
  ["vlan id 4095", vlan, { name: "vlan0", vlanId: 4095, interface: "bridge" }, "vlanId", /4094|big/i],
  ["vlan id as text", vlan, { name: "vlan7", vlanId: "7", interface: "bridge" }, "vlanId", /number/],
  ["vlan without parent", vlan, { name: "vlan7", vlanId: 7 }, "interface", /string|required|expected/i],
  ["vlan mtu 67", vlan, { name: "vlan7", vlanId: 7, interface: "bridge", mtu: 67 }, "mtu", /68|small/i],
  ["member of the built-in all", listMember, { list: "all", interface: "ether2" }, "list", /built-in/],
  ["member list name with a space", listMember, { list: "my list", interface: "ether2" }, "list", /letters, digits/],
  ["member without interface", listMember, { list: "WAN" }, "interface", /string|required|expected/i],
];

badInputs(BAD);
