/**
 * The failover kinds of issue 6 (RoutingTable, RoutingRule, AddressListEntry, Netwatch, ModemProfile, PppoeClient,
 * L2tpClient) against the lab's in-process CLI emulator (tests/lab/routeros, written from routeros-cli.md):
 * the shared lifecycle (create → no-op → drift → update/unset → renumber → delete), the menus that have no
 * `unset` (§3.1), and bad input rejected by `check` with the field named and no device I/O.
 */
import { makeProvider, secretHash } from "../../../provider/dynamic/engine";
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as routingTable } from "../../../provider/resources/routeros/routing-table";
import { kind as routingRule } from "../../../provider/resources/routeros/routing-rule";
import { kind as addressList } from "../../../provider/resources/routeros/address-list-entry";
import { kind as netwatch } from "../../../provider/resources/routeros/netwatch";
import { kind as modemProfile } from "../../../provider/resources/routeros/modem-profile";
import { kind as pppoe } from "../../../provider/resources/routeros/pppoe-client";
import { kind as l2tp } from "../../../provider/resources/routeros/l2tp-client";
import { durationMsText } from "../../../provider/routeros/property-types";
import { clearVersionCache } from "../../../provider/routeros/version";
import { badInputs, ctxFor, lifecycle, WRITE, type Device } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

/** The policy-routing tables of the l2tp-backup design, made by hand (a RoutingTable in a real stack). */
const withTables = (dev: Device) => {
  dev.run("/routing/table/add name=wan1-force fib; /routing/table/add name=wan2-force fib");
};

/** The emulator's version matrix (issue 6): every lifecycle runs on each emulated RouterOS version. */

const upScript = ':log info "gpon up"; /ip/route/enable [find where comment~"gpon"]';
const downScript = ':local n "gpon"\n:log warning ("$n down")\n/ip/route/disable [find where comment~$n]';

describe.each(VERSIONS)("emulator %s: routeros-routing-table", (v) => {
  lifecycle({
    kind: routingTable,
    menu: "/routing/table",
    newDevice: () => emulator(v),
    inputs: { name: "wan1-force", fib: true, comment: "force gpon" },
    update: { name: "wan1-force", fib: true, disabled: true },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "disabled", value: true }], expect: { disabled: true } },
  });
});

describe.each(VERSIONS)("emulator %s: routeros-routing-table without fib", (v) => {
  lifecycle({
    kind: routingTable,
    menu: "/routing/table",
    newDevice: () => emulator(v),
    inputs: { name: "lookup-only" },
    update: { name: "lookup-only", comment: "for rules" },
    drift: { args: [{ kind: "flag", prop: "fib", on: true }], expect: { fib: true } },
  });
});

describe.each(VERSIONS)("emulator %s: routeros-routing-rule (health-check target forced out of gpon)", (v) => {
  lifecycle({
    kind: routingRule,
    menu: "/routing/rule",
    newDevice: () => emulator(v),
    setup: withTables,
    inputs: {
      dstAddress: "1.0.0.1/32",
      srcAddress: "192.0.2.0/29",
      action: "lookup-only-in-table",
      table: "wan1-force",
      comment: "probe via gpon",
    },
    update: { dstAddress: "1.0.0.1/32", action: "lookup", table: "wan2-force", minPrefix: 0, interface: "vlan6" },
    unsetField: "srcAddress",
    drift: { args: [{ kind: "value", prop: "table", value: "main" }], expect: { table: "main" } },
  });
});

describe.each(VERSIONS)(
  "emulator %s with variations (floats, clock durations, nulls): routeros-routing-rule IPv6",
  (v) => {
    lifecycle({
      kind: routingRule,
      menu: "/routing/rule",
      newDevice: () => emulator(v, { floatIntegers: true, clockDurations: true, nullForUnset: true }),
      setup: withTables,
      inputs: { srcAddress: "2001:db8:6::/64", table: "wan2-force", minPrefix: 0 },
      update: { srcAddress: "2001:db8:6::/64", action: "unreachable", disabled: true },
      unsetField: "minPrefix",
      drift: { args: [{ kind: "value", prop: "min-prefix", value: 4 }], expect: { minPrefix: 4 } },
    });
  },
);

describe.each(VERSIONS)("emulator %s: routeros-address-list-entry", (v) => {
  lifecycle({
    kind: addressList,
    menu: "/ip/firewall/address-list",
    newDevice: () => emulator(v),
    inputs: { list: "exported", address: "203.0.113.0/24", comment: "allocated prefix" },
    update: { list: "exported", address: "203.0.113.0/25", disabled: true },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "address", value: "198.51.100.7" }], expect: { address: "198.51.100.7" } },
  });
});

describe.each(VERSIONS)("emulator %s: routeros-address-list-entry (range, DNS name)", (v) => {
  lifecycle({
    kind: addressList,
    menu: "/ip/firewall/address-list",
    newDevice: () => emulator(v),
    inputs: { list: "probes", address: "192.0.2.10-192.0.2.20" },
    update: { list: "probes-2", address: "one.one.one.one", comment: "resolved by RouterOS" },
    drift: { args: [{ kind: "value", prop: "list", value: "other" }], expect: { list: "other" } },
  });
});

describe.each(VERSIONS)("emulator %s: routeros-netwatch (icmp with thresholds and scripts)", (v) => {
  lifecycle({
    kind: netwatch,
    menu: "/tool/netwatch",
    newDevice: () => emulator(v),
    inputs: {
      host: "1.0.0.1",
      type: "icmp",
      interval: "30s",
      timeout: 1,
      thrAvg: "150ms",
      thrLossPercent: 50,
      thrLossCount: 5,
      upScript,
      downScript,
      name: "gpon-check",
      comment: "gpon health",
    },
    update: {
      host: "1.0.0.1",
      type: "icmp",
      interval: 10,
      packetInterval: 0.1,
      thrMax: "1s500ms",
      upScript,
      name: "gpon-check",
    },
    unsetField: "thrLossCount",
    drift: { args: [{ kind: "value", prop: "thr-avg", value: "200ms" }], expect: { thrAvg: 0.2 } },
  });
});

describe.each(VERSIONS)("emulator %s with variations: routeros-netwatch (clock-form sub-second durations)", (v) => {
  lifecycle({
    kind: netwatch,
    menu: "/tool/netwatch",
    newDevice: () => emulator(v, { floatIntegers: true, clockDurations: true, nullForUnset: true }),
    inputs: { host: "2001:db8:6::2", type: "tcp-conn", port: 179, thrStdev: 0.125, srcAddress: "2001:db8:6::1" },
    update: { host: "2001:db8:6::2", type: "simple", interval: 5 },
    unsetField: "srcAddress",
    drift: { args: [{ kind: "value", prop: "packet-interval", value: "1s250ms" }], expect: { packetInterval: 1.25 } },
  });
});

const apn = {
  name: "lte-apn",
  apn: "internet",
  authentication: "pap",
  user: "lte",
  password: "apn-secret",
  ipType: "ipv4",
  defaultRouteDistance: 200,
};

describe.each(VERSIONS)("emulator %s: routeros-modem-profile (/interface/lte/apn, no unset)", (v) => {
  lifecycle({
    kind: modemProfile,
    menu: "/interface/lte/apn",
    newDevice: () => emulator(v),
    inputs: apn,
    // No unsetField: the menu has no unset; removing apn/user/password/ipType replaces (tested below).
    update: { ...apn, usePeerDns: false, addDefaultRoute: false, defaultRouteDistance: 3, comment: "LTE standby" },
    drift: { args: [{ kind: "value", prop: "default-route-distance", value: 9 }], expect: { defaultRouteDistance: 9 } },
  });
});

const gpon2 = {
  name: "pppoe-wan2",
  interface: "ether2",
  user: "crs@wan2.example",
  password: "pppoe-secret",
  addDefaultRoute: true,
  defaultRouteDistance: 2,
  allow: ["pap", "chap"],
  comment: "second uplink",
};

describe.each(VERSIONS)("emulator %s: routeros-pppoe-client", (v) => {
  lifecycle({
    kind: pppoe,
    menu: "/interface/pppoe-client",
    newDevice: () => emulator(v),
    inputs: gpon2,
    update: { ...gpon2, allow: undefined, password: "rotated", usePeerDns: "yes", keepaliveTimeout: 30 },
    unsetField: "allow",
    drift: { args: [{ kind: "value", prop: "user", value: "someone@else" }], expect: { user: "someone@else" } },
  });
});

const backup = {
  name: "l2tp-backup",
  connectTo: "203.0.113.1",
  user: "site-a",
  password: "l2tp-secret",
  useIpsec: "yes",
  ipsecSecret: "ipsec-psk",
  srcAddress: "198.51.100.2",
};

describe.each(VERSIONS)("emulator %s: routeros-l2tp-client", (v) => {
  lifecycle({
    kind: l2tp,
    menu: "/interface/l2tp-client",
    newDevice: () => emulator(v),
    inputs: backup,
    update: {
      ...backup,
      srcAddress: undefined,
      useIpsec: "required",
      addDefaultRoute: true,
      defaultRouteDistance: 5,
      disabled: true,
    },
    unsetField: "srcAddress",
    drift: {
      args: [{ kind: "value", prop: "connect-to", value: "203.0.113.2" }],
      expect: { connectTo: "203.0.113.2" },
    },
  });
});

describe("specifics of the failover kinds", () => {
  beforeEach(() => clearVersionCache());

  it("RoutingTable: fib is a bare presence flag on add; a fib change replaces (deleteBeforeReplace), other changes do not", async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev);
    await routingTable.driver.create(ctx, routingTable.schema.parse({ name: "wan1-force", fib: true }));
    expect(transport.execs.find((l) => l.includes("/routing/table/add"))).toMatch(
      /\/routing\/table\/add name="wan1-force" fib comment=/,
    );
    expect(dev.dump()["/routing/table"]).toEqual([
      { ".id": "*2", name: "wan1-force", fib: true, disabled: false, comment: "rs:site/prod/wan1" },
    ]);
    const p = makeProvider(routingTable);
    const olds = { device: "crs", identity: "site/prod/t", name: "wan1-force", fib: true, disabled: false };
    expect(await p.diff("*2", olds, { ...olds, fib: false })).toMatchObject({
      changes: true,
      replaces: ["fib"],
      deleteBeforeReplace: true,
    });
    expect(await p.diff("*2", olds, { ...olds, disabled: true })).toMatchObject({ changes: true, replaces: [] });
  });

  it("RoutingRule without order: writes the rule verbatim and appends it after rules already there", async () => {
    const dev = emulator();
    withTables(dev);
    dev.run("/routing/rule/add dst-address=8.8.4.4/32 action=lookup-only-in-table table=wan2-force");
    const { ctx } = ctxFor(dev, "site/prod/probe1");
    await routingRule.driver.create(
      ctx,
      routingRule.schema.parse({ dstAddress: "1.0.0.1/32", action: "lookup-only-in-table", table: "wan1-force" }),
    );
    expect(dev.dump()["/routing/rule"]).toEqual([
      { ".id": "*1", "dst-address": "8.8.4.4/32", action: "lookup-only-in-table", table: "wan2-force" },
      {
        ".id": "*2",
        "dst-address": "1.0.0.1/32",
        action: "lookup-only-in-table",
        table: "wan1-force",
        disabled: false,
        comment: "rs:site/prod/probe1",
      },
    ]);
  });

  it("Netwatch: sub-second thresholds go out as RouterOS durations and script bodies byte for byte", async () => {
    expect([0.05, 0.1, 0.25, 1, 1.5, 90, 90.001].map(durationMsText)).toEqual([
      "50ms",
      "100ms",
      "250ms",
      "1s",
      "1s500ms",
      "1m30s",
      "1m30s1ms",
    ]);
    expect(() => durationMsText(0.0005)).toThrow(RangeError);
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/nw");
    await netwatch.driver.create(
      ctx,
      netwatch.schema.parse({ host: "1.0.0.1", type: "icmp", thrAvg: 0.15, downScript }),
    );
    const [item] = dev.dump()["/tool/netwatch"] as Record<string, unknown>[];
    expect(item).toMatchObject({
      host: "1.0.0.1",
      type: "icmp",
      "thr-avg": 0.15,
      "packet-interval": 0.05,
      "thr-loss-percent": 85,
      "down-script": downScript,
      "up-script": "",
    });
  });

  it("ModemProfile: the menu has no unset, so removing an optional input replaces; changing a defaulted one does not", async () => {
    const p = makeProvider(modemProfile);
    const olds = { device: "crs", identity: "site/prod/apn", ...modemProfile.schema.parse(apn) } as Record<
      string,
      unknown
    >;
    const { password: _p, ...withoutPassword } = olds;
    olds.secretHashes = { password: secretHash("site/prod/apn", "password", "apn-secret") };
    for (const field of ["apn", "user", "ipType"]) {
      const { [field]: _gone, ...news } = olds;
      delete news.secretHashes;
      expect({ field, diff: await p.diff("*1", olds, news) }).toMatchObject({
        field,
        diff: { changes: true, replaces: [field], deleteBeforeReplace: true },
      });
    }
    const { secretHashes: _h, ...sameWithoutHashes } = withoutPassword;
    expect(await p.diff("*1", olds, sameWithoutHashes)).toMatchObject({ changes: true, replaces: ["password"] });
    const { secretHashes: _h2, ...same } = olds;
    expect(await p.diff("*1", olds, same)).toMatchObject({ changes: false });
    expect(await p.diff("*1", olds, { ...same, defaultRouteDistance: 5 })).toMatchObject({
      changes: true,
      replaces: [],
    });

    // Why: an in-place update that removes `apn` would need `!apn`, which the device refuses (nothing changes).
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/apn");
    const created = await modemProfile.driver.create(ctx, modemProfile.schema.parse(apn));
    const { apn: _a, ...noApn } = apn;
    await expect(
      modemProfile.driver.update(ctx, created.id, modemProfile.schema.parse(apn), modemProfile.schema.parse(noApn)),
    ).rejects.toThrow(/update failed: RouterOS rejected the command: (syntax error|bad parameter apn)/);
    expect((dev.dump()["/interface/lte/apn"] as Record<string, unknown>[])[0].apn).toBe("internet");
  });

  it("ModemProfile: `default` is the built-in profile and is refused by check; another stack's profile of the same name needs adopt", async () => {
    const dev = emulator();
    dev.run('/interface/lte/apn/add name=lte-apn apn=other comment="rs:other/stack/x"');
    const { ctx, transport } = ctxFor(dev);
    await expect(modemProfile.driver.create(ctx, modemProfile.schema.parse(apn))).rejects.toThrow(
      /already has an item named "lte-apn".*adopt/,
    );
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("PppoeClient / L2tpClient: 7.23 masks the secrets in reads; the client is found by name and nothing is drift", async () => {
    const dev = emulator("7.23");
    const { ctx } = ctxFor(dev, "site/prod/backup");
    const inputs = l2tp.schema.parse(backup);
    const created = await l2tp.driver.create(ctx, inputs);
    expect(created.observed.inputs.password).toBeUndefined();
    expect(created.observed.inputs.ipsecSecret).toBeUndefined();
    const { password: _p, ipsecSecret: _s, ...rest } = inputs;
    expect(created.observed.inputs).toEqual(rest);
    const dump = dev.dump()["/interface/l2tp-client"] as Record<string, unknown>[];
    expect(dump[0]).toMatchObject({ name: "l2tp-backup", password: "l2tp-secret", "ipsec-secret": "ipsec-psk" });
  });

  it("PppoeClient: the starting config's pppoe-gpon is not taken over without adopt, and is with it", async () => {
    const dev = emulator();
    const inputs = pppoe.schema.parse({
      name: "pppoe-gpon",
      interface: "ether1",
      user: "crs@gpon.example",
      password: "lab-pppoe-secret",
    });
    const { ctx, transport } = ctxFor(dev, "site/prod/gpon");
    await expect(pppoe.driver.create(ctx, inputs)).rejects.toThrow(/already has an item named "pppoe-gpon"/);
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
    const adopt = ctxFor(dev, "site/prod/gpon", true);
    const res = await pppoe.driver.create(adopt.ctx, inputs);
    expect(res.observed.inputs).toEqual(inputs);
  });
});

/** Bad input: `check` names the field and gives the reason; it never asks for a device transport. */
const BAD: [string, UntypedKind, Record<string, unknown>, string, RegExp][] = [
  ["table named main", routingTable, { name: "main" }, "name", /built-in/],
  ["table name with a space", routingTable, { name: "wan 1" }, "name", /letters, digits/],
  ["table fib as text", routingTable, { name: "wan1", fib: "yes" }, "fib", /boolean/],
  ["table unknown property", routingTable, { name: "wan1", fibb: true }, "fibb", /unknown property/],
  ["rule lookup without table", routingRule, { dstAddress: "1.0.0.1/32" }, "table", /required for action lookup/],
  ["rule drop with a table", routingRule, { action: "drop", table: "wan1" }, "table", /not used by action drop/],
  ["rule prefix /33", routingRule, { dstAddress: "1.0.0.1/33", table: "wan1" }, "dstAddress", /prefix/],
  [
    "rule mixed families",
    routingRule,
    { srcAddress: "192.0.2.0/29", dstAddress: "2001:db8::/32", table: "wan1" },
    "dstAddress",
    /family/,
  ],
  ["rule min-prefix 200", routingRule, { table: "wan1", minPrefix: 200 }, "minPrefix", /128/],
  ["rule unknown action", routingRule, { action: "prohibit" }, "action", /lookup|invalid/i],
  ["address with host bits", addressList, { list: "x", address: "192.0.2.1/24" }, "address", /no host bits/],
  ["address range reversed", addressList, { list: "x", address: "192.0.2.9-192.0.2.1" }, "address", /lower/],
  ["address 192.0.2.256", addressList, { list: "x", address: "192.0.2.256" }, "address", /IPv4 address/],
  [
    "address-list timeout",
    addressList,
    { list: "x", address: "192.0.2.1", timeout: "5m" },
    "timeout",
    /unknown property/,
  ],
  ["netwatch host 1.0.0.256", netwatch, { host: "1.0.0.256" }, "host", /address/],
  ["netwatch DNS host for icmp", netwatch, { host: "one.one.one.one", type: "icmp" }, "host", /unless type is dns/],
  ["netwatch type ping", netwatch, { host: "1.0.0.1", type: "ping" }, "type", /icmp|invalid/i],
  ["netwatch thr-avg in microseconds", netwatch, { host: "1.0.0.1", thrAvg: 0.0001 }, "thrAvg", /millisecond/],
  ["netwatch loss 101%", netwatch, { host: "1.0.0.1", thrLossPercent: 101 }, "thrLossPercent", /100/],
  ["netwatch script with NUL", netwatch, { host: "1.0.0.1", upScript: "a\u0000b" }, "upScript", /control/],
  [
    "netwatch script too long",
    netwatch,
    { host: "1.0.0.1", downScript: ":log info x;".repeat(200) },
    "downScript",
    /too long/,
  ],
  ["apn named default", modemProfile, { name: "default" }, "name", /built-in/],
  [
    "apn pap without user",
    modemProfile,
    { name: "p", authentication: "pap", password: "x" },
    "user",
    /required for authentication pap/,
  ],
  ["apn empty password", modemProfile, { name: "p", password: "" }, "password", /empty/],
  ["apn ip-type dual", modemProfile, { name: "p", ipType: "dual" }, "ipType", /ipv4|invalid/i],
  ["apn distance 0", modemProfile, { name: "p", defaultRouteDistance: 0 }, "defaultRouteDistance", /1|small/i],
  ["pppoe without interface", pppoe, { name: "pppoe-x" }, "interface", /string|required|expected/i],
  [
    "pppoe allow eap",
    pppoe,
    { name: "pppoe-x", interface: "ether2", allow: ["pap", "eap"] },
    "allow.1",
    /pap|invalid/i,
  ],
  [
    "pppoe password with newline",
    pppoe,
    { name: "pppoe-x", interface: "ether2", password: "a\nb" },
    "password",
    /control/,
  ],
  ["l2tp connect-to a name", l2tp, { name: "l2tp-x", connectTo: "vpn.example.com" }, "connectTo", /IPv4 or IPv6/],
  [
    "l2tp ipsec without secret",
    l2tp,
    { name: "l2tp-x", connectTo: "203.0.113.1", useIpsec: "required" },
    "ipsecSecret",
    /required when useIpsec/,
  ],
  [
    "l2tp src family",
    l2tp,
    { name: "l2tp-x", connectTo: "203.0.113.1", srcAddress: "2001:db8::1" },
    "srcAddress",
    /family/,
  ],
];

badInputs(BAD);
