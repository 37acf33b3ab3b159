/**
 * Issue 14 (Low): the OpenWrt lock-out guard armed before taking the device lock and restored the package without
 * it, and saved the package (which may hold a PPPoE password or a wifi key) under the login's umask. Now the save
 * and the start of the revert happen under the device lock, the revert restores under it, and both run under
 * umask 077. Against the local device (local-device.ts, busybox sh, the lab's `lock` stand-in) with the guard's
 * test seams, as tests/unit/openwrt/lockout-guard.test.ts.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { kind as staticRoute } from "../../../provider/resources/openwrt/static-route";
import type { OpContext } from "../../../provider/resources/kind";
import { LockoutRevertedError } from "../../../provider/resources/lockout";
import { openwrtGuardHooks, type OpenwrtSession } from "../../../provider/openwrt/lockout-guard";
import { openwrtSettings } from "../../../provider/openwrt/settings";
import type { DeviceTransport } from "../../../provider/transport/types";
import { makeLocalDevice, type LocalDevice } from "./local-device";

const session: OpenwrtSession = { client: "192.0.2.50", server: "192.0.2.10", port: 22 };
const WINDOW = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dev: LocalDevice;
const saved = { ...openwrtGuardHooks };
const ctx = (): OpContext => ({
  transport: dev.transport,
  device: "dlink",
  identity: "site/lab/near",
  label: `openwrt-static-route "site/lab/near"`,
  adopt: false,
});
const route = staticRoute.schema.parse({
  name: "mgmt_client",
  interface: "mgmt",
  target: "192.0.2.50/32",
  gateway: "192.0.2.1",
});
const guardDirs = () => fs.readdirSync(path.join(dev.root, "tmp")).filter((f) => /^rs-guard-[0-9a-f]+$/.test(f));
/** Holds the device lock from "another routerstack writer" (the lock applet, as the provider's scripts do). */
const lockFile = () => path.join(openwrtSettings().uci.stateDir!, "lock");
// The applet forks the holder: it must not keep our pipes open, or execFileSync waits for it.
const sh = (cmd: string) =>
  execFileSync("sh", ["-c", `${cmd} </dev/null >/dev/null 2>&1`], {
    env: { ...process.env, PATH: `${dev.root}/bin:${process.env.PATH}` },
    encoding: "utf8",
  });

beforeEach(() => {
  dev = makeLocalDevice("dlink", { busybox: true });
  (dev.transport.spec as { lockoutGuard?: unknown }).lockoutGuard = { windowSeconds: WINDOW };
  dev.uci(
    "batch",
    "set network.mgmt=interface\nset network.mgmt.proto='static'\nset network.mgmt.ipaddr='192.0.2.10/24'\ncommit network\n",
  );
  fs.mkdirSync(openwrtSettings().uci.stateDir!, { recursive: true, mode: 0o700 });
  Object.assign(openwrtGuardHooks, {
    canReconnect: () => true,
    session: async () => session,
    reconnect: (t: DeviceTransport) => ({ ...t, close: async () => undefined }),
    retryMs: 200,
  });
});
afterEach(() => {
  Object.assign(openwrtGuardHooks, saved);
  try {
    sh(`lock -u ${lockFile()}`);
  } catch {
    // not held
  }
  dev.cleanup();
});

describe("the OpenWrt lock-out guard and the device lock", () => {
  it("arms only once it holds the device lock, and keeps the saved package in a 0700 directory", async () => {
    let modes: number[] = [];
    openwrtGuardHooks.reconnect = (t: DeviceTransport) => {
      // Armed and not yet cancelled: the guard's directory and its copy of the package are private.
      modes = guardDirs().flatMap((d) => [fs.statSync(path.join(dev.root, "tmp", d)).mode & 0o777]);
      return { ...t, close: async () => undefined };
    };
    sh(`lock ${lockFile()}`);
    const create = staticRoute.driver.create(ctx(), route);
    await sleep(1500);
    // Another writer holds the lock: nothing is saved, no revert is started.
    expect(guardDirs()).toEqual([]);
    expect(dev.transport.commands.filter((c) => c.includes("setsid")).length).toBeLessThanOrEqual(1);
    expect(fs.readdirSync(path.join(dev.root, "tmp")).filter((f) => f.startsWith("rs-guard-"))).toEqual([]);
    sh(`lock -u ${lockFile()}`);
    await create;
    expect(modes).toEqual([0o700]);
    expect(dev.uci("get network.mgmt_client.target").trim()).toBe("192.0.2.50/32");
  }, 30_000);

  it("the device's revert restores only once it holds the device lock", async () => {
    const before = fs.readFileSync(path.join(dev.confDir, "network"), "utf8");
    let locked = false;
    openwrtGuardHooks.reconnect = (t: DeviceTransport) => {
      // The write is done; another writer takes the lock before the window ends, and keeps it a while.
      if (!locked) {
        locked = true;
        sh(`lock ${lockFile()}`);
      }
      return {
        ...t,
        exec: async () => {
          throw new Error("connection closed during SSH handshake");
        },
        close: async () => undefined,
      };
    };
    const err = dev.transport && staticRoute.driver.create(ctx(), route).catch((e) => e);
    await sleep((WINDOW + 1.5) * 1000);
    // Past the window, the revert is waiting for the lock: the package still holds the write.
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).not.toBe(before);
    sh(`lock -u ${lockFile()}`);
    expect(await err).toBeInstanceOf(LockoutRevertedError);
    for (let i = 0; i < 50 && fs.readFileSync(path.join(dev.confDir, "network"), "utf8") !== before; i++)
      await sleep(200);
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe(before);
  }, 60_000);
});
