/**
 * Adoption (issue 7) of every RouterOS kind, against the lab's CLI emulator (tests/lab/routeros, written from
 * routeros-cli.md): an item made by hand (no identity tag) is found by the kind's natural key; adopting it with
 * the device's own values writes nothing; a second apply is a no-op; an out-of-band change is drift that update
 * puts back; destroy restores the original values (the device dump equals the one before adoption) and never
 * removes the item. Plus: the preview look, several matches, no match, other stacks' items, renumbered ids, a
 * change of a key property, `adoptedDestroy: "leave"`, and the engine's `check`/`diff` around `adoption`.
 */
import { kindsOf } from "../../../provider/import/kinds";
import { z } from "zod";
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as staticRoute } from "../../../provider/resources/routeros/static-route";
import { kind as natRule } from "../../../provider/resources/routeros/nat-rule";
import { kind as routingRule } from "../../../provider/resources/routeros/routing-rule";
import { kind as addressList } from "../../../provider/resources/routeros/address-list-entry";
import { kind as netwatch } from "../../../provider/resources/routeros/netwatch";
import { kind as routingTable } from "../../../provider/resources/routeros/routing-table";
import { kind as modemProfile } from "../../../provider/resources/routeros/modem-profile";
import { kind as pppoe } from "../../../provider/resources/routeros/pppoe-client";
import { kind as l2tp } from "../../../provider/resources/routeros/l2tp-client";
import { kind as bgpInstance } from "../../../provider/resources/routeros/bgp-instance";
import { kind as bgpSession } from "../../../provider/resources/routeros/bgp-session";
import { routerosKind } from "../../../provider/routeros/menu-engine";
import { prop } from "../../../provider/routeros/property-types";
import { clearVersionCache } from "../../../provider/routeros/version";
import { ctxFor, WRITE } from "./lifecycle";
import { emulator } from "./fixtures";

type Emu = ReturnType<typeof emulator>;

function hand(dev: Emu, lines: string[]): void {
  for (const l of lines) {
    const out = dev.run(l);
    if (out.trim() !== "" && !/^\*[0-9A-F]+$/.test(out.trim())) throw new Error(`setup line failed: ${l}: ${out}`);
  }
}

interface AdoptCase {
  kind: UntypedKind;
  menu: string;
  /** CLI lines making the existing, untagged item (and what it refers to). */
  existing: string[];
  /** The device's own values, as the importer would write them. */
  inputs: Record<string, unknown>;
  /** A declared change of a non-key field, and how the preview shows it. */
  change: { field: string; value: unknown; shown: string };
  /** Out-of-band edit of the item (RouterOS property, value) and the input it shows in. */
  drift: { prop: string; value: string | number; field: string; expect: unknown };
}

const writes = (execs: string[], from = 0) => execs.slice(from).filter((l) => WRITE.test(l));

/**
 * The device after destroy of an adopted item against the dump before adoption: every other menu identical, the
 * item's menu with the same items, each with all its original properties back. A property that was absent (at
 * its default) may now be present with that default value: not every menu has `unset` (routeros-cli.md §3.1),
 * so a restore writes the default back rather than unsetting it.
 */
function expectRestored(before: Record<string, unknown[]>, after: Record<string, unknown[]>, menu: string): void {
  expect({ ...after, [menu]: [] }).toEqual({ ...before, [menu]: [] });
  expect(after[menu]).toHaveLength(before[menu].length);
  for (const row of before[menu] as Record<string, unknown>[]) {
    expect((after[menu] as Record<string, unknown>[]).find((r) => r[".id"] === row[".id"])).toMatchObject(row);
  }
}

function adoptLifecycle(c: AdoptCase): void {
  const parse = (raw: unknown) => c.kind.schema.parse(raw);
  beforeEach(() => clearVersionCache());

  async function adopted() {
    const dev = emulator();
    hand(dev, c.existing);
    const before = dev.dump();
    const { ctx, transport } = ctxFor(dev, "site/prod/adopted", true);
    const inputs = parse(c.inputs);
    const res = await c.kind.driver.create(ctx, inputs);
    return { dev, before, ctx, transport, inputs, res };
  }

  it("preview finds the hand-made item and lists no change", async () => {
    const dev = emulator();
    hand(dev, c.existing);
    const { ctx, transport } = ctxFor(dev, "site/prod/adopted", true);
    const p = await c.kind.driver.preview!(ctx, parse(c.inputs));
    expect(p.found).toMatch(/^\*[0-9A-F]+$/);
    expect(p.changes).toEqual({});
    expect(writes(transport.execs)).toEqual([]);
  });

  it("adopting with the device's own values writes nothing and leaves the device as it was", async () => {
    const { dev, before, transport, inputs, res } = await adopted();
    expect(writes(transport.execs)).toEqual([]);
    expect(dev.dump()).toEqual(before);
    expect(res.id).toMatch(/^\*[0-9A-F]+#adopted=/);
    expect(res.observed.inputs).toEqual(inputs);
    expect(res.observed.outputs).toMatchObject({ adopted: true, adoptedOriginal: expect.any(Object) });
  });

  it("a second apply is a no-op", async () => {
    const { ctx, transport, inputs, res } = await adopted();
    const read = await c.kind.driver.read(ctx, res.id, inputs);
    expect(read?.observed.inputs).toEqual(inputs);
    expect(read?.id).toBe(res.id);
    const upd = await c.kind.driver.update(ctx, res.id, inputs, inputs);
    expect(upd.observed.inputs).toEqual(inputs);
    expect(writes(transport.execs)).toEqual([]);
  });

  it("an out-of-band change is drift, and update puts the declared value back", async () => {
    const { dev, ctx, inputs, res } = await adopted();
    hand(dev, [`${c.menu}/set ${res.id.split("#")[0]} ${c.drift.prop}=${JSON.stringify(String(c.drift.value))}`]);
    const read = await c.kind.driver.read(ctx, res.id, inputs);
    expect((read?.observed.inputs as Record<string, unknown>)[c.drift.field]).toEqual(c.drift.expect);
    const upd = await c.kind.driver.update(ctx, res.id, read!.observed.inputs, inputs);
    expect(upd.observed.inputs).toEqual(inputs);
  });

  it("preview shows a declared change as device → declared; update writes it; destroy restores the original", async () => {
    const { dev, before, ctx, transport, inputs, res } = await adopted();
    const news = parse({ ...c.inputs, [c.change.field]: c.change.value });
    const p = await c.kind.driver.preview!(ctx, news);
    expect(p.changes).toEqual({ [c.change.field]: c.change.shown });
    const upd = await c.kind.driver.update(ctx, res.id, inputs, news);
    expect(upd.observed.inputs).toEqual(news);
    expect(writes(transport.execs)).toHaveLength(1);
    expect(dev.dump()).not.toEqual(before);
    await c.kind.driver.delete(ctx, res.id, upd.observed.inputs);
    expectRestored(before, dev.dump(), c.menu);
    // Still there (nothing was removed), with exactly the values it had before adoption.
    expect((await c.kind.driver.read(ctx, res.id, parse(c.inputs)))?.observed.inputs).toEqual(inputs);
  });

  it("after ids are renumbered (reboot), the adopted item is found again by its natural key", async () => {
    const { dev, ctx, inputs, res } = await adopted();
    dev.renumber();
    const read = await c.kind.driver.read(ctx, res.id, inputs);
    expect(read?.observed.inputs).toEqual(inputs);
  });
}

describe("adopt: routeros-static-route (key dst-address + routing-table + gateway)", () => {
  adoptLifecycle({
    kind: staticRoute,
    menu: "/ip/route",
    existing: [
      '/ip/route/add dst-address=0.0.0.0/0 gateway=192.0.2.2 distance=200 comment="lte default"',
      // Same destination, other gateway: a different route, not a second match.
      "/ip/route/add dst-address=0.0.0.0/0 gateway=pppoe-gpon distance=1",
    ],
    inputs: { dstAddress: "0.0.0.0/0", gateway: "192.0.2.2", distance: 200, comment: "lte default" },
    change: { field: "distance", value: 210, shown: "200 → 210" },
    drift: { prop: "distance", value: 5, field: "distance", expect: 5 },
  });
});

describe("adopt: routeros-nat-rule (key chain + action + matchers)", () => {
  adoptLifecycle({
    kind: natRule,
    menu: "/ip/firewall/nat",
    existing: [
      '/ip/firewall/nat/add chain=srcnat action=masquerade out-interface=pppoe-gpon comment="defconf: masquerade"',
    ],
    inputs: { chain: "srcnat", action: "masquerade", outInterface: "pppoe-gpon", comment: "defconf: masquerade" },
    change: { field: "comment", value: "masquerade gpon", shown: "defconf: masquerade → masquerade gpon" },
    drift: { prop: "disabled", value: "yes", field: "disabled", expect: true },
  });
});

describe("adopt: routeros-routing-rule (key src/dst-address + routing-mark + interface)", () => {
  adoptLifecycle({
    kind: routingRule,
    menu: "/routing/rule",
    existing: [
      "/routing/table/add name=wan2-force fib",
      "/routing/rule/add src-address=192.0.2.0/29 action=lookup table=wan2-force",
    ],
    inputs: { srcAddress: "192.0.2.0/29", action: "lookup", table: "wan2-force" },
    change: { field: "action", value: "lookup-only-in-table", shown: "lookup → lookup-only-in-table" },
    drift: { prop: "table", value: "main", field: "table", expect: "main" },
  });
});

describe("adopt: routeros-address-list-entry (key list + address)", () => {
  adoptLifecycle({
    kind: addressList,
    menu: "/ip/firewall/address-list",
    existing: ['/ip/firewall/address-list/add list=mgmt address=198.51.100.0/24 comment="office"'],
    inputs: { list: "mgmt", address: "198.51.100.0/24", comment: "office" },
    change: { field: "disabled", value: true, shown: "false → true" },
    drift: { prop: "comment", value: "edited", field: "comment", expect: "edited" },
  });
});

describe("adopt: routeros-netwatch (key host + type)", () => {
  adoptLifecycle({
    kind: netwatch,
    menu: "/tool/netwatch",
    existing: ["/tool/netwatch/add host=1.0.0.1 type=icmp interval=30s comment=probe"],
    inputs: { host: "1.0.0.1", type: "icmp", interval: 30, comment: "probe" },
    change: { field: "interval", value: 10, shown: "30 → 10" },
    drift: { prop: "interval", value: "1m", field: "interval", expect: 60 },
  });
});

describe("adopt: routeros-routing-table (key name)", () => {
  adoptLifecycle({
    kind: routingTable,
    menu: "/routing/table",
    existing: ["/routing/table/add name=wan1-force fib comment=by-hand"],
    inputs: { name: "wan1-force", fib: true, comment: "by-hand" },
    change: { field: "disabled", value: true, shown: "false → true" },
    drift: { prop: "comment", value: "edited", field: "comment", expect: "edited" },
  });
});

describe("adopt: routeros-modem-profile (key name)", () => {
  adoptLifecycle({
    kind: modemProfile,
    menu: "/interface/lte/apn",
    existing: ["/interface/lte/apn/add name=lte-apn apn=internet"],
    inputs: { name: "lte-apn", apn: "internet" },
    change: { field: "defaultRouteDistance", value: 200, shown: "2 → 200" },
    drift: { prop: "apn", value: "other", field: "apn", expect: "other" },
  });
});

describe("adopt: routeros-pppoe-client (key name; the starting config's pppoe-gpon)", () => {
  adoptLifecycle({
    kind: pppoe,
    menu: "/interface/pppoe-client",
    existing: [],
    inputs: { name: "pppoe-gpon", interface: "ether1", user: "crs@gpon.example", password: "lab-pppoe-secret" },
    change: { field: "user", value: "crs2@gpon.example", shown: "crs@gpon.example → crs2@gpon.example" },
    drift: { prop: "user", value: "someone@else", field: "user", expect: "someone@else" },
  });
});

describe("adopt: routeros-l2tp-client (key name)", () => {
  adoptLifecycle({
    kind: l2tp,
    menu: "/interface/l2tp-client",
    existing: ["/interface/l2tp-client/add name=l2tp-backup connect-to=203.0.113.1 user=site-a password=l2tp-secret"],
    inputs: { name: "l2tp-backup", connectTo: "203.0.113.1", user: "site-a", password: "l2tp-secret" },
    change: { field: "connectTo", value: "203.0.113.2", shown: "203.0.113.1 → 203.0.113.2" },
    drift: { prop: "connect-to", value: "203.0.113.9", field: "connectTo", expect: "203.0.113.9" },
  });
});

describe("adopt: routeros-bgp-instance (key name, 7.20)", () => {
  adoptLifecycle({
    kind: bgpInstance,
    menu: "/routing/bgp/instance",
    existing: ['/routing/bgp/instance/add name="main-bgp" as="65000"'],
    inputs: { name: "main-bgp", as: 65000 },
    change: { field: "routerId", value: "192.0.2.1", shown: "main → 192.0.2.1" },
    drift: { prop: "as", value: 65001, field: "as", expect: 65001 },
  });
});

describe("adopt: routeros-bgp-session (key name)", () => {
  adoptLifecycle({
    kind: bgpSession,
    menu: "/routing/bgp/connection",
    existing: [
      '/routing/bgp/instance/add name="main-bgp" as="65000"',
      "/routing/bgp/connection/add name=dlink-lte instance=main-bgp as=65000 remote.address=192.0.2.2 remote.as=65000 local.role=ibgp",
    ],
    inputs: {
      name: "dlink-lte",
      instance: "main-bgp",
      as: 65000,
      remoteAddress: "192.0.2.2",
      remoteAs: 65000,
      localRole: "ibgp",
    },
    change: { field: "localRole", value: "ibgp-rr", shown: "ibgp → ibgp-rr" },
    drift: { prop: "remote.as", value: 65001, field: "remoteAs", expect: 65001 },
  });
});

describe("adopt: finding the item", () => {
  beforeEach(() => clearVersionCache());
  const route = { dstAddress: "1.0.0.1/32", gateway: "pppoe-gpon", scope: 10 };

  it("several items matching the natural key is an error naming their ids, and nothing is written", async () => {
    const dev = emulator();
    hand(dev, [
      "/ip/route/add dst-address=1.0.0.1/32 gateway=pppoe-gpon scope=10",
      "/ip/route/add dst-address=1.0.0.1/32 gateway=pppoe-gpon scope=10 distance=3",
    ]);
    const { ctx, transport } = ctxFor(dev, "site/prod/probe", true);
    const inputs = staticRoute.schema.parse(route);
    await expect(staticRoute.driver.create(ctx, inputs)).rejects.toThrow(
      /adopt: 2 items of \/ip\/route match the natural key dst-address=1\.0\.0\.1\/32 routing-table=main gateway=pppoe-gpon \(\*[0-9A-F]+, \*[0-9A-F]+\)/,
    );
    await expect(staticRoute.driver.preview!(ctx, inputs)).rejects.toThrow(/2 items/);
    expect(writes(transport.execs)).toEqual([]);
  });

  it("no match: adopt creates a new tagged item, and destroy removes it", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/probe", true);
    const inputs = staticRoute.schema.parse(route);
    expect(await staticRoute.driver.preview!(ctx, inputs)).toEqual({ found: false, changes: {} });
    const before = dev.dump();
    const res = await staticRoute.driver.create(ctx, inputs);
    expect(res.id).toMatch(/^\*[0-9A-F]+$/);
    expect((dev.dump()["/ip/route"] as Record<string, unknown>[]).some((r) => r.comment === "rs:site/prod/probe")).toBe(
      true,
    );
    await staticRoute.driver.delete(ctx, res.id, inputs);
    expect(dev.dump()).toEqual(before);
  });

  it("another stack's tagged item is not a candidate; without adopt an untagged match is not taken", async () => {
    const dev = emulator();
    hand(dev, ['/ip/route/add dst-address=1.0.0.1/32 gateway=pppoe-gpon scope=10 comment="rs:site/other/probe"']);
    const inputs = staticRoute.schema.parse(route);
    const { ctx } = ctxFor(dev, "site/prod/probe", true);
    expect((await staticRoute.driver.preview!(ctx, inputs)).found).toBe(false);
    const dev2 = emulator();
    hand(dev2, ["/ip/route/add dst-address=1.0.0.1/32 gateway=pppoe-gpon scope=10"]);
    const plain = ctxFor(dev2, "site/prod/probe", false);
    const res = await staticRoute.driver.create(plain.ctx, inputs);
    expect(res.id).not.toMatch(/adopted/);
    expect(dev2.dump()["/ip/route"]).toHaveLength(2);
  });

  it("an out-of-band change of a key property is still found through the cached .id, and destroy restores it", async () => {
    const dev = emulator();
    hand(dev, ["/ip/route/add dst-address=1.0.0.1/32 gateway=pppoe-gpon scope=10"]);
    const before = dev.dump();
    const { ctx } = ctxFor(dev, "site/prod/probe", true);
    const inputs = staticRoute.schema.parse(route);
    const res = await staticRoute.driver.create(ctx, inputs);
    hand(dev, [`/ip/route/set ${res.id.split("#")[0]} gateway=192.0.2.2`]);
    const read = await staticRoute.driver.read(ctx, res.id, inputs);
    expect(read?.observed.inputs.gateway).toBe("192.0.2.2");
    await staticRoute.driver.delete(ctx, res.id, read!.observed.inputs);
    expect(dev.dump()).toEqual(before);
  });

  it("destroy never removes an adopted item, even one that was deleted and re-made by hand meanwhile", async () => {
    const dev = emulator();
    hand(dev, ["/ip/firewall/address-list/add list=mgmt address=198.51.100.0/24"]);
    const { ctx, transport } = ctxFor(dev, "site/prod/mgmt", true);
    const inputs = addressList.schema.parse({ list: "mgmt", address: "198.51.100.0/24" });
    const res = await addressList.driver.create(ctx, inputs);
    hand(dev, [
      "/ip/firewall/address-list/remove [find]",
      "/ip/firewall/address-list/add list=mgmt address=198.51.100.0/24",
    ]);
    const from = transport.execs.length;
    await addressList.driver.delete(ctx, res.id, inputs);
    expect(writes(transport.execs, from).filter((l) => /\/remove\b/.test(l))).toEqual([]);
    expect(dev.dump()["/ip/firewall/address-list"]).toHaveLength(1);
  });

  it('adoptedDestroy: "leave" keeps the declared values on destroy', async () => {
    const leaveKind = routerosKind({
      name: "test-address-list-leave",
      docs: "https://help.mikrotik.com/docs/display/ROS/Address-lists",
      schema: z
        .object({
          list: z.string(),
          address: z.string(),
          comment: z.string().optional(),
          disabled: z.boolean().default(false),
        })
        .strict(),
      menu: "/ip/firewall/address-list",
      identity: { by: "comment" },
      naturalKey: ["list", "address"],
      adoptedDestroy: "leave",
      commentField: "comment",
      props: { list: prop.text("list"), address: prop.text("address"), disabled: prop.bool("disabled") },
      replaceOn: [],
      deleteBeforeReplace: false,
    });
    expect(leaveKind.adoption).toEqual({ naturalKey: ["list", "address"], onDestroy: "leave" });
    const dev = emulator();
    hand(dev, ["/ip/firewall/address-list/add list=mgmt address=198.51.100.7"]);
    const { ctx } = ctxFor(dev, "site/prod/mgmt", true);
    const inputs = leaveKind.schema.parse({ list: "mgmt", address: "198.51.100.7", disabled: true });
    const res = await leaveKind.driver.create(ctx, inputs);
    await leaveKind.driver.delete(ctx, res.id, res.observed.inputs);
    expect(dev.dump()["/ip/firewall/address-list"]).toMatchObject([
      { list: "mgmt", address: "198.51.100.7", disabled: true },
    ]);
  });

  it("every RouterOS kind declares how it adopts", () => {
    for (const k of kindsOf("routeros")) {
      expect([k.name, k.adoption?.naturalKey.length]).toEqual([k.name, expect.any(Number)]);
      // A singleton menu has no key: the menu itself is the item (menu-engine.ts).
      if (!/singleton/.test(k.adoption?.note ?? "")) expect(k.adoption!.naturalKey.length).toBeGreaterThan(0);
      expect(k.adoption?.onDestroy).toBe("restore");
    }
    expect(routingTable.adoption?.note).toMatch(/^`name` \(unique in the menu\)/);
  });
});

describe("adopt through the dynamic provider: check shows the preview, diff ignores it", () => {
  beforeEach(() => clearVersionCache());
  let spy: jest.SpyInstance | undefined;
  afterEach(() => spy?.mockRestore());

  const raw = {
    device: "crs",
    identity: "site/prod/lte-default",
    adopt: true,
    dstAddress: "0.0.0.0/0",
    gateway: "192.0.2.2",
    distance: 2,
  };

  it("a new resource with adopt: check reads the device and returns `adoption`; create ignores it; the next check and diff are clean", async () => {
    const dev = emulator();
    hand(dev, ["/ip/route/add dst-address=0.0.0.0/0 gateway=192.0.2.2 distance=1"]);
    const { transport } = ctxFor(dev);
    spy = jest.spyOn(devices, "transportFor").mockReturnValue(transport);
    const p = makeProvider(staticRoute);
    const checked = await p.check({}, raw);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.adoption).toEqual({
      found: expect.stringMatching(/^\*[0-9A-F]+$/),
      changes: { distance: "1 → 2" },
    });
    expect(writes(transport.execs)).toEqual([]);
    const created = await p.create(checked.inputs);
    // Issue 14: the adoption record is a secret output, not part of the (never encrypted) id.
    expect(created.id).toMatch(/^\*[0-9A-F]+#adopted$/);
    expect(typeof created.outs.adoptionRecord).toBe("string");
    expect(created.outs.adoptedOriginal).toMatchObject({ distance: 1 });
    expect((created.outs.observed as Record<string, unknown>).adoptedOriginal).toBeUndefined();
    expect((await p.read(created.id, created.outs)).id).toBe(created.id);
    expect(created.outs.adoption).toBeUndefined();
    const execs = transport.execs.length;
    const again = await p.check(checked.inputs, raw);
    expect(again.inputs.adoption).toBeUndefined();
    expect(transport.execs.length).toBe(execs);
    expect((await p.diff(created.id, created.outs, again.inputs)).changes).toBe(false);
    // Even with the stale preview still among the news, `adoption` is never a change.
    expect((await p.diff(created.id, created.outs, checked.inputs)).changes).toBe(false);
  });

  it("an unreachable device does not fail the preview: found is `unknown` with the reason", async () => {
    spy = jest.spyOn(devices, "transportFor").mockImplementation(() => {
      throw new Error("device crs: connect ECONNREFUSED 192.0.2.99:22");
    });
    const checked = await makeProvider(staticRoute).check({}, raw);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.adoption).toEqual({
      found: "unknown",
      changes: {},
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it("without adopt, or once the resource exists, check does no device I/O", async () => {
    spy = jest.spyOn(devices, "transportFor").mockImplementation(() => {
      throw new Error("check must not reach a device");
    });
    const p = makeProvider(staticRoute);
    expect((await p.check({}, { ...raw, adopt: false })).inputs.adoption).toBeUndefined();
    expect((await p.check({ ...raw }, raw)).inputs.adoption).toBeUndefined();
    expect(spy).not.toHaveBeenCalled();
  });

  it.each([
    ["distance 0", { distance: 0 }, "distance"],
    ["gateway family", { gateway: "2001:db8::1" }, "gateway"],
    ["unknown property", { adoption: undefined, distanse: 3 }, "distanse"],
  ])("bad input with adopt: %s is named and nothing reaches the device", async (_l, bad, field) => {
    spy = jest.spyOn(devices, "transportFor").mockImplementation(() => {
      throw new Error("check must not reach a device");
    });
    const r = await makeProvider(staticRoute).check({}, { ...raw, ...bad });
    expect(r.failures.map((f) => f.property)).toContain(field);
    expect(spy).not.toHaveBeenCalled();
  });
});
