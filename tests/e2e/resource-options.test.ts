/**
 * Pulumi resource options on routerstack kinds against the lab, through the test engine that follows the CLI
 * (docs/engine.md O5, O7, O8/R5): ignoreChanges keeps a device value the program changed, protect refuses the
 * delete and leaves the object on the device, retainOnDelete leaves the object on the device and drops it
 * from state. Counts come from the devices (dumps and write logs).
 */
import { differences, LabSession, labAvailable, type ResourceSpec } from "./harness";

const run = labAvailable() ? describe : describe.skip;
const TIMEOUT = 300_000;

run("resource options on routerstack kinds", () => {
  const s = new LabSession();
  beforeAll(() => s.start("resopts"), TIMEOUT);
  afterAll(() => s.stop(), TIMEOUT);

  const route = (distance: number, options?: ResourceSpec["options"]): ResourceSpec => ({
    platform: "routeros",
    kind: "StaticRoute",
    name: "opt-route",
    args: {
      device: "crs",
      dstAddress: "198.51.100.61/32",
      gateway: "192.0.2.2",
      distance,
      comment: "resource options",
    },
    options,
  });
  const rule = (options?: ResourceSpec["options"]): ResourceSpec => ({
    platform: "openwrt",
    kind: "UciSection",
    name: "opt-rule",
    args: {
      device: "dlink",
      package: "firewall",
      type: "rule",
      options: { name: "rs-opt", src: "wan", proto: "tcp", dest_port: "4061", target: "DROP" },
    },
    options,
  });

  test(
    "ignoreChanges: a changed input that is ignored writes nothing and stays as created",
    async () => {
      await s.ok("up", [route(5, { ignoreChanges: ["distance"] })]);
      let r = await s.ok("up", [route(5, { ignoreChanges: ["distance"] })]);
      const writes = await s.writesDuring(async () => {
        r = await s.ok("up", [route(9, { ignoreChanges: ["distance"] })]);
      });
      expect(r.counts).toMatchObject({ update: 0, same: 1 });
      expect(writes).toBe(0);
      const crs = (await s.dump()).crs["/ip/route"] as { "dst-address"?: string; distance?: unknown }[];
      expect(crs.filter((x) => x["dst-address"] === "198.51.100.61/32").map((x) => Number(x.distance))).toEqual([5]);
      // without ignoreChanges the same program updates the device
      const u = await s.ok("up", [route(9)]);
      expect(u.counts.update).toBe(1);
    },
    TIMEOUT,
  );

  test(
    "protect: removing a protected resource fails, names it, and leaves it on the device; unprotected it is deleted",
    async () => {
      const before = await s.dump();
      await s.ok("up", [route(9), rule({ protect: true })]);
      const removed = await s.run("up", [route(9)]);
      expect(removed.ok).toBe(false);
      expect(removed.errors.join("\n")).toMatch(/opt-rule.*unable to delete resource .*marked for protection/s);
      expect((await s.dump()).dlink.uci).toContain("rs-opt");
      await s.ok("up", [route(9), rule()]); // unprotect
      await s.ok("up", [route(9)]);
      expect((await s.dump()).dlink.uci).not.toContain("rs-opt");
      await s.ok("destroy", []);
      expect(differences(before, await s.dump()).filter((d) => d.device === "dlink")).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    "retainOnDelete: destroy leaves the object on the device and nothing in state",
    async () => {
      await s.ok("up", [rule({ retainOnDelete: true })]);
      const d = await s.ok("destroy", []);
      expect(d.counts.delete).toBe(1);
      expect((await s.dump()).dlink.uci).toContain("rs-opt");
      // the section still carries this stack's identity, so the same program takes it back; then it is deleted
      await s.ok("up", [rule()]);
      expect((await s.dump()).dlink.uci.match(/rs-opt/g)).toHaveLength(1);
      await s.ok("destroy", []);
      expect((await s.dump()).dlink.uci).not.toContain("rs-opt");
    },
    TIMEOUT,
  );
});
