/**
 * Shared routers (issue 5): two stacks of the same program (identities `<project>/<stack>/<name>` differ only by
 * the stack) declare the SAME resources — same names, same arguments — on the same two routers. Each stack finds
 * only its own objects; destroying one leaves the other's objects byte-identical in the device dumps, and the other
 * stack's next `up` (and `up --refresh`) is a no-op with no device write.
 * DESIGN.md "Pulumi integration" (identity input), "Device rules" (identity in comment / named sections).
 */
import { createHash } from "crypto";
import type { LabDump } from "../lab/lab";
import { differences, LabSession, labAvailable, type ResourceSpec } from "./harness";
import {
  changes,
  committedShow,
  parseShow,
  reloadCounts,
  reloadsDuring,
  report,
  Stack,
  taggedItems,
} from "./reliability-helpers";

const run = labAvailable() ? describe : describe.skip;
const TIMEOUT = 300_000;

function derivedSectionName(identity: string): string {
  const name = identity.slice(identity.lastIndexOf("/") + 1);
  return `rs_${name.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 32)}_${createHash("sha256").update(identity).digest("hex").slice(0, 8)}`;
}

/** The same declarations in both stacks. */
const RESOURCES: ResourceSpec[] = [
  {
    platform: "routeros",
    kind: "StaticRoute",
    name: "lte-backup",
    args: { device: "crs", dstAddress: "203.0.113.0/24", gateway: "192.0.2.2", distance: 30, comment: "shared" },
  },
  {
    platform: "routeros",
    kind: "NatRule",
    name: "masq",
    args: { device: "crs", chain: "srcnat", action: "masquerade", outInterface: "pppoe-gpon" },
  },
  {
    platform: "openwrt",
    kind: "UciSection",
    name: "allow-bgp",
    args: {
      device: "dlink",
      package: "firewall",
      type: "rule",
      options: { name: "allow-bgp", src: "lan", proto: "tcp", dest_port: "179", target: "ACCEPT" },
    },
  },
  {
    platform: "openwrt",
    kind: "UciSection",
    name: "lte-route",
    args: {
      device: "dlink",
      package: "network",
      type: "route",
      options: { interface: "lan", target: "198.51.100.0/24", gateway: "192.0.2.9" },
    },
  },
];

run("two stacks sharing the same routers", () => {
  const s = new LabSession();
  let pristine: LabDump;
  let left: Stack;
  let right: Stack;
  const summary = {
    reloads: "",
    leftObjects: 0,
    rightObjects: 0,
    rightChangedByDestroy: -1,
    rightNoOpWrites: -1,
    leftAfterDestroy: -1,
  };

  beforeAll(async () => {
    await s.start("shared");
    pristine = await s.dump();
    left = new Stack(s.lab, "left");
    right = new Stack(s.lab, "right");
  }, 180_000);

  afterAll(async () => {
    report(
      `shared-router: reloads of the first up ${summary.reloads}; objects left ${summary.leftObjects}, right ${summary.rightObjects}; right's objects changed by left's destroy ${summary.rightChangedByDestroy}; ` +
        `device writes in right's next up ${summary.rightNoOpWrites}; left's objects remaining after its destroy ${summary.leftAfterDestroy}`,
    );
    await s.stop();
  });

  /** `stack`'s objects as the devices hold them: RouterOS items (JSON, .id included) and uci sections (`uci show` lines). */
  async function objectsOf(stack: Stack): Promise<Record<string, string>> {
    const crs = s.lab.crs.dump();
    const out: Record<string, string> = {};
    for (const [name, menu] of [
      ["lte-backup", "/ip/route"],
      ["masq", "/ip/firewall/nat"],
    ]) {
      for (const [k, item] of taggedItems(crs, menu, stack.tag(name)).entries())
        out[`crs ${menu} ${name} #${k}`] = JSON.stringify(item);
    }
    for (const [name, pkg] of [
      ["allow-bgp", "firewall"],
      ["lte-route", "network"],
    ]) {
      const section = derivedSectionName(stack.identity(name));
      const shown = (await committedShow(s.lab, pkg))
        .split("\n")
        .filter((l) => l.startsWith(`${pkg}.${section}=`) || l.startsWith(`${pkg}.${section}.`));
      if (shown.length) out[`dlink ${pkg}.${section}`] = shown.join("\n");
    }
    return out;
  }

  it(
    "both stacks create their own objects from identical declarations",
    async () => {
      // One burst touching two packages: one reload of each affected service, none of any other (bird).
      const { value: a, reloads } = await reloadsDuring(s.lab, () => left.ok("up", RESOURCES));
      expect(reloadCounts(reloads)).toEqual({ "firewall reload": 1, "network reload": 1 });
      summary.reloads = JSON.stringify(reloadCounts(reloads));
      const b = await right.ok("up", RESOURCES);
      expect(changes(a)).toEqual({ create: 4, update: 0, replace: 0, delete: 0 });
      expect(changes(b)).toEqual({ create: 4, update: 0, replace: 0, delete: 0 });
      const lo = await objectsOf(left);
      const ro = await objectsOf(right);
      summary.leftObjects = Object.keys(lo).length;
      summary.rightObjects = Object.keys(ro).length;
      expect(Object.keys(lo)).toHaveLength(4);
      expect(Object.keys(ro)).toHaveLength(4);
      // Exactly two of each on the devices (one per stack), told apart only by the identity.
      const crs = s.lab.crs.dump();
      expect(
        ((crs["/ip/route"] ?? []) as Record<string, unknown>[]).filter((r) => r["dst-address"] === "203.0.113.0/24"),
      ).toHaveLength(2);
      const fw = parseShow(await committedShow(s.lab, "firewall"));
      expect([...fw.values()].filter((x) => x.options.name === "'allow-bgp'")).toHaveLength(2);
      // Each stack's second up is a no-op: neither mistakes the other's object for its own.
      for (const st of [left, right]) {
        const before = await s.lab.writes();
        const r = await st.ok("up", RESOURCES, { refresh: true });
        expect(r.drift).toEqual([]);
        expect(changes(r)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
        expect(await s.lab.writes()).toEqual(before);
      }
    },
    TIMEOUT,
  );

  it(
    "destroying one stack leaves the other's objects byte-identical",
    async () => {
      const rightBefore = await objectsOf(right);
      const r = await left.ok("destroy", RESOURCES);
      expect(r.counts.delete).toBe(4);
      const rightAfter = await objectsOf(right);
      summary.rightChangedByDestroy =
        Object.keys(rightBefore).filter((k) => rightBefore[k] !== rightAfter[k]).length +
        Object.keys(rightAfter).filter((k) => !(k in rightBefore)).length;
      expect(rightAfter).toEqual(rightBefore);
      summary.leftAfterDestroy = Object.keys(await objectsOf(left)).length;
      expect(summary.leftAfterDestroy).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "the other stack's next up and up --refresh are no-ops with no device write",
    async () => {
      const before = await s.lab.writes();
      const a = await right.ok("up", RESOURCES);
      const b = await right.ok("up", RESOURCES, { refresh: true });
      const after = await s.lab.writes();
      expect(changes(a)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
      expect(changes(b)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
      expect(b.drift).toEqual([]);
      summary.rightNoOpWrites = after.crs - before.crs + (after.dlink - before.dlink);
      expect(summary.rightNoOpWrites).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "destroying the other stack too leaves the devices as before",
    async () => {
      const r = await right.ok("destroy", RESOURCES);
      expect(r.counts.delete).toBe(4);
      const now = await s.dump();
      // Reload records accumulate by design; compare the configuration and the RouterOS state.
      const left_ = differences(pristine, now).filter((d) => d.device === "crs");
      expect(left_).toEqual([]);
      expect(now.dlink.uci).toBe(pristine.dlink.uci);
    },
    TIMEOUT,
  );
});
