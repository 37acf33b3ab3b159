/**
 * Issue 14 (Medium): routerstack's OpenWrt state — the device lock and the ownership records of created sections —
 * lived in world-writable places (`/var/lock/routerstack.lock`, OpenWrt's /var/lock is 1777; `/tmp/routerstack-
 * owners`): a local account could hold every routerstack write forever, swap the lock's pid so `lock -u` signals a
 * process of its choice, plant a symlink that root then overwrites, or forge records. Both now live in one
 * root-only directory (default `/root/.routerstack`, on flash so records survive a reboot); a directory that is a
 * symlink, not owned by the login user, or not mode 0700 is refused before anything is written.
 * Run with the provider's real scripts over the local shell (local-device.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { kind as uciSection } from "../../../provider/resources/openwrt/uci-section";
import type { OpContext } from "../../../provider/resources/kind";
import { buildTransactionScript } from "../../../provider/openwrt/uci-script";
import { DEFAULT_STATE_DIR } from "../../../provider/openwrt/device-lock";
import { openwrtSettings } from "../../../provider/openwrt/settings";
import { makeLocalDevice, type LocalDevice } from "./local-device";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
});
afterEach(() => dev.cleanup());

const ctx = (name: string): OpContext => ({
  transport: dev.transport,
  device: "dlink",
  identity: `site/lab/${name}`,
  label: `resource "site/lab/${name}"`,
  adopt: false,
});
const inputs = (name: string) =>
  uciSection.schema.parse({ package: "network", name, type: "interface", options: { proto: "none" } });
const stateDir = () => openwrtSettings().uci.stateDir!;

describe("routerstack's state directory on OpenWrt", () => {
  it("defaults to /root/.routerstack for the lock and the records, nothing under /var/lock or /tmp", () => {
    expect(DEFAULT_STATE_DIR).toBe("/root/.routerstack");
    const s = buildTransactionScript(["network"], "@@RS_x", {});
    expect(s).toContain("RS_STATE='/root/.routerstack'");
    expect(s).toMatch(/lock '\/root\/\.routerstack\/lock' <\/dev\/null/);
    expect(s).toContain(`RS_OWN='/root/.routerstack/owners'`);
    expect(s).not.toMatch(/\/var\/lock|routerstack-owners/);
  });

  it("a create makes the directory 0700 and keeps its ownership record there, written through a temp file", async () => {
    await uciSection.driver.create(ctx("a"), inputs("rs_a"));
    const st = fs.lstatSync(stateDir());
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(path.join(stateDir(), "owners", "network.rs_a"), "utf8")).toBe("site/lab/a\n");
    expect(fs.readdirSync(path.join(stateDir(), "owners"))).toEqual(["network.rs_a"]);
    expect(fs.existsSync(path.join(dev.root, "tmp", "routerstack-owners"))).toBe(false);
    expect(dev.transport.commands.some((c) => c.includes('mktemp "$RS_OWN/'))).toBe(true);
  });

  it("refuses a state directory that is a symlink, and writes nothing through it", async () => {
    const elsewhere = path.join(dev.root, "elsewhere");
    fs.mkdirSync(elsewhere, { mode: 0o700 });
    fs.mkdirSync(path.dirname(stateDir()), { recursive: true });
    fs.symlinkSync(elsewhere, stateDir());
    await expect(uciSection.driver.create(ctx("b"), inputs("rs_b"))).rejects.toThrow(/state directory .* refus/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(dev.uci("show network").includes("rs_b")).toBe(false);
  });

  it("refuses a state directory another user owns or others can enter", async () => {
    fs.mkdirSync(stateDir(), { recursive: true, mode: 0o755 });
    fs.chmodSync(stateDir(), 0o755);
    await expect(uciSection.driver.create(ctx("c"), inputs("rs_c"))).rejects.toThrow(/state directory .* refus/);
    fs.chmodSync(stateDir(), 0o700);
    fs.chownSync(stateDir(), 65534, 65534);
    await expect(uciSection.driver.create(ctx("c"), inputs("rs_c"))).rejects.toThrow(/state directory .* refus/);
    expect(dev.uci("show network").includes("rs_c")).toBe(false);
    fs.chownSync(stateDir(), process.getuid!(), process.getgid!());
    await uciSection.driver.create(ctx("c"), inputs("rs_c"));
    expect(dev.uci("show network").includes("rs_c")).toBe(true);
  });
});

describe("a package file routerstack creates", () => {
  it("is 0600 (umask 077): a new package may hold secrets (a wifi key, a PPPoE password)", async () => {
    fs.rmSync(path.join(dev.confDir, "wireless"), { force: true });
    await uciSection.driver.create(
      ctx("w"),
      uciSection.schema.parse({
        package: "wireless",
        name: "rs_w",
        type: "wifi-iface",
        options: { ssid: "lab", key: "k-12345678" },
      }),
    );
    expect(fs.statSync(path.join(dev.confDir, "wireless")).mode & 0o777).toBe(0o600);
  });
});
