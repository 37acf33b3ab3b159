/**
 * The RouterOS kinds against the lab's in-process CLI emulator (tests/lab/routeros), which follows
 * routeros-cli.md independently of the provider. Starting config "reference": ether1..5, bridge, vlan6,
 * pppoe-gpon, routing table main, BGP template default.
 */
import { kind as route } from "../../../provider/resources/routeros/static-route";
import { kind as nat } from "../../../provider/resources/routeros/nat-rule";
import { kind as bgpInstance } from "../../../provider/resources/routeros/bgp-instance";
import { kind as bgpSession } from "../../../provider/resources/routeros/bgp-session";
import { clearVersionCache } from "../../../provider/routeros/version";
import { ctxFor, lifecycle, WRITE, type Device } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

// BGP below stays on 7.20+ (VERSIONS is the whole matrix): its ≤7.19 path is separate work.
const dlinkLte = {
  name: "dlink-lte",
  instance: "main-bgp",
  as: 65000,
  remoteAddress: "192.0.2.2",
  remoteAs: 65000,
  localAddress: "192.0.2.1",
  localRole: "ibgp-rr",
  nexthopChoice: "force-self",
  outputRedistribute: ["connected", "static"],
  outputDefaultOriginate: "if-installed",
  holdTime: 30,
  keepaliveTime: 10,
};
const withInstance = (dev: Device) => {
  dev.run('/routing/bgp/instance/add name="main-bgp" as="65000" comment="rs:lab/setup/instance"');
};

describe.each(VERSIONS)("emulator %s: routeros-static-route (recursive default via 1.0.0.1)", (v) => {
  lifecycle({
    kind: route,
    menu: "/ip/route",
    newDevice: () => emulator(v),
    inputs: {
      dstAddress: "0.0.0.0/0",
      gateway: "1.0.0.1",
      checkGateway: "ping",
      targetScope: 11,
      comment: "gpon primary",
    },
    update: { dstAddress: "0.0.0.0/0", gateway: "8.8.4.4", distance: 2, targetScope: 11 },
    unsetField: "checkGateway",
    drift: { args: [{ kind: "value", prop: "distance", value: 7 }], expect: { distance: 7 } },
  });
});

describe.each(VERSIONS)(
  "emulator %s with variations (floats, clock durations, nulls): routeros-static-route IPv6",
  (v) => {
    lifecycle({
      kind: route,
      menu: "/ipv6/route",
      newDevice: () => emulator(v, { floatIntegers: true, clockDurations: true, nullForUnset: true }),
      inputs: { dstAddress: "2001:db8:100::/48", gateway: "2001:db8:6::2", comment: "via dlink" },
      update: { dstAddress: "2001:db8:100::/48", gateway: "2001:db8:6::3", disabled: true },
      drift: { args: [{ kind: "value", prop: "distance", value: 9 }], expect: { distance: 9 } },
    });
  },
);

describe.each(VERSIONS)("emulator %s: routeros-nat-rule (masquerade on pppoe-gpon)", (v) => {
  lifecycle({
    kind: nat,
    menu: "/ip/firewall/nat",
    newDevice: () => emulator(v),
    inputs: { chain: "srcnat", action: "masquerade", outInterface: "pppoe-gpon", comment: "masq gpon" },
    update: {
      chain: "srcnat",
      action: "src-nat",
      outInterface: "pppoe-gpon",
      toAddresses: "203.0.113.10",
      srcAddress: "192.0.2.0/29",
    },
    drift: { args: [{ kind: "value", prop: "out-interface", value: "vlan6" }], expect: { outInterface: "vlan6" } },
  });
});

describe("emulator 7.20: routeros-bgp-instance", () => {
  lifecycle({
    kind: bgpInstance,
    menu: "/routing/bgp/instance",
    newDevice: () => emulator(),
    inputs: { name: "main-bgp", as: 65000, routerId: "192.0.2.1" },
    update: { name: "main-bgp", as: 65001, comment: "renumbered" },
    unsetField: "routerId",
    drift: { args: [{ kind: "value", prop: "as", value: 64512 }], expect: { as: 64512 } },
  });
});

describe("emulator 7.20: routeros-bgp-session dlink-lte", () => {
  lifecycle({
    kind: bgpSession,
    menu: "/routing/bgp/connection",
    newDevice: () => emulator(),
    setup: withInstance,
    inputs: dlinkLte,
    update: { ...dlinkLte, outputRedistribute: ["static"], holdTime: 90, keepaliveTime: undefined, multihop: true },
    unsetField: "keepaliveTime",
    drift: { args: [{ kind: "value", prop: "hold-time", value: "3m" }], expect: { holdTime: 180 } },
  });
});

describe("emulator: version gates and errors", () => {
  beforeEach(() => clearVersionCache());

  it("BgpInstance is refused on 7.19, where /routing/bgp/instance does not exist", async () => {
    const dev = emulator("7.19");
    const { ctx, transport } = ctxFor(dev);
    await expect(bgpInstance.driver.create(ctx, bgpInstance.schema.parse({ name: "x", as: 65000 }))).rejects.toThrow(
      /runs RouterOS 7\.19.*\/routing\/bgp\/instance exists from RouterOS 7\.20; on 7\.16–7\.19 .*routerId/,
    );
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("static routes work on 7.16", async () => {
    const dev = emulator("7.16");
    const { ctx } = ctxFor(dev);
    const inputs = route.schema.parse({ dstAddress: "1.0.0.1/32", gateway: "pppoe-gpon", scope: 10 });
    const c = await route.driver.create(ctx, inputs);
    expect(c.observed.inputs).toEqual(inputs);
  });

  it("a device error names device, resource, operation and carries the device message", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev);
    await expect(
      nat.driver.create(ctx, nat.schema.parse({ chain: "srcnat", action: "masquerade", outInterface: "nonexistent" })),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^kind "site\/prod\/wan1" on device "crs": create failed: RouterOS error: .+/),
      deviceMessage: expect.any(String),
    });
  });

  it("hostile comments survive the round trip", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev);
    const comment = 'a "quoted" $var \\ ; [x] {y} #z — при 😀';
    const inputs = route.schema.parse({ dstAddress: "8.8.4.4/32", gateway: "pppoe-gpon", comment });
    const c = await route.driver.create(ctx, inputs);
    expect(c.observed.inputs.comment).toBe(comment);
  });
});
