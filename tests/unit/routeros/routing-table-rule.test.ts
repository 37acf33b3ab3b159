/**
 * RoutingTable and RoutingRule (the failover designs' policy routing) against the lab's in-process CLI emulator
 * (tests/lab/routeros, written from routeros-cli.md) on every emulated version: the shared lifecycle (create →
 * no-op → drift → update/unset → renumber → delete), fib as a presence flag, rules appended after those already
 * there, and bad input rejected by `check` with the field named and no device I/O.
 */
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as routingTable } from "../../../provider/resources/routeros/routing-table";
import { kind as routingRule } from "../../../provider/resources/routeros/routing-rule";
import { clearVersionCache } from "../../../provider/routeros/version";
import { badInputs, ctxFor, lifecycle, type Device } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

/** The policy-routing tables of the l2tp-backup design, made by hand (a RoutingTable in a real stack). */
const withTables = (dev: Device) => {
  dev.run("/routing/table/add name=wan1-force fib; /routing/table/add name=wan2-force fib");
};

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
];

badInputs(BAD);
