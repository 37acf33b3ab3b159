/**
 * Lifecycle of every OpenWrt kind against the lab's OpenWrt-like host ("dlink": real BIRD2, busybox, the uci
 * stand-in, recording init scripts), driven through the test engine and the real dynamic-provider host:
 * create → second up is a no-op → out-of-band drift of each managed property (preview --refresh reports it,
 * up --refresh restores it) → update / replace → destroy leaves the device as before → bad inputs are refused
 * before anything reaches the device → secrets never leave the provider in plain text.
 * Every count comes from the device (dumps, the uci commit / file / reload journal), not from the provider.
 * DESIGN.md "Device rules → OpenWrt", "Pulumi integration", "The lab".
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { differences, LabSession, labAvailable, type ResourceSpec } from "./harness";
import type { EngineResult } from "../engine";
import type { LabDump } from "../lab/lab";
import type { ReloadRecord } from "../lab/openwrt/host";

const run = labAvailable() ? describe : describe.skip;

const PROJECT = "routerstack-e2e";
const STACK = "test";
const PHASE_TIMEOUT = 300_000;

const stats = {
  engineRuns: 0,
  creates: 0,
  noOps: 0,
  driftCases: 0,
  updates: 0,
  replaces: 0,
  destroys: 0,
  badInputs: 0,
};

/** Section name derived from the identity as documented in section-engine.ts (computed here independently). */
function derivedSectionName(name: string): string {
  const identity = `${PROJECT}/${STACK}/${name}`;
  return `rs_${name.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 32)}_${createHash("sha256").update(identity).digest("hex").slice(0, 8)}`;
}

run("OpenWrt kinds: lifecycle against the lab host", () => {
  const s = new LabSession();
  /** Device dump before anything was managed. */
  let pristine: LabDump;

  beforeAll(async () => {
    await s.start("owlife");
    pristine = await s.dump();
  }, 120_000);
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(
      `openwrt-lifecycle: ${stats.engineRuns} engine runs; creates ${stats.creates}, no-op ups ${stats.noOps}, drift cases ${stats.driftCases}, ` +
        `updates ${stats.updates}, replaces ${stats.replaces}, destroys ${stats.destroys}, bad inputs ${stats.badInputs}`,
    );
    await s.stop();
  });

  // ------------------------------------------------------------------------------------------------ helpers

  /** Every engine result of the run, for the secret checks. */
  const results: EngineResult[] = [];
  /** State file contents after each run. */
  const states: string[] = [];

  async function engine(
    op: Parameters<LabSession["run"]>[0],
    resources: ResourceSpec[],
    opts: { refresh?: boolean } = {},
  ): Promise<EngineResult> {
    const r = await s.run(op, resources, opts);
    stats.engineRuns++;
    results.push(r);
    if (fs.existsSync(s.statePath())) states.push(fs.readFileSync(s.statePath(), "utf8"));
    return r;
  }

  async function ok(
    op: Parameters<LabSession["run"]>[0],
    resources: ResourceSpec[],
    opts: { refresh?: boolean } = {},
  ): Promise<EngineResult> {
    const r = await engine(op, resources, opts);
    if (!r.ok)
      throw new Error(
        `${op}${opts.refresh ? " --refresh" : ""} failed:\n${r.errors.join("\n")}\n${r.log.slice(-3000)}`,
      );
    return r;
  }

  /** Runs a shell command in the lab host as root; fails the test on a non-zero exit. */
  async function sh(cmd: string): Promise<string> {
    const r = await s.lab.dlink.exec(cmd);
    if (r.code !== 0) throw new Error(`lab command failed (${r.code}): ${cmd}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** `uci -q get`: the committed value (lists space-separated), or undefined when absent. */
  async function uciGet(key: string): Promise<string | undefined> {
    const r = await s.lab.dlink.exec(`uci -q get ${key}`);
    return r.code === 0 ? r.stdout.replace(/\n$/, "") : undefined;
  }

  /** Reloads recorded while `fn` ran. */
  async function reloadsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; reloads: ReloadRecord[] }> {
    const before = (await s.lab.dlink.reloads()).length;
    const value = await fn();
    const reloads = (await s.lab.dlink.reloads()).slice(before);
    return { value, reloads };
  }

  /**
   * BIRD is loaded with `birdc configure`, which the lab counts in its journal (the lab's birdc stand-in); BIRD's
   * own "Last reconfiguration on <time>" is not compared: it comes from BIRD's monotonic clock and reads 1 ms
   * apart between two `show status` with no reconfiguration in between.
   */
  async function birdConfigures(): Promise<number> {
    return s.lab.dlink.birdConfigures();
  }

  /**
   * Runs `fn` and checks the reloads it caused: for `bird`, that BIRD was reconfigured and no init script ran;
   * otherwise exactly one `<service> reload`, successful.
   */
  async function expectOneLoad<T>(service: string | string[], fn: () => Promise<T>): Promise<T> {
    const birdBefore = await birdConfigures();
    const { value, reloads } = await reloadsDuring(fn);
    if (Array.isArray(service)) {
      // A package several daemons read (dhcp: dnsmasq and odhcpd; system: system and log): one reload of each.
      expect(services(reloads).sort()).toEqual(service.map((svc) => `${svc} reload`).sort());
      expect(reloads.every((r) => r.rc === 0)).toBe(true);
      expect(await birdConfigures()).toBe(birdBefore);
    } else if (service === "bird") {
      expect(services(reloads)).toEqual([]);
      expect(await birdConfigures()).toBeGreaterThan(birdBefore);
    } else {
      expect(services(reloads)).toEqual([`${service} reload`]);
      expect(reloads[0].rc).toBe(0);
      expect(await birdConfigures()).toBe(birdBefore);
    }
    return value;
  }

  function services(reloads: ReloadRecord[]): string[] {
    return reloads.map((r) => `${r.service} ${r.action}`);
  }

  function counts(r: EngineResult) {
    const { create, update, replace, delete: del } = r.counts;
    return { create, update, replace, delete: del };
  }

  /** Up: creates `n` resources with exactly one reload of `service`. */
  async function createAll(resources: ResourceSpec[], service: string): Promise<EngineResult> {
    const up = await expectOneLoad(service, () => ok("up", resources));
    expect(counts(up)).toEqual({ create: resources.length, update: 0, replace: 0, delete: 0 });
    stats.creates += resources.length;
    return up;
  }

  /** A second up changes nothing: no step, no commit, no file write, no reload. */
  async function expectNoOp(resources: ResourceSpec[]): Promise<void> {
    let up!: EngineResult;
    const birdBefore = await birdConfigures();
    const writes = await s.writesDuring(async () => (up = await ok("up", resources)));
    expect(await birdConfigures()).toBe(birdBefore);
    expect(counts(up)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(up.counts.same).toBe(resources.length);
    expect(writes).toBe(0);
    stats.noOps++;
  }

  /**
   * Out-of-band change `mutate`: preview --refresh (no device write) reports exactly `name` as drifted with
   * `diff` among the changed properties and plans one update; up --refresh restores the converged device with
   * one reload of `service`.
   */
  async function driftCase(
    resources: ResourceSpec[],
    name: string,
    mutate: string,
    diff: string,
    service: string | string[],
    converged: LabDump,
  ): Promise<EngineResult[]> {
    await sh(mutate);
    // (dumps hold no file modes: a chmod is not visible there)
    if (!mutate.startsWith("chmod")) expect(differences(converged, await s.dump())).not.toEqual([]);
    let pv!: EngineResult;
    const writes = await s.writesDuring(async () => (pv = await ok("preview", resources, { refresh: true })));
    expect(writes).toBe(0);
    expect(pv.drift.map((d) => d.name)).toEqual([name]);
    expect(pv.drift[0].gone).toBe(false);
    expect(pv.drift[0].diffs).toContain(diff);
    expect(pv.steps.filter((st) => st.op !== "refresh" && st.op !== "same").map((st) => `${st.op} ${st.name}`)).toEqual(
      [`update ${name}`],
    );
    const up = await expectOneLoad(service, () => ok("up", resources, { refresh: true }));
    expect(counts(up)).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
    expect(differences(converged, await s.dump())).toEqual([]);
    stats.driftCases++;
    return [pv, up];
  }

  /** Destroy leaves the device as it was before the phase. */
  async function destroyAll(resources: ResourceSpec[], before: LabDump): Promise<void> {
    const d = await ok("destroy", resources);
    expect(d.counts.delete).toBe(resources.length);
    expect(differences(before, await s.dump())).toEqual([]);
    const state = JSON.parse(fs.readFileSync(s.statePath(), "utf8")) as { resources?: unknown[] };
    expect(state.resources ?? []).toHaveLength(0);
    stats.destroys++;
  }

  /**
   * Bad inputs, one resource each, each in its own up (the Pulumi CLI stops at the first failed Check, docs/engine.md
   * S3): every run fails, the resource's own error names its field, nothing changed on either device (no commit,
   * file write or reload), nothing was created or changed in state.
   */
  async function badInputs(cases: [ResourceSpec, RegExp | string][], also: ResourceSpec[] = []): Promise<EngineResult> {
    const ev = await s.lab.dlink.writeEvents();
    const dumpBefore = await s.dump();
    const stateBefore = fs.existsSync(s.statePath()) ? fs.readFileSync(s.statePath(), "utf8") : "";
    let r!: EngineResult;
    const problems: string[] = [];
    const writes = await s.writesDuring(async () => {
      for (const [spec, field] of cases) {
        r = await engine("up", [...also, spec]);
        if (r.ok) problems.push(`${spec.name}: the up succeeded`);
        if (r.counts.create + r.counts.update + r.counts.replace + r.counts.delete !== 0)
          problems.push(`${spec.name}: changes ${JSON.stringify(r.counts)}`);
        const step = r.steps.find((st) => st.name === spec.name && st.op !== "refresh");
        const err = step?.error ?? "";
        const line = r.errors.find((e) => e.includes(`::${spec.name}:`)) ?? "";
        const named = typeof field === "string" ? err.includes(field) : field.test(err);
        if (!step || !err || !named || !line.includes(err))
          problems.push(
            `${spec.name} ${JSON.stringify(spec.args)}: expected an error naming ${field}, got ${JSON.stringify(err || r.errors)}`,
          );
      }
    });
    expect(problems).toEqual([]);
    expect(writes).toBe(0);
    expect(await s.lab.dlink.writeEvents()).toEqual(ev);
    expect(differences(dumpBefore, await s.dump())).toEqual([]);
    // State unchanged (secret ciphertexts are re-encrypted with a fresh nonce on every save, so not compared).
    const plain = (text: string) =>
      JSON.stringify(
        // the order of resources in state follows registration order, which a failed run does not keep
        (JSON.parse(text).resources as { urn: string }[]).sort((a, b) => a.urn.localeCompare(b.urn)),
        (k, v) => (k === "ciphertext" ? "<ciphertext>" : v),
      );
    if (stateBefore) expect(plain(fs.readFileSync(s.statePath(), "utf8"))).toBe(plain(stateBefore));
    stats.badInputs += cases.length;
    return r;
  }

  /** Names bad-input resources `<prefix>-<n>`. */
  function named(
    prefix: string,
    cases: [Omit<ResourceSpec, "name">, RegExp | string][],
  ): [ResourceSpec, RegExp | string][] {
    return cases.map(([spec, field], k) => [{ ...spec, name: `${prefix}-${k + 1}` } as ResourceSpec, field]);
  }

  const dlink = { device: "dlink" };

  // A phase that failed half-way must not leave its resources to the next one.
  afterEach(async () => {
    if (!fs.existsSync(s.statePath())) return;
    const state = JSON.parse(fs.readFileSync(s.statePath(), "utf8")) as { resources?: unknown[] };
    if ((state.resources ?? []).length > 0) await engine("destroy", []);
  }, 120_000);

  // ------------------------------------------------------------------------------------------------ UciSection

  it(
    "UciSection: fw4 zone (masq, masq6, list network) and a forwarding",
    async () => {
      const before = await s.dump();
      const zoneOptions = {
        name: "wwan",
        network: ["wwan"],
        input: "REJECT",
        output: "ACCEPT",
        forward: "REJECT",
        masq: "1",
        masq6: "1",
      };
      const zone = (options: Record<string, unknown> = zoneOptions): ResourceSpec => ({
        platform: "openwrt",
        kind: "UciSection",
        name: "zone-wwan",
        args: { ...dlink, package: "firewall", name: "wwan", type: "zone", options },
      });
      // No explicit name: the section name is derived from the identity.
      const fwd = (extra: Record<string, unknown> = {}): ResourceSpec => ({
        platform: "openwrt",
        kind: "UciSection",
        name: "fwd-uplink-wwan",
        args: { ...dlink, package: "firewall", type: "forwarding", options: { src: "uplink", dest: "wwan" }, ...extra },
      });
      const fwdSection = derivedSectionName("fwd-uplink-wwan");
      let resources = [zone(), fwd()];

      // 1. create: one firewall reload for both sections, after their commit.
      const up = await createAll(resources, "firewall");
      expect(up.errors).toEqual([]);
      expect(await uciGet("firewall.wwan")).toBe("zone");
      expect(await uciGet("firewall.wwan.name")).toBe("wwan");
      expect(await uciGet("firewall.wwan.network")).toBe("wwan");
      expect(await uciGet("firewall.wwan.input")).toBe("REJECT");
      expect(await uciGet("firewall.wwan.output")).toBe("ACCEPT");
      expect(await uciGet("firewall.wwan.forward")).toBe("REJECT");
      expect(await uciGet("firewall.wwan.masq")).toBe("1");
      expect(await uciGet("firewall.wwan.masq6")).toBe("1");
      expect(await uciGet(`firewall.${fwdSection}`)).toBe("forwarding");
      expect(await uciGet(`firewall.${fwdSection}.src`)).toBe("uplink");
      expect(await uciGet(`firewall.${fwdSection}.dest`)).toBe("wwan");
      // network is a list (`list network 'wwan'`), not an option.
      expect((await s.dump()).dlink.uci).toMatch(/config zone 'wwan'[^]*?list network 'wwan'/);
      const rel = (await s.lab.dlink.reloads()).at(-1)!;
      expect(rel.files["/etc/config/firewall"]).toContain(`config forwarding '${fwdSection}'`);
      expect(rel.files["/etc/config/firewall"]).toContain("option masq6 '1'");
      // Only the two sections were added; nothing else in firewall or elsewhere changed.
      expect(
        differences(before, await s.dump())
          .map((d) => `${d.change} ${d.what}`)
          .sort(),
      ).toEqual([`added uci firewall.${fwdSection}`, "added uci firewall.wwan"]);

      // 2. second up is a no-op.
      await expectNoOp(resources);

      // 3. drift of each option in turn, plus an undeclared option, a removed option and a removed list element.
      const converged = await s.dump();
      const zoneDrifts: [string, string][] = [
        ["name", "uci set firewall.wwan.name=wan2"],
        ["network (list element added)", "uci add_list firewall.wwan.network=lan"],
        ["input", "uci set firewall.wwan.input=ACCEPT"],
        ["output", "uci set firewall.wwan.output=DROP"],
        ["forward", "uci set firewall.wwan.forward=ACCEPT"],
        ["masq", "uci set firewall.wwan.masq=0"],
        ["masq6", "uci set firewall.wwan.masq6=0"],
        ["masq6 (removed)", "uci delete firewall.wwan.masq6"],
        ["undeclared option", "uci set firewall.wwan.mtu_fix=1"],
      ];
      for (const [what, cmd] of zoneDrifts) {
        try {
          await driftCase(resources, "zone-wwan", `${cmd} && uci commit firewall`, "options", "firewall", converged);
        } catch (e) {
          throw new Error(`zone drift "${what}": ${(e as Error).message}`, { cause: e });
        }
      }
      expect(await uciGet("firewall.wwan.mtu_fix")).toBeUndefined();
      for (const [what, cmd] of [
        ["src", `uci set firewall.${fwdSection}.src=lan`],
        ["dest", `uci set firewall.${fwdSection}.dest=wan`],
        ["undeclared option", `uci set firewall.${fwdSection}.enabled=0`],
      ]) {
        try {
          await driftCase(
            resources,
            "fwd-uplink-wwan",
            `${cmd} && uci commit firewall`,
            "options",
            "firewall",
            converged,
          );
        } catch (e) {
          throw new Error(`forwarding drift "${what}": ${(e as Error).message}`, { cause: e });
        }
      }
      // The whole section deleted out of band: refresh reports it gone, up recreates it.
      await sh(`uci delete firewall.${fwdSection} && uci commit firewall`);
      const pvGone = await ok("preview", resources, { refresh: true });
      expect(pvGone.drift).toEqual([expect.objectContaining({ name: "fwd-uplink-wwan", gone: true })]);
      const upGone = await ok("up", resources, { refresh: true });
      expect(counts(upGone)).toEqual({ create: 1, update: 0, replace: 0, delete: 0 });
      expect(differences(converged, await s.dump())).toEqual([]);
      stats.driftCases++;

      // 4. update: masq6 off → 1 update, one firewall reload, device shows the new value.
      resources = [zone({ ...zoneOptions, masq6: "0", network: ["wwan", "wwan6"] }), fwd()];
      const { value: upd, reloads } = await reloadsDuring(() => ok("up", resources));
      expect(counts(upd)).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
      expect(upd.steps.find((st) => st.op === "update")?.name).toBe("zone-wwan");
      expect(services(reloads)).toEqual(["firewall reload"]);
      expect(await uciGet("firewall.wwan.masq6")).toBe("0");
      expect(await uciGet("firewall.wwan.network")).toBe("wwan wwan6");
      stats.updates++;
      await expectNoOp(resources);

      // A bad update (control character in a value) is refused and leaves the device as it is.
      await badInputs([[zone({ ...zoneOptions, input: "REJECT\u0001" }), 'property "options.input"']], [fwd()]);

      // replace: giving the forwarding an explicit name moves it (delete before create, names are unique).
      resources = [resources[0], fwd({ name: "uplink_wwan" })];
      const { value: rep, reloads: repReloads } = await reloadsDuring(() => ok("up", resources));
      expect(counts(rep)).toEqual({ create: 0, update: 0, replace: 1, delete: 0 });
      expect(await uciGet(`firewall.${fwdSection}`)).toBeUndefined();
      expect(await uciGet("firewall.uplink_wwan")).toBe("forwarding");
      expect(await uciGet("firewall.uplink_wwan.dest")).toBe("wwan");
      expect(services(repReloads).every((x) => x === "firewall reload")).toBe(true);
      expect(repReloads.length).toBeGreaterThanOrEqual(1);
      stats.replaces++;
      await expectNoOp(resources);

      // 5. destroy.
      await destroyAll(resources, before);
      expect(differences(pristine, await s.dump())).toEqual([]);
    },
    PHASE_TIMEOUT,
  );

  it(
    "UciSection: bad inputs are refused before reaching the device",
    async () => {
      const base = { ...dlink, package: "firewall", type: "zone" };
      const spec = (args: Record<string, unknown>): ResourceSpec => ({
        platform: "openwrt",
        kind: "UciSection",
        name: "bad-zone",
        args: { ...base, ...args },
      });
      await badInputs(
        named("bad-uci", [
          [spec({ name: "wwan-zone", options: { name: "x" } }), 'property "name"'],
          [spec({ name: "wwan", options: { name: "wwan\u0007" } }), 'property "options.name"'],
          [spec({ name: "wwan", options: { "bad.key": "1" } }), /options.*must be a uci name/],
          [spec({ name: "wwan", package: "fire wall", options: {} }), 'property "package"'],
          [spec({ name: "wwan", options: {}, bogus: "1" }), "bogus"],
          [spec({ name: "wwan", options: { masq: "" } }), 'property "options.masq"'],
        ]),
      );
    },
    PHASE_TIMEOUT,
  );

  // ------------------------------------------------------------------------------------ StaticRoute, NatRule (#6)

  it(
    "StaticRoute (route, route6) and NatRule (fw4 redirect, nat): create, no-op, drift, replace, destroy, bad inputs",
    async () => {
      const before = await s.dump();
      const route = (args: Record<string, unknown> = {}): ResourceSpec => ({
        platform: "openwrt",
        kind: "StaticRoute",
        name: "lte-host",
        args: {
          ...dlink,
          name: "lte_host",
          interface: "wwan",
          target: "198.51.100.0/24",
          gateway: "192.0.2.1",
          metric: 10,
          ...args,
        },
      });
      const route6: ResourceSpec = {
        platform: "openwrt",
        kind: "StaticRoute",
        name: "lte-host6",
        args: { ...dlink, interface: "wwan", target: "2001:db8:1::/48", gateway: "2001:db8::1" },
      };
      const fwd: ResourceSpec = {
        platform: "openwrt",
        kind: "NatRule",
        name: "fwd-ssh",
        args: {
          ...dlink,
          section: "redirect",
          name: "fwd_ssh",
          src: "wan",
          dest: "lan",
          proto: "tcp",
          srcDport: 2222,
          destIp: "192.0.2.10",
          destPort: 22,
        },
      };
      const masq: ResourceSpec = {
        platform: "openwrt",
        kind: "NatRule",
        name: "masq-lte",
        args: { ...dlink, section: "nat", name: "masq_lte", src: "wwan", srcIp: "192.0.2.0/24", target: "MASQUERADE" },
      };
      let resources = [route(), route6, fwd, masq];

      // create: one network and one firewall reload for the burst.
      const { value: up, reloads } = await reloadsDuring(() => ok("up", resources));
      expect(counts(up)).toEqual({ create: 4, update: 0, replace: 0, delete: 0 });
      expect(services(reloads).sort()).toEqual(["firewall reload", "network reload"]);
      stats.creates += 4;
      expect(await uciGet("network.lte_host")).toBe("route");
      expect(await uciGet("network.lte_host.target")).toBe("198.51.100.0/24");
      expect(await uciGet(`network.${derivedSectionName("lte-host6")}`)).toBe("route6");
      expect(await uciGet("firewall.fwd_ssh")).toBe("redirect");
      expect(await uciGet("firewall.fwd_ssh.src_dport")).toBe("2222");
      expect(await uciGet("firewall.masq_lte")).toBe("nat");
      expect(await uciGet("firewall.masq_lte.target")).toBe("MASQUERADE");
      await expectNoOp(resources);

      // drift: one property of each family of section.
      const converged = await s.dump();
      await driftCase(
        resources,
        "lte-host",
        "uci set network.lte_host.metric=20 && uci commit network",
        "metric",
        "network",
        converged,
      );
      await driftCase(
        resources,
        "fwd-ssh",
        "uci set firewall.fwd_ssh.dest_ip=192.0.2.99 && uci commit firewall",
        "destIp",
        "firewall",
        converged,
      );

      // a family change moves route → route6: a replace.
      resources = [route({ target: "2001:db8:2::/48", gateway: "2001:db8::1" }), route6, fwd, masq];
      const rep = await ok("up", resources);
      expect(counts(rep)).toEqual({ create: 0, update: 0, replace: 1, delete: 0 });
      expect(await uciGet("network.lte_host")).toBe("route6");
      stats.replaces++;

      await badInputs(
        named("bad-route-nat", [
          [
            {
              platform: "openwrt",
              kind: "StaticRoute",
              args: { ...dlink, interface: "wwan", target: "198.51.100.1/24" },
            },
            'property "target"',
          ],
          [
            {
              platform: "openwrt",
              kind: "StaticRoute",
              args: { ...dlink, interface: "wwan", target: "0.0.0.0/0", gateway: "2001:db8::1" },
            },
            'property "gateway"',
          ],
          [
            { platform: "openwrt", kind: "NatRule", args: { ...dlink, section: "nat", target: "DNAT", src: "wan" } },
            'property "target"',
          ],
          [
            {
              platform: "openwrt",
              kind: "NatRule",
              args: { ...dlink, section: "redirect", src: "wan", destIp: "192.0.2.1", srcDport: "70000" },
            },
            'property "srcDport"',
          ],
        ]),
        resources,
      );

      await destroyAll(resources, before);
    },
    PHASE_TIMEOUT,
  );

  // ------------------------------------------------------------------------------------------------ rules, DHCP, system

  it(
    "NetworkRule (rule, rule6), DhcpPool, DhcpHost, SystemSettings: create, no-op, drift, restore, destroy, bad inputs",
    async () => {
      const before = await s.dump();
      const rule4: ResourceSpec = {
        platform: "openwrt",
        kind: "NetworkRule",
        name: "lte-mark",
        args: { ...dlink, name: "lte_mark", family: "ipv4", mark: "0x200/0xff00", lookup: 201, priority: 1000 },
      };
      const rule6: ResourceSpec = {
        platform: "openwrt",
        kind: "NetworkRule",
        name: "lte-src6",
        args: { ...dlink, src: "2001:db8:1::/48", lookup: 202, priority: 1001 },
      };
      const guest: ResourceSpec = {
        platform: "openwrt",
        kind: "DhcpPool",
        name: "guest-dhcp",
        args: { ...dlink, interface: "guest", start: 10, limit: 50, leasetime: "1h" },
      };
      const printer: ResourceSpec = {
        platform: "openwrt",
        kind: "DhcpHost",
        name: "printer",
        args: { ...dlink, name: "printer", hostname: "printer", mac: ["02:00:00:00:00:0a"], ip: "192.0.2.10" },
      };
      // The stock options are all declared, so nothing is removed and the restore gives back the same file.
      const sys: ResourceSpec = {
        platform: "openwrt",
        kind: "SystemSettings",
        name: "system",
        args: {
          ...dlink,
          hostname: "dlink-lte",
          timezone: "UTC",
          logSize: 64,
          zonename: "Etc/UTC",
          extraOptions: { ttylogin: "0", urandom_seed: "0" },
        },
      };
      const resources = [rule4, rule6, guest, printer, sys];

      // create: one reload of each daemon that reads a changed package, for the whole burst.
      const { value: up, reloads } = await reloadsDuring(() => ok("up", resources));
      expect(counts(up)).toEqual({ create: 5, update: 0, replace: 0, delete: 0 });
      expect(services(reloads).sort()).toEqual([
        "dnsmasq reload",
        "log reload",
        "network reload",
        "odhcpd reload",
        "system reload",
      ]);
      stats.creates += 5;
      expect(await uciGet("network.lte_mark")).toBe("rule");
      expect(await uciGet("network.lte_mark.mark")).toBe("0x200/0xff00");
      expect(await uciGet(`network.${derivedSectionName("lte-src6")}`)).toBe("rule6");
      expect(await uciGet("dhcp.guest.limit")).toBe("50");
      expect(await uciGet("dhcp.printer.ip")).toBe("192.0.2.10");
      // The anonymous system section, changed in place (still anonymous: no named system section appeared).
      expect(await uciGet("system.@system[0].hostname")).toBe("dlink-lte");
      expect(await uciGet("system.system")).toBeUndefined();
      await expectNoOp(resources);

      const converged = await s.dump();
      await driftCase(
        resources,
        "lte-mark",
        "uci set network.lte_mark.lookup=202 && uci commit network",
        "lookup",
        "network",
        converged,
      );
      await driftCase(
        resources,
        "printer",
        "uci set dhcp.printer.ip=192.0.2.99 && uci commit dhcp",
        "ip",
        ["dnsmasq", "odhcpd"],
        converged,
      );
      await driftCase(
        resources,
        "system",
        "uci set system.@system[0].hostname=OpenWrt && uci commit system",
        "hostname",
        ["system", "log"],
        converged,
      );

      await badInputs(
        named("bad-site", [
          [
            {
              platform: "openwrt",
              kind: "NetworkRule",
              args: { ...dlink, family: "ipv4", mark: "0x1/0x1/0x1", lookup: 5 },
            },
            'property "mark"',
          ],
          [
            { platform: "openwrt", kind: "DhcpPool", args: { ...dlink, interface: "guest2", leasetime: "1m" } },
            'property "leasetime"',
          ],
          [
            {
              platform: "openwrt",
              kind: "DhcpHost",
              args: { ...dlink, mac: ["02:00:00:00:00:0b"], ip: "192.0.2.300" },
            },
            'property "ip"',
          ],
          [{ platform: "openwrt", kind: "SystemSettings", args: { ...dlink, hostname: "a.b" } }, 'property "hostname"'],
        ]),
        resources,
      );

      // destroy: rules, pool and lease deleted; the system section given back its options, not deleted.
      await destroyAll(resources, before);
      expect(await uciGet("system.@system[0].hostname")).toBe("OpenWrt");
    },
    PHASE_TIMEOUT,
  );

  // ------------------------------------------------------------------------------------------------ ModemProfile

  const PASSWORD = "lte-Secr3t-c4a1f0";
  const PASSWORD2 = "lte-Secr3t-2-77d9be";
  const OOB_PASSWORD = "oob-Secr3t-5e11aa";
  const WRONG_SHAPE_SECRET = "wrongshape-Secr3t-0b9d";

  it(
    "ModemProfile: qmi interface with chap auth (secret password) and the cold-boot init script",
    async () => {
      const before = await s.dump();
      const baseArgs = {
        ...dlink,
        name: "wwan",
        proto: "qmi",
        modemDevice: "/dev/cdc-wdm0",
        apn: "internet.example",
        pdptype: "ipv4v6",
        metric: 10,
        auth: "chap",
        username: "lte",
        password: PASSWORD,
        coldBoot: { usbPath: "1-1" },
      };
      const modem = (args: Record<string, unknown> = {}): ResourceSpec => ({
        platform: "openwrt",
        kind: "ModemProfile",
        name: "wwan",
        secretArgs: ["password"],
        args: { ...baseArgs, ...args },
      });
      let resources = [modem()];
      const script = "/etc/init.d/routerstack-wwan-coldboot";
      const link = "/etc/rc.d/S99routerstack-wwan-coldboot";

      // 1. create: one network reload, after the commit.
      await createAll(resources, "network");
      expect(await uciGet("network.wwan")).toBe("interface");
      expect(await uciGet("network.wwan.proto")).toBe("qmi");
      expect(await uciGet("network.wwan.device")).toBe("/dev/cdc-wdm0");
      expect(await uciGet("network.wwan.apn")).toBe("internet.example");
      expect(await uciGet("network.wwan.pdptype")).toBe("ipv4v6");
      expect(await uciGet("network.wwan.metric")).toBe("10");
      expect(await uciGet("network.wwan.auth")).toBe("chap");
      expect(await uciGet("network.wwan.username")).toBe("lte");
      expect(await uciGet("network.wwan.password")).toBe(PASSWORD);
      const rel = (await s.lab.dlink.reloads()).at(-1)!;
      expect(rel.service).toBe("network");
      expect(rel.files["/etc/config/network"]).toContain("option apn 'internet.example'");
      let dump = await s.dump();
      expect(dump.dlink.files[script]).toMatch(/^#!\/bin\/sh \/etc\/rc\.common\n/);
      expect(dump.dlink.files[script]).toContain("START=99");
      expect(dump.dlink.files[script]).toMatch(/echo 0 > '?\/sys\/bus\/usb\/devices\/1-1\/authorized'?/);
      expect(dump.dlink.files[script]).toMatch(/sleep 10\n/);
      expect(dump.dlink.files[script]).toMatch(/ifup '?wwan'?/);
      expect(dump.dlink.files[link]).toBe("-> ../init.d/routerstack-wwan-coldboot");
      expect((await sh(`stat -c %a ${script}`)).trim()).toBe("755");
      expect(
        differences(before, dump)
          .map((d) => `${d.change} ${d.what}`)
          .sort(),
      ).toEqual([`added file ${link}`, `added file ${script}`, "added uci network.wwan"].sort());

      // 2. second up is a no-op.
      await expectNoOp(resources);

      // 3. drift, one property at a time.
      const converged = await s.dump();
      const cases: [string, string, string][] = [
        ["apn", "uci set network.wwan.apn=other.apn && uci commit network", "apn"],
        ["pdptype", "uci set network.wwan.pdptype=ipv4 && uci commit network", "pdptype"],
        ["metric", "uci set network.wwan.metric=20 && uci commit network", "metric"],
        ["username", "uci set network.wwan.username=someone && uci commit network", "username"],
        ["auth", "uci set network.wwan.auth=pap && uci commit network", "auth"],
        ["undeclared option", "uci set network.wwan.ipv6=auto && uci commit network", "extraOptions"],
        // The password changed on the device is seen only through its hash.
        ["password", `uci set network.wwan.password=${OOB_PASSWORD} && uci commit network`, "secretHashes"],
        ["init script content", `sed -i 's/sleep 10/sleep 1/' ${script}`, "coldBoot"],
        ["rc.d link removed", `rm ${link}`, "coldBoot"],
      ];
      for (const [what, cmd, diff] of cases) {
        try {
          const [pv, up] = await driftCase(resources, "wwan", cmd, diff, "network", converged);
          if (what === "password") {
            for (const r of [pv, up]) expect(JSON.stringify(r)).not.toContain(OOB_PASSWORD);
            expect(pv.drift[0].diffs).not.toContain("password");
            expect(await uciGet("network.wwan.password")).toBe(PASSWORD);
          }
        } catch (e) {
          throw new Error(`modem drift "${what}": ${(e as Error).message}`, { cause: e });
        }
      }

      // 4. update: apn, metric and the password → one update, one network reload.
      resources = [modem({ apn: "internet2.example", metric: 30, password: PASSWORD2 })];
      const { value: upd, reloads } = await reloadsDuring(() => ok("up", resources));
      expect(counts(upd)).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
      expect(services(reloads)).toEqual(["network reload"]);
      expect(await uciGet("network.wwan.apn")).toBe("internet2.example");
      expect(await uciGet("network.wwan.metric")).toBe("30");
      expect(await uciGet("network.wwan.password")).toBe(PASSWORD2);
      stats.updates++;
      await expectNoOp(resources);

      // update: dropping coldBoot removes the script and its link; one update.
      resources = [modem({ apn: "internet2.example", metric: 30, password: PASSWORD2, coldBoot: undefined })];
      const upd2 = await ok("up", resources);
      expect(counts(upd2)).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
      dump = await s.dump();
      expect(dump.dlink.files[script]).toBeUndefined();
      expect(dump.dlink.files[link]).toBeUndefined();
      stats.updates++;

      // replace: a new interface name.
      resources = [modem({ name: "wwan2", password: PASSWORD2 })];
      const rep = await ok("up", resources);
      expect(counts(rep)).toEqual({ create: 0, update: 0, replace: 1, delete: 0 });
      expect(await uciGet("network.wwan")).toBeUndefined();
      expect(await uciGet("network.wwan2.apn")).toBe("internet.example");
      expect((await s.dump()).dlink.files["/etc/init.d/routerstack-wwan2-coldboot"]).toContain("ifup");
      stats.replaces++;
      await expectNoOp(resources);

      // 7 (part). The state while the interface exists holds no password in plain text.
      const live = fs.readFileSync(s.statePath(), "utf8");
      for (const p of [PASSWORD, PASSWORD2, OOB_PASSWORD]) expect(live).not.toContain(p);
      // ...but it is tracked, as a Pulumi secret (the secret signature key of the state format).
      expect(live).toContain("4dabf18193072939515e22adb298388d");

      // 5. destroy.
      await destroyAll(resources, before);
    },
    PHASE_TIMEOUT,
  );

  it(
    "ModemProfile: bad inputs are refused before reaching the device, secrets not echoed",
    async () => {
      const base = {
        ...dlink,
        name: "wwan",
        proto: "qmi",
        modemDevice: "/dev/cdc-wdm0",
        apn: "internet",
        auth: "chap",
        username: "lte",
        password: PASSWORD,
      };
      const spec = (args: Record<string, unknown>): ResourceSpec => ({
        platform: "openwrt",
        kind: "ModemProfile",
        name: "bad-modem",
        secretArgs: ["password", "pincode"],
        args: { ...base, ...args },
      });
      await badInputs(
        named("bad-modem", [
          [spec({ name: "wwan.0" }), 'property "name"'],
          [spec({ apn: "inter net" }), 'property "apn"'],
          [spec({ pdptype: "ipx" }), 'property "pdptype"'],
          [spec({ metric: -1 }), 'property "metric"'],
          [spec({ metric: 1.5 }), 'property "metric"'],
          [spec({ proto: "3g" }), 'property "proto"'],
          [spec({ modemDevice: "cdc-wdm0" }), 'property "modemDevice"'],
          [spec({ coldBoot: { usbPath: "1-1; reboot" } }), 'property "coldBoot.usbPath"'],
          [spec({ password: undefined }), 'property "auth"'],
          [spec({ extraOptions: { apn: "x" } }), 'property "extraOptions.apn"'],
          [spec({ unknownThing: true }), "unknownThing"],
        ]),
      );
      // Secrets in a wrong shape: refused, named, and the value is not repeated anywhere.
      const r = await badInputs(
        named("bad-secret", [
          [spec({ password: { value: WRONG_SHAPE_SECRET } }), 'property "password"'],
          [spec({ password: [WRONG_SHAPE_SECRET] }), 'property "password"'],
          [spec({ password: `${WRONG_SHAPE_SECRET}\u0001` }), 'property "password"'],
          [spec({ password: 12345678 }), 'property "password"'],
          [spec({ pincode: "12ab34" }), 'property "pincode"'],
        ]),
      );
      expect(JSON.stringify(r)).not.toContain(WRONG_SHAPE_SECRET);
      expect(JSON.stringify(r)).not.toContain("12ab34");
      expect(JSON.stringify(r)).not.toContain("12345678");
    },
    PHASE_TIMEOUT,
  );

  it("secrets: no password in the state file, any engine result or log, or the __provider strings", () => {
    expect(results.length).toBeGreaterThan(0);
    const secrets = [PASSWORD, PASSWORD2, OOB_PASSWORD, WRONG_SHAPE_SECRET];
    for (const st of states) for (const p of secrets) expect(st).not.toContain(p);
    for (const r of results) {
      const texts = [
        ...r.errors,
        r.log,
        ...r.providerStrings,
        JSON.stringify(r.steps),
        JSON.stringify(r.drift),
        JSON.stringify(r.outputs),
      ];
      for (const t of texts) for (const p of secrets) expect(t).not.toContain(p);
      for (const p of r.providerStrings) expect(Buffer.byteLength(p)).toBeLessThan(1024);
    }
    // Plain base64 of the passwords does not appear either.
    for (const st of states) for (const p of secrets) expect(st).not.toContain(Buffer.from(p).toString("base64"));
  });

  // ------------------------------------------------------------------------------------------------ BIRD kinds

  it(
    "BirdConfig (adopt), BirdDirect, BirdStatic, BgpSession",
    async () => {
      const before = await s.dump();
      const originalMode = (await sh("stat -c %a /etc/bird.conf")).trim();
      const originalBirdConf = before.dlink.files["/etc/bird.conf"];
      expect(originalBirdConf).toBeDefined();
      const birdConfig = (args: Record<string, unknown> = {}): ResourceSpec => ({
        platform: "openwrt",
        kind: "BirdConfig",
        name: "bird",
        args: { ...dlink, adopt: true, routerId: "192.0.2.2", ...args },
      });
      const direct = (args: Record<string, unknown> = {}): ResourceSpec => ({
        platform: "openwrt",
        kind: "BirdDirect",
        name: "ibgp-direct",
        args: { ...dlink, name: "ibgp_direct", interfaces: ["vlan6"], ...args },
      });
      const lteDefault = (args: Record<string, unknown> = {}): ResourceSpec => ({
        platform: "openwrt",
        kind: "BirdStatic",
        name: "lte-default",
        args: {
          ...dlink,
          name: "lte_default",
          routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }],
          preference: 50,
          ...args,
        },
      });
      const bgp = (args: Record<string, unknown> = {}): ResourceSpec => ({
        platform: "openwrt",
        kind: "BgpSession",
        name: "crs-ibgp",
        args: {
          ...dlink,
          name: "crs_ibgp",
          localAs: 65000,
          neighborAddress: "192.0.2.1",
          neighborAs: 65000,
          localAddress: "192.0.2.2",
          interface: "vlan6",
          direct: true,
          holdTime: 30,
          keepaliveTime: 10,
          ipv4: { import: "all", export: "all" },
          ipv6: { import: "all", export: "all", extendedNextHop: true, exportNextHop: "2001:db8:6::2" },
          ...args,
        },
      });
      let resources = [birdConfig(), direct(), lteDefault(), bgp()];
      const files = {
        main: "/etc/bird.conf",
        direct: "/etc/bird.d/ibgp_direct.conf",
        static: "/etc/bird.d/lte_default.conf",
        bgp: "/etc/bird.d/crs_ibgp.conf",
      };

      // 1. create: the four files, one `birdc configure` for the burst, the protocols running in BIRD.
      const up = await createAll(resources, "bird");
      expect(up.errors).toEqual([]);
      let dump = await s.dump();
      const main = dump.dlink.files[files.main];
      expect(main).toContain("# Managed by routerstack (routerstack-e2e/test/bird)");
      expect(main).toContain("router id 192.0.2.2;");
      expect(main).toMatch(/protocol device \{\n\tscan time 10;\n\}/);
      expect(main).toContain("protocol kernel kernel4 {");
      expect(main).toContain("protocol kernel kernel6 {");
      expect(main).toContain('include "/etc/bird.d/*.conf";');
      expect(dump.dlink.files[files.direct]).toMatch(
        /protocol direct ibgp_direct \{\n\tipv4;\n\tipv6;\n\tinterface "vlan6";\n\}/,
      );
      expect(dump.dlink.files[files.static]).toMatch(
        /protocol static lte_default \{\n\tipv4 \{\n\t\tpreference 50;\n\t\};\n\troute 0\.0\.0\.0\/0 via "wwan0";\n\}/,
      );
      const bgpText = dump.dlink.files[files.bgp];
      for (const line of [
        "protocol bgp crs_ibgp {",
        "\tlocal 192.0.2.2 as 65000;",
        "\tneighbor 192.0.2.1 as 65000;",
        '\tinterface "vlan6";',
        "\tdirect;",
        "\thold time 30;",
        "\tkeepalive time 10;",
        "\t\textended next hop on;",
        "\t\t\tbgp_next_hop = 2001:db8:6::2;",
      ])
        expect(bgpText).toContain(line);
      expect(bgpText).toMatch(
        /\tipv6 \{\n\t\timport all;\n\t\texport filter \{\n\t\t\tbgp_next_hop = 2001:db8:6::2;\n\t\t\taccept;\n\t\t\};\n\t\textended next hop on;\n\t\};/,
      );
      expect(bgpText).toMatch(/\tipv4 \{\n\t\timport all;\n\t\texport all;\n\t\};/);
      for (const f of [files.main, files.direct, files.static, files.bgp])
        expect((await sh(`stat -c %a ${f}`)).trim()).toBe("644");
      const protocols = await sh("birdc show protocols");
      for (const p of ["ibgp_direct", "lte_default", "crs_ibgp", "kernel4", "kernel6"])
        expect(protocols).toMatch(new RegExp(`^${p}\\s`, "m"));
      expect(protocols).not.toMatch(/^kernel1\s/m);
      expect(await sh("birdc show route protocol lte_default")).toMatch(
        /0\.0\.0\.0\/0\s+unicast \[lte_default [^\]]*\] \* \(50\)/,
      );
      expect(
        differences(before, dump)
          .map((d) => `${d.change} ${d.what}`)
          .sort(),
      ).toEqual([
        `added file ${files.bgp}`,
        `added file ${files.direct}`,
        `added file ${files.static}`,
        `changed file ${files.main}`,
      ]);

      // 2. second up is a no-op.
      await expectNoOp(resources);

      // 3. a hand edit of each file is drift (fileEditedOnDevice), restored by up --refresh with one `birdc configure`.
      const converged = await s.dump();
      const edits: [string, string, string][] = [
        ["bird", files.main, `sed -i 's/scan time 10/scan time 30/' ${files.main}`],
        ["ibgp-direct", files.direct, `sed -i 's/"vlan6"/"vlan6", "wwan0"/' ${files.direct}`],
        ["lte-default", files.static, `sed -i 's/preference 50/preference 40/' ${files.static}`],
        ["crs-ibgp", files.bgp, `sed -i 's/hold time 30/hold time 90/' ${files.bgp}`],
        ["crs-ibgp", files.bgp, `chmod 600 ${files.bgp}`],
      ];
      for (const [name, file, cmd] of edits) {
        try {
          await driftCase(resources, name, cmd, "fileEditedOnDevice", "bird", converged);
          expect((await sh(`stat -c %a ${file}`)).trim()).toBe("644");
        } catch (e) {
          throw new Error(`BIRD drift "${cmd}" on ${file}: ${(e as Error).message}`, { cause: e });
        }
      }
      // A protocol file removed by hand: gone, recreated by up --refresh.
      await sh(`rm ${files.static} && birdc configure >/dev/null`);
      const pvGone = await ok("preview", resources, { refresh: true });
      expect(pvGone.drift).toEqual([expect.objectContaining({ name: "lte-default", gone: true })]);
      const upGone = await ok("up", resources, { refresh: true });
      expect(counts(upGone)).toEqual({ create: 1, update: 0, replace: 0, delete: 0 });
      expect(differences(converged, await s.dump())).toEqual([]);
      expect(await sh("birdc show protocols")).toMatch(/^lte_default\s/m);
      stats.driftCases++;

      // 4. updates: one per kind, all in one burst → one `birdc configure`.
      resources = [
        birdConfig({ deviceScanTime: 20 }),
        direct({ interfaces: ["vlan6", "wwan0"] }),
        lteDefault({ preference: 60 }),
        bgp({ holdTime: 60, keepaliveTime: 20 }),
      ];
      const upd = await expectOneLoad("bird", () => ok("up", resources));
      expect(counts(upd)).toEqual({ create: 0, update: 4, replace: 0, delete: 0 });
      dump = await s.dump();
      expect(dump.dlink.files[files.main]).toMatch(/protocol device \{\n\tscan time 20;\n\}/);
      expect(dump.dlink.files[files.direct]).toContain('\tinterface "vlan6", "wwan0";');
      expect(dump.dlink.files[files.static]).toContain("\t\tpreference 60;");
      expect(dump.dlink.files[files.bgp]).toContain("\thold time 60;");
      expect(dump.dlink.files[files.bgp]).toContain("\tkeepalive time 20;");
      expect(await sh("birdc show route protocol lte_default")).toMatch(/\* \(60\)/);
      stats.updates += 4;
      await expectNoOp(resources);

      // A config the schema accepts but BIRD refuses (a link-local neighbor needs an interface) fails with BIRD's
      // message, is never loaded, and leaves no file behind.
      const loadedBefore = (await s.lab.dlink.reloads()).length;
      const reconfBefore = await birdConfigures();
      const protocolNames = async () =>
        (await sh("birdc show protocols"))
          .split("\n")
          .slice(2)
          .map((l) => l.split(/\s+/)[0])
          .filter(Boolean)
          .sort();
      const protosBefore = await protocolNames();
      const llSpec: ResourceSpec = {
        platform: "openwrt",
        kind: "BgpSession",
        name: "ll-bgp",
        args: {
          ...dlink,
          name: "ll_bgp",
          localAs: 65000,
          neighborAddress: "fe80::1",
          neighborAs: 65001,
          ipv6: { import: "all", export: "none" },
        },
      };
      let llr!: EngineResult;
      const llWrites = await s.writesDuring(async () => (llr = await engine("up", [...resources, llSpec])));
      expect(llr.ok).toBe(false);
      expect(llr.errors.join("\n")).toMatch(
        /ll-bgp[^]*bird rejected the new \/etc\/bird\.d\/ll_bgp\.conf \(the previous file was restored; nothing was loaded\)/,
      );
      expect(llWrites).toBe(0);
      expect((await s.lab.dlink.reloads()).length).toBe(loadedBefore);
      expect(await birdConfigures()).toBe(reconfBefore);
      expect(await protocolNames()).toEqual(protosBefore);
      expect(protosBefore).not.toContain("ll_bgp");
      expect((await s.dump()).dlink.files["/etc/bird.d/ll_bgp.conf"]).toBeUndefined();
      await expectNoOp(resources);

      // replace: renaming the static protocol moves its file.
      resources = [resources[0], resources[1], lteDefault({ name: "lte_default4", preference: 60 }), resources[3]];
      const rep = await ok("up", resources);
      expect(counts(rep)).toEqual({ create: 0, update: 0, replace: 1, delete: 0 });
      dump = await s.dump();
      expect(dump.dlink.files[files.static]).toBeUndefined();
      expect(dump.dlink.files["/etc/bird.d/lte_default4.conf"]).toContain("protocol static lte_default4 {");
      const protos = await sh("birdc show protocols");
      expect(protos).toMatch(/^lte_default4\s/m);
      expect(protos).not.toMatch(/^lte_default\s/m);
      stats.replaces++;
      await expectNoOp(resources);

      // 5. destroy: protocol files removed, /etc/bird.conf given back as it was, and BIRD runs the original again.
      await destroyAll(resources, before);
      dump = await s.dump();
      expect(dump.dlink.files[files.main]).toBe(originalBirdConf);
      expect((await sh(`stat -c %a ${files.main}`)).trim()).toBe(originalMode);
      const after = await sh("birdc show protocols");
      for (const p of ["ibgp_direct", "lte_default4", "crs_ibgp", "kernel4", "kernel6"])
        expect(after).not.toMatch(new RegExp(`^${p}\\s`, "m"));
      expect(after).toMatch(/^kernel1\s/m);
      expect(differences(pristine, dump)).toEqual([]);
    },
    PHASE_TIMEOUT,
  );

  it(
    "BirdConfig without adopt refuses to take over the existing /etc/bird.conf",
    async () => {
      const before = await s.dump();
      const r = await engine("up", [
        { platform: "openwrt", kind: "BirdConfig", name: "bird-noadopt", args: { ...dlink, routerId: "192.0.2.2" } },
      ]);
      expect(r.ok).toBe(false);
      expect(r.errors.join("\n")).toMatch(/\/etc\/bird\.conf already exists.*adopt/);
      expect(differences(before, await s.dump())).toEqual([]);
      await ok("destroy", []);
    },
    PHASE_TIMEOUT,
  );

  it(
    "BIRD kinds: bad inputs are refused before reaching the device",
    async () => {
      const cfg = (args: Record<string, unknown>): ResourceSpec => ({
        platform: "openwrt",
        kind: "BirdConfig",
        name: "bad-bird",
        args: { ...dlink, adopt: true, routerId: "192.0.2.2", ...args },
      });
      const dir = (args: Record<string, unknown>): ResourceSpec => ({
        platform: "openwrt",
        kind: "BirdDirect",
        name: "bad-direct",
        args: { ...dlink, name: "d1", interfaces: ["vlan6"], ...args },
      });
      const st = (args: Record<string, unknown>): ResourceSpec => ({
        platform: "openwrt",
        kind: "BirdStatic",
        name: "bad-static",
        args: { ...dlink, name: "s1", routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }], ...args },
      });
      const b = (args: Record<string, unknown>): ResourceSpec => ({
        platform: "openwrt",
        kind: "BgpSession",
        name: "bad-bgp",
        args: {
          ...dlink,
          name: "b1",
          localAs: 65000,
          neighborAddress: "192.0.2.1",
          neighborAs: 65000,
          ipv4: { import: "all", export: "all" },
          ...args,
        },
      });
      await badInputs(
        named("bad-birdconfig", [
          [cfg({ routerId: "192.0.2.300" }), 'property "routerId"'],
          [cfg({ routerId: "2001:db8::1" }), 'property "routerId"'],
          [cfg({ kernel: { ipv4: { export: "some" } } }), 'property "kernel.ipv4.export"'],
          [cfg({ deviceScanTime: "soon" }), 'property "deviceScanTime"'],
          [cfg({ includeDir: "/tmp" }), "includeDir"],
        ]),
      );
      await badInputs(
        named("bad-direct", [
          [dir({ name: "1direct" }), 'property "name"'],
          [dir({ name: "ibgp-direct" }), 'property "name"'],
          [dir({ interfaces: [] }), 'property "interfaces"'],
          [dir({ interfaces: ['vlan6"; protocol static x {'] }), 'property "interfaces.0"'],
          [dir({ ipv4: false, ipv6: false }), 'property "ipv4"'],
        ]),
      );
      await badInputs(
        named("bad-static", [
          [st({ routes: [{ prefix: "198.51.100.1/24", interface: "wwan0" }] }), 'property "routes.0.prefix"'],
          [st({ routes: [{ prefix: "0.0.0.0/33", interface: "wwan0" }] }), 'property "routes.0.prefix"'],
          [
            st({ routes: [{ prefix: "0.0.0.0/0", interface: "wwan0", gateway: "192.0.2.1" }] }),
            'property "routes.0.interface"',
          ],
          [st({ routes: [{ prefix: "::/0", gateway: "192.0.2.1" }] }), 'property "routes.0.gateway"'],
          [
            st({
              routes: [
                { prefix: "0.0.0.0/0", interface: "wwan0" },
                { prefix: "::/0", interface: "wwan0" },
              ],
            }),
            'property "routes"',
          ],
          [st({ preference: 0 }), 'property "preference"'],
        ]),
      );
      await badInputs(
        named("bad-bgp", [
          [b({ localAs: 0 }), 'property "localAs"'],
          [b({ neighborAs: 4294967296 }), 'property "neighborAs"'],
          [b({ neighborAs: 65000.5 }), 'property "neighborAs"'],
          [b({ neighborAs: "65000" }), 'property "neighborAs"'],
          [b({ neighborAddress: "192.0.2.256" }), 'property "neighborAddress"'],
          [b({ interface: "vlan6" }), 'property "direct"'],
          [b({ holdTime: 2 }), 'property "holdTime"'],
          [b({ holdTime: 30, keepaliveTime: 30 }), 'property "keepaliveTime"'],
          [
            b({ ipv6: { import: "all", export: "none", exportNextHop: "2001:db8:6::2" } }),
            'property "ipv6.exportNextHop"',
          ],
          [b({ ipv6: { import: "all", export: "all", exportNextHop: "192.0.2.2" } }), 'property "ipv6.exportNextHop"'],
          [
            b({
              ipv4: {
                import: "all",
                export: "all",
                rawExportFilter: "accept; } protocol static evil { ipv4; route 0.0.0.0/0 blackhole; } filter f {",
              },
            }),
            /ipv4\.rawExportFilter/,
          ],
          [b({ password: "x" }), "password"],
        ]),
      );
    },
    PHASE_TIMEOUT,
  );
});
