/**
 * FirewallRule (`/ip/firewall/filter|mangle`, `/ipv6/firewall/filter|mangle`) and declared order
 * (provider/routeros/rule-order.ts) against the lab's in-process CLI emulator (tests/lab/routeros, written from
 * routeros-cli.md §3.1/§5.6): the shared lifecycle, order among managed rules with an unmanaged rule in between,
 * an out-of-band `move` read as drift and restored by update, and bad input rejected by `check` naming the field
 * with no device I/O. The IPv6 menus and their reject types are [I] (not in the reference).
 */
import { diffDumps } from "../../lab/dump-diff";
import { kind, type FirewallRuleInputs } from "../../../provider/resources/routeros/firewall-rule";
import { kind as natRule } from "../../../provider/resources/routeros/nat-rule";
import { inPlaceIds, joinOrder, observedOrder, splitOrder } from "../../../provider/routeros/rule-order";
import { clearVersionCache } from "../../../provider/routeros/version";
import * as codec from "../../../provider/routeros/codec";
import { badInputs, ctxFor, lifecycle, type BadInput } from "./lifecycle";
import { emulator } from "./fixtures";

const WRITES = /\/(add|set|remove|move|unset)\b/;

/** The reference CRS's interfaces (no rules) plus a routing table for mark-routing. */
function crs() {
  // "empty": the interfaces (pppoe-gpon, vlan6) without the reference CRS's hand-made firewall rules.
  const dev = emulator("7.20", {}, { startingConfig: "empty" });
  dev.run("/routing/table/add name=via-lte fib");
  return dev;
}

const parse = (raw: unknown): FirewallRuleInputs => kind.schema.parse(raw);

/** Comments of a firewall menu in list order, as the device prints them. */
function comments(dev: ReturnType<typeof emulator>, menu: string): string[] {
  return (dev.dump()[menu] as { comment?: string }[]).map((r) => r.comment ?? "");
}

describe("emulator 7.20: routeros-firewall-rule filter (fast-fail reject of a flow shifted to LTE)", () => {
  lifecycle({
    kind,
    menu: "/ip/firewall/filter",
    newDevice: crs,
    inputs: {
      table: "filter",
      chain: "forward",
      action: "reject",
      rejectWith: "tcp-reset",
      protocol: "tcp",
      connectionMark: "gpon-conn",
      outInterface: "vlan6",
      comment: "gpon flow shifted to lte",
      order: 0,
    },
    update: {
      table: "filter",
      chain: "forward",
      action: "reject",
      rejectWith: "icmp-network-unreachable",
      connectionMark: "gpon-conn",
      outInterface: "vlan6",
      log: true,
      logPrefix: "shifted",
      order: 0,
    },
    unsetField: "protocol",
    drift: {
      args: [{ kind: "value", prop: "reject-with", value: "icmp-port-unreachable" }],
      expect: { rejectWith: "icmp-port-unreachable" },
    },
  });
});

describe("emulator 7.20: routeros-firewall-rule mangle (mark connections leaving by GPON)", () => {
  lifecycle({
    kind,
    menu: "/ip/firewall/mangle",
    newDevice: crs,
    inputs: {
      table: "mangle",
      chain: "forward",
      action: "mark-connection",
      newConnectionMark: "gpon-conn",
      passthrough: true,
      connectionMark: "no-mark",
      outInterface: "pppoe-gpon",
      connectionState: ["new"],
    },
    update: {
      table: "mangle",
      chain: "prerouting",
      action: "mark-routing",
      newRoutingMark: "via-lte",
      passthrough: false,
      connectionMark: "lte-conn",
      srcAddress: "192.0.2.0/29",
      disabled: true,
    },
    unsetField: "outInterface",
    drift: {
      args: [{ kind: "value", prop: "new-connection-mark", value: "other" }],
      expect: { newConnectionMark: "other" },
    },
  });
});

describe("emulator 7.20: routeros-firewall-rule IPv6 filter (family from the address) [I: IPv6 menu]", () => {
  lifecycle({
    kind,
    menu: "/ipv6/firewall/filter",
    newDevice: crs,
    inputs: {
      table: "filter",
      chain: "input",
      action: "drop",
      srcAddress: "2001:db8:6::/64",
      protocol: "udp",
      dstPort: "53,5353",
      order: 5,
    },
    update: {
      table: "filter",
      family: "ipv6",
      chain: "input",
      action: "accept",
      connectionState: ["related", "established"],
      order: 5,
    },
    unsetField: "srcAddress",
    drift: { args: [{ kind: "value", prop: "action", value: "accept" }], expect: { action: "accept" } },
  });
});

describe("declared order among managed rules", () => {
  beforeEach(() => clearVersionCache());

  const rule = (n: number, extra: object = {}) =>
    parse({
      table: "filter",
      chain: "forward",
      action: "drop",
      srcAddress: `198.51.100.${n}`,
      order: n * 10,
      ...extra,
    });
  const menu = "/ip/firewall/filter";

  /** Three managed rules created out of order, with an unmanaged rule already in the list. */
  async function three() {
    const dev = crs();
    dev.run('/ip/firewall/filter/add chain=forward action=accept connection-state=established comment="admin: keep"');
    const ids: Record<number, string> = {};
    const ctxs: Record<number, ReturnType<typeof ctxFor>> = {};
    for (const n of [3, 1, 2]) {
      ctxs[n] = ctxFor(dev, `site/prod/r${n}`);
      ids[n] = (await kind.driver.create(ctxs[n].ctx, rule(n))).id;
    }
    return { dev, ids, ctxs };
  }

  it("create places each rule by order with place-before; the unmanaged rule keeps its place", async () => {
    const { dev, ctxs } = await three();
    expect(comments(dev, menu)).toEqual([
      "admin: keep",
      "rs:site/prod/r1 order=10",
      "rs:site/prod/r2 order=20",
      "rs:site/prod/r3 order=30",
    ]);
    expect(ctxs[1].transport.execs.some((l) => /\/ip\/firewall\/filter\/add .*place-before=\*[0-9A-F]+/.test(l))).toBe(
      true,
    );
    for (const n of [1, 2, 3]) {
      const read = await kind.driver.read(ctxs[n].ctx, "*0", rule(n));
      expect(read?.observed.inputs).toEqual(rule(n));
    }
  });

  it("an unmanaged rule between managed ones stays there; a new rule goes right before the next higher order", async () => {
    const { dev } = await three();
    // The admin moves their rule between r1 and r2.
    const ids = JSON.parse(dev.run(":put [:serialize to=json [/ip/firewall/filter/print as-value]]").trim()) as {
      ".id": string;
      comment: string;
    }[];
    const id = (c: string) => ids.find((r) => r.comment === c)![".id"];
    dev.run(`/ip/firewall/filter/move ${id("admin: keep")} ${id("rs:site/prod/r2 order=20")}`);
    const before = comments(dev, menu);
    expect(before[1]).toBe("admin: keep");
    // Still in order among managed rules: no drift on any of them.
    for (const n of [1, 2, 3]) {
      const c = ctxFor(dev, `site/prod/r${n}`);
      expect((await kind.driver.read(c.ctx, "*0", rule(n)))?.observed.inputs.order).toBe(n * 10);
    }
    const r15 = parse({ table: "filter", chain: "forward", action: "drop", srcAddress: "198.51.100.15", order: 15 });
    await kind.driver.create(ctxFor(dev, "site/prod/r15").ctx, r15);
    expect(comments(dev, menu)).toEqual([
      "rs:site/prod/r1 order=10",
      "admin: keep",
      "rs:site/prod/r15 order=15",
      "rs:site/prod/r2 order=20",
      "rs:site/prod/r3 order=30",
    ]);
  });

  it("an out-of-band move reads as drift on the moved rule only, and update moves it back", async () => {
    const { dev, ids, ctxs } = await three();
    // r3 moved by hand before r1 (the unmanaged rule stays first).
    dev.run(`/ip/firewall/filter/move ${ids[3]} ${ids[1]}`);
    expect(comments(dev, menu)).toEqual([
      "admin: keep",
      "rs:site/prod/r3 order=30",
      "rs:site/prod/r1 order=10",
      "rs:site/prod/r2 order=20",
    ]);
    const reads = await Promise.all([1, 2, 3].map((n) => kind.driver.read(ctxs[n].ctx, ids[n], rule(n))));
    expect(reads.map((r) => r?.observed.inputs.order)).toEqual([10, 20, 10]);
    const before = ctxs[3].transport.execs.length;
    const upd = await kind.driver.update(ctxs[3].ctx, ids[3], rule(3), rule(3));
    expect(upd.observed.inputs).toEqual(rule(3));
    const writes = ctxs[3].transport.execs.slice(before).filter((l) => WRITES.test(l));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/\/ip\/firewall\/filter\/move \*[0-9A-F]+/);
    expect(comments(dev, menu)).toEqual([
      "admin: keep",
      "rs:site/prod/r1 order=10",
      "rs:site/prod/r2 order=20",
      "rs:site/prod/r3 order=30",
    ]);
  });

  it("a changed order moves the rule; other stacks' rules are not counted or moved", async () => {
    const { dev, ids, ctxs } = await three();
    const other = ctxFor(dev, "site/staging/x");
    await kind.driver.create(other.ctx, parse({ table: "filter", chain: "forward", action: "accept", order: 0 }));
    const otherAt = comments(dev, menu).indexOf("rs:site/staging/x order=0");
    const upd = await kind.driver.update(ctxs[1].ctx, ids[1], rule(1), rule(1, { order: 25 }));
    expect(upd.observed.inputs.order).toBe(25);
    const after = comments(dev, menu).filter((c) => c.startsWith("rs:site/prod/"));
    expect(after).toEqual(["rs:site/prod/r2 order=20", "rs:site/prod/r1 order=25", "rs:site/prod/r3 order=30"]);
    expect(comments(dev, menu).indexOf("rs:site/staging/x order=0")).toBeLessThanOrEqual(otherAt);
  });

  it("a second update after restoring is a no-op on the device; delete leaves only the unmanaged rule", async () => {
    const { dev, ids, ctxs } = await three();
    for (const n of [1, 2, 3]) {
      const before = ctxs[n].transport.execs.length;
      await kind.driver.update(ctxs[n].ctx, ids[n], rule(n), rule(n));
      expect(ctxs[n].transport.execs.slice(before).filter((l) => WRITES.test(l))).toEqual([]);
    }
    for (const n of [1, 2, 3]) await kind.driver.delete(ctxs[n].ctx, ids[n], rule(n));
    expect(comments(dev, menu)).toEqual(["admin: keep"]);
  });

  it("moving to another table or family removes the rule and adds it on the new menu", async () => {
    const { dev, ids, ctxs } = await three();
    const v6 = parse({ table: "filter", chain: "forward", action: "drop", srcAddress: "2001:db8::/32", order: 10 });
    const upd = await kind.driver.update(ctxs[1].ctx, ids[1], rule(1), v6);
    expect(upd.observed.inputs).toEqual(v6);
    expect(comments(dev, menu)).not.toContain("rs:site/prod/r1 order=10");
    expect(comments(dev, "/ipv6/firewall/filter")).toEqual(["rs:site/prod/r1 order=10"]);
  });
});

describe("order model (pure)", () => {
  it("encodes move and place-before with unquoted ids (§3.1, §3.2) and refuses anything else", () => {
    expect(codec.move("/ip/firewall/filter", "*1A", "*3").text).toBe("/ip/firewall/filter/move *1A *3");
    expect(codec.move("/ip/firewall/filter", "*1A").text).toBe("/ip/firewall/filter/move *1A");
    expect(codec.add("/ip/firewall/filter", [{ kind: "id", prop: "place-before", id: "*4" }]).text).toBe(
      "/ip/firewall/filter/add place-before=*4",
    );
    expect(() => codec.move("/ip/firewall/filter", "*1; /system/reboot")).toThrow(codec.CodecError);
    expect(() => codec.add("/ip/firewall/filter", [{ kind: "id", prop: "place-before", id: '"x"' }])).toThrow(
      codec.CodecError,
    );
  });

  it("joins and splits the order mark next to the user comment", () => {
    expect(joinOrder(7, "my note")).toBe("order=7 my note");
    expect(splitOrder("order=7 my note")).toEqual({ order: 7, user: "my note" });
    expect(splitOrder(joinOrder(0, undefined))).toEqual({ order: 0, user: undefined });
    expect(splitOrder("plain note")).toEqual({ user: "plain note" });
  });

  it("keeps a longest non-decreasing run in place and blames the rest", () => {
    const e = (xs: number[]) => xs.map((order, i) => ({ id: `*${i + 1}`, order }));
    expect([...inPlaceIds(e([10, 20, 20, 30]))].sort()).toEqual(["*1", "*2", "*3", "*4"]);
    expect(inPlaceIds(e([30, 10, 20])).has("*1")).toBe(false);
    expect(observedOrder(e([30, 10, 20]), "*1")).toBe(10);
    expect(observedOrder(e([10, 40, 20, 30]), "*2")).toBe(10);
    expect(observedOrder(e([10, 20]), "*9")).toBeUndefined();
  });
});

const BAD: [string, Record<string, unknown>, string, RegExp][] = [
  [
    "mangle action in table filter",
    { table: "filter", chain: "forward", action: "mark-connection", newConnectionMark: "x" },
    "action",
    /not a filter action/,
  ],
  [
    "new-routing-mark on filter",
    { table: "filter", chain: "forward", action: "accept", newRoutingMark: "via-lte" },
    "newRoutingMark",
    /only for table mangle/,
  ],
  [
    "IPv6 address on an IPv4 rule",
    { table: "filter", family: "ipv4", chain: "forward", action: "drop", srcAddress: "2001:db8::1" },
    "srcAddress",
    /IPv4 address or prefix for an IPv4 rule/,
  ],
  [
    "mixed families",
    { table: "filter", chain: "forward", action: "drop", srcAddress: "192.0.2.1", dstAddress: "2001:db8::/32" },
    "srcAddress",
    /IPv6/,
  ],
  [
    "reject-with without reject",
    { table: "filter", chain: "forward", action: "drop", rejectWith: "tcp-reset", protocol: "tcp" },
    "rejectWith",
    /needs action reject/,
  ],
  [
    "tcp-reset without tcp",
    { table: "filter", chain: "forward", action: "reject", rejectWith: "tcp-reset" },
    "rejectWith",
    /needs protocol tcp/,
  ],
  [
    "IPv4 reject type on IPv6",
    { table: "filter", family: "ipv6", chain: "forward", action: "reject", rejectWith: "icmp-network-unreachable" },
    "rejectWith",
    /not an IPv6 reject type/,
  ],
  [
    "mark-connection without a mark",
    { table: "mangle", chain: "forward", action: "mark-connection" },
    "newConnectionMark",
    /required/,
  ],
  [
    "ports without a port protocol",
    { table: "filter", chain: "input", action: "accept", dstPort: "22" },
    "dstPort",
    /needs protocol/,
  ],
  ["filter chain prerouting", { table: "filter", chain: "prerouting", action: "accept" }, "chain", /mangle chain/],
  ["negative order", { table: "filter", chain: "forward", action: "accept", order: -1 }, "order", /./],
  [
    "comment that looks like an order mark",
    { table: "filter", chain: "forward", action: "accept", comment: "order=3 x" },
    "comment",
    /reserved/,
  ],
  [
    "log-prefix over 31 characters",
    { table: "filter", chain: "forward", action: "accept", log: true, logPrefix: "x".repeat(32) },
    "logPrefix",
    /31/,
  ],
];

badInputs(BAD.map(([label, raw, field, reason]) => [label, kind, raw, field, reason] as BadInput));

describe("emulator: the IPv6 firewall menus and ordered dumps", () => {
  it("refuses an IPv6 matcher on the IPv4 menu and an IPv4 one on the IPv6 menu [I: wording]", () => {
    const dev = crs();
    expect(dev.run("/ip/firewall/filter/add chain=forward src-address=2001:db8::/32")).toMatch(
      /invalid value for argument src-address/,
    );
    expect(dev.run("/ipv6/firewall/filter/add chain=forward src-address=192.0.2.0/24")).toMatch(
      /invalid value for argument src-address/,
    );
    expect(
      dev.run("/ipv6/firewall/filter/add chain=forward action=reject reject-with=icmp-network-unreachable"),
    ).toMatch(/input does not match any value of reject-with/);
  });

  it("dump keeps list order in ordered menus, so a move changes it; place-before inserts", () => {
    const dev = crs();
    const a = dev.run(":put [/ip/firewall/filter/add chain=forward comment=a]").trim();
    const b = dev.run(":put [/ip/firewall/filter/add chain=forward comment=b]").trim();
    dev.run(`/ip/firewall/filter/add chain=forward comment=c place-before=${a}`);
    expect(comments(dev, "/ip/firewall/filter")).toEqual(["c", "a", "b"]);
    dev.run(`/ip/firewall/filter/move ${b} ${a}`);
    expect(comments(dev, "/ip/firewall/filter")).toEqual(["c", "b", "a"]);
  });
});

describe("dump diff of ordered menus", () => {
  const dump = (crs: Record<string, unknown[]>) => ({ crs, dlink: { uci: "", files: {} } });
  const r = (c: string) => ({ ".id": `*${c}`, chain: "forward", comment: c });

  it("counts a moved firewall rule once as changed, and ignores order in unordered menus", () => {
    const before = dump({ "/ip/firewall/filter": [r("a"), r("b"), r("c")], "/ip/route": [r("x"), r("y")] });
    const after = dump({ "/ip/firewall/filter": [r("c"), r("a"), r("b")], "/ip/route": [r("y"), r("x")] });
    const d = diffDumps(before, after);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ device: "crs", change: "changed" });
    expect(d[0].what).toContain('"comment":"c"');
    expect(diffDumps(before, before)).toEqual([]);
  });

  it("still reports additions and removals alongside a move", () => {
    const before = dump({ "/ip/firewall/mangle": [r("a"), r("b"), r("c")] });
    const after = dump({ "/ip/firewall/mangle": [r("b"), r("a"), r("d")] });
    expect(
      diffDumps(before, after)
        .map((x) => x.change)
        .sort(),
    ).toEqual(["added", "changed", "removed"]);
  });
});

describe("emulator 7.20: routeros-nat-rule with a declared order", () => {
  lifecycle({
    kind: natRule,
    menu: "/ip/firewall/nat",
    newDevice: crs,
    inputs: { chain: "srcnat", action: "masquerade", outInterface: "pppoe-gpon", comment: "masq gpon", order: 1 },
    update: { chain: "srcnat", action: "src-nat", outInterface: "pppoe-gpon", toAddresses: "203.0.113.9", order: 1 },
    unsetField: "comment",
    drift: {
      args: [{ kind: "value", prop: "out-interface", value: "vlan6" }],
      expect: { outInterface: "vlan6", order: 1 },
    },
  });

  it("a NAT rule moved by hand before another is drift on order, and update restores it", async () => {
    clearVersionCache();
    const dev = crs();
    const nat = (n: number) =>
      natRule.schema.parse({
        chain: "dstnat",
        action: "dst-nat",
        protocol: "tcp",
        toAddresses: `192.0.2.${n}`,
        toPorts: "443",
        order: n,
      });
    const a = ctxFor(dev, "site/prod/nat1");
    const b = ctxFor(dev, "site/prod/nat2");
    const idA = (await natRule.driver.create(a.ctx, nat(1))).id;
    const idB = (await natRule.driver.create(b.ctx, nat(2))).id;
    dev.run(`/ip/firewall/nat/move ${idB} ${idA}`);
    const reads = [await natRule.driver.read(a.ctx, idA, nat(1)), await natRule.driver.read(b.ctx, idB, nat(2))];
    // One of the two is blamed (a swap of two has no unique culprit); its order reads as the other's.
    expect(reads.filter((r, i) => r?.observed.inputs.order !== i + 1)).toHaveLength(1);
    const blamed = reads[0]?.observed.inputs.order !== 1 ? { c: a, id: idA, n: 1 } : { c: b, id: idB, n: 2 };
    await natRule.driver.update(blamed.c.ctx, blamed.id, nat(blamed.n), nat(blamed.n));
    expect(comments(dev, "/ip/firewall/nat")).toEqual(["rs:site/prod/nat1 order=1", "rs:site/prod/nat2 order=2"]);
  });

  it("without order a NAT rule reads only its own row (no whole-menu print)", async () => {
    clearVersionCache();
    const dev = crs();
    const { ctx, transport } = ctxFor(dev);
    const inputs = natRule.schema.parse({ chain: "srcnat", action: "masquerade", outInterface: "pppoe-gpon" });
    const res = await natRule.driver.create(ctx, inputs);
    const before = transport.execs.length;
    expect((await natRule.driver.read(ctx, res.id, inputs))?.observed.inputs).toEqual(inputs);
    expect(transport.execs.slice(before).join("\n")).not.toMatch(/\/ip\/firewall\/nat\/print detail as-value\]/);
  });
});
