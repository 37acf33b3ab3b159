/**
 * RouterOsItem (a list item and the `/system/note` singleton), OpenWrt RemoteFile (a new secret file and an
 * adopted /etc/banner) and Service (`firewall` autostart) through the test engine, the real dynamic-provider
 * host and the lab (RouterOS emulator + OpenWrt-like host over SSH):
 *   create → a second `up` is a no-op (0 steps, 0 device writes) → out-of-band edits are reported by
 *   `preview --refresh` and restored by `up --refresh` → a `reloadOn` change reloads the service once →
 *   destroy leaves both devices as they were (dumps, the adopted file, the note).
 * The lab's rc.common has no `running` action (it prints help and exits 0), so `running` is left unmanaged here.
 */
import * as fs from "fs";
import * as path from "path";
import { LabSession, differences, labAvailable, type ResourceSpec } from "./harness";
import type { EngineResult } from "../engine";
import type { LabDump } from "../lab/lab";

const run = labAvailable() ? describe : describe.skip;
const tag = (name: string) => `rs:routerstack-e2e/test/${name}`;
const zero = { create: 0, update: 0, replace: 0, delete: 0 };
const changes = (r: EngineResult) => ({
  create: r.counts.create,
  update: r.counts.update,
  replace: r.counts.replace,
  delete: r.counts.delete,
});

const SECRET = "PrivateKey = e2e-SeCrEt-key\n";
const alist: ResourceSpec = {
  platform: "routeros",
  kind: "RouterOsItem",
  name: "ritem",
  args: {
    device: "crs",
    menu: "/ip/firewall/address-list",
    properties: { list: "e2e", address: "203.0.113.7" },
    comment: "generic",
  },
};
const note: ResourceSpec = {
  platform: "routeros",
  kind: "RouterOsItem",
  name: "rnote",
  args: {
    device: "crs",
    menu: "/system/note",
    singleton: true,
    properties: { note: "managed by routerstack", "show-at-login": false },
  },
};
const key: ResourceSpec = {
  platform: "openwrt",
  kind: "RemoteFile",
  name: "wgkey",
  args: { device: "dlink", path: "/etc/routerstack-e2e/wg0.key", content: SECRET, mode: "0600" },
  secretArgs: ["content"],
};
const banner: ResourceSpec = {
  platform: "openwrt",
  kind: "RemoteFile",
  name: "banner",
  args: { device: "dlink", path: "/etc/banner", content: "managed banner\n", adopt: true },
};
const fw: ResourceSpec = {
  platform: "openwrt",
  kind: "Service",
  name: "fwsvc",
  args: { device: "dlink", name: "firewall", enabled: false, reloadOn: ["v1"] },
};
const all = [alist, note, key, banner, fw];

run("RouterOsItem, RemoteFile, Service: create, no-op, drift, reload, destroy", () => {
  const s = new LabSession();
  let empty: LabDump;
  let bannerBefore: string;
  const onDlink = (p: string) => path.join(s.lab.dlink.rootDir, p);

  beforeAll(async () => {
    await s.start("itemfs");
    // The note as an admin left it. Set explicitly because the emulator's dump tells a never-set property from one
    // set to its default value, and destroy restores values (what a read shows), not "never set".
    expect(s.lab.crs.outOfBand('/system/note/set note="lab note" show-at-login=yes')).toBe("");
    bannerBefore = fs.readFileSync(onDlink("/etc/banner"), "utf8");
    empty = await s.dump();
  }, 180_000);
  afterAll(() => s.stop());

  it("up creates them; the secret content is on the device but not in plain text in state", async () => {
    const r = await s.ok("up", all);
    expect(changes(r)).toEqual({ ...zero, create: all.length });
    const d = await s.dump();
    expect(
      (d.crs["/ip/firewall/address-list"] as Record<string, unknown>[]).filter(
        (x) => x.comment === `${tag("ritem")} generic`,
      ),
    ).toEqual([expect.objectContaining({ list: "e2e", address: "203.0.113.7" })]);
    expect(d.crs["/system/note"]).toEqual([{ note: "managed by routerstack", "show-at-login": false }]);
    expect(fs.readFileSync(onDlink("/etc/routerstack-e2e/wg0.key"), "utf8")).toBe(SECRET);
    expect(fs.statSync(onDlink("/etc/routerstack-e2e/wg0.key")).mode & 0o7777).toBe(0o600);
    expect(fs.readFileSync(onDlink("/etc/banner"), "utf8")).toBe("managed banner\n");
    expect(d.dlink.files["/etc/rc.d/S19firewall"]).toBeUndefined();
    expect(fs.readFileSync(s.statePath(), "utf8")).not.toContain("SeCrEt");
  });

  it("a second up is a no-op with no device writes", async () => {
    let r!: EngineResult;
    const writes = await s.writesDuring(async () => {
      r = await s.ok("up", all, { refresh: true });
    });
    expect(r.drift).toEqual([]);
    expect(changes(r)).toEqual(zero);
    expect(writes).toBe(0);
  });

  it("out-of-band edits are reported by preview --refresh and restored by up --refresh", async () => {
    expect(s.lab.crs.outOfBand('/system/note/set note="edited"')).toBe("");
    fs.writeFileSync(onDlink("/etc/routerstack-e2e/wg0.key"), "tampered\n");
    expect((await s.lab.dlink.exec("/etc/init.d/firewall enable")).code).toBe(0);
    const pv = await s.ok("preview", all, { refresh: true });
    expect(pv.drift.map((x) => x.name).sort()).toEqual(["fwsvc", "rnote", "wgkey"]);
    const up = await s.ok("up", all, { refresh: true });
    expect(changes(up)).toEqual({ ...zero, update: 3 });
    const d = await s.dump();
    expect(d.crs["/system/note"]).toEqual([{ note: "managed by routerstack", "show-at-login": false }]);
    expect(fs.readFileSync(onDlink("/etc/routerstack-e2e/wg0.key"), "utf8")).toBe(SECRET);
    expect(d.dlink.files["/etc/rc.d/S19firewall"]).toBeUndefined();
  });

  it("a reloadOn change reloads the service exactly once", async () => {
    const before = (await s.lab.dlink.reloads()).filter(
      (x) => x.service === "firewall" && x.action === "reload",
    ).length;
    const fw2 = { ...fw, args: { ...fw.args, reloadOn: ["v2"] } };
    const r = await s.ok("up", [alist, note, key, banner, fw2]);
    expect(changes(r)).toEqual({ ...zero, update: 1 });
    const after = (await s.lab.dlink.reloads()).filter((x) => x.service === "firewall" && x.action === "reload").length;
    expect(after - before).toBe(1);
    all[4] = fw2;
  });

  it("destroy leaves both devices as they were", async () => {
    const r = await s.ok("destroy", all);
    expect(r.counts.delete).toBe(all.length);
    expect(differences(empty, await s.dump())).toEqual([]);
    expect(fs.readFileSync(onDlink("/etc/banner"), "utf8")).toBe(bannerBefore);
    expect(fs.existsSync(onDlink("/etc/routerstack-e2e/wg0.key"))).toBe(false);
    expect(fs.readdirSync(onDlink("/etc")).filter((f) => f.includes("routerstack-adopted"))).toEqual([]);
  });
});
