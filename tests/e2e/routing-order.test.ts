/**
 * Declared `order` of RoutingRule (`/routing/rule`, one order for the whole list; https://help.mikrotik.com/docs/display/ROS/Policy+Routing)
 * and RoutingFilterRule (`/routing/filter/rule`, ordered within its chain;
 * https://help.mikrotik.com/docs/display/ROS/Route+Selection+and+Filters) against the RouterOS emulator, through
 * the test engine and the real dynamic-provider host, with a hand-made rule of each menu already on the router:
 * `up` places the rules by order (resources created in parallel) → a second `up` is a no-op (0 steps, 0 writes)
 * → a hand `move` of one rule is drift on `order` of that rule only in `preview --refresh`, and `up --refresh`
 * moves it back → a rule removed by hand is re-created at its place, not after the final catch-all → destroy
 * leaves the device dump as before the first `up`.
 */
import { LabSession, differences, labAvailable, type ResourceSpec } from "./harness";
import type { EngineResult } from "../engine";
import type { LabDump } from "../lab/lab";

const run = labAvailable() ? describe : describe.skip;

const tag = (name: string) => `rs:routerstack-e2e/test/${name}`;
const find = (name: string) => `[find where comment~"^${tag(name)} "]`;

const ros = (kind: string, name: string, args: Record<string, unknown>, dependsOn?: string[]): ResourceSpec => ({
  platform: "routeros",
  kind,
  name,
  args: { device: "crs", ...args },
  ...(dependsOn ? { dependsOn } : {}),
});

const table = ros("RoutingTable", "tbl", { name: "wan1-force", fib: true });
const rr = (name: string, order: number, args: Record<string, unknown>) =>
  ros("RoutingRule", name, { ...args, order }, ["tbl"]);
const fr = (name: string, chain: string, rule: string, order: number) =>
  ros("RoutingFilterRule", name, { chain, rule, order });

const all: ResourceSpec[] = [
  table,
  rr("rr1", 10, { dstAddress: "198.51.100.1/32", action: "lookup-only-in-table", table: "wan1-force" }),
  rr("rr2", 20, { dstAddress: "198.51.100.2/32", action: "lookup-only-in-table", table: "wan1-force" }),
  rr("rrfin", 90, { srcAddress: "192.0.2.0/24", action: "unreachable" }),
  fr("f1", "transit-in", "if (dst in 203.0.113.0/28) { accept }", 10),
  fr("f2", "transit-in", "if (dst in 203.0.113.16/28) { accept }", 20),
  fr("ffin", "transit-in", "reject", 90),
  // Another chain, lowest order of all: ordered only within its own chain, so it stays at the end of the list.
  fr("fout", "transit-out", "accept", 1),
];

const zero = { create: 0, update: 0, replace: 0, delete: 0 };
const changes = (r: EngineResult) => ({
  create: r.counts.create,
  update: r.counts.update,
  replace: r.counts.replace,
  delete: r.counts.delete,
});

/** Comments of a menu in list order (the dump keeps list order in ordered menus). */
const comments = (d: LabDump, menu: string) =>
  ((d.crs[menu] ?? []) as { comment?: string }[]).map((r) => r.comment ?? "");

const RULES = ["admin: keep", `${tag("rr1")} order=10`, `${tag("rr2")} order=20`, `${tag("rrfin")} order=90`];
const FILTERS = [
  "admin: keep",
  `${tag("f1")} order=10`,
  `${tag("f2")} order=20`,
  `${tag("ffin")} order=90`,
  `${tag("fout")} order=1`,
];

run("RoutingRule and RoutingFilterRule: declared order", () => {
  const s = new LabSession();
  let empty: LabDump;

  beforeAll(async () => {
    await s.start("rorder");
    // Hand-made rules already on the router: they keep their places (at the top here).
    for (const line of [
      '/routing/rule/add dst-address=8.8.4.4/32 action=lookup comment="admin: keep"',
      '/routing/filter/rule/add chain=transit-in rule="if (dst-len > 24) { reject }" comment="admin: keep"',
    ]) {
      expect(s.lab.crs.outOfBand(line)).toBe("");
    }
    empty = await s.dump();
  }, 180_000);

  afterAll(async () => {
    await s.stop();
  });

  it("up places every rule by its order; a second up (with and without refresh) is a no-op", async () => {
    const first = await s.ok("up", all);
    expect(changes(first)).toEqual({ ...zero, create: all.length });
    const d = await s.dump();
    expect(comments(d, "/routing/rule")).toEqual(RULES);
    expect(comments(d, "/routing/filter/rule")).toEqual(FILTERS);

    let again!: EngineResult;
    const writes = await s.writesDuring(async () => {
      again = await s.ok("up", all, { refresh: true });
    });
    expect(again.drift).toEqual([]);
    expect(changes(again)).toEqual(zero);
    expect(writes).toBe(0);
  });

  it("a hand move is drift on order of the moved rule only, and up --refresh moves it back", async () => {
    const converged = await s.dump();
    for (const line of [
      `/routing/rule/move ${find("rrfin")} ${find("rr1")}`,
      `/routing/filter/rule/move ${find("ffin")} ${find("f1")}`,
    ]) {
      expect(s.lab.crs.outOfBand(line)).toBe("");
    }
    const pv = await s.ok("preview", all, { refresh: true });
    const drifted = Object.fromEntries(pv.drift.map((d) => [d.name, d.diffs.filter((x) => x !== "observed")]));
    expect(drifted).toEqual({ rrfin: ["order"], ffin: ["order"] });
    expect(changes(pv)).toEqual({ ...zero, update: 2 });

    let up!: EngineResult;
    const writes = await s.writesDuring(async () => {
      up = await s.ok("up", all, { refresh: true });
    });
    expect(changes(up)).toEqual({ ...zero, update: 2 });
    expect(writes).toBe(2); // one `move` each
    expect(differences(converged, await s.dump())).toEqual([]);
  });

  it("a rule removed by hand is re-created at its place, not after the final catch-all", async () => {
    const converged = await s.dump();
    for (const line of [`/routing/rule/remove ${find("rr1")}`, `/routing/filter/rule/remove ${find("f1")}`]) {
      expect(s.lab.crs.outOfBand(line)).toBe("");
    }
    const up = await s.ok("up", all, { refresh: true });
    expect(changes(up)).toEqual({ ...zero, create: 2 });
    const d = await s.dump();
    expect(comments(d, "/routing/rule")).toEqual(RULES);
    expect(comments(d, "/routing/filter/rule")).toEqual(FILTERS);
    // Compared without `.id` (new on re-add): the same items in the same places, nothing else changed.
    expect(differences(converged, d)).toEqual([]);
  });

  it("destroy leaves the device as before the first up", async () => {
    const r = await s.ok("destroy", all);
    expect(changes(r)).toEqual({ ...zero, delete: all.length });
    expect(differences(empty, await s.dump())).toEqual([]);
  });
});
