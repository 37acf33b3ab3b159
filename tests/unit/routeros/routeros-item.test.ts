/**
 * RouterOsItem (issue 6): any menu, any properties, against the lab's in-process emulator (tests/lab/routeros,
 * written from routeros-cli.md) on every emulated version: the shared lifecycle on list and named menus, the
 * `/system/note` singleton (set only; destroy puts the previous values back), "only declared properties are
 * compared", bad input rejected by `check` naming the field with no device I/O, and generated hostile property
 * values that must be stored byte for byte and never execute.
 */
import fc from "fast-check";
import { isDeepStrictEqual } from "util";
import { createConsole, type RouterOsConsole } from "../../lab/routeros/cli";
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { kind, schema } from "../../../provider/resources/routeros/item";
import { kind as pppoe } from "../../../provider/resources/routeros/pppoe-client";
import { asDeclared, type ItemInputs } from "../../../provider/routeros/item-driver";
import { clearVersionCache } from "../../../provider/routeros/version";
import type { DeviceTransport } from "../../../provider/transport/types";
import { CANARY, SEED, hostileString, newCounts, report, same } from "../fuzz/hostile";
import { ctxFor, lifecycle, WRITE } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

const parse = (raw: unknown) => schema.parse(raw) as ItemInputs;

describe.each(VERSIONS)("emulator %s: routeros-item on /ip/firewall/address-list (tagged in comment)", (v) => {
  lifecycle({
    kind,
    menu: "/ip/firewall/address-list",
    newDevice: () => emulator(v),
    inputs: {
      menu: "/ip/firewall/address-list",
      properties: { list: "exported", address: "203.0.113.0/24" },
      comment: "allocated prefix",
    },
    // No property removed: address-list has no unset (§3.1).
    update: {
      menu: "/ip/firewall/address-list",
      properties: { list: "exported", address: "203.0.113.0/25", disabled: true },
    },
    drift: {
      args: [{ kind: "value", prop: "address", value: "198.51.100.7" }],
      expect: { properties: { list: "exported", address: "198.51.100.7" } },
    },
  });
});

describe.each(VERSIONS)("emulator %s: routeros-item on /tool/netwatch (named, durations, scripts)", (v) => {
  lifecycle({
    kind,
    menu: "/tool/netwatch",
    newDevice: () => emulator(v),
    inputs: {
      menu: "/tool/netwatch",
      name: "gpon-check",
      properties: { host: "1.0.0.1", interval: "30s", "thr-loss-count": 5, "up-script": ':log info "up $x"' },
    },
    update: {
      menu: "/tool/netwatch",
      name: "gpon-check",
      properties: { host: "1.0.0.1", interval: "1m", disabled: true },
      comment: "gpon",
    },
    drift: {
      args: [{ kind: "value", prop: "host", value: "8.8.4.4" }],
      expect: {
        properties: { host: "8.8.4.4", interval: "30s", "thr-loss-count": 5, "up-script": ':log info "up $x"' },
      },
    },
  });
});

describe("routeros-item specifics", () => {
  beforeEach(() => clearVersionCache());

  it.each(VERSIONS)(
    "%s: /system/note singleton: set only, no-op second apply, drift, restore, and destroy puts the old values back",
    async (v) => {
      const dev = emulator(v);
      dev.run('/system/note/set note="hello admins" show-at-login=yes');
      const before = dev.dump();
      const { ctx, transport } = ctxFor(dev, "site/prod/note");
      const inputs = parse({
        menu: "/system/note",
        singleton: true,
        properties: { note: "managed by routerstack", "show-at-login": false },
      });
      const created = await kind.driver.create(ctx, inputs);
      expect(created.observed.inputs).toEqual(inputs);
      expect(dev.dump()["/system/note"]).toEqual([{ note: "managed by routerstack", "show-at-login": false }]);
      expect(transport.execs.filter((l) => /\/system\/note\/(add|remove)\b/.test(l))).toEqual([]);

      const n = transport.execs.length;
      expect((await kind.driver.read(ctx, created.id, inputs))?.observed.inputs).toEqual(inputs);
      await kind.driver.update(ctx, created.id, inputs, inputs);
      expect(transport.execs.slice(n).filter((l) => WRITE.test(l))).toEqual([]);

      dev.run('/system/note/set note="edited by hand"');
      const drifted = await kind.driver.read(ctx, created.id, inputs);
      expect(drifted?.observed.inputs.properties).toEqual({ note: "edited by hand", "show-at-login": false });
      const restored = await kind.driver.update(ctx, created.id, inputs, inputs);
      expect(restored.observed.inputs).toEqual(inputs);

      await kind.driver.delete(ctx, created.id, inputs);
      expect(dev.dump()).toEqual(before);
    },
  );

  it("singleton: a property dropped in an update goes back to its value before the first write", async () => {
    const dev = emulator();
    dev.run('/system/note/set note="" show-at-login=yes');
    const before = dev.dump()["/system/note"];
    const { ctx } = ctxFor(dev, "site/prod/note");
    const both = parse({ menu: "/system/note", singleton: true, properties: { note: "x", "show-at-login": false } });
    const created = await kind.driver.create(ctx, both);
    const noteOnly = parse({ menu: "/system/note", singleton: true, properties: { note: "y" } });
    await kind.driver.update(ctx, created.id, both, noteOnly);
    expect(dev.dump()["/system/note"]).toEqual([{ ...(before[0] as object), note: "y" }]);
  });

  it("only declared properties are compared: an undeclared change is not drift and is not undone", async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev);
    const inputs = parse({ menu: "/ip/firewall/address-list", properties: { list: "probes", address: "192.0.2.10" } });
    const created = await kind.driver.create(ctx, inputs);
    dev.run(`/ip/firewall/address-list/set ${created.id} disabled=yes`);
    const read = await kind.driver.read(ctx, created.id, inputs);
    expect(read?.observed.inputs).toEqual(inputs);
    const n = transport.execs.length;
    await kind.driver.update(ctx, created.id, inputs, inputs);
    expect(transport.execs.slice(n).filter((l) => WRITE.test(l))).toEqual([]);
    expect((dev.dump()["/ip/firewall/address-list"] as Record<string, unknown>[])[0].disabled).toBe(true);
  });

  it("a property removed from the inputs is unset on menus that have unset, and refused with the device's error where not", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/tbl");
    const t1 = parse({ menu: "/routing/table", name: "wan1-force", properties: { disabled: true } });
    const created = await kind.driver.create(ctx, t1);
    const t2 = parse({ menu: "/routing/table", name: "wan1-force", properties: {} });
    await kind.driver.update(ctx, created.id, t1, t2);
    const table = (dev.dump()["/routing/table"] as Record<string, unknown>[]).find((r) => r.name === "wan1-force");
    expect(table?.disabled).not.toBe(true);

    const a1 = parse({
      menu: "/ip/firewall/address-list",
      properties: { list: "x", address: "192.0.2.1", disabled: true },
    });
    const { ctx: actx } = ctxFor(dev, "site/prod/addr");
    const a = await kind.driver.create(actx, a1);
    const a2 = parse({ menu: "/ip/firewall/address-list", properties: { list: "x", address: "192.0.2.1" } });
    await expect(kind.driver.update(actx, a.id, a1, a2)).rejects.toThrow(
      /routeros-item|kind "site\/prod\/addr".*update failed: RouterOS rejected the command/,
    );
  });

  it("a named item of another owner needs adopt; a device refusal names the resource and the device's message", async () => {
    const dev = emulator();
    dev.run("/routing/table/add name=theirs");
    const { ctx, transport } = ctxFor(dev, "site/prod/t");
    const inputs = parse({ menu: "/routing/table", name: "theirs", properties: { disabled: true } });
    await expect(kind.driver.create(ctx, inputs)).rejects.toThrow(/already has an item named "theirs".*adopt/);
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
    const adopted = await kind.driver.create(ctxFor(dev, "site/prod/t", true).ctx, inputs);
    expect(adopted.observed.inputs).toEqual(inputs);

    // A real property name (an unknown one is refused before any write, item-catalogue.test.ts) with a value the
    // device refuses.
    const bad = parse({
      menu: "/ip/firewall/address-list",
      properties: { list: "x", address: "192.0.2.1", timeout: "not-a-duration" },
    });
    await expect(kind.driver.create(ctxFor(dev, "site/prod/bad").ctx, bad)).rejects.toThrow(
      /kind "site\/prod\/bad" on device "crs": create failed: RouterOS (rejected the command|error)/,
    );
  });

  it("read-back values compare in the declared form", () => {
    expect(asDeclared(true, true)).toBe(true);
    expect(asDeclared(true, "yes")).toBe(true);
    expect(asDeclared("yes", true)).toBe("yes");
    expect(asDeclared("no", true)).toBe("yes");
    expect(asDeclared(2048, 2048.0)).toBe(2048);
    expect(asDeclared(2048, "2048.000000")).toBe(2048);
    expect(asDeclared(5, "five")).toBe("five");
    expect(asDeclared("30s", "00:00:30")).toBe("30s");
    expect(asDeclared("30s", "00:00:31")).toBe("00:00:31");
    expect(asDeclared(["a", "b"], "a,b")).toEqual(["a", "b"]);
    expect(asDeclared(["a", "b"], ["b", "a"])).toEqual(["b", "a"]);
    expect(asDeclared("x", undefined)).toBeUndefined();
  });
});

/**
 * Found by running the lifecycles over the version matrix: 7.21+ masks secrets in reads (routeros-cli.md §7), so
 * the menu engine cannot compare them; it must neither rewrite an unchanged secret on every update nor skip a
 * changed one.
 */
describe.each(VERSIONS)("emulator %s: secrets the device masks (menu engine)", (v) => {
  beforeEach(() => clearVersionCache());
  const base = { name: "pppoe-wan2", interface: "ether2", user: "crs@wan2.example", password: "pppoe-secret" };

  it("an unchanged secret is not rewritten; a changed one is written", async () => {
    const dev = emulator(v);
    const { ctx, transport } = ctxFor(dev, "site/prod/ppp");
    const olds = pppoe.schema.parse(base);
    const created = await pppoe.driver.create(ctx, olds);
    const n = transport.execs.length;
    const news = pppoe.schema.parse({ ...base, defaultRouteDistance: 3 });
    await pppoe.driver.update(ctx, created.id, olds, news);
    const sent = transport.execs.slice(n).filter((l) => WRITE.test(l));
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toContain("password=");
    const rotated = pppoe.schema.parse({ ...base, defaultRouteDistance: 3, password: "rotated" });
    await pppoe.driver.update(ctx, created.id, news, rotated);
    const client = (dev.dump()["/interface/pppoe-client"] as Record<string, unknown>[]).find(
      (r) => r.name === "pppoe-wan2",
    );
    expect(client).toMatchObject({ password: "rotated", "default-route-distance": 3 });
  });
});

const BAD: [string, Record<string, unknown>, string, RegExp][] = [
  ["menu with upper case", { menu: "/IP/route" }, "menu", /lowercase/],
  ["menu without leading slash", { menu: "ip/route" }, "menu", /menu path/],
  ["menu with a space", { menu: "/ip/route print" }, "menu", /menu path/],
  ["menu injection", { menu: "/ip/route; /system/identity/set name=PWNED" }, "menu", /menu path/],
  ["menu trailing slash", { menu: "/ip/route/" }, "menu", /menu path/],
  [
    "property name with a space",
    { menu: "/ip/route", properties: { "dst address": "x" } },
    "properties.dst address",
    /property names/,
  ],
  ["property name with =", { menu: "/ip/route", properties: { "a=b": "x" } }, "properties.a=b", /property names/],
  ["property name .id", { menu: "/ip/route", properties: { ".id": "*1" } }, "properties..id", /property names/],
  ["property comment", { menu: "/ip/route", properties: { comment: "x" } }, "properties.comment", /comment input/],
  [
    "property name on a list menu",
    { menu: "/routing/table", properties: { name: "x" } },
    "properties.name",
    /name input/,
  ],
  [
    "value an object",
    { menu: "/ip/route", properties: { distance: { a: 1 } } },
    "properties.distance",
    /string, a number, a boolean or a list/,
  ],
  [
    "value NaN",
    { menu: "/ip/route", properties: { distance: Number.NaN } },
    "properties.distance",
    /string, a number|finite/,
  ],
  ["value with NUL", { menu: "/ip/route", properties: { comment2: "a\u0000b" } }, "properties.comment2", /control/],
  [
    "list item with a comma",
    { menu: "/ip/route", properties: { "routing-mark": ["a,b"] } },
    "properties.routing-mark.0",
    /comma/,
  ],
  ["value too long", { menu: "/ip/route", properties: { x: "$".repeat(2000) } }, "properties.x", /too long/],
  ["singleton without properties", { menu: "/system/note", singleton: true }, "properties", /at least one/],
  [
    "singleton with a name",
    { menu: "/system/note", singleton: true, name: "n", properties: { note: "x" } },
    "name",
    /singleton/,
  ],
  ["unknown input", { menu: "/ip/route", propertys: {} }, "propertys", /unknown property/],
];

describe("bad input is rejected by check, naming the field, with no device I/O", () => {
  let transportFor: jest.SpyInstance;
  beforeAll(() => {
    transportFor = jest.spyOn(devices, "transportFor").mockImplementation(() => {
      throw new Error("check must not reach a device");
    });
  });
  afterAll(() => transportFor.mockRestore());

  it.each(BAD)("%s", async (_label, raw, field, reason) => {
    const r = await makeProvider(kind).check({}, { device: "crs", identity: "site/prod/bad", ...raw });
    expect(r.failures.map((f) => f.property)).toContain(field);
    expect(r.failures.find((f) => f.property === field)?.reason).toMatch(reason);
    expect(transportFor).not.toHaveBeenCalled();
  });
});

/** Independent oracle (item.ts docs): no C0 control but TAB/LF/CR, no DEL; at most 3000 bytes once quoted. */
function valueAcceptable(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) return false;
  let quoted = 2;
  for (const b of Buffer.from(s, "utf8"))
    quoted +=
      b === 0x22 || b === 0x24 || b === 0x5c || b === 0x0a || b === 0x0d || b === 0x09
        ? 2
        : b < 0x20 || b >= 0x7f
          ? 3
          : 1;
  return quoted <= 3000;
}

describe("hostile property values and names never execute", () => {
  beforeEach(() => clearVersionCache());
  const RUNS = Number(process.env.FUZZ_RUNS_ITEM ?? 1500);

  function device() {
    const con: RouterOsConsole = createConsole({ version: "7.20" });
    const writes: string[] = [];
    const out: string[] = [];
    const transport: DeviceTransport = {
      spec: { name: "crs", platform: "routeros", host: "192.0.2.1", port: 22, username: "admin", batchWindowMs: 0 },
      async exec(command) {
        const stdout = con.runLogged(command, (w) => writes.push(w));
        out.push(...stdout.split(/\r?\n/));
        return { stdout, stderr: "", code: 0 };
      },
      async interactive() {
        throw new Error("no interactive exec on RouterOS");
      },
      stats: () => ({ handshakes: 0, execs: 0, bytesSent: 0 }),
      async close() {},
    };
    return { con, writes, out, transport };
  }

  it(`${RUNS} generated netwatch up-script values are stored byte for byte and read back, or rejected naming the property`, async () => {
    const dev = device();
    const provider = makeProvider(kind);
    const counts = newCounts();
    const empty = dev.con.dump();
    for (const [k, s] of fc.sample(hostileString({ maxLong: 1600 }), { seed: SEED + 60, numRuns: RUNS }).entries()) {
      counts.tried++;
      const identity = `fuzz/item/v${k}`;
      const r = await provider.check(
        {},
        { device: "crs", identity, menu: "/tool/netwatch", properties: { host: "192.0.2.1", "up-script": s } },
      );
      same({ k, ok: r.failures.length === 0 }, { k, ok: valueAcceptable(s) });
      if (r.failures.length > 0) {
        counts.rejected++;
        same(
          r.failures.map((f) => f.property),
          r.failures.map(() => "properties.up-script"),
        );
        continue;
      }
      const inputs = parse({ menu: "/tool/netwatch", properties: { host: "192.0.2.1", "up-script": s } });
      const ctx = { transport: dev.transport, device: "crs", identity, adopt: false, label: identity };
      const w0 = dev.writes.length;
      const created = await kind.driver.create(ctx, inputs);
      const stored = (dev.con.dump()["/tool/netwatch"] as Record<string, unknown>[]).map((x) => x["up-script"]);
      same({ k, stored }, { k, stored: [s] });
      same(created.observed.inputs.properties["up-script"], s);
      await kind.driver.delete(ctx, created.id, inputs);
      same(
        dev.writes.slice(w0).map((w) => w.split(" ")[0]),
        ["/tool/netwatch/add", "/tool/netwatch/remove"],
      );
      counts.stored++;
    }
    const executed = dev.out.some((l) => l.trim() === CANARY) || !isDeepStrictEqual(dev.con.dump(), empty);
    counts.executed = executed ? 1 : 0;
    report("routeros RouterOsItem property value (in process)", counts);
    expect(counts.executed).toBe(0);
    expect(counts.stored).toBeGreaterThan(RUNS / 2);
  }, 120_000);

  it("generated property names and menus are either in the documented grammar or rejected before any device I/O", async () => {
    const provider = makeProvider(kind);
    const spy = jest.spyOn(devices, "transportFor").mockImplementation(() => {
      throw new Error("check must not reach a device");
    });
    try {
      for (const s of fc.sample(hostileString({ maxLong: 80 }), { seed: SEED + 61, numRuns: 500 })) {
        const byName = await provider.check(
          {},
          { device: "crs", identity: "fuzz/item/n", menu: "/ip/route", properties: { [s]: "x" } },
        );
        same(
          byName.failures.length === 0,
          /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/.test(s) && s !== "comment" && s !== "name",
        );
        const byMenu = await provider.check({}, { device: "crs", identity: "fuzz/item/m", menu: `/ip/${s}` });
        same(byMenu.failures.length === 0, /^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/.test(s));
      }
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
