/**
 * Concurrency (issue 5): 50 UciSection resources in one package and 50 RouterOS items in one menu created,
 * updated and deleted in parallel by one engine run (parallel 100); two routerstack processes (two stacks, two
 * engine runs, two dynamic-provider hosts) converging one OpenWrt device at once; an admin's pending uci changes
 * surviving every run. Every count comes from the devices (uci, RouterOS dump, the lab's reload journal).
 * DESIGN.md "Device rules → OpenWrt" (transactions under the device lock, coalesced reloads, admin's changes).
 */
import { createHash } from "crypto";
import type { EngineResult } from "../engine";
import type { LabDump } from "../lab/lab";
import { differences, LabSession, labAvailable, type ResourceSpec } from "./harness";
import {
  changes,
  committedShow,
  parseShow,
  readCommitted,
  reloadCounts,
  reloadsDuring,
  report,
  sh,
  Stack,
  taggedItems,
  type ShownSection,
} from "./reliability-helpers";

const run = labAvailable() ? describe : describe.skip;

const N = 50;
const TIMEOUT = 600_000;

/** Section name derived from an identity as section-engine.ts documents it (computed here independently). */
function derivedSectionName(identity: string): string {
  const name = identity.slice(identity.lastIndexOf("/") + 1);
  return `rs_${name.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 32)}_${createHash("sha256").update(identity).digest("hex").slice(0, 8)}`;
}

run("concurrency against one lab", () => {
  const s = new LabSession();
  let adminChanges = "";
  let pristineFirewall = "";
  let pristineNetwork = "";
  let pristine: LabDump;
  const summary: string[] = [];

  beforeAll(async () => {
    await s.start("conc");
    pristineFirewall = await committedShow(s.lab, "firewall");
    pristineNetwork = await committedShow(s.lab, "network");
    pristine = await s.dump();
    // An admin's pending (uncommitted) changes in the default savedir, in the package routerstack writes most.
    await sh(s.lab, "uci set firewall.@defaults[0].syn_flood=0");
    await sh(
      s.lab,
      "uci set firewall.adminrule=rule && uci set firewall.adminrule.name=admin-pending && uci set firewall.adminrule.target=DROP",
    );
    await sh(s.lab, "uci set network.lan.mtu=1400");
    adminChanges = await sh(s.lab, "uci changes");
    expect(adminChanges).toContain("syn_flood");
    expect(adminChanges).toContain("adminrule");
    expect(adminChanges).toContain("network.lan.mtu");
  }, 180_000);

  afterAll(async () => {
    for (const l of summary) report(l);
    await s.stop();
  });

  /** The admin's pending changes are still pending, and none of them reached /etc/config. */
  let adminChecks = 0;
  async function expectAdminChangesPending(): Promise<void> {
    expect(await sh(s.lab, "uci changes")).toBe(adminChanges);
    const fw = readCommitted(s.lab, "firewall");
    expect(fw).not.toContain("adminrule");
    expect(fw).not.toContain("admin-pending");
    expect(fw).toMatch(/option syn_flood '1'/);
    expect(readCommitted(s.lab, "network")).not.toMatch(/option mtu '1400'/);
    adminChecks++;
  }

  /** No private work dir, temp config file or held lock left behind by a transaction. */
  async function expectNoLeftovers(): Promise<void> {
    expect(await sh(s.lab, "ls -a /etc/config")).not.toMatch(/\.rs-/);
    expect(await sh(s.lab, "ls /tmp")).not.toMatch(/routerstack\./);
    // The lock is free: a non-blocking attempt (the lock applet's -n) succeeds at once.
    const lock = await s.lab.dlink.exec("lock -n /root/.routerstack/lock && lock -u /root/.routerstack/lock");
    expect(lock.code).toBe(0);
  }

  // ------------------------------------------------------------------------------ one process, 100 in parallel
  describe("50 UciSections in one package and 50 RouterOS routes in one menu, in parallel", () => {
    const st = () => stack ?? (stack = new Stack(s.lab, "burst"));
    let stack: Stack | undefined;

    const uci = (i: number, port: number): ResourceSpec => ({
      platform: "openwrt",
      kind: "UciSection",
      name: `fw-${i}`,
      args: {
        device: "dlink",
        package: "firewall",
        type: "rule",
        options: { name: `rs-conc-${i}`, src: "wan", proto: "tcp", dest_port: String(port), target: "ACCEPT" },
      },
    });
    const route = (i: number, distance: number): ResourceSpec => ({
      platform: "routeros",
      kind: "StaticRoute",
      name: `route-${i}`,
      args: { device: "crs", dstAddress: `198.51.100.${i}/32`, gateway: "192.0.2.2", distance, comment: `conc ${i}` },
    });
    const declared = (port: (i: number) => number, distance: number) => [
      ...Array.from({ length: N }, (_, i) => uci(i, port(i))),
      ...Array.from({ length: N }, (_, i) => route(i, distance)),
    ];

    /** lost/duplicated counts from the devices for the declared resources. */
    async function deviceCounts(port: (i: number) => number, distance: number, present: boolean) {
      const fw = parseShow(await committedShow(s.lab, "firewall"));
      const crs = s.lab.crs.dump();
      let uciLost = 0;
      let uciDup = 0;
      let uciWrong = 0;
      let rosLost = 0;
      let rosDup = 0;
      let rosWrong = 0;
      for (let i = 0; i < N; i++) {
        const want = derivedSectionName(st().identity(`fw-${i}`));
        const byName = [...fw.entries()].filter(([, v]) => v.options.name === `'rs-conc-${i}'`);
        const sec: ShownSection | undefined = fw.get(want);
        if (present) {
          if (!sec) uciLost++;
          else if (sec.type !== "rule" || sec.options.dest_port !== `'${port(i)}'` || sec.options.target !== "'ACCEPT'")
            uciWrong++;
          if (byName.length > 1) uciDup += byName.length - 1;
        } else if (sec || byName.length > 0) uciDup++;
        const items = taggedItems(crs, "/ip/route", st().tag(`route-${i}`));
        if (present) {
          if (items.length === 0) rosLost++;
          if (items.length > 1) rosDup += items.length - 1;
          if (
            items.length === 1 &&
            (items[0].distance !== distance || items[0]["dst-address"] !== `198.51.100.${i}/32`)
          )
            rosWrong++;
        } else if (items.length > 0) rosDup += items.length;
      }
      return { uciLost, uciDup, uciWrong, rosLost, rosDup, rosWrong };
    }

    async function phase(
      label: string,
      op: "up" | "destroy",
      resources: ResourceSpec[],
      expectCounts: Record<string, number>,
      port: (i: number) => number,
      distance: number,
      present: boolean,
    ): Promise<EngineResult> {
      const statsBefore = s.lab.crs.stats();
      const { value: r, reloads } = await reloadsDuring(s.lab, () => st().ok(op, resources, { parallel: 2 * N }));
      const c = await deviceCounts(port, distance, present);
      const rc = reloadCounts(reloads);
      const fwReloads = reloads.filter((x) => x.service === "firewall");
      const finalFile = readCommitted(s.lab, "firewall");
      const atReload = fwReloads.length ? fwReloads[fwReloads.length - 1].files["/etc/config/firewall"] : undefined;
      const stats = s.lab.crs.stats();
      summary.push(
        `concurrency ${label}: parallel writes ${2 * N} (uci ${N}, routeros ${N}); uci lost ${c.uciLost}, duplicated ${c.uciDup}, wrong ${c.uciWrong}; ` +
          `routeros lost ${c.rosLost}, duplicated ${c.rosDup}, wrong ${c.rosWrong}; reloads ${JSON.stringify(rc)}; ` +
          `firewall file at last reload is final: ${atReload === finalFile}; routeros max sessions ${stats.maxConcurrentSessions}, refused ${stats.refusedSessions - statsBefore.refusedSessions}`,
      );
      expect(changes(r)).toEqual({ create: 0, update: 0, replace: 0, delete: 0, ...expectCounts });
      expect(c).toEqual({ uciLost: 0, uciDup: 0, uciWrong: 0, rosLost: 0, rosDup: 0, rosWrong: 0 });
      // One reload of the one affected service for the burst, none of any other service.
      expect(rc).toEqual({ "firewall reload": 1 });
      expect(fwReloads[0].rc).toBe(0);
      expect(atReload).toBe(finalFile);
      expect(stats.refusedSessions - statsBefore.refusedSessions).toBe(0);
      await expectAdminChangesPending();
      await expectNoLeftovers();
      return r;
    }

    it(
      "create: nothing lost or duplicated, one firewall reload, the reloaded file is the final one",
      async () => {
        await phase(
          "create",
          "up",
          declared((i) => 10000 + i, 10),
          { create: 2 * N },
          (i) => 10000 + i,
          10,
          true,
        );
      },
      TIMEOUT,
    );

    it(
      "a second up is a no-op (no device writes, no reload)",
      async () => {
        const before = await s.lab.writes();
        const { value: r, reloads } = await reloadsDuring(s.lab, () =>
          st().ok(
            "up",
            declared((i) => 10000 + i, 10),
            { parallel: 2 * N },
          ),
        );
        const after = await s.lab.writes();
        expect(changes(r)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
        expect(reloads).toEqual([]);
        expect(after).toEqual(before);
        await expectAdminChangesPending();
      },
      TIMEOUT,
    );

    it(
      "update: nothing lost or duplicated, one firewall reload, the reloaded file is the final one",
      async () => {
        await phase(
          "update",
          "up",
          declared((i) => 20000 + i, 20),
          { update: 2 * N },
          (i) => 20000 + i,
          20,
          true,
        );
      },
      TIMEOUT,
    );

    it(
      "delete (destroy): everything gone, one firewall reload, the devices as before",
      async () => {
        await phase(
          "delete",
          "destroy",
          declared((i) => 20000 + i, 20),
          { delete: 2 * N },
          (i) => 20000 + i,
          20,
          false,
        );
        expect(await committedShow(s.lab, "firewall")).toBe(pristineFirewall);
        expect(differences(pristine, await s.dump()).filter((d) => d.device === "crs")).toEqual([]);
      },
      TIMEOUT,
    );
  });

  // ------------------------------------------------------------------------------ two processes at once
  describe("two routerstack processes converging one OpenWrt device at once", () => {
    const M = 20;
    let alpha: Stack;
    let beta: Stack;
    const sections = (prefix: string, port: (i: number) => number): ResourceSpec[] => [
      ...Array.from({ length: M }, (_, i) => ({
        platform: "openwrt" as const,
        kind: "UciSection",
        name: `fw-${i}`,
        args: {
          device: "dlink",
          package: "firewall",
          type: "rule",
          options: { name: `${prefix}-${i}`, src: "wan", dest_port: String(port(i)), target: "ACCEPT" },
        },
      })),
      ...Array.from({ length: M / 2 }, (_, i) => ({
        platform: "openwrt" as const,
        kind: "UciSection",
        name: `rt-${i}`,
        args: {
          device: "dlink",
          package: "network",
          type: "route",
          options: {
            interface: "lan",
            target: `203.0.113.${i}/32`,
            gateway: "192.0.2.9",
            metric: String(port(i) % 10000),
          },
        },
      })),
    ];

    /** How many of `stack`'s sections are missing or wrong in the committed packages; throws if a package does not parse. */
    async function missing(stack: Stack, prefix: string, port: (i: number) => number): Promise<number> {
      const fw = parseShow(await committedShow(s.lab, "firewall"));
      const nw = parseShow(await committedShow(s.lab, "network"));
      let bad = 0;
      for (let i = 0; i < M; i++) {
        const sec = fw.get(derivedSectionName(stack.identity(`fw-${i}`)));
        if (!sec || sec.options.name !== `'${prefix}-${i}'` || sec.options.dest_port !== `'${port(i)}'`) bad++;
      }
      for (let i = 0; i < M / 2; i++) {
        const sec = nw.get(derivedSectionName(stack.identity(`rt-${i}`)));
        if (!sec || sec.options.target !== `'203.0.113.${i}/32'` || sec.options.metric !== `'${port(i) % 10000}'`)
          bad++;
      }
      return bad;
    }

    async function present(stack: Stack): Promise<number> {
      const fw = parseShow(await committedShow(s.lab, "firewall"));
      const nw = parseShow(await committedShow(s.lab, "network"));
      let n = 0;
      for (let i = 0; i < M; i++) if (fw.has(derivedSectionName(stack.identity(`fw-${i}`)))) n++;
      for (let i = 0; i < M / 2; i++) if (nw.has(derivedSectionName(stack.identity(`rt-${i}`)))) n++;
      return n;
    }

    /** Both packages parse with the device's uci and as a whole export. */
    async function expectPackagesParse(): Promise<void> {
      for (const pkg of ["firewall", "network"]) {
        const r = await s.lab.dlink.exec(`uci -q show ${pkg} >/dev/null`);
        expect({ pkg, code: r.code }).toEqual({ pkg, code: 0 });
      }
      expect((await s.lab.dlink.exec("uci export >/dev/null")).code).toBe(0);
    }

    /** The last reload of each service saw the final committed file (no commit after the last reload). */
    async function expectLastReloadsFinal(from: number, label: string): Promise<void> {
      const reloads = (await s.lab.dlink.reloads()).slice(from);
      const seen: Record<string, number> = {};
      for (const pkg of ["firewall", "network"]) {
        const mine = reloads.filter((r) => r.service === pkg);
        seen[pkg] = mine.length;
        expect({ pkg, reloaded: mine.length > 0 }).toEqual({ pkg, reloaded: true });
        expect({ pkg, atLastReload: mine[mine.length - 1].files[`/etc/config/${pkg}`] }).toEqual({
          pkg,
          atLastReload: readCommitted(s.lab, pkg),
        });
      }
      summary.push(`two processes, ${label}: reloads ${JSON.stringify(seen)}, last reload of each saw the final file`);
    }

    const pa = (i: number) => 30000 + i;
    const pb = (i: number) => 40000 + i;
    const pa2 = (i: number) => 31000 + i;

    it(
      "two concurrent ups: both stacks' sections intact, packages parse, admin changes pending",
      async () => {
        alpha = new Stack(s.lab, "alpha");
        beta = new Stack(s.lab, "beta");
        const from = (await s.lab.dlink.reloads()).length;
        const [ra, rb] = await Promise.all([
          alpha.ok("up", sections("alpha", pa), { parallel: 20 }),
          beta.ok("up", sections("beta", pb), { parallel: 20 }),
        ]);
        expect(changes(ra)).toEqual({ create: 1.5 * M, update: 0, replace: 0, delete: 0 });
        expect(changes(rb)).toEqual({ create: 1.5 * M, update: 0, replace: 0, delete: 0 });
        await expectPackagesParse();
        const lostA = await missing(alpha, "alpha", pa);
        const lostB = await missing(beta, "beta", pb);
        summary.push(
          `two processes, concurrent up: writes ${3 * M} (${1.5 * M} per stack), lost/wrong alpha ${lostA}, beta ${lostB}`,
        );
        expect({ lostA, lostB }).toEqual({ lostA: 0, lostB: 0 });
        await expectLastReloadsFinal(from, "concurrent up");
        await expectAdminChangesPending();
        await expectNoLeftovers();
      },
      TIMEOUT,
    );

    it(
      "one stack updates while the other destroys, at once: the update is complete, the destroy removed only its own",
      async () => {
        const from = (await s.lab.dlink.reloads()).length;
        const [ra, rb] = await Promise.all([
          alpha.ok("up", sections("alpha", pa2), { parallel: 20 }),
          beta.ok("destroy", sections("beta", pb), { parallel: 20 }),
        ]);
        expect(changes(ra)).toEqual({ create: 0, update: 1.5 * M, replace: 0, delete: 0 });
        expect(changes(rb)).toEqual({ create: 0, update: 0, replace: 0, delete: 1.5 * M });
        await expectPackagesParse();
        const wrongA = await missing(alpha, "alpha", pa2);
        const leftB = await present(beta);
        summary.push(`two processes, update || destroy: alpha wrong ${wrongA}, beta left ${leftB}`);
        expect({ wrongA, leftB }).toEqual({ wrongA: 0, leftB: 0 });
        await expectLastReloadsFinal(from, "update || destroy");
        // Each stack's next up agrees with the device: alpha is a no-op.
        const again = await alpha.ok("up", sections("alpha", pa2));
        expect(changes(again)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
        await expectAdminChangesPending();
        await expectNoLeftovers();
      },
      TIMEOUT,
    );

    it(
      "after the last destroy both packages are as committed before any run; admin changes still pending",
      async () => {
        const r = await alpha.ok("destroy", sections("alpha", pa2), { parallel: 20 });
        expect(r.counts.delete).toBe(1.5 * M);
        expect(await committedShow(s.lab, "firewall")).toBe(pristineFirewall);
        expect(await committedShow(s.lab, "network")).toBe(pristineNetwork);
        await expectAdminChangesPending();
        summary.push(`admin pending changes: checked after ${adminChecks} runs, still pending and never committed`);
      },
      TIMEOUT,
    );
  });
});
