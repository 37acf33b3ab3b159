/**
 * examples/openwrt-mwan3 converges the lab's OpenWrt-like host: the example program, run by the test engine with
 * its own stack file (Pulumi.lab.yaml) and only `routerstack:devices` overridden to point at this run's host,
 * creates every resource with coalesced reloads, a second up writes nothing, an out-of-band change is reported by
 * preview --refresh and restored by up --refresh, and destroy leaves the host as it was (full `uci export` and file
 * dumps compared). One host start for the whole file.
 * The lab host has no mwan3 package: its /etc/init.d/mwan3 is a recording stand-in like network's and
 * firewall's, and /etc/config/mwan3 holds only the stock `globals` section [I].
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labAvailable } from "./harness";
import { runEngine, type EngineOp, type EngineResult } from "../engine";
import { ed25519KeyPair } from "../lab/keys";
import { startOpenWrtHost, type OpenWrtHost } from "../lab/openwrt/host";
import { diffDumps, parseUciExport } from "../lab/dump-diff";
import type { LabDump } from "../lab/lab";

const run = labAvailable() ? describe : describe.skip;
const EXAMPLE = path.resolve(__dirname, "../../examples/openwrt-mwan3");
const COMPONENT = path.resolve(__dirname, "../../examples/openwrt-mwan3-component");

run("examples/openwrt-mwan3 against the lab's OpenWrt host", () => {
  let host: OpenWrtHost;
  let dir: string;
  let devices: Record<string, unknown>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-e2e-mwan3-"));
    const key = ed25519KeyPair();
    const keyFile = path.join(dir, "id_ed25519");
    fs.writeFileSync(keyFile, key.private, { mode: 0o600 });
    host = await startOpenWrtHost({
      stateDir: path.join(dir, "host"),
      name: `mwan${process.pid % 1000}`,
      authorizedKeys: [key.public],
    });
    const knownHosts = path.join(dir, "known_hosts");
    const at = host.port === 22 ? host.host : `[${host.host}]:${host.port}`;
    fs.writeFileSync(knownHosts, host.hostPublicKeys.map((k) => `${at} ${k}`).join("\n") + "\n");
    devices = {
      router: {
        platform: "openwrt",
        host: host.host,
        port: host.port,
        username: "root",
        privateKeyFile: keyFile,
        knownHostsFile: knownHosts,
      },
    };
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The hand-written program's converged dump, which the component's must equal. */
  let handWritten: LabDump | undefined;

  const engine = async (op: EngineOp, refresh = false, programDir = EXAMPLE): Promise<EngineResult> => {
    const r = await runEngine(op, {
      programDir,
      refresh,
      stack: "lab",
      stateFile: path.join(dir, `${path.basename(programDir)}.state.json`),
      passphrase: "routerstack-lab",
      configOverrides: { "routerstack:devices": devices },
    });
    if (!r.ok) throw new Error(`${op} failed:\n${r.errors.join("\n")}\n${r.log.slice(-3000)}`);
    return r;
  };
  const dump = async (): Promise<LabDump> => {
    const d = await host.dump();
    return { crs: {}, dlink: { uci: d.uci, files: d.files } };
  };
  /**
   * A dump with the names routerstack derives from a resource's name (`rs_<name>_<hash>`, anonymous-type sections
   * such as forwardings) set aside: those sections are compared by package, type and options, as a multiset.
   */
  const identitiesAside = (d: LabDump) => {
    const named: Record<string, unknown> = {};
    const byContent: string[] = [];
    for (const [key, options] of parseUciExport(d.dlink!.uci)) {
      if (/\.rs_\w+_[0-9a-f]{8}$/.test(key)) byContent.push(`${key.split(".")[0]} ${JSON.stringify(options)}`);
      else named[key] = options;
    }
    return { named, byContent: byContent.sort(), files: d.dlink!.files };
  };
  const uci = async (key: string): Promise<string> => {
    const r = await host.exec(`uci -q get ${key}`);
    return r.code === 0 ? r.stdout.trim() : "<absent>";
  };

  it("up converges, a second up writes nothing, destroy leaves the host as it was", async () => {
    const before = await dump();
    const reloadsBefore = (await host.reloads()).length;

    // 1. up: 3 interfaces, 3 zones, 3 forwardings, 3 mwan3 interfaces, 5 members, 2 policies, 3 rules.
    const up = await engine("up");
    const created = up.counts.create;
    expect(created).toBe(22);
    const converged = await dump();
    handWritten = converged;
    const added = diffDumps(before, converged);
    expect(added.every((d) => d.change === "added")).toBe(true);
    expect(added).toHaveLength(22);
    // Reloads are coalesced per burst: everything but the 2nd and 3rd rule (which wait for the rule above them)
    // is created at once, so one reload of network and firewall, and one mwan3 reload per rule wave.
    const reloads = (await host.reloads()).slice(reloadsBefore);
    const perService = (svc: string) => reloads.filter((r) => r.service === svc && r.action === "reload").length;
    // Measured 1 / 1 / 3 (5 in all); a slow machine may split a burst, so the bound is loose but far from one
    // reload per resource (22), and each rule wave needs its own mwan3 reload (its create waits for it).
    expect(perService("network")).toBeGreaterThanOrEqual(1);
    expect(perService("firewall")).toBeGreaterThanOrEqual(1);
    expect(perService("mwan3")).toBeGreaterThanOrEqual(3);
    expect(reloads.length).toBeLessThanOrEqual(8);
    expect([...new Set(reloads.map((r) => r.service))].sort()).toEqual(["firewall", "mwan3", "network"]);
    expect(reloads.every((r) => r.rc === 0)).toBe(true);
    // The last mwan3 reload saw the committed file with every mwan3 section.
    const lastMwan3 = reloads.filter((r) => r.service === "mwan3").at(-1)!;
    for (const s of [
      "config interface 'wired'",
      "config member 'lte2_m2_w1'",
      "config policy 'wired_first'",
      "config rule 'default_v4'",
    ]) {
      expect(lastMwan3.files["/etc/config/mwan3"]).toContain(s);
    }

    // What the router holds, read with uci on the host.
    expect(await uci("network.wired.ipaddr")).toBe("203.0.113.2/29");
    expect(await uci("network.lte1.metric")).toBe("20");
    expect(await uci("network.lte2.metric")).toBe("30");
    expect(await uci("firewall.lte1.masq")).toBe("1");
    expect(await uci("firewall.wired.network")).toBe("wired");
    expect(await uci("mwan3.wired.track_ip")).toBe("192.0.2.53 198.51.100.53");
    expect(await uci("mwan3.balanced.use_member")).toBe("wired_m1_w3 lte1_m1_w1 lte2_m1_w1");
    expect(await uci("mwan3.wired_first.use_member")).toBe("wired_m1_w3 lte1_m2_w1 lte2_m2_w1");
    expect(await uci("mwan3.https.sticky")).toBe("1");
    expect(await uci("mwan3.voip.dest_port")).toBe("5060,10000:20000");
    // Rules in the order declared (mwan3 matches top-down): specific before the catch-all.
    const rules = (await host.exec('uci show mwan3 | sed -n "s/^mwan3\\.\\([a-z_0-9]*\\)=rule$/\\1/p"')).stdout
      .trim()
      .split("\n");
    expect(rules).toEqual(["https", "voip", "default_v4"]);

    // 2. a second up changes nothing on the device.
    const writes = (await host.writeEvents()).length;
    const again = await engine("up");
    expect(again.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, same: 22 });
    const secondUpWrites = (await host.writeEvents()).length - writes;
    expect(secondUpWrites).toBe(0);
    expect(diffDumps(converged, await dump())).toEqual([]);

    // 3. an out-of-band change (an admin loosens the wired uplink's tracking) is seen by preview --refresh without
    // writing, and up --refresh puts the router back exactly as converged.
    const tamper = await host.exec(
      "uci set mwan3.wired.reliability=2 && uci add_list mwan3.lte2.track_ip=203.0.113.99 && uci commit mwan3",
    );
    expect(tamper.code).toBe(0);
    const w0 = (await host.writeEvents()).length;
    const pv = await engine("preview", true);
    expect((await host.writeEvents()).length).toBe(w0);
    expect(pv.drift.map((x) => x.name).sort()).toEqual(["mwan3-lte2", "mwan3-wired"]);
    expect(pv.counts).toMatchObject({ update: 2, create: 0, replace: 0, delete: 0 });
    const fix = await engine("up", true);
    expect(fix.counts).toMatchObject({ update: 2, create: 0, replace: 0, delete: 0 });
    expect(diffDumps(converged, await dump())).toEqual([]);

    // 4. destroy: nothing of the example is left.
    const d = await engine("destroy");
    expect(d.counts.delete).toBe(22);
    expect(diffDumps(before, await dump())).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(
      `example openwrt-mwan3: created ${created}, device objects added ${added.length}, reloads during up ${reloads.length} (network ${perService("network")}, firewall ${perService("firewall")}, mwan3 ${perService("mwan3")}), second-up writes ${secondUpWrites}`,
    );
  }, 600_000);
  it("the Mwan3Uplinks component converges the router to the same state as the hand-written program", async () => {
    // Runs after the test above, which leaves the host as it found it and records its converged dump.
    expect(handWritten).toBeDefined();
    const before = await dump();
    const up = await engine("up", false, COMPONENT);
    expect(up.counts.create).toBe(22);
    // The component and its 22 children; the children are the ordinary kinds, parented to the component.
    expect(up.outputs).toMatchObject({
      uplinks: ["wired", "lte1", "lte2"],
      policies: ["balanced", "wired_first"],
      rules: ["https", "voip", "default_v4"],
    });
    const converged = await dump();
    expect(identitiesAside(converged)).toEqual(identitiesAside(handWritten!));
    const rules = (await host.exec('uci show mwan3 | sed -n "s/^mwan3\\.\\([a-z_0-9]*\\)=rule$/\\1/p"')).stdout
      .trim()
      .split("\n");
    expect(rules).toEqual(["https", "voip", "default_v4"]);

    const writes = (await host.writeEvents()).length;
    const again = await engine("up", false, COMPONENT);
    expect(again.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect((await host.writeEvents()).length).toBe(writes);

    expect((await host.exec("uci set firewall.lte1.masq=0 && uci commit firewall")).code).toBe(0);
    const pv = await engine("preview", true, COMPONENT);
    expect(pv.drift.map((x) => x.name)).toEqual(["multiwan-zone-lte1"]);
    await engine("up", true, COMPONENT);
    expect(diffDumps(converged, await dump())).toEqual([]);

    const d = await engine("destroy", false, COMPONENT);
    expect(d.counts.delete).toBe(22);
    expect(diffDumps(before, await dump())).toEqual([]);
  }, 600_000);
});
