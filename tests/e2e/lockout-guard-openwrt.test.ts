/**
 * The OpenWrt lock-out guard end to end (issue 7): the test program (./program) through the test engine and the real
 * dynamic-provider host, against the lab's OpenWrt-like host ("dlink") with `lockoutGuard: { windowSeconds: 5 }`.
 * The test writes the interface section `network.mgmt` (device `mgmt`, the link dropbear listens on) first — the
 * lab's starting config leaves it out, so the other lab tests run unguarded as before — and the lab's
 * network init script applies that section's address to `mgmt` on reload (tests/lab/openwrt/rootfs/etc/init.d/network:
 * a stand-in for netifd that applies only this), so moving the address really cuts new SSH connections.
 *   (a) adopting `network.mgmt` as a NetworkInterface and adding a harmless `metric`: on the management path, so the
 *       revert is armed; the new connection cancels it; the change stays and the address does not move;
 *   (b) updating its `ipaddr` to an address outside the client's /30: `up` fails with the "reverted" error; after the
 *       window the device has restored /etc/config/network and reloaded, `mgmt` holds the old address again and SSH
 *       works (the next `up` goes through);
 *   destroy restores the section as adopted.
 * Needs root (the OpenWrt host); skips otherwise, fails under CI=true.
 */
import { execFileSync } from "child_process";
import { LabSession, labAvailable, type ResourceSpec } from "./harness";

const run = labAvailable() ? describe : describe.skip;
const WINDOW = 5;
const MOVED = "203.0.113.77";

run("OpenWrt lock-out guard through the engine (the lab host's mgmt address applied from uci)", () => {
  const s = new LabSession();
  let mgmtAddress: string;
  let pristineNetwork: string;
  const measured: string[] = [];

  beforeAll(async () => {
    await s.start("owguard");
    const dlink = s.lab.devices.dlink;
    dlink.lockoutGuard = { windowSeconds: WINDOW };
    dlink.timeoutSeconds = 5;
    mgmtAddress = s.lab.dlink.host;
    const add = await s.lab.dlink.exec(
      `uci set network.mgmt=interface && uci set network.mgmt.device=mgmt && uci set network.mgmt.proto=static && ` +
        `uci set network.mgmt.ipaddr=${mgmtAddress} && uci set network.mgmt.netmask=255.255.255.252 && uci commit network`,
    );
    if (add.code !== 0) throw new Error(`writing network.mgmt failed: ${add.stderr}`);
    pristineNetwork = (await s.lab.dlink.exec("uci export network")).stdout;
  }, 120_000);
  afterAll(async () => {
    // eslint-disable-next-line no-console
    if (measured.length) console.log(`lockout-guard-openwrt: ${measured.join("; ")}`);
    await s.stop();
  });

  const mgmtAddrs = () =>
    execFileSync("ip", ["-n", s.lab.dlink.netns, "-4", "-o", "addr", "show", "dev", "mgmt"], { encoding: "utf8" });
  const uciGet = async (key: string) => (await s.lab.dlink.exec(`uci -q get ${key}`)).stdout.trim();
  const guardDirs = async () => (await s.lab.dlink.exec("ls -d /tmp/rs-guard-* 2>/dev/null")).stdout.trim();
  const networkReloads = async () => (await s.lab.dlink.reloads()).filter((r) => r.service === "network");
  const mgmt = (args: Record<string, unknown>): ResourceSpec => ({
    platform: "openwrt",
    kind: "NetworkInterface",
    name: "mgmt",
    args: {
      device: "dlink",
      adopt: true,
      name: "mgmt",
      proto: "static",
      netdev: "mgmt",
      ipaddr: mgmtAddress,
      netmask: "255.255.255.252",
      ...args,
    },
  });

  it("(a) a change on the management interface that keeps SSH: armed, cancelled, kept; a second up writes nothing", async () => {
    expect(mgmtAddrs()).toContain(`inet ${mgmtAddress}/30 `);
    const reloadsBefore = (await networkReloads()).length;
    const t0 = Date.now();
    const r = await s.run("up", [mgmt({ metric: 5 })]);
    const took = Date.now() - t0;
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.log).toMatch(/lock-out guard armed \(the interface mgmt holding 198\.51\.100\.\d+\)/);
    expect(await uciGet("network.mgmt.metric")).toBe("5");
    expect(await guardDirs()).toBe("");
    const reloads = (await networkReloads()).slice(reloadsBefore);
    expect(reloads.map((x) => [x.action, x.output])).toEqual([
      ["reload", `mgmt: ${mgmtAddress}/30 (network.mgmt) already set\n`],
    ]);
    expect(mgmtAddrs()).toContain(`inet ${mgmtAddress}/30 `);
    measured.push(
      `(a) up ${took} ms; ${r.log
        .split("\n")
        .find((l) => l.includes("lock-out guard armed"))
        ?.trim()}`,
    );
    const again = await s.run("up", [mgmt({ metric: 5 })]);
    expect(again.ok).toBe(true);
    expect(again.counts.same).toBe(1);
    expect((await networkReloads()).length).toBe(reloadsBefore + 1);
  }, 120_000);

  it("(b) moving the management address fails with the reverted error; after the window the old address and SSH are back", async () => {
    const reloadsBefore = (await networkReloads()).length;
    const t0 = Date.now();
    const r = await s.run("up", [mgmt({ metric: 5, ipaddr: MOVED })]);
    const took = Date.now() - t0;
    expect(r.ok).toBe(false);
    const msg = r.errors.join("\n");
    expect(msg).toMatch(
      /the write to network cut the management path \(the interface mgmt holding 198\.51\.100\.\d+\)/,
    );
    expect(msg).toMatch(/device "dlink" \(198\.51\.100\.\d+:22\)/);
    // The write's own session is cut by its reload, so it answers only at its 5-second timeout, past the 3.75 s
    // left for a new connection: none is tried, and the error says why.
    expect(msg).toMatch(
      /lock-out window of 5 seconds \(the write's own session answered only [\d.]+ s after arming \(.+\), too late to try a new connection\)/,
    );
    expect(msg).toMatch(
      /reverted the change by itself: \/etc\/config\/network was restored as committed before the write and its services reloaded; it is reachable again/,
    );
    expect(took).toBeGreaterThanOrEqual(WINDOW * 1000);
    // The device really moved the address, then moved it back by itself.
    const reloads = (await networkReloads()).slice(reloadsBefore);
    expect(reloads.map((x) => [x.action, x.output])).toEqual([
      ["reload", `mgmt: set ${MOVED}/30 (network.mgmt)\n`],
      ["reload", `mgmt: set ${mgmtAddress}/30 (network.mgmt)\n`],
    ]);
    expect(reloads[1].at - reloads[0].at).toBeGreaterThan(0);
    expect(mgmtAddrs().trim().split("\n")).toEqual([expect.stringContaining(`inet ${mgmtAddress}/30 `)]);
    expect(await uciGet("network.mgmt.ipaddr")).toBe(mgmtAddress);
    expect(await guardDirs()).toBe("");
    measured.push(
      `(b) up failed after ${took} ms; moved at +${reloads[0].at - t0} ms, restored at +${reloads[1].at - t0} ms; error: ${msg}`,
    );
    // SSH works again and the state still holds what the device has: the next up is a no-op over SSH.
    const again = await s.run("up", [mgmt({ metric: 5 })]);
    expect(again.errors).toEqual([]);
    expect(again.counts.same).toBe(1);
  }, 120_000);

  it("destroy restores the adopted section as it was", async () => {
    const d = await s.run("destroy", []);
    expect(d.errors).toEqual([]);
    expect((await s.lab.dlink.exec("uci export network")).stdout).toBe(pristineNetwork);
    expect(mgmtAddrs()).toContain(`inet ${mgmtAddress}/30 `);
  }, 120_000);
});
