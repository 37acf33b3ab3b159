import { kind } from "../../../provider/resources/routeros/static-route";
import { clearVersionCache } from "../../../provider/routeros/version";
import { emulator, printed, reportingVersion, VERSIONS } from "./fixtures";
import { ctxFor, lifecycle } from "./lifecycle";

// The version matrix of issue 6: the lifecycle runs on each RouterOS version the lab emulates.

describe.each(VERSIONS)("RouterOS %s: routeros-static-route on /ip/route (emulator)", (v) => {
  lifecycle({
    kind,
    menu: "/ip/route",
    newDevice: () => emulator(v),
    // recursive default via the monitor host 1.0.0.1 (reference topology)
    inputs: {
      dstAddress: "0.0.0.0/0",
      gateway: "1.0.0.1",
      checkGateway: "ping",
      targetScope: 11,
      comment: "wan1 via cloudflare",
    },
    update: { dstAddress: "0.0.0.0/0", gateway: "8.8.4.4", distance: 2, targetScope: 11 },
    unsetField: "checkGateway",
    drift: { args: [{ kind: "value", prop: "distance", value: 7 }], expect: { distance: 7 } },
  });
});

describe.each(VERSIONS)(
  "RouterOS %s: routeros-static-route on /ipv6/route, device sending floats, clock durations and nulls",
  (v) => {
    lifecycle({
      kind,
      menu: "/ipv6/route",
      newDevice: () => emulator(v, { floatIntegers: true, clockDurations: true, nullForUnset: true, logEcho: true }),
      inputs: { dstAddress: "2001:db8:0:0::/64", gateway: "fe80::1%vlan6" },
      update: { dstAddress: "2001:db8::/64", gateway: "fe80::1%vlan6", disabled: true, comment: "off for now" },
      drift: {
        args: [{ kind: "value", prop: "gateway", value: "fe80::2%vlan6" }],
        expect: { gateway: "fe80::2%vlan6" },
      },
    });
  },
);

describe("routeros-static-route specifics", () => {
  beforeEach(() => clearVersionCache());

  it("writes verbatim RouterOS properties and the identity tag next to the user's comment", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const { ctx } = ctxFor(dev);
    await kind.driver.create(
      ctx,
      kind.schema.parse({ dstAddress: "1.0.0.1/32", gateway: "pppoe-gpon", scope: 10, comment: "monitor host" }),
    );
    // What print shows (stored values plus the device's read-only ones), and exactly what the device keeps.
    const written = {
      ".id": "*1",
      "dst-address": "1.0.0.1/32",
      distance: 1,
      scope: 10,
      "target-scope": 10,
      "routing-table": "main",
      disabled: false,
      comment: "rs:site/prod/wan1 monitor host",
    };
    expect(printed(dev, "/ip/route")).toEqual([expect.objectContaining({ ...written, gateway: "pppoe-gpon" })]);
    expect(dev.dump()["/ip/route"]).toEqual([{ ...written, gateway: ["pppoe-gpon"] }]);
  });

  it("moves the route between /ip/route and /ipv6/route when the family changes", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const { ctx } = ctxFor(dev);
    const v4 = kind.schema.parse({ dstAddress: "0.0.0.0/0", gateway: "198.51.100.1" });
    const v6 = kind.schema.parse({ dstAddress: "::/0", gateway: "2001:db8::1" });
    const c = await kind.driver.create(ctx, v4);
    const u = await kind.driver.update(ctx, c.id, v4, v6);
    expect(u.observed.inputs).toEqual(v6);
    expect(dev.dump()["/ip/route"]).toEqual([]);
    expect(dev.dump()["/ipv6/route"]).toHaveLength(1);
  });

  it("reports two items with the same identity as an error instead of picking one", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    // Added by hand: RouterOS keeps routes with the same destination apart (different gateways).
    for (const [gw, comment] of [
      ["192.0.2.1", "rs:site/prod/wan1"],
      ["192.0.2.2", "rs:site/prod/wan1 copy"],
      ["192.0.2.3", "rs:site/prod/wan10"],
    ])
      expect(dev.run(`/ip/route/add dst-address=0.0.0.0/0 gateway=${gw} comment="${comment}"`)).toBe("");
    const { ctx } = ctxFor(dev);
    await expect(
      kind.driver.read(ctx, "*1", kind.schema.parse({ dstAddress: "0.0.0.0/0", gateway: "192.0.2.1" })),
    ).rejects.toThrow(
      'kind "site/prod/wan1" on device "crs": read failed: 2 items carry this identity (*1, *2); remove the duplicates',
    );
  });

  it("errors name the device, the resource, the operation and the device's message", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const { ctx } = ctxFor(dev);
    const inputs = kind.schema.parse({ dstAddress: "0.0.0.0/0", gateway: "198.51.100.1" });
    const c = await kind.driver.create(ctx, inputs);
    dev.run(`/ip/route/remove ${c.id}`);
    await expect(kind.driver.update(ctx, c.id, inputs, { ...inputs, distance: 3 })).rejects.toThrow(
      'kind "site/prod/wan1" on device "crs": update failed: the item is gone from /ip/route',
    );
  });

  it("re-resolves the .id after a reboot renumbered items (the id in state is only a cache)", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const { ctx } = ctxFor(dev);
    const inputs = kind.schema.parse({ dstAddress: "0.0.0.0/0", gateway: "198.51.100.1" });
    // An item before ours that goes away: the reboot's renumbering then moves our id (*2 → *1).
    expect(dev.run('/ip/route/add dst-address=192.0.2.0/24 gateway=198.51.100.1 comment="by hand"')).toBe("");
    const c = await kind.driver.create(ctx, inputs);
    expect(dev.run('/ip/route/remove [find where comment="by hand"]')).toBe("");
    dev.renumber();
    const r = await kind.driver.read(ctx, c.id, inputs);
    expect(r?.id).not.toBe(c.id);
    const u = await kind.driver.update(ctx, c.id, inputs, { ...inputs, distance: 4 });
    expect(u.id).toBe(r?.id);
    expect(printed(dev, "/ip/route")[0].distance).toBe(4);
  });

  it("an item whose identity tag was removed out of band is no longer ours (read: gone)", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const { ctx } = ctxFor(dev);
    const inputs = kind.schema.parse({ dstAddress: "0.0.0.0/0", gateway: "198.51.100.1", comment: "x" });
    const c = await kind.driver.create(ctx, inputs);
    dev.run(`/ip/route/set ${c.id} comment="x"`);
    expect(await kind.driver.read(ctx, c.id, inputs)).toBeUndefined();
  });

  it("refuses a RouterOS 7.15 device before touching anything", async () => {
    const dev = reportingVersion("7.15.3 (stable)");
    const { ctx, transport } = ctxFor(dev);
    await expect(
      kind.driver.create(ctx, kind.schema.parse({ dstAddress: "0.0.0.0/0", gateway: "198.51.100.1" })),
    ).rejects.toThrow(
      'kind "site/prod/wan1" on device "crs": create failed: device "crs" runs RouterOS 7.15.3 (stable); routerstack needs RouterOS 7.16',
    );
    expect(transport.execs).toHaveLength(1);
  });
});

describe("routeros-static-route validation (zod, errors name the field)", () => {
  const base = { dstAddress: "0.0.0.0/0", gateway: "198.51.100.1" };
  const issues = (raw: unknown) => {
    const r = kind.schema.safeParse(raw);
    return r.success
      ? []
      : r.error.issues.map((i) => ({
          path: i.path.join("."),
          code: i.code,
          message: i.message,
          keys: (i as { keys?: string[] }).keys,
        }));
  };

  it("normalises addresses and applies device defaults", () => {
    expect(kind.schema.parse({ dstAddress: "2001:0db8:0000::/32", gateway: "2001:db8:0::1" })).toEqual({
      dstAddress: "2001:db8::/32",
      gateway: "2001:db8::1",
      distance: 1,
      scope: 30,
      targetScope: 10,
      routingTable: "main",
      blackhole: false,
      disabled: false,
    });
  });

  it.each([
    [{ ...base, dstAddress: "192.0.2.1/24" }, "dstAddress"],
    [{ ...base, dstAddress: "300.0.0.0/0" }, "dstAddress"],
    [{ ...base, gateway: "198.51.100.300" }, "gateway"],
    [{ ...base, gateway: "bad gw" }, "gateway"],
    [{ ...base, gateway: "2001:db8::1" }, "gateway"],
    [{ ...base, gateway: "198.51.100.1%" }, "gateway"],
    [{ ...base, distance: 0 }, "distance"],
    [{ ...base, distance: 256 }, "distance"],
    [{ ...base, checkGateway: "icmp" }, "checkGateway"],
    [{ ...base, routingTable: "main; /system/reboot" }, "routingTable"],
    [{ ...base, comment: " padded" }, "comment"],
    [{ ...base, comment: "" }, "comment"],
    [{ ...base, comment: "two\nlines" }, "comment"],
  ])("rejects %j at field %s", (raw, field) => {
    expect(issues(raw).map((i) => i.path)).toContain(field);
  });

  it("rejects unknown properties, naming them", () => {
    expect(issues({ ...base, "check-gateway": "ping" })).toEqual([
      expect.objectContaining({ code: "unrecognized_keys", keys: ["check-gateway"] }),
    ]);
  });

  it("accepts interface and address%interface gateways", () => {
    expect(kind.schema.parse({ ...base, gateway: "pppoe-gpon" }).gateway).toBe("pppoe-gpon");
    expect(kind.schema.parse({ ...base, gateway: "192.0.2.1%vlan6" }).gateway).toBe("192.0.2.1%vlan6");
  });
});
