/**
 * The test engine against the real dynamic-provider host, one stack through its whole life:
 * create → no-op → drift (preview --refresh, refresh) → restore → update → replace (both orders) →
 * removal → destroy. The device file's own log is the witness of what the provider did.
 */
import * as fs from "fs";
import { isAlive, Item, items3, TestStack } from "./test-fixture";

const t = new TestStack();
afterAll(() => t.cleanup());

let items: Item[] = items3.map((i) => ({ ...i }));
const urnOf = (name: string) => `urn:pulumi:${t.stack}::devprog::pulumi-nodejs:dynamic/devprog:DeviceEntry::${name}`;

test("preview of a new stack plans creates and touches nothing", async () => {
  const r = await t.run("preview", items);
  expect(r.errors).toEqual([]);
  expect(r.counts).toMatchObject({ create: 3, update: 0, replace: 0, delete: 0 });
  expect(fs.existsSync(t.deviceFile)).toBe(false);
  expect(fs.existsSync(t.stateFile)).toBe(false);
});

test("up creates every entry; __provider is a small require() stub", async () => {
  const r = await t.run("up", items);
  expect(r.errors).toEqual([]);
  expect(r.ok).toBe(true);
  expect(r.counts.create).toBe(3);
  expect(Object.keys(t.device().entries).sort()).toEqual(["rtr/k1", "rtr/k2", "rtr/k3"]);
  expect(r.steps.map((s) => s.urn).sort()).toEqual(["e1", "e2", "e3"].map(urnOf));
  // one provider object shared by all resources, serialized as a require of the package (a2 pattern)
  expect(r.providerStrings).toHaveLength(1);
  expect(r.providerStrings[0].length).toBeLessThan(600);
  expect(r.providerStrings[0]).toMatch(/require\("device-provider(\/index\.js)?"\)/);
  // outputs went through the host: the serial names the host pid
  expect(r.outputs.serials).toEqual(
    ["rtr/k1", "rtr/k2", "rtr/k3"].map((id) => expect.stringMatching(new RegExp(`^${id}@\\d+$`))),
  );
  expect(t.state().resources.map((x) => x.id)).toEqual(["rtr/k1", "rtr/k2", "rtr/k3"]);
});

test("a second up is a no-op: zero device writes", async () => {
  const before = t.device().log.length;
  const r = await t.run("up", items);
  expect(r.errors).toEqual([]);
  expect(r.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0, same: 3 });
  expect(t.device().log.length).toBe(before);
});

test("an out-of-band change is reported by preview --refresh (state not saved) and by refresh", async () => {
  const d = t.device();
  d.entries["rtr/k2"].value = "tampered";
  t.writeDevice(d);
  const stateBefore = fs.readFileSync(t.stateFile, "utf8");

  const p = await t.run("preview", items, { refresh: true });
  expect(p.errors).toEqual([]);
  expect(p.drift).toEqual([{ urn: urnOf("e2"), name: "e2", diffs: ["value"], gone: false }]);
  // planned against the refreshed state: the program's v2 differs from the device's "tampered"
  expect(p.steps.filter((s) => s.op === "update")).toEqual([expect.objectContaining({ name: "e2", diffs: ["value"] })]);
  expect(fs.readFileSync(t.stateFile, "utf8")).toBe(stateBefore);

  const r = await t.run("refresh", undefined);
  expect(r.errors).toEqual([]);
  expect(r.drift).toEqual([{ urn: urnOf("e2"), name: "e2", diffs: ["value"], gone: false }]);
  // read returned inputs too (reference §7(a)); they are stored
  expect(t.state().resources.find((x) => x.name === "e2")!.inputs.value).toBe("tampered");
});

test("up restores the drifted entry", async () => {
  const r = await t.run("up", items);
  expect(r.errors).toEqual([]);
  expect(r.counts).toMatchObject({ update: 1, same: 2 });
  expect(t.device().entries["rtr/k2"].value).toBe("v2");
  expect(t.device().log.slice(-1)).toEqual(["update rtr/k2"]);
});

test("an entry deleted outside is dropped by refresh and re-created by up", async () => {
  const d = t.device();
  delete d.entries["rtr/k1"];
  t.writeDevice(d);
  const r = await t.run("refresh", undefined);
  expect(r.drift).toEqual([{ urn: urnOf("e1"), name: "e1", diffs: [], gone: true }]);
  expect(t.state().resources.map((x) => x.name)).toEqual(["e2", "e3"]);
  const u = await t.run("up", items);
  expect(u.counts).toMatchObject({ create: 1, same: 2 });
  expect(t.device().entries["rtr/k1"].value).toBe("v1");
});

test("a changed value is an update with the property named", async () => {
  items = items.map((i) => (i.name === "e1" ? { ...i, value: "v1-new" } : i));
  const p = await t.run("preview", items);
  expect(p.steps.filter((s) => s.op !== "same")).toEqual([
    expect.objectContaining({ op: "update", name: "e1", diffs: ["value"] }),
  ]);
  const r = await t.run("up", items);
  expect(r.errors).toEqual([]);
  expect(r.counts).toMatchObject({ update: 1, same: 2 });
  expect(t.device().entries["rtr/k1"].value).toBe("v1-new");
});

test("ignoreChanges keeps the old value", async () => {
  const ignoring = items.map((i) => (i.name === "e1" ? { ...i, value: "ignored", ignoreChanges: ["value"] } : i));
  const r = await t.run("up", ignoring);
  expect(r.errors).toEqual([]);
  expect(r.counts).toMatchObject({ update: 0, same: 3 });
  expect(t.device().entries["rtr/k1"].value).toBe("v1-new");
});

test("replace honours deleteBeforeReplace, and otherwise creates before deleting", async () => {
  // e3: the key is identity and names are unique on the device -> delete first
  // e2: the host is identity, no uniqueness -> create the new one first, delete the old at the end
  items = items.map((i) =>
    i.name === "e3" ? { ...i, key: "k3b", uniqueName: true } : i.name === "e2" ? { ...i, host: "rtr2" } : i,
  );
  const mark = t.device().log.length;
  const r = await t.run("up", items);
  expect(r.errors).toEqual([]);
  expect(r.counts).toMatchObject({ replace: 2, same: 1 });
  expect(r.steps.find((s) => s.name === "e3")).toMatchObject({ op: "replace", diffs: expect.arrayContaining(["key"]) });
  const log = t.device().log.slice(mark);
  expect(log.indexOf("delete rtr/k3")).toBeGreaterThanOrEqual(0);
  expect(log.indexOf("delete rtr/k3")).toBeLessThan(log.indexOf("create rtr/k3b"));
  expect(log.indexOf("create rtr2/k2")).toBeGreaterThanOrEqual(0);
  expect(log.indexOf("create rtr2/k2")).toBeLessThan(log.indexOf("delete rtr/k2"));
  expect(Object.keys(t.device().entries).sort()).toEqual(["rtr/k1", "rtr/k3b", "rtr2/k2"]);
  expect(t.state().resources).toHaveLength(3);
});

test("removing an entry from the program deletes it", async () => {
  items = items.filter((i) => i.name !== "e1");
  const r = await t.run("up", items);
  expect(r.errors).toEqual([]);
  expect(r.counts).toMatchObject({ delete: 1, same: 2 });
  expect(r.steps.find((s) => s.op === "delete")!.urn).toBe(urnOf("e1"));
  expect(t.device().entries["rtr/k1"]).toBeUndefined();
});

test("deletes run in reverse dependency order", async () => {
  const chain: Item[] = [
    { name: "c1", host: "dep", key: "a", value: "1" },
    { name: "c2", host: "dep", key: "b", value: "2", dependsOnPrevious: true },
    { name: "c3", host: "dep", key: "c", value: "3", dependsOnPrevious: true },
  ];
  expect((await t.run("up", [...items, ...chain])).errors).toEqual([]);
  const mark = t.device().log.length;
  expect((await t.run("up", items)).errors).toEqual([]);
  expect(t.device().log.slice(mark)).toEqual(["delete dep/c", "delete dep/b", "delete dep/a"]);
});

test("a protected resource's delete is refused; the other steps and deletes still run (docs/engine.md R5)", async () => {
  const guarded: Item = { name: "g1", host: "prot", key: "g1", value: "1", protect: true };
  const plain: Item = { name: "g2", host: "prot", key: "g2", value: "2" };
  expect((await t.run("up", [...items, guarded, plain])).errors).toEqual([]);
  const changed = items.map((i, n) => (n === 0 ? { ...i, value: "after-protect" } : i));
  const mark = t.device().log.length;
  const r = await t.run("up", changed);
  expect(r.ok).toBe(false);
  expect(r.errors).toEqual([
    `${urnOf("g1")}: unable to delete resource "${urnOf("g1")}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
  ]);
  // the update and the unprotected delete ran; the protected object is still on the device and in state
  const updated = changed[0];
  expect(t.device().log.slice(mark).sort()).toEqual([`delete prot/g2`, `update ${updated.host}/${updated.key}`]);
  expect(t.device().entries["prot/g1"]).toBeDefined();
  expect(t.state().resources.map((x) => x.name)).toContain("g1");
  // unprotecting it in the program, then removing it, deletes it
  expect((await t.run("up", [...changed, { ...guarded, protect: false }])).errors).toEqual([]);
  expect((await t.run("up", changed)).errors).toEqual([]);
  expect(t.device().entries["prot/g1"]).toBeUndefined();
  items = changed;
});

test("destroy empties the device and the state", async () => {
  const r = await t.run("destroy", undefined);
  expect(r.errors).toEqual([]);
  expect(r.counts.delete).toBe(2);
  expect(t.device().entries).toEqual({});
  expect(t.state().resources).toEqual([]);
  // destroy of an empty stack needs no host and does nothing
  const again = await t.run("destroy", undefined);
  expect(again.ok).toBe(true);
  expect(again.steps).toEqual([]);
});

test("no host or program process survives", () => {
  expect(t.pids.length).toBeGreaterThan(10);
  expect(t.pids.filter(isAlive)).toEqual([]);
});
