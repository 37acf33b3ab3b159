/**
 * Adoption (issue 7) through the test engine and the real dynamic-provider host, against the lab: objects an
 * admin made by hand (a RouterOS default route and address-list entry, the starting config's `pppoe-gpon`, an
 * OpenWrt netifd route section) are declared with `adopt: true` and the device's own values, as the importer
 * writes them. Device-side counts throughout:
 *   bad input (check names the field, nothing reaches the device) → preview of a changed declaration shows
 *   `adoption.changes` ("200 → 210") → preview of the exact values shows `changes: {}` → `up` writes nothing →
 *   second `up` is a no-op → out-of-band drift: `preview --refresh` reports it, `up --refresh` restores it →
 *   update → destroy restores every adopted object (device dump equal to the one before the first `up`).
 * Set ADOPT_TRANSCRIPT=<file> to record the engine results used in docs/existing-routers-adopt.md.
 */
import * as fs from "fs";
import { LabSession, differences, labAvailable, type ResourceSpec } from "./harness";
import type { EngineResult } from "../engine";
import { render } from "../engine/cli";
import type { LabDump } from "../lab/lab";

const run = labAvailable() ? describe : describe.skip;
const TIMEOUT = 300_000;

const route: ResourceSpec = {
  platform: "routeros",
  kind: "StaticRoute",
  name: "lte-default",
  args: {
    device: "crs",
    adopt: true,
    dstAddress: "0.0.0.0/0",
    gateway: "192.0.2.2",
    distance: 200,
    comment: "lte default",
  },
};
const mgmt: ResourceSpec = {
  platform: "routeros",
  kind: "AddressListEntry",
  name: "mgmt",
  args: { device: "crs", adopt: true, list: "mgmt", address: "198.51.100.0/24" },
};
const gpon: ResourceSpec = {
  platform: "routeros",
  kind: "PppoeClient",
  name: "gpon",
  args: {
    device: "crs",
    adopt: true,
    name: "pppoe-gpon",
    interface: "ether1",
    user: "crs@gpon.example",
    password: "lab-pppoe-secret",
  },
  secretArgs: ["password"],
};
const lteHost: ResourceSpec = {
  platform: "openwrt",
  kind: "StaticRoute",
  name: "lte-host",
  args: {
    device: "dlink",
    adopt: true,
    name: "lte_host",
    interface: "wwan",
    target: "198.51.100.0/24",
    gateway: "192.0.2.1",
  },
};
const all = [route, mgmt, gpon, lteHost];
const withArgs = (s: ResourceSpec, args: Record<string, unknown>): ResourceSpec => ({
  ...s,
  args: { ...s.args, ...args },
});
const changes = (r: EngineResult) => ({
  create: r.counts.create,
  update: r.counts.update,
  replace: r.counts.replace,
  delete: r.counts.delete,
});

run("adopt: existing objects taken over through the dynamic-provider host", () => {
  const s = new LabSession();
  let pristine: LabDump;
  const transcript: Record<string, unknown>[] = [];
  const record = (step: string, r: EngineResult, extra: Record<string, unknown> = {}) => {
    transcript.push({
      step,
      plan: render(r),
      counts: r.counts,
      drift: r.drift,
      outputs: r.outputs,
      errors: r.errors,
      ...extra,
    });
  };

  beforeAll(async () => {
    await s.start("adopt");
    for (const line of [
      '/ip/route/add dst-address=0.0.0.0/0 gateway=192.0.2.2 distance=200 comment="lte default"',
      "/ip/firewall/address-list/add list=mgmt address=198.51.100.0/24",
    ])
      expect(s.lab.crs.outOfBand(line)).toMatch(/^(\*[0-9A-F]+)?$/);
    const r = await s.lab.dlink.exec(
      "uci batch <<'EOF'\nset network.lte_host=route\nset network.lte_host.interface='wwan'\nset network.lte_host.target='198.51.100.0/24'\nset network.lte_host.gateway='192.0.2.1'\ncommit network\nEOF",
    );
    expect(r.code).toBe(0);
    pristine = await s.dump();
  }, 120_000);

  afterAll(async () => {
    if (process.env.ADOPT_TRANSCRIPT)
      fs.writeFileSync(process.env.ADOPT_TRANSCRIPT, JSON.stringify(transcript, null, 2));
    await s.stop();
  });

  it(
    "bad input with adopt: check names the field and nothing reaches the device",
    async () => {
      let r!: EngineResult;
      const writes = await s.writesDuring(async () => {
        r = await s.run("up", [withArgs(route, { distance: 0 })]);
      });
      expect(r.ok).toBe(false);
      expect(r.errors.join("\n")).toMatch(/property "distance"/);
      expect(writes).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "preview shows what adopting will change, and changes nothing itself",
    async () => {
      let r!: EngineResult;
      const writes = await s.writesDuring(async () => {
        r = await s.ok("preview", [withArgs(route, { distance: 210 }), withArgs(lteHost, { metric: 10 })]);
      });
      record("preview (declared distance 210, metric 10)", r);
      expect(writes).toBe(0);
      expect(r.counts.create).toBe(2);
      expect(r.outputs.adoptions).toEqual({
        "lte-default": { found: expect.stringMatching(/^\*[0-9A-F]+$/), changes: { distance: "200 → 210" } },
        "lte-host": { found: "network.lte_host", changes: { metric: "(unset) → 10" } },
      });
    },
    TIMEOUT,
  );

  it(
    "preview and up with the device's own values: no change shown, nothing written",
    async () => {
      const p = await s.ok("preview", all);
      record("preview (device values)", p);
      expect(Object.values(p.outputs.adoptions as Record<string, { changes: object }>).map((a) => a.changes)).toEqual([
        {},
        {},
        {},
        {},
      ]);
      let up!: EngineResult;
      const writes = await s.writesDuring(async () => {
        up = await s.ok("up", all);
      });
      expect(writes).toBe(0);
      record("up", up, { deviceWrites: writes });
      expect(changes(up)).toEqual({ create: 4, update: 0, replace: 0, delete: 0 });
      expect(differences(pristine, await s.dump())).toEqual([]);
      let again!: EngineResult;
      const writes2 = await s.writesDuring(async () => {
        again = await s.ok("up", all);
      });
      record("second up", again, { deviceWrites: writes2 });
      expect(changes(again)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
      expect(writes2).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "an out-of-band change is drift on refresh, and up --refresh restores the declared value",
    async () => {
      expect(s.lab.crs.outOfBand('/ip/route/set [find where comment="lte default"] distance=5')).toBe("");
      const p = await s.ok("preview", all, { refresh: true });
      record("preview --refresh after distance=5 by hand", p);
      expect(p.drift.map((d) => ({ name: d.name, diffs: d.diffs }))).toEqual([
        { name: "lte-default", diffs: expect.arrayContaining(["distance"]) },
      ]);
      const up = await s.ok("up", all, { refresh: true });
      expect(up.counts.update).toBe(1);
      expect(differences(pristine, await s.dump())).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "an update writes only the declared change; destroy restores every adopted object and deletes none",
    async () => {
      const changed = [
        withArgs(route, { distance: 210 }),
        withArgs(mgmt, { comment: "office" }),
        gpon,
        withArgs(lteHost, { metric: 10 }),
      ];
      let up!: EngineResult;
      const writes = await s.writesDuring(async () => {
        up = await s.ok("up", changed);
      });
      record("up (distance 210, comment, metric 10)", up, { deviceWrites: writes });
      expect(changes(up)).toEqual({ create: 0, update: 3, replace: 0, delete: 0 });
      expect(differences(pristine, await s.dump())).not.toEqual([]);
      let d!: EngineResult;
      const dw = await s.writesDuring(async () => {
        d = await s.ok("destroy", changed);
      });
      record("destroy", d, { deviceWrites: dw });
      expect(d.counts.delete).toBe(4);
      const left = differences(pristine, await s.dump());
      record("destroy: left on the devices", d, { left });
      // Every property back and nothing removed, except that a comment added by the update to an entry that had
      // none comes back as `comment=""`: RouterOS tells the two apart (`where comment` ≠ `where comment=""`,
      // routeros-cli.md §3.2) and address-list has no `unset` to return to "none" (§3.1).
      const entry = (comment?: string) =>
        `/ip/firewall/address-list ${JSON.stringify({ address: "198.51.100.0/24", ...(comment === undefined ? {} : { comment }), list: "mgmt" })}`;
      expect(left).toHaveLength(2);
      expect(left).toEqual(
        expect.arrayContaining([
          { device: "crs", change: "added", what: entry("") },
          { device: "crs", change: "removed", what: entry() },
        ]),
      );
      const routes = (await s.dump()).crs["/ip/route"] as Record<string, unknown>[];
      expect(routes.filter((x) => x["dst-address"] === "0.0.0.0/0" && String(x.gateway) === "192.0.2.2")).toMatchObject(
        [{ distance: 200, comment: "lte default" }],
      );
    },
    TIMEOUT,
  );
});
