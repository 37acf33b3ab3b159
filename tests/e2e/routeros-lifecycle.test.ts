/**
 * Lifecycle of every RouterOS kind (StaticRoute IPv4 + IPv6 incl. a recursive default, BgpInstance, BgpSession
 * with the reference topology's properties, NatRule masquerade + dst-nat, and the failover kinds of issue 6:
 * RoutingTable, RoutingRule, AddressListEntry, Netwatch, ModemProfile, PppoeClient, L2tpClient) against the
 * RouterOS emulator, through the test engine and the real dynamic-provider host:
 *   bad input (rejected by check, nothing sent to the device) → create (device dump shows the RouterOS
 *   properties) → second `up` is a no-op (0 steps, 0 device writes) → out-of-band drift of every managed
 *   property, one at a time per resource (`preview --refresh` names exactly it; `up --refresh` restores the
 *   converged dump) → updates and replaces → destroy (the device dump equals the one before the first `up`).
 *
 * Drift rounds change one property on each of several resources at once (never two on one resource), so one
 * preview + one up covers up to seven properties and the whole file stays within a few minutes.
 */
import { LabSession, differences, labAvailable, type ResourceSpec } from "./harness";
import type { EngineResult } from "../engine";
import type { LabDump } from "../lab/lab";

const run = labAvailable() ? describe : describe.skip;

const PROJECT = "routerstack-e2e";
const STACK = "test";
const tag = (name: string) => `rs:${PROJECT}/${STACK}/${name}`;

type Spec = ResourceSpec & { menu: string; find: string };

/** A RouterOS resource of the test program plus where the emulator keeps it and how an admin selects it. */
function ros(
  kind: string,
  name: string,
  menu: string,
  args: Record<string, unknown>,
  by: "comment" | "name" = "comment",
): Spec {
  const find = by === "comment" ? `[find where comment~"^${tag(name)}"]` : `[find where name="${String(args.name)}"]`;
  return { platform: "routeros", kind, name, args: { device: "crs", ...args }, menu, find };
}

// The reference topology's pieces (DESIGN.md), in documentation prefixes.
const rhost = ros("StaticRoute", "rhost", "/ip/route", { dstAddress: "1.0.0.1/32", gateway: "pppoe-gpon", scope: 10 });
const rdef = ros("StaticRoute", "rdef", "/ip/route", {
  dstAddress: "0.0.0.0/0",
  gateway: "1.0.0.1",
  distance: 1,
  checkGateway: "ping",
  targetScope: 11,
});
const rv6 = ros("StaticRoute", "rv6", "/ipv6/route", {
  dstAddress: "2001:db8:100::/48",
  gateway: "2001:db8:6::2",
  distance: 5,
  comment: "lte v6",
});
const bgpi = ros(
  "BgpInstance",
  "bgpi",
  "/routing/bgp/instance",
  { name: "bgp-main", as: 65000, routerId: "192.0.2.1" },
  "name",
);
const inst2 = ros("BgpInstance", "inst2", "/routing/bgp/instance", { name: "spare", as: 65010 }, "name");
const bgps = ros(
  "BgpSession",
  "bgps",
  "/routing/bgp/connection",
  {
    name: "dlink-lte",
    instance: "bgp-main",
    as: 65000,
    remoteAddress: "192.0.2.2",
    remoteAs: 65000,
    localAddress: "192.0.2.1",
    localRole: "ibgp-rr",
    nexthopChoice: "force-self",
    outputRedistribute: ["static", "connected"],
    outputDefaultOriginate: "if-installed",
    holdTime: "30s",
    keepaliveTime: 10,
  },
  "name",
);
const natm = ros("NatRule", "natm", "/ip/firewall/nat", {
  chain: "srcnat",
  action: "masquerade",
  outInterface: "pppoe-gpon",
  comment: "masq gpon",
});
const natd = ros("NatRule", "natd", "/ip/firewall/nat", {
  chain: "dstnat",
  action: "dst-nat",
  protocol: "tcp",
  dstAddress: "198.51.100.10",
  toAddresses: "192.0.2.3",
  toPorts: "8080",
});

// The failover kinds of issue 6 (the l2tp-backup design): they share the drift rounds, one bad-input run and one
// update run with the kinds above, so they add little time.
const tbl = ros(
  "RoutingTable",
  "tbl",
  "/routing/table",
  { name: "wan1-force", fib: true, comment: "force gpon" },
  "name",
);
const rule = ros("RoutingRule", "rule", "/routing/rule", {
  dstAddress: "1.0.0.1/32",
  action: "lookup-only-in-table",
  table: "wan1-force",
  comment: "probe via gpon",
});
const alist = ros("AddressListEntry", "alist", "/ip/firewall/address-list", {
  list: "exported",
  address: "203.0.113.0/24",
});
const nw = ros("Netwatch", "nw", "/tool/netwatch", {
  host: "1.0.0.1",
  type: "icmp",
  interval: "30s",
  thrAvg: "150ms",
  thrLossCount: 5,
  name: "gpon-check",
  upScript: ':log info "gpon up"',
  downScript: ':local n "gpon"\n:log warning ("$n down")',
});
const apn: Spec = {
  ...ros(
    "ModemProfile",
    "apn",
    "/interface/lte/apn",
    {
      name: "lte-apn",
      apn: "internet",
      authentication: "pap",
      user: "lte",
      password: "apn-secret",
      defaultRouteDistance: 200,
    },
    "name",
  ),
  secretArgs: ["password"],
};
const ppp: Spec = {
  ...ros(
    "PppoeClient",
    "ppp",
    "/interface/pppoe-client",
    {
      name: "pppoe-wan2",
      interface: "ether2",
      user: "crs@wan2.example",
      password: "pppoe-secret",
      addDefaultRoute: true,
      defaultRouteDistance: 2,
    },
    "name",
  ),
  secretArgs: ["password"],
};
const l2: Spec = {
  ...ros(
    "L2tpClient",
    "l2",
    "/interface/l2tp-client",
    {
      name: "l2tp-backup",
      connectTo: "203.0.113.1",
      user: "site-a",
      password: "l2tp-secret",
      useIpsec: "yes",
      ipsecSecret: "ipsec-psk",
    },
    "name",
  ),
  secretArgs: ["password", "ipsecSecret"],
};

const specs = (xs: Spec[]): ResourceSpec[] => xs.map(({ menu: _m, find: _f, ...r }) => r);
const withArgs = (s: Spec, args: Record<string, unknown>): Spec => ({ ...s, args: { ...s.args, ...args } });

/** Items of `menu` in a dump carrying the identity tag of `name`. */
function tagged(d: LabDump, menu: string, name: string): Record<string, unknown>[] {
  return ((d.crs[menu] ?? []) as Record<string, unknown>[]).filter(
    (i) => typeof i.comment === "string" && (i.comment === tag(name) || i.comment.startsWith(tag(name) + " ")),
  );
}

function one(d: LabDump, s: Spec): Record<string, unknown> {
  const items = tagged(d, s.menu, s.name);
  expect(items).toHaveLength(1);
  return items[0];
}

const zero = { create: 0, update: 0, replace: 0, delete: 0 };
const changes = (r: EngineResult) => ({
  create: r.counts.create,
  update: r.counts.update,
  replace: r.counts.replace,
  delete: r.counts.delete,
});
const stepOf = (r: EngineResult, name: string) => r.steps.filter((st) => st.name === name && st.op !== "refresh");

run("RouterOS kinds: create, no-op, drift, update, destroy", () => {
  const s = new LabSession();
  let empty: LabDump; // before the first up (helpers included)
  let converged: LabDump;
  const summary = { drifted: 0, restored: 0, rejected: 0, updates: 0, replaces: 0, failures: [] as string[] };

  beforeAll(async () => {
    await s.start("roslife");
    // Objects an admin already has, used as out-of-band drift targets (a second table, instance and template).
    for (const line of [
      "/routing/table/add name=oobt fib",
      "/routing/bgp/instance/add name=oob-inst as=65001",
      "/routing/bgp/template/add name=oob-tpl",
    ]) {
      expect(s.lab.crs.outOfBand(line)).toBe("");
    }
    empty = await s.dump();
  }, 180_000);

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(
      `routeros-lifecycle: properties drifted ${summary.drifted}, restored ${summary.restored}; bad inputs rejected ${summary.rejected}; ` +
        `updates ${summary.updates}, replaces ${summary.replaces}` +
        (summary.failures.length ? `; FAILED: ${summary.failures.join(", ")}` : ""),
    );
    await s.stop();
  });

  // ------------------------------------------------------------------ 6. bad input (state still empty)
  const BAD: { label: string; spec: Spec; field: string; reason: RegExp }[] = [
    {
      label: "route: prefix length 33",
      spec: withArgs(rdef, { dstAddress: "198.51.100.0/33" }),
      field: "dstAddress",
      reason: /prefix/i,
    },
    { label: "route: distance 300", spec: withArgs(rdef, { distance: 300 }), field: "distance", reason: /255/ },
    {
      label: "route: IPv6 gateway for IPv4 destination",
      spec: withArgs(rhost, { gateway: "2001:db8:6::2" }),
      field: "gateway",
      reason: /IPv4/,
    },
    {
      label: "route: unknown property",
      spec: withArgs(rhost, { pref_src: "192.0.2.1" }),
      field: "pref_src",
      reason: /unrecognized|unknown/i,
    },
    {
      label: "route: bad check-gateway enum",
      spec: withArgs(rdef, { checkGateway: "icmp" }),
      field: "checkGateway",
      reason: /arp|ping|invalid/i,
    },
    { label: "instance: AS 2^32", spec: withArgs(bgpi, { as: 4294967296 }), field: "as", reason: /4294967295/ },
    { label: "instance: AS 0", spec: withArgs(bgpi, { as: 0 }), field: "as", reason: /1|small/i },
    // A malformed dotted quad must not pass as a /routing/id name (StaticRoute.gateway guards the same way).
    {
      label: "instance: router id 192.0.2.256",
      spec: withArgs(bgpi, { routerId: "192.0.2.256" }),
      field: "routerId",
      reason: /IPv4 address/,
    },
    {
      label: "session: unknown local role",
      spec: withArgs(bgps, { localRole: "ibgp-client" }),
      field: "localRole",
      reason: /ibgp-rr|invalid/i,
    },
    {
      label: "session: hold time 2s",
      spec: withArgs(bgps, { holdTime: "2s" }),
      field: "holdTime",
      reason: /at least 3/,
    },
    {
      label: "session: redistribute kernel",
      spec: withArgs(bgps, { outputRedistribute: ["connected", "kernel"] }),
      field: "outputRedistribute",
      reason: /connected|invalid/i,
    },
    {
      label: "session: remote address 192.0.2.300",
      spec: withArgs(bgps, { remoteAddress: "192.0.2.300" }),
      field: "remoteAddress",
      reason: /IP address or prefix/,
    },
    { label: "nat: port 70000", spec: withArgs(natd, { toPorts: "70000" }), field: "toPorts", reason: /1\.\.65535/ },
    {
      label: "nat: masquerade with to-addresses",
      spec: withArgs(natm, { toAddresses: "192.0.2.9" }),
      field: "toAddresses",
      reason: /masquerade/,
    },
    {
      label: "nat: chain forward",
      spec: withArgs(natm, { chain: "forward" }),
      field: "chain",
      reason: /srcnat|invalid/i,
    },
    {
      label: "nat: dst-address /40",
      spec: withArgs(natd, { dstAddress: "198.51.100.0/40" }),
      field: "dstAddress",
      reason: /IPv4 address or prefix/,
    },
  ];

  /** Bad inputs of the failover kinds, all in one `up` (each names its field; nothing reaches the device). */
  const BAD_MORE: { spec: Spec; field: string; reason: RegExp }[] = [
    { spec: withArgs(tbl, { name: "main" }), field: "name", reason: /built-in/ },
    { spec: withArgs(rule, { table: undefined }), field: "table", reason: /required for action/ },
    { spec: withArgs(alist, { address: "203.0.113.1/24" }), field: "address", reason: /no host bits/ },
    { spec: withArgs(nw, { thrAvg: "0.5us" }), field: "thrAvg", reason: /millisecond/ },
    { spec: withArgs(apn, { ipType: "dual" }), field: "ipType", reason: /ipv4|invalid/i },
    { spec: withArgs(ppp, { allow: ["eap"] }), field: "allow.0", reason: /pap|invalid/i },
    { spec: withArgs(l2, { ipsecSecret: undefined }), field: "ipsecSecret", reason: /required when useIpsec/ },
  ];

  describe("bad input is rejected before anything reaches the device", () => {
    it("failover kinds: a bad input for each kind, each in its own up, names its field", async () => {
      const before = s.lab.crs.execLog.length;
      const bad = BAD_MORE.map((b) => ({
        ...b,
        spec: { ...b.spec, args: JSON.parse(JSON.stringify(b.spec.args)) as Record<string, unknown> },
      }));
      // one up per bad input: the Pulumi CLI stops at the first failed Check (docs/engine.md S3)
      for (const b of bad) {
        const r = await s.run("up", specs([b.spec]));
        expect(r.ok).toBe(false);
        const line = r.errors.find((e) => e.includes(b.spec.name) && e.includes(`"${b.field}"`));
        expect({ name: b.spec.name, field: b.field, line }).toEqual({
          name: b.spec.name,
          field: b.field,
          line: expect.stringMatching(b.reason),
        });
        expect(changes(r)).toEqual(zero);
      }
      expect(s.lab.crs.execLog.length).toBe(before);
      summary.rejected += bad.length;
    });

    it.each(BAD.map((b) => [b.label, b] as const))("%s", async (_label, b) => {
      const before = s.lab.crs.execLog.length;
      const r = await s.run("up", specs([b.spec]));
      expect(r.ok).toBe(false);
      const text = r.errors.join("\n");
      // Rejected by check (not by the device), naming the field: `property "x"`, `"x.<index>"` for a list
      // element, or `Unrecognized key: "x"` for an unknown property.
      expect(text).toContain("check failed");
      expect(text).toMatch(new RegExp(`"${b.field}(\\.\\d+)?"`));
      expect(text).toMatch(b.reason);
      expect(text).toContain(b.spec.name);
      expect(s.lab.crs.execLog.length).toBe(before);
      expect(changes(r)).toEqual(zero);
      summary.rejected++;
    });
  });

  // ------------------------------------------------------------------ 1. create
  const all = [rhost, rdef, rv6, bgpi, inst2, bgps, natm, natd, tbl, rule, alist, nw, apn, ppp, l2];
  // Created in a second up: they name an object of the first (the test program cannot express the dependency).
  const staged = [bgps, rule];

  it("up creates every kind with the RouterOS properties expected", async () => {
    // The session refers to the instance and the rule to the table by name: stage them.
    const first = await s.ok("up", specs(all.filter((x) => !staged.includes(x))));
    expect(changes(first)).toEqual({ ...zero, create: all.length - staged.length });
    const second = await s.ok("up", specs(all));
    expect(changes(second)).toEqual({ ...zero, create: staged.length });
    expect(stepOf(second, "bgps").map((x) => x.op)).toEqual(["create"]);
    expect(stepOf(second, "rule").map((x) => x.op)).toEqual(["create"]);

    const d = await s.dump();
    expect(one(d, rhost)).toMatchObject({
      "dst-address": "1.0.0.1/32",
      gateway: ["pppoe-gpon"],
      scope: 10,
      comment: tag("rhost"),
    });
    const def = one(d, rdef);
    expect(def).toMatchObject({
      "dst-address": "0.0.0.0/0",
      gateway: ["1.0.0.1"],
      "check-gateway": "ping",
      "target-scope": 11,
      comment: tag("rdef"),
    });
    expect(def.distance ?? 1).toBe(1);
    expect(one(d, rv6)).toMatchObject({
      "dst-address": "2001:db8:100::/48",
      gateway: ["2001:db8:6::2"],
      distance: 5,
      comment: `${tag("rv6")} lte v6`,
    });
    expect(tagged(d, "/ip/route", "rv6")).toHaveLength(0);
    expect(one(d, bgpi)).toMatchObject({ name: "bgp-main", as: 65000, "router-id": "192.0.2.1", comment: tag("bgpi") });
    expect(one(d, inst2)).toMatchObject({ name: "spare", as: 65010, comment: tag("inst2") });
    const conn = one(d, bgps);
    expect(conn).toMatchObject({
      name: "dlink-lte",
      instance: "bgp-main",
      as: 65000,
      "remote.address": "192.0.2.2",
      "remote.as": 65000,
      "local.address": "192.0.2.1",
      "local.role": "ibgp-rr",
      "nexthop-choice": "force-self",
      "output.default-originate": "if-installed",
      "hold-time": 30,
      "keepalive-time": 10,
      comment: tag("bgps"),
    });
    expect([...(conn["output.redistribute"] as string[])].sort()).toEqual(["connected", "static"]);
    expect(one(d, natm)).toMatchObject({
      chain: "srcnat",
      action: "masquerade",
      "out-interface": "pppoe-gpon",
      comment: `${tag("natm")} masq gpon`,
    });
    expect(one(d, natd)).toMatchObject({
      chain: "dstnat",
      action: "dst-nat",
      protocol: "tcp",
      "dst-address": "198.51.100.10",
      "to-addresses": "192.0.2.3",
      "to-ports": "8080",
      comment: tag("natd"),
    });
    expect(one(d, tbl)).toMatchObject({ name: "wan1-force", fib: true, comment: `${tag("tbl")} force gpon` });
    expect(one(d, rule)).toMatchObject({
      "dst-address": "1.0.0.1/32",
      action: "lookup-only-in-table",
      table: "wan1-force",
    });
    expect(one(d, alist)).toMatchObject({ list: "exported", address: "203.0.113.0/24", comment: tag("alist") });
    expect(one(d, nw)).toMatchObject({
      host: "1.0.0.1",
      type: "icmp",
      interval: 30,
      "thr-avg": 0.15,
      "thr-loss-count": 5,
      name: "gpon-check",
      "down-script": ':local n "gpon"\n:log warning ("$n down")',
    });
    expect(one(d, apn)).toMatchObject({
      name: "lte-apn",
      apn: "internet",
      authentication: "pap",
      user: "lte",
      password: "apn-secret",
      "default-route-distance": 200,
    });
    expect(one(d, ppp)).toMatchObject({
      name: "pppoe-wan2",
      interface: "ether2",
      password: "pppoe-secret",
      "add-default-route": true,
    });
    expect(one(d, l2)).toMatchObject({
      name: "l2tp-backup",
      "connect-to": "203.0.113.1",
      "use-ipsec": "yes",
      "ipsec-secret": "ipsec-psk",
    });
    // Nothing else appeared on the device.
    const added = differences(empty, d);
    expect(added.every((x) => x.device === "crs" && x.change === "added")).toBe(true);
    expect(added).toHaveLength(all.length);
    converged = d;
  });

  // ------------------------------------------------------------------ 2. no-op
  it("a second up is a no-op: no steps and no device writes", async () => {
    let r!: EngineResult;
    const writes = await s.writesDuring(async () => {
      r = await s.ok("up", specs(all));
    });
    expect(changes(r)).toEqual(zero);
    expect(r.counts.same).toBe(all.length);
    expect(writes).toBe(0);
    // The same holds with refresh: nothing drifted, nothing written.
    let rr!: EngineResult;
    const writes2 = await s.writesDuring(async () => {
      rr = await s.ok("up", specs(all), { refresh: true });
    });
    expect(rr.drift).toEqual([]);
    expect(changes(rr)).toEqual(zero);
    expect(writes2).toBe(0);
    expect(differences(converged, await s.dump())).toEqual([]);
  });

  // ------------------------------------------------------------------ 3. drift of each managed property
  /** resource → [input field, out-of-band `set` arguments]; every managed property of each kind. */
  const DRIFT: [Spec, [string, string][]][] = [
    [
      rdef,
      [
        ["distance", "distance=7"],
        ["gateway", "gateway=8.8.4.4"],
        ["checkGateway", "check-gateway=arp"],
        ["scope", "scope=20"],
        ["targetScope", "target-scope=12"],
        ["routingTable", "routing-table=oobt"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("rdef")} set by hand"`],
        ["dstAddress", "dst-address=198.51.100.0/24"],
      ],
    ],
    [
      rhost,
      [
        ["checkGateway", "check-gateway=ping"],
        ["gateway", "gateway=ether1"],
        ["scope", "scope=11"],
      ],
    ],
    [
      rv6,
      [
        ["distance", "distance=9"],
        ["gateway", "gateway=2001:db8:6::3"],
        ["dstAddress", "dst-address=2001:db8:200::/48"],
        ["comment", `comment="${tag("rv6")}"`],
        ["disabled", "disabled=yes"],
      ],
    ],
    [
      bgpi,
      [
        ["as", "as=65001"],
        ["routerId", "router-id=192.0.2.9"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("bgpi")} hand"`],
      ],
    ],
    [
      bgps,
      [
        ["holdTime", "hold-time=1m"],
        ["keepaliveTime", "keepalive-time=20s"],
        ["localRole", "local.role=ibgp"],
        ["nexthopChoice", "nexthop-choice=propagate"],
        ["outputRedistribute", "output.redistribute=connected"],
        ["outputDefaultOriginate", "output.default-originate=always"],
        ["instance", "instance=oob-inst"],
        ["as", "as=65001"],
        ["remoteAddress", "remote.address=192.0.2.4"],
        ["remoteAs", "remote.as=65002"],
        ["localAddress", "local.address=192.0.2.5"],
        ["multihop", "multihop=yes"],
        ["templates", "templates=oob-tpl"],
        ["inputFilter", "input.filter=oob-in"],
        ["outputFilterChain", "output.filter-chain=oob-out"],
        ["useBfd", "use-bfd=yes"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("bgps")} hand"`],
      ],
    ],
    [
      natm,
      [
        ["outInterface", "out-interface=ether1"],
        ["outInterfaceList", "out-interface-list=WAN"],
        ["srcAddress", "src-address=192.0.2.0/29"],
        ["dstAddress", "dst-address=203.0.113.0/24"],
        ["protocol", "protocol=udp"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("natm")}"`],
        ["action", "action=src-nat to-addresses=192.0.2.1"],
      ],
    ],
    [
      natd,
      [
        ["toPorts", "to-ports=8081"],
        ["toAddresses", "to-addresses=192.0.2.4"],
        ["dstAddress", "dst-address=198.51.100.11"],
        ["protocol", "protocol=udp"],
        ["action", "action=netmap"],
        ["chain", "chain=srcnat"],
        ["srcAddress", "src-address=203.0.113.7"],
      ],
    ],
    // Failover kinds. Not drifted here: `name` of the name-keyed kinds (found by name: a rename is "gone", as for
    // bgps below), RoutingTable.fib and ModemProfile apn/user/ipType (they replace), and secrets (hash-compared;
    // tests/e2e/secrets.test.ts).
    [
      tbl,
      [
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("tbl")} hand"`],
      ],
    ],
    [
      rule,
      [
        ["table", "table=oobt"],
        ["dstAddress", "dst-address=8.8.4.4/32"],
        ["srcAddress", "src-address=192.0.2.0/29"],
        ["routingMark", "routing-mark=oobt"],
        ["interface", "interface=vlan6"],
        ["action", "action=lookup"],
        ["minPrefix", "min-prefix=0"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("rule")}"`],
      ],
    ],
    [
      alist,
      [
        ["address", "address=203.0.113.0/25"],
        ["list", "list=other"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("alist")} hand"`],
      ],
    ],
    [
      nw,
      [
        ["thrAvg", "thr-avg=200ms"],
        ["interval", "interval=10s"],
        ["timeout", "timeout=1s"],
        ["type", "type=simple"],
        ["host", "host=8.8.4.4"],
        ["thrLossPercent", "thr-loss-percent=50"],
        ["thrLossCount", "thr-loss-count=3"],
        ["packetInterval", "packet-interval=100ms"],
        ["packetCount", "packet-count=5"],
        ["thrMax", "thr-max=2s"],
        ["thrStdev", "thr-stdev=100ms"],
        ["ttl", "ttl=64"],
        ["port", "port=443"],
        ["upScript", 'up-script=":log info hand"'],
        ["downScript", 'down-script=""'],
        ["name", "name=oob-nw"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("nw")} hand"`],
      ],
    ],
    [
      apn,
      [
        ["defaultRouteDistance", "default-route-distance=9"],
        ["authentication", "authentication=chap"],
        ["usePeerDns", "use-peer-dns=no"],
        ["addDefaultRoute", "add-default-route=no"],
        ["comment", `comment="${tag("apn")} hand"`],
      ],
    ],
    [
      ppp,
      [
        ["user", "user=someone"],
        ["interface", "interface=ether3"],
        ["addDefaultRoute", "add-default-route=no"],
        ["defaultRouteDistance", "default-route-distance=5"],
        ["usePeerDns", "use-peer-dns=yes"],
        ["serviceName", "service-name=x"],
        ["acName", "ac-name=y"],
        ["profile", "profile=other"],
        ["dialOnDemand", "dial-on-demand=yes"],
        ["keepaliveTimeout", "keepalive-timeout=30"],
        ["allow", "allow=pap"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("ppp")} hand"`],
      ],
    ],
    [
      l2,
      [
        ["connectTo", "connect-to=203.0.113.2"],
        ["user", "user=x"],
        ["useIpsec", "use-ipsec=required"],
        ["profile", "profile=default"],
        ["addDefaultRoute", "add-default-route=yes"],
        ["defaultRouteDistance", "default-route-distance=5"],
        ["usePeerDns", "use-peer-dns=exclusively"],
        ["allow", "allow=mschap2"],
        ["keepaliveTimeout", "keepalive-timeout=5"],
        ["dialOnDemand", "dial-on-demand=yes"],
        ["srcAddress", "src-address=198.51.100.2"],
        ["disabled", "disabled=yes"],
        ["comment", `comment="${tag("l2")} hand"`],
      ],
    ],
  ];
  const rounds = Math.max(...DRIFT.map(([, xs]) => xs.length));

  describe("out-of-band drift of every managed property is reported and restored", () => {
    for (let k = 0; k < rounds; k++) {
      const round = DRIFT.filter(([, xs]) => xs[k] !== undefined).map(([spec, xs]) => ({
        spec,
        field: xs[k][0],
        set: xs[k][1],
      }));
      // natm's action drift also sets to-addresses: that is two properties, so both must be named.
      const expected = (r: { spec: Spec; field: string }) =>
        r.spec === natm && r.field === "action" ? ["action", "toAddresses"] : [r.field];
      it(`round ${k + 1}: ${round.map((r) => `${r.spec.name}.${r.field}`).join(", ")}`, async () => {
        for (const r of round) {
          const line = `${r.spec.menu}/set ${r.spec.find} ${r.set}`;
          expect({ line, out: s.lab.crs.outOfBand(line) }).toEqual({ line, out: "" });
        }
        expect(differences(converged, await s.dump())).toHaveLength(2 * round.length);

        const pv = await s.ok("preview", specs(all), { refresh: true });
        const drifted = Object.fromEntries(
          pv.drift.map((d) => [d.name, { gone: d.gone, diffs: d.diffs.filter((x) => x !== "observed") }]),
        );
        expect(drifted).toEqual(
          Object.fromEntries(round.map((r) => [r.spec.name, { gone: false, diffs: expected(r) }])),
        );
        for (const r of round) {
          const planned = stepOf(pv, r.spec.name);
          expect(planned.map((x) => x.op)).toEqual(["update"]);
          expect(planned[0].diffs).toEqual(expect.arrayContaining(expected(r)));
        }
        expect(changes(pv)).toEqual({ ...zero, update: round.length });
        summary.drifted += round.length;

        let up!: EngineResult;
        const writes = await s.writesDuring(async () => {
          up = await s.ok("up", specs(all), { refresh: true });
        });
        expect(changes(up)).toEqual({ ...zero, update: round.length });
        expect(writes).toBeGreaterThan(0);
        const now = await s.dump();
        const left = differences(converged, now);
        if (left.length) summary.failures.push(...round.map((r) => `${r.spec.name}.${r.field} not restored`));
        expect(left).toEqual([]);
        summary.restored += round.length;
      });
    }

    it("a NAT rule removed out of band is reported gone and recreated by up --refresh", async () => {
      expect(s.lab.crs.outOfBand(`/ip/firewall/nat/remove ${natd.find}`)).toBe("");
      const pv = await s.ok("preview", specs(all), { refresh: true });
      expect(pv.drift.map((d) => ({ name: d.name, gone: d.gone }))).toEqual([{ name: "natd", gone: true }]);
      expect(stepOf(pv, "natd").map((x) => x.op)).toEqual(["create"]);
      const up = await s.ok("up", specs(all), { refresh: true });
      expect(changes(up)).toEqual({ ...zero, create: 1 });
      expect(differences(converged, await s.dump())).toEqual([]);
    });

    it("a renamed BGP session is reported gone (found by name), and found again when renamed back", async () => {
      expect(s.lab.crs.outOfBand(`/routing/bgp/connection/set ${bgps.find} name=dlink-lte-old`)).toBe("");
      const pv = await s.ok("preview", specs(all), { refresh: true });
      expect(pv.drift.map((d) => ({ name: d.name, gone: d.gone }))).toEqual([{ name: "bgps", gone: true }]);
      expect(stepOf(pv, "bgps").map((x) => x.op)).toEqual(["create"]);
      expect(s.lab.crs.outOfBand(`/routing/bgp/connection/set [find where name="dlink-lte-old"] name=dlink-lte`)).toBe(
        "",
      );
      const again = await s.ok("preview", specs(all), { refresh: true });
      expect(again.drift).toEqual([]);
      expect(changes(again)).toEqual(zero);
      expect(differences(converged, await s.dump())).toEqual([]);
    });
  });

  // ------------------------------------------------------------------ 4. update
  describe("updates change the device in place; natural-key changes replace", () => {
    let current = [...all];
    const set = (old: Spec, next: Spec) => {
      current = current.map((x) => (x === old ? next : x));
    };

    async function apply(
      label: string,
      next: Spec[],
      expect_: Partial<Record<"update" | "replace", number>>,
    ): Promise<LabDump> {
      let r!: EngineResult;
      const writes = await s.writesDuring(async () => {
        r = await s.ok("up", specs(next));
      });
      expect({ label, counts: changes(r) }).toEqual({ label, counts: { ...zero, ...expect_ } });
      expect(writes).toBeGreaterThan(0);
      summary.updates += expect_.update ?? 0;
      summary.replaces += expect_.replace ?? 0;
      return s.dump();
    }

    it("a bad update is rejected with no device I/O and leaves the stack as it was", async () => {
      const before = s.lab.crs.execLog.length;
      const r = await s.run("up", specs(current.map((x) => (x === rdef ? withArgs(rdef, { distance: 0 }) : x))));
      expect(r.ok).toBe(false);
      expect(r.errors.join("\n")).toMatch(/"distance"/);
      expect(s.lab.crs.execLog.length).toBe(before);
      summary.rejected++;
      const again = await s.ok("up", specs(current));
      expect(changes(again)).toEqual(zero);
    });

    it("StaticRoute: distance and check-gateway (IPv4), gateway (IPv6), IPv6 → IPv4 moves menus", async () => {
      const rdef2 = withArgs(rdef, { distance: 3, checkGateway: undefined });
      delete rdef2.args.checkGateway;
      set(rdef, rdef2);
      let d = await apply("rdef", current, { update: 1 });
      const def = one(d, rdef);
      expect(def.distance).toBe(3);
      expect(def["check-gateway"]).toBeUndefined();

      const rv62 = withArgs(rv6, { gateway: "2001:db8:6::9" });
      set(rv6, rv62);
      d = await apply("rv6", current, { update: 1 });
      expect(one(d, rv6).gateway).toEqual(["2001:db8:6::9"]);

      const rv64 = { ...withArgs(rv62, { dstAddress: "203.0.113.0/24", gateway: "192.0.2.2" }), menu: "/ip/route" };
      set(rv62, rv64);
      d = await apply("rv6 → IPv4", current, { update: 1 });
      expect(tagged(d, "/ipv6/route", "rv6")).toHaveLength(0);
      expect(one(d, rv64)).toMatchObject({
        "dst-address": "203.0.113.0/24",
        gateway: ["192.0.2.2"],
        distance: 5,
        comment: `${tag("rv6")} lte v6`,
      });
    });

    it("BgpInstance: router id updates; a rename replaces", async () => {
      const bgpi2 = withArgs(bgpi, { routerId: "192.0.2.6" });
      set(bgpi, bgpi2);
      let d = await apply("bgpi", current, { update: 1 });
      expect(one(d, bgpi)["router-id"]).toBe("192.0.2.6");

      const renamed = { ...withArgs(inst2, { name: "spare2" }), find: `[find where name="spare2"]` };
      set(inst2, renamed);
      d = await apply("inst2 rename", current, { replace: 1 });
      expect(one(d, inst2)).toMatchObject({ name: "spare2", as: 65010 });
      expect((d.crs["/routing/bgp/instance"] as Record<string, unknown>[]).some((i) => i.name === "spare")).toBe(false);
    });

    it("BgpSession: hold/keepalive and redistribute update; a rename replaces", async () => {
      const b2 = withArgs(bgps, { holdTime: 90, keepaliveTime: 30, outputRedistribute: ["connected"] });
      set(bgps, b2);
      let d = await apply("bgps", current, { update: 1 });
      expect(one(d, bgps)).toMatchObject({
        "hold-time": 90,
        "keepalive-time": 30,
        "output.redistribute": ["connected"],
      });

      const b3 = withArgs(b2, { name: "dlink-lte-2" });
      set(b2, b3);
      d = await apply("bgps rename", current, { replace: 1 });
      expect(one(d, bgps)).toMatchObject({ name: "dlink-lte-2", "hold-time": 90 });
      expect((d.crs["/routing/bgp/connection"] as Record<string, unknown>[]).some((i) => i.name === "dlink-lte")).toBe(
        false,
      );
    });

    it("NatRule: to-ports and the masquerade interface update in place", async () => {
      const n2 = withArgs(natd, { toPorts: "8443" });
      set(natd, n2);
      let d = await apply("natd", current, { update: 1 });
      expect(one(d, natd)["to-ports"]).toBe("8443");

      const m2 = withArgs(natm, { outInterface: "ether1", comment: "masq ether1" });
      set(natm, m2);
      d = await apply("natm", current, { update: 1 });
      expect(one(d, natm)).toMatchObject({ "out-interface": "ether1", comment: `${tag("natm")} masq ether1` });
    });

    it("failover kinds: rule, address list, netwatch (unset), PPPoE password, L2TP (unset secret) update; fib and an APN user removal replace", async () => {
      const next: [Spec, Spec][] = [
        [tbl, withArgs(tbl, { fib: false })],
        [rule, withArgs(rule, { table: "oobt", minPrefix: 0 })],
        [alist, withArgs(alist, { address: "203.0.113.0/25" })],
        [nw, withArgs(nw, { thrAvg: 0.3, thrLossCount: undefined })],
        [apn, withArgs(apn, { authentication: "none", user: undefined, password: undefined })],
        [ppp, withArgs(ppp, { password: "rotated-secret" })],
        [l2, withArgs(l2, { useIpsec: "no", ipsecSecret: undefined })],
      ];
      for (const [old, n] of next) {
        for (const [k, v] of Object.entries(n.args)) if (v === undefined) delete n.args[k];
        set(old, n);
      }
      const d = await apply("failover kinds", current, { update: 5, replace: 2 });
      const table = one(d, tbl);
      expect(table.fib).toBeUndefined();
      expect(table[".id"]).not.toBe(one(converged, tbl)[".id"]);
      expect(one(d, rule)).toMatchObject({ table: "oobt", "min-prefix": 0 });
      expect(one(d, alist).address).toBe("203.0.113.0/25");
      expect(one(d, nw)).toMatchObject({ "thr-avg": 0.3 });
      expect(one(d, nw)["thr-loss-count"]).toBeUndefined();
      const profile = one(d, apn);
      expect(profile).toMatchObject({ name: "lte-apn", apn: "internet", authentication: "none" });
      expect(profile.user).toBeUndefined();
      expect(profile.password).toBeUndefined();
      expect(one(d, ppp).password).toBe("rotated-secret");
      const client = one(d, l2);
      expect(client["use-ipsec"]).toBe("no");
      expect(client["ipsec-secret"]).toBeUndefined();
    });

    // ------------------------------------------------------------------ 5. destroy
    it("destroy leaves nothing on the device", async () => {
      const again = await s.ok("up", specs(current));
      expect(changes(again)).toEqual(zero);
      const r = await s.ok("destroy", specs(current));
      expect(r.counts.delete).toBe(all.length);
      expect(differences(empty, await s.dump())).toEqual([]);
    });
  });
});
