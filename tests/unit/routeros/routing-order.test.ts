/**
 * Declared `order` on RoutingFilterRule (`/routing/filter/rule`, ordered within its `chain`) and RoutingRule
 * (`/routing/rule`, one order for the whole list), through provider/routeros/rule-order.ts as for FirewallRule,
 * against the lab's in-process CLI emulator (tests/lab/routeros, `place-before`/`move` per routeros-cli.md §3.1;
 * both menus are ordered on 7.16–7.23 in RouterOS's own `/console/inspect` schema). Driven through the dynamic
 * provider (check → create → read → diff → update → delete), as the Pulumi CLI calls it: create places a rule,
 * a second `up` is a no-op, an out-of-band `move` is drift on `order` in a refresh and `up` moves it back, a rule
 * re-created after an out-of-band removal lands at its declared position (not after the final catch-all), destroy
 * leaves the menu as it was. Plus the shared lifecycle with `order`, and bad `order` input named by `check` with no
 * device I/O. Docs: https://help.mikrotik.com/docs/display/ROS/Route+Selection+and+Filters (each chain is run in
 * list order) and https://help.mikrotik.com/docs/display/ROS/Policy+Routing (rules are run in list order).
 */
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as filterRule } from "../../../provider/resources/routeros/routing-filter-rule";
import { kind as routingRule } from "../../../provider/resources/routeros/routing-rule";
import { clearVersionCache } from "../../../provider/routeros/version";
import { transportFor } from "./fixtures";
import { badInputs, ctxFor, lifecycle, type BadInput, type Device } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

/** Every write verb, `move` included (lifecycle.ts's WRITE leaves `move` out). */
const WRITES = /\/(add|set|remove|move|unset)\b/;

type Emulator = ReturnType<typeof emulator>;

/** The policy-routing tables the rules look up (a RoutingTable in a real stack). */
const withTables = (dev: Device) => {
  dev.run("/routing/table/add name=wan1-force fib; /routing/table/add name=wan2-force fib");
};

describe.each(VERSIONS)("emulator %s: routeros-routing-filter-rule with a declared order", (v) => {
  lifecycle({
    kind: filterRule,
    menu: "/routing/filter/rule",
    newDevice: () => emulator(v, {}, { startingConfig: "empty" }),
    inputs: { chain: "transit-in", rule: "if (dst in 203.0.113.0/24) { accept }", comment: "allocated", order: 10 },
    update: { chain: "transit-out", rule: "reject", order: 20 },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "rule", value: "accept" }], expect: { rule: "accept", order: 10 } },
  });
});

describe.each(VERSIONS)("emulator %s: routeros-routing-rule with a declared order", (v) => {
  lifecycle({
    kind: routingRule,
    menu: "/routing/rule",
    newDevice: () => emulator(v, {}, { startingConfig: "empty" }),
    setup: withTables,
    inputs: {
      dstAddress: "1.0.0.1/32",
      action: "lookup-only-in-table",
      table: "wan1-force",
      comment: "probe via gpon",
      order: 10,
    },
    update: { dstAddress: "1.0.0.1/32", action: "lookup", table: "wan2-force", order: 5 },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "table", value: "main" }], expect: { table: "main", order: 10 } },
  });
});

interface OrderCase {
  title: string;
  kind: UntypedKind;
  menu: string;
  /** A hand-made rule already on the router (unmanaged: no identity tag). */
  unmanaged: string;
  /** The comment RouterOS shows for it. */
  unmanagedComment: string;
  /** Raw inputs of the stack's rule `n`: 1–3 match something, 9 is the final catch-all; order n × 10. */
  rule: (n: number) => Record<string, unknown>;
  setup?: (dev: Device) => void;
}

const CASES: OrderCase[] = [
  {
    title: "routeros-routing-filter-rule (chain transit-in, final reject)",
    kind: filterRule,
    menu: "/routing/filter/rule",
    unmanaged: '/routing/filter/rule/add chain=transit-in rule="if (dst-len > 24) { reject }" comment="admin: keep"',
    unmanagedComment: "admin: keep",
    rule: (n) => ({
      chain: "transit-in",
      rule: n === 9 ? "reject" : `if (dst in 203.0.113.${n * 16}/28) { accept }`,
      order: n * 10,
    }),
  },
  {
    title: "routeros-routing-rule (final unreachable)",
    kind: routingRule,
    menu: "/routing/rule",
    setup: withTables,
    unmanaged:
      '/routing/rule/add dst-address=8.8.4.4/32 action=lookup-only-in-table table=wan2-force comment="admin: keep"',
    unmanagedComment: "admin: keep",
    rule: (n) =>
      n === 9
        ? { srcAddress: "192.0.2.0/24", action: "unreachable", order: 90 }
        : { dstAddress: `198.51.100.${n}/32`, action: "lookup-only-in-table", table: "wan1-force", order: n * 10 },
  },
];

describe.each(CASES)("declared order through the dynamic provider: $title", (c) => {
  let spy: jest.SpyInstance | undefined;
  beforeEach(() => clearVersionCache());
  afterEach(() => spy?.mockRestore());

  /** A router with the unmanaged rule, and a provider whose device connection is a transport over it. */
  function site() {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    c.setup?.(dev);
    dev.run(c.unmanaged);
    const transport = transportFor(dev);
    spy = jest.spyOn(devices, "transportFor").mockReturnValue(transport);
    return { dev, transport, p: makeProvider(c.kind) };
  }

  const props = (n: number) => ({ device: "crs", identity: `site/prod/r${n}`, ...c.rule(n) });
  const comments = (dev: Emulator): string[] =>
    ((dev.dump()[c.menu] ?? []) as { comment?: string }[]).map((r) => r.comment ?? "");
  const writes = (t: { execs: string[] }, from: number) => t.execs.slice(from).filter((l) => WRITES.test(l));
  const ids = (dev: Emulator): Record<string, string> =>
    Object.fromEntries(
      (dev.dump()[c.menu] as { ".id": string; comment?: string }[]).map((r) => [r.comment ?? "", r[".id"]]),
    );

  /** `up` of the stack's four rules, created out of order (as Pulumi may run them). */
  async function up(s = site()) {
    const state: Record<number, { id: string; outs: Record<string, unknown>; checked: Record<string, unknown> }> = {};
    for (const n of [9, 3, 1, 2]) {
      const checked = (await s.p.check({}, props(n))).inputs;
      const created = await s.p.create(checked);
      state[n] = { id: created.id, outs: created.outs, checked };
    }
    return { ...s, state };
  }

  /** A refresh of rule n: the device's view, and Pulumi's diff of it against the declared inputs. */
  async function refresh(s: Awaited<ReturnType<typeof up>>, n: number) {
    const read = await s.p.read(s.state[n].id, s.state[n].outs);
    const diff = read.id ? await s.p.diff(read.id, read.props!, s.state[n].checked) : undefined;
    return { read, diff };
  }

  const declared = [
    "admin: keep",
    "rs:site/prod/r1 order=10",
    "rs:site/prod/r2 order=20",
    "rs:site/prod/r3 order=30",
    "rs:site/prod/r9 order=90",
  ];

  it("create places each rule by order with place-before; the unmanaged rule keeps its place", async () => {
    const s = await up();
    expect(comments(s.dev)).toEqual(declared);
    expect(s.transport.execs.some((l) => new RegExp(`${c.menu}/add [^;]*place-before=\\*[0-9A-F]+`).test(l))).toBe(
      true,
    );
  });

  it("a second up is a no-op: every refresh matches the declared inputs and nothing is written", async () => {
    const s = await up();
    const from = s.transport.execs.length;
    for (const n of [1, 2, 3, 9]) {
      const { read, diff } = await refresh(s, n);
      expect(read.inputs?.order).toBe(n * 10);
      expect(diff).toMatchObject({ changes: false });
    }
    expect(writes(s.transport, from)).toEqual([]);
  });

  it("an out-of-band move is drift on order in a refresh of the moved rule only, and up moves it back", async () => {
    const s = await up();
    const id = ids(s.dev);
    s.dev.run(`${c.menu}/move ${id["rs:site/prod/r9 order=90"]} ${id["rs:site/prod/r1 order=10"]}`);
    expect(comments(s.dev)[1]).toBe("rs:site/prod/r9 order=90");
    const refreshed = await Promise.all([1, 2, 3, 9].map((n) => refresh(s, n)));
    expect(refreshed.map((r) => r.read.inputs?.order)).toEqual([10, 20, 30, 10]);
    expect(refreshed.map((r) => r.diff?.changes)).toEqual([false, false, false, true]);
    expect(refreshed[3].diff).toMatchObject({ replaces: [] });
    // `up`: the update of the drifted rule, from the refreshed state to the declared inputs.
    const from = s.transport.execs.length;
    const r9 = refreshed[3].read;
    await s.p.update(r9.id!, r9.props!, s.state[9].checked);
    const sent = writes(s.transport, from);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(new RegExp(`${c.menu}/move \\*[0-9A-F]+`));
    expect(comments(s.dev)).toEqual(declared);
    expect((await refresh(s, 9)).diff).toMatchObject({ changes: false });
  });

  it("a rule removed out of band is re-created at its declared position, not after the final catch-all", async () => {
    const s = await up();
    s.dev.run(`${c.menu}/remove ${ids(s.dev)["rs:site/prod/r1 order=10"]}`);
    const gone = await s.p.read(s.state[1].id, s.state[1].outs);
    expect(gone.id).toBe("");
    const from = s.transport.execs.length;
    await s.p.create(s.state[1].checked);
    expect(comments(s.dev)).toEqual(declared);
    // Placed by the add itself, before the next higher-ordered rule (r2), not appended and moved afterwards.
    const sent = writes(s.transport, from);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(`place-before=${ids(s.dev)["rs:site/prod/r2 order=20"]}`);
  });

  it("destroy leaves the menu as it was before up", async () => {
    const s = site();
    const before = structuredClone(s.dev.dump()[c.menu]);
    const u = await up(s);
    for (const n of [1, 2, 3, 9]) await u.p.delete(u.state[n].id, u.state[n].outs);
    expect(u.dev.dump()[c.menu]).toEqual(before);
    expect(comments(u.dev)).toEqual(["admin: keep"]);
  });
});

describe("RoutingFilterRule: order is per chain (RouterOS runs each chain on its own)", () => {
  beforeEach(() => clearVersionCache());

  const menu = "/routing/filter/rule";
  const rule = (chain: string, n: number) =>
    filterRule.schema.parse({ chain, rule: `if (dst-len == ${n}) { accept }`, order: n });
  const rows = (dev: Emulator) =>
    (dev.dump()[menu] as { ".id": string; chain: string; comment?: string }[]).map((r) => ({
      id: r[".id"],
      chain: r.chain,
      comment: r.comment ?? "",
    }));

  async function chains() {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const made: { chain: string; n: number; id: string; ctx: ReturnType<typeof ctxFor> }[] = [];
    for (const [chain, n] of [
      ["in", 20],
      ["in", 10],
      ["out", 5],
      ["out", 1],
    ] as const) {
      const c = ctxFor(dev, `site/prod/${chain}${n}`);
      const res = await filterRule.driver.create(c.ctx, rule(chain, n));
      made.push({ chain, n, id: res.id, ctx: c });
    }
    const read = (chain: string, n: number) => {
      const m = made.find((x) => x.chain === chain && x.n === n)!;
      return filterRule.driver.read(m.ctx.ctx, m.id, rule(chain, n));
    };
    return { dev, made, read };
  }

  it("rules of another chain neither count nor move: a low order in chain out is not placed before chain in", async () => {
    const { dev, made, read } = await chains();
    // out5 (order 5) went to the end, not before in10; out1 went before out5, not to the top of the list.
    expect(rows(dev).map((r) => r.comment)).toEqual([
      "rs:site/prod/in10 order=10",
      "rs:site/prod/in20 order=20",
      "rs:site/prod/out1 order=1",
      "rs:site/prod/out5 order=5",
    ]);
    // Moving out1 to the very top keeps every chain's own order: no drift anywhere.
    const id = (name: string) => made.find((m) => `${m.chain}${m.n}` === name)!.id;
    dev.run(`${menu}/move ${id("out1")} ${id("in10")}`);
    for (const m of made) expect((await read(m.chain, m.n))?.observed.inputs.order).toBe(m.n);
  });

  it("a move inside one chain is drift only there, and update moves it back within that chain", async () => {
    const { dev, made, read } = await chains();
    const out5 = made.find((m) => m.chain === "out" && m.n === 5)!;
    const out1 = made.find((m) => m.chain === "out" && m.n === 1)!;
    dev.run(`${menu}/move ${out5.id} ${out1.id}`);
    const orders = await Promise.all(made.map(async (m) => (await read(m.chain, m.n))?.observed.inputs.order));
    // in20, in10 in place; of the swapped pair in chain out one is blamed and reads the other's order.
    expect(orders.slice(0, 2)).toEqual([20, 10]);
    expect(orders.slice(2).filter((o, i) => o !== made[i + 2].n)).toHaveLength(1);
    const blamed = orders[2] !== 5 ? out5 : out1;
    const from = blamed.ctx.transport.execs.length;
    await filterRule.driver.update(blamed.ctx.ctx, blamed.id, rule("out", blamed.n), rule("out", blamed.n));
    expect(blamed.ctx.transport.execs.slice(from).filter((l) => WRITES.test(l))).toHaveLength(1);
    expect(
      rows(dev)
        .filter((r) => r.chain === "out")
        .map((r) => r.comment),
    ).toEqual(["rs:site/prod/out1 order=1", "rs:site/prod/out5 order=5"]);
    expect(
      rows(dev)
        .filter((r) => r.chain === "in")
        .map((r) => r.comment),
    ).toEqual(["rs:site/prod/in10 order=10", "rs:site/prod/in20 order=20"]);
  });

  it("a rule moved back returns next to its chain's rules, not to the end of the list after other chains", async () => {
    const { dev, made } = await chains();
    const c = ctxFor(dev, "site/prod/in90");
    const in90 = (await filterRule.driver.create(c.ctx, rule("in", 90))).id;
    // Created after the out rules: appended behind in20, so at the very end; move it up to behind in20 by hand.
    const id = (name: string) => made.find((m) => `${m.chain}${m.n}` === name)!.id;
    dev.run(`${menu}/move ${in90} ${id("out1")}`);
    const converged = rows(dev).map((r) => r.comment);
    expect(converged).toEqual([
      "rs:site/prod/in10 order=10",
      "rs:site/prod/in20 order=20",
      "rs:site/prod/in90 order=90",
      "rs:site/prod/out1 order=1",
      "rs:site/prod/out5 order=5",
    ]);
    // A hand move to the top of its chain: drift; update puts it right after in20, before the out chain.
    dev.run(`${menu}/move ${in90} ${id("in10")}`);
    expect((await filterRule.driver.read(c.ctx, in90, rule("in", 90)))?.observed.inputs.order).toBe(10);
    await filterRule.driver.update(c.ctx, in90, rule("in", 90), rule("in", 90));
    expect(rows(dev).map((r) => r.comment)).toEqual(converged);
  });

  it("a rule whose chain changes is placed by its order among the rules of its new chain", async () => {
    const { dev, made } = await chains();
    const in20 = made.find((m) => m.chain === "in" && m.n === 20)!;
    const moved = filterRule.schema.parse({ chain: "out", rule: "if (dst-len == 20) { accept }", order: 3 });
    const upd = await filterRule.driver.update(in20.ctx.ctx, in20.id, rule("in", 20), moved);
    expect(upd.observed.inputs).toEqual(moved);
    expect(
      rows(dev)
        .filter((r) => r.chain === "out")
        .map((r) => r.comment),
    ).toEqual(["rs:site/prod/out1 order=1", "rs:site/prod/in20 order=3", "rs:site/prod/out5 order=5"]);
  });
});

const filter = { chain: "transit-in", rule: "accept" };
const lookup = { dstAddress: "1.0.0.1/32", action: "lookup", table: "wan1-force" };
const BAD: BadInput[] = [];
for (const [name, kind, base] of [
  ["RoutingFilterRule", filterRule, filter],
  ["RoutingRule", routingRule, lookup],
] as const) {
  BAD.push(
    [`${name}: negative order`, kind, { ...base, order: -1 }, "order", /0 or more/],
    [`${name}: fractional order`, kind, { ...base, order: 1.5 }, "order", /integer/],
    [`${name}: order as text`, kind, { ...base, order: "3" }, "order", /number/],
    [`${name}: order beyond the 9-digit mark`, kind, { ...base, order: 1e9 }, "order", /at most 999999999/],
    [`${name}: comment that looks like an order mark`, kind, { ...base, comment: "order=3 x" }, "comment", /reserved/],
  );
}
badInputs(BAD);
