/**
 * The OpenWrt lock-out guard (provider/openwrt/lockout-guard.ts) against the local uci device (local-device.ts:
 * the provider's real scripts under busybox sh, the lab's uci stand-in, init.d recorders):
 * (c) which writes are on the management path;
 * (a) a guarded write that keeps reachability: the revert process is started before the commit, killed from a
 *     "fresh connection" afterwards, and the change stays (also after the window);
 * (b) a write after which no fresh connection gets through: the resource fails with the "reverted" error, and
 *     the device's own background process restored /etc/config/network and reloaded the network.
 * The session and the fresh connection are test seams here (no SSH in this device): the session is what
 * `$SSH_CONNECTION` would say, and "no fresh connection" is a transport whose exec fails like a cut connection.
 * The real cut on the lab host is tests/e2e/lockout-guard-openwrt.test.ts.
 */
import { kind as staticRoute } from "../../../provider/resources/openwrt/static-route";
import type { OpContext } from "../../../provider/resources/kind";
import { LockoutRevertedError } from "../../../provider/resources/lockout";
import {
  managementInterfaces,
  openwrtGuardHooks,
  openwrtOnPath,
  type OpenwrtSession,
} from "../../../provider/openwrt/lockout-guard";
import { parseUciShow } from "../../../provider/openwrt/uci-show-parser";
import type { DeviceTransport } from "../../../provider/transport/types";
import { makeLocalDevice, type LocalDevice } from "./local-device";
import * as fs from "fs";
import * as path from "path";

const session: OpenwrtSession = { client: "192.0.2.50", server: "192.0.2.10", port: 22 };
const WINDOW = 3;

describe("(c) which OpenWrt writes are on the management path", () => {
  const network = parseUciShow(
    [
      "network.mgmt=interface",
      "network.mgmt.proto='static'",
      "network.mgmt.ipaddr='192.0.2.10/24'",
      "network.lan=interface",
      "network.lan.ipaddr='198.51.100.1' '2001:db8::1/64'",
      "network.far=route",
      "network.far.target='203.0.113.0/24'",
      "network.near=route",
      "network.near.target='192.0.2.0/25'",
    ].join("\n") + "\n",
  );
  const mgmt = managementInterfaces(network, session.server);
  const sec = (n: string) => network.find((s) => s.name === n);

  it("finds the interfaces holding the device address (option or list, with or without /len)", () => {
    expect(mgmt).toEqual(["mgmt"]);
    expect(managementInterfaces(network, "198.51.100.1")).toEqual(["lan"]);
  });
  it.each([
    ["the management interface", "network", "mgmt", true],
    ["another interface", "network", "lan", false],
    ["a route away from the client", "network", "far", false],
    ["a route covering the client", "network", "near", true],
    ["a new network section (unknown yet)", "network", "new", true],
    ["any firewall section", "firewall", "wan", true],
    ["dropbear", "dropbear", "main", true],
    ["another package", "bird", "x", false],
  ])("%s", (_l, pkg, name, on) => {
    expect(openwrtOnPath(pkg, pkg === "network" ? sec(name) : undefined, mgmt, session) !== undefined).toBe(on);
  });
});

describe("(a)(b) arm, cancel and revert on the local device", () => {
  let dev: LocalDevice;
  const saved = { ...openwrtGuardHooks };
  let reconnects = 0;
  const ctx = (): OpContext => ({
    transport: dev.transport,
    device: "dlink",
    identity: "site/lab/near",
    label: `openwrt-static-route "site/lab/near" on device "dlink"`,
    adopt: false,
  });
  const route = staticRoute.schema.parse({
    name: "mgmt_client",
    interface: "mgmt",
    target: "192.0.2.50/32",
    gateway: "192.0.2.1",
  });
  const guardDirs = () => fs.readdirSync(path.join(dev.root, "tmp")).filter((f) => f.startsWith("rs-guard-"));

  beforeEach(() => {
    dev = makeLocalDevice("dlink", { busybox: true });
    (dev.transport.spec as { lockoutGuard?: unknown }).lockoutGuard = { windowSeconds: WINDOW };
    dev.uci(
      "batch",
      "set network.mgmt=interface\nset network.mgmt.proto='static'\nset network.mgmt.ipaddr='192.0.2.10/24'\ncommit network\n",
    );
    reconnects = 0;
    Object.assign(openwrtGuardHooks, {
      canReconnect: () => true,
      session: async () => session,
      reconnect: (t: DeviceTransport) => {
        reconnects++;
        return { ...t, close: async () => undefined };
      },
      retryMs: 200,
    });
  });
  afterEach(() => {
    Object.assign(openwrtGuardHooks, saved);
    dev.cleanup();
  });

  it("(a) a write on the path that keeps reachability: armed, cancelled from a new connection, kept after the window", async () => {
    const r = await staticRoute.driver.create(ctx(), route);
    expect(r.id).toBe("network.mgmt_client");
    expect(reconnects).toBe(1);
    expect(guardDirs()).toEqual([]);
    expect(dev.transport.commands.some((c) => c.includes("setsid sh -c"))).toBe(true);
    await new Promise((res) => setTimeout(res, (WINDOW + 1) * 1000));
    expect(dev.uci("get network.mgmt_client.target").trim()).toBe("192.0.2.50/32");
    expect(dev.events()).toEqual(["network reload"]);
  });

  it("(a) a cancel that ran but whose reply was lost counts as cancelled on the next try, not as a revert", async () => {
    let cut = true;
    openwrtGuardHooks.reconnect = (t: DeviceTransport) => {
      reconnects++;
      return {
        ...t,
        exec: async (cmd: string) => {
          const r = await t.exec(cmd);
          if (cut) {
            cut = false;
            throw new Error("connection closed (reply lost)");
          }
          return r;
        },
        close: async () => undefined,
      } as DeviceTransport;
    };
    const r = await staticRoute.driver.create(ctx(), route);
    expect(r.id).toBe("network.mgmt_client");
    expect(reconnects).toBe(2);
    expect(guardDirs()).toEqual([]);
    await new Promise((res) => setTimeout(res, (WINDOW + 1) * 1000));
    expect(dev.uci("get network.mgmt_client.target").trim()).toBe("192.0.2.50/32");
    expect(dev.events()).toEqual(["network reload"]);
  });

  it("(a) a new network section is always guarded; an update of a route away from the client starts nothing", async () => {
    const far = staticRoute.schema.parse({
      name: "far",
      interface: "mgmt",
      target: "203.0.113.0/24",
      gateway: "192.0.2.1",
    });
    const r = await staticRoute.driver.create(ctx(), far);
    const armed = () => dev.transport.commands.filter((c) => c.includes("setsid")).length;
    expect([armed(), reconnects]).toEqual([1, 1]);
    await staticRoute.driver.update(ctx(), r.id, far, { ...far, metric: 30 });
    expect(dev.uci("get network.far.metric").trim()).toBe("30");
    expect([armed(), reconnects]).toEqual([1, 1]);
  });

  it("writes to network in a row ask for the session once (a write cannot change it) and read network again", async () => {
    let asked = 0;
    openwrtGuardHooks.session = async () => {
      asked++;
      return session;
    };
    const far = staticRoute.schema.parse({
      name: "far2",
      interface: "mgmt",
      target: "203.0.113.0/24",
      gateway: "192.0.2.1",
    });
    const r = await staticRoute.driver.create(ctx(), far);
    const reads = () => dev.transport.commands.filter((c) => c.includes("rs_show")).length;
    const before = reads();
    await staticRoute.driver.update(ctx(), r.id, far, { ...far, metric: 30 });
    await staticRoute.driver.update(ctx(), r.id, { ...far, metric: 30 }, { ...far, metric: 40 });
    expect(asked).toBe(1);
    // The path was dropped after each write to network: the package is read again before the next one.
    expect(reads()).toBeGreaterThan(before);
  });

  it("(b) no new connection gets through: the device restores network and reloads by itself; the resource fails saying so", async () => {
    const before = fs.readFileSync(path.join(dev.confDir, "network"), "utf8");
    openwrtGuardHooks.reconnect = (t: DeviceTransport) => ({
      ...t,
      exec: async () => {
        throw new Error(`device "dlink": connection closed during SSH handshake`);
      },
      close: async () => undefined,
    });
    const t0 = Date.now();
    const err = (await staticRoute.driver.create(ctx(), route).catch((e) => e)) as Error;
    expect(err).toBeInstanceOf(LockoutRevertedError);
    expect(err.message).toMatch(
      /the write to network cut the management path \(network section \(new\) can change how 192\.0\.2\.50 is reached\)/,
    );
    expect(err.message).toMatch(/lock-out window of 3 seconds/);
    expect(err.message).toMatch(
      /\/etc\/config\/network was restored as committed before the write and its services reloaded; it is still unreachable/,
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(WINDOW * 1000);
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe(before);
    expect(dev.events()).toEqual(["network reload", "network reload"]);
    // Only the marker the revert leaves for a later cancel (none got through here) to tell "ran" from "cancelled".
    expect(guardDirs()).toEqual([expect.stringMatching(/^rs-guard-[0-9a-f]+\.ran$/)]);
  });
});
