/**
 * The RouterOS lock-out guard (provider/routeros/lockout-guard.ts):
 * (c) what is considered the management path, and the revert built for each kind of change (pure functions);
 * (a) a guarded change that keeps reachability: the revert job is armed, cancelled from a fresh connection, and
 *     the change is kept;
 * (b) a change that cuts reachability: the resource fails with the "reverted" error and, after the window, the
 *     device holds the previous values and accepts SSH again.
 * (a) and (b) run against the lab emulator over real SSH on 127.0.0.2, with its reachability model
 * (tests/lab/routeros/reachability.ts) and its scheduler running jobs on real timers (scheduler.ts). The
 * scheduler's "no start-time = first run one interval after the add" is [I] (not in routeros-cli.md).
 * The kinds under test are a minimal `/ip/address` kind defined here on the generic engine (no IpAddress kind
 * exists yet); the guard hooks into the engine, not into kinds.
 */
import { z } from "zod";
import { utils } from "ssh2";
import { startRouterOsEmulator, type RouterOsEmulator } from "../../lab/routeros";
import { createConsole } from "../../lab/routeros/cli";
import { sshReachable } from "../../lab/routeros/reachability";
import type { OpContext } from "../../../provider/resources/kind";
import { interfaceName } from "../../../provider/resources/common";
import { disabled, userComment } from "../../../provider/resources/routeros/fields";
import { routerosKind } from "../../../provider/routeros/menu-engine";
import { prop } from "../../../provider/routeros/property-types";
import { clearVersionCache } from "../../../provider/routeros/version";
import {
  LockoutRevertedError,
  onManagementPath,
  pathFrom,
  rowOnPath,
  undoCommands,
  type GuardedChange,
  type ManagementPath,
} from "../../../provider/routeros/lockout-guard";
import { openDevice } from "../../../provider/transport";
import { deviceConfigSchema } from "../../../provider/dynamic/devices";
import { TransportError, type DeviceTransport } from "../../../provider/transport/types";

// ---- (c) the management path ---------------------------------------------------------------------------------

const ADDRESSES = [
  { ".id": "*1", address: "192.0.2.1/29", interface: "vlan6", disabled: false },
  { ".id": "*2", address: "198.51.100.1/24", interface: "ether2", disabled: false },
];
/** Session 203.0.113.7 → 198.51.100.1:22: the client is remote (not on a connected network). */
const path = pathFrom("198.51.100.1", "203.0.113.7", 22, ADDRESSES)!;
/** Same device, client on the connected 198.51.100.0/24. */
const localPath = pathFrom("198.51.100.1", "198.51.100.50", 22, ADDRESSES)!;

describe("(c) what is on the management path", () => {
  it("is undetermined when no /ip/address holds the address the session connects to (NAT, port-forward)", () => {
    expect(pathFrom("203.0.113.1", "203.0.113.7", 22, ADDRESSES)).toBeUndefined();
    expect(path.interfaces).toEqual(["ether2"]);
  });

  const cases: [string, string, Record<string, unknown>, ManagementPath, boolean][] = [
    ["the address holding S", "/ip/address", { address: "198.51.100.1/24", interface: "ether2" }, path, true],
    ["another address", "/ip/address", { address: "192.0.2.1/29", interface: "vlan6" }, path, false],
    [
      "a default route, remote client",
      "/ip/route",
      { "dst-address": "0.0.0.0/0", gateway: "198.51.100.254" },
      path,
      true,
    ],
    [
      "a default route, client on a connected network",
      "/ip/route",
      { "dst-address": "0.0.0.0/0", gateway: "198.51.100.254" },
      localPath,
      false,
    ],
    [
      "a /32 to the client beats the connected /24",
      "/ip/route",
      { "dst-address": "198.51.100.50/32", gateway: "192.0.2.2" },
      localPath,
      true,
    ],
    ["a route elsewhere", "/ip/route", { "dst-address": "10.0.0.0/8", gateway: "192.0.2.2" }, path, false],
    [
      "a route in another table",
      "/ip/route",
      { "dst-address": "0.0.0.0/0", gateway: "192.0.2.2", "routing-table": "wan2" },
      path,
      false,
    ],
    ["an input drop of everything", "/ip/firewall/filter", { chain: "input", action: "drop" }, path, true],
    ["an input rule for udp", "/ip/firewall/filter", { chain: "input", protocol: "udp", action: "drop" }, path, false],
    [
      "an input rule for port 80",
      "/ip/firewall/filter",
      { chain: "input", protocol: "tcp", "dst-port": "80,443", action: "drop" },
      path,
      false,
    ],
    [
      "an input rule for port 22 from the client's /24",
      "/ip/firewall/filter",
      { chain: "input", protocol: "tcp", "dst-port": "22", "src-address": "203.0.113.0/24" },
      path,
      true,
    ],
    [
      "an input rule from elsewhere",
      "/ip/firewall/filter",
      { chain: "input", "src-address": "192.0.2.0/24", action: "drop" },
      path,
      false,
    ],
    [
      "an input rule on another interface",
      "/ip/firewall/filter",
      { chain: "input", "in-interface": "vlan6", action: "drop" },
      path,
      false,
    ],
    [
      "an input rule with an address list (cannot tell)",
      "/ip/firewall/filter",
      { chain: "input", "src-address-list": "bad", action: "drop" },
      path,
      true,
    ],
    ["a forward rule", "/ip/firewall/filter", { chain: "forward", action: "drop" }, path, false],
    [
      "a dstnat of port 22",
      "/ip/firewall/nat",
      { chain: "dstnat", protocol: "tcp", "dst-port": "22", action: "dst-nat", "to-addresses": "192.0.2.2" },
      path,
      true,
    ],
    ["a srcnat masquerade", "/ip/firewall/nat", { chain: "srcnat", action: "masquerade" }, path, false],
    ["the interface holding S", "/interface/ethernet", { name: "ether2" }, path, true],
    ["another interface", "/interface/vlan", { name: "vlan6" }, path, false],
    ["a BGP connection", "/routing/bgp/connection", { name: "x" }, path, false],
  ];
  it.each(cases)("%s", (_l, menu, row, p, on) => {
    expect(rowOnPath(menu, row, p) !== undefined).toBe(on);
  });

  it("judges a set by the item before AND after: moving the route away from the client is guarded, towards it too", () => {
    const props = {};
    const away: GuardedChange = {
      menu: "/ip/route",
      verb: "set",
      before: { ".id": "*5", "dst-address": "0.0.0.0/0" },
      args: [{ kind: "value", prop: "dst-address", value: "10.0.0.0/8" }],
      props,
    };
    const towards: GuardedChange = {
      menu: "/ip/route",
      verb: "set",
      before: { ".id": "*5", "dst-address": "10.0.0.0/8" },
      args: [{ kind: "value", prop: "dst-address", value: "0.0.0.0/0" }],
      props,
    };
    const elsewhere: GuardedChange = {
      menu: "/ip/route",
      verb: "set",
      before: { ".id": "*5", "dst-address": "10.0.0.0/8" },
      args: [{ kind: "value", prop: "distance", value: 3 }],
      props,
    };
    expect(onManagementPath(away, path)).toMatch(/route 0.0.0.0\/0/);
    expect(onManagementPath(towards, path)).toMatch(/route 0.0.0.0\/0/);
    expect(onManagementPath(elsewhere, path)).toBeUndefined();
  });

  it("builds the revert: set back (unset what was unset), remove an add by its identity comment, add a removal back", () => {
    const props = {
      address: prop.text("address"),
      interface: prop.text("interface"),
      disabled: prop.bool("disabled"),
      network: prop.text("network"),
    };
    const before = {
      ".id": "*2",
      address: "198.51.100.1/24",
      interface: "ether2",
      disabled: false,
      comment: "rs:site/prod/mgmt lab",
    };
    const set = undoCommands({
      menu: "/ip/address",
      verb: "set",
      before,
      args: [
        { kind: "value", prop: "disabled", value: true },
        { kind: "value", prop: "network", value: "198.51.100.0" },
      ],
      props,
    });
    expect(set.map((c) => c.text)).toEqual(['/ip/address/set *2 disabled="no" !network']);
    const add = undoCommands({ menu: "/ip/address", verb: "add", args: [], addedComment: "rs:site/prod/x", props });
    expect(add.map((c) => c.text)).toEqual(['/ip/address/remove [/ip/address/find where comment="rs:site/prod/x"]']);
    const rm = undoCommands({ menu: "/ip/address", verb: "remove", before, props });
    expect(rm.map((c) => c.text)).toEqual([
      '/ip/address/add address="198.51.100.1/24" interface="ether2" disabled="no" comment="rs:site/prod/mgmt lab"',
    ]);
  });
});

// ---- (a), (b) in the lab ---------------------------------------------------------------------------------------

/** A minimal `/ip/address` kind on the generic engine, for exercising the guard (no IpAddress kind exists yet). */
const ipAddress = routerosKind({
  name: "test-ip-address",
  docs: "https://help.mikrotik.com/docs/display/ROS/IP+Addressing",
  schema: z
    .object({ address: z.string(), interface: interfaceName, comment: userComment.optional(), disabled })
    .strict(),
  menu: "/ip/address",
  identity: { by: "comment" },
  commentField: "comment",
  props: { address: prop.text("address"), interface: prop.text("interface"), disabled: prop.bool("disabled") },
  replaceOn: [],
  deleteBeforeReplace: false,
});

const MGMT = "127.0.0.2";
const WINDOW = 3;
const userKey = utils.generateKeyPairSync("ed25519");

// Every run under each [I] variation that bears on the guard: the default scheduler; a job added without
// start-time running at once (the guard sets an explicit start so it does not matter); a job anchored when its
// exec line ends rather than by its `add`; and a cut ending the connections already open, not only new ones.
describe.each([
  ["default scheduler", {}],
  ["variation: a job without start-time runs at once", { schedulerRunsAtOnce: true }],
  ["variation: a job is anchored when its exec line ends", { schedulerAnchoredAtLineEnd: true }],
  ["variation: a cut also ends the connections already open", { cutEndsLiveSessions: true }],
] as const)("(a)(b) the guard in the lab: emulator over SSH with its reachability model (%s)", (_name, variation) => {
  let emu: RouterOsEmulator;
  let transport: DeviceTransport;
  let ctx: OpContext;
  const inputs = ipAddress.schema.parse({ address: `${MGMT}/8`, interface: "ether2", comment: "management" });

  beforeEach(async () => {
    clearVersionCache();
    emu = await startRouterOsEmulator({
      host: MGMT,
      users: [{ name: "admin", publicKey: userKey.public }],
      managementAddress: MGMT,
      variation,
    });
    // The management address exists already, tagged as this stack's (as after an earlier `up`).
    expect(
      emu.outOfBand(`/ip/address/add address=${MGMT}/8 interface=ether2 comment="rs:site/prod/mgmt management"`),
    ).toBe("");
    transport = openDevice({
      name: "crs",
      platform: "routeros",
      host: MGMT,
      port: emu.port,
      username: "admin",
      privateKey: userKey.private,
      hostKeys: [emu.hostKeyFingerprint],
      timeoutSeconds: 5,
      lockoutGuard: { windowSeconds: WINDOW },
    });
    ctx = {
      transport,
      device: "crs",
      identity: "site/prod/mgmt",
      label: `test-ip-address "site/prod/mgmt" on device "crs"`,
      adopt: false,
    };
  });

  afterEach(async () => {
    await transport.close();
    await emu.stop();
  });

  const schedulerWrites = () => emu.writeLog.filter((l) => l.startsWith("/system/scheduler/"));

  it("(a) a change on the path that keeps SSH reachable: revert armed, cancelled on a fresh connection, change kept", async () => {
    const news = { ...inputs, interface: "ether3" };
    const res = await ipAddress.driver.update(ctx, "*1", inputs, news);
    expect(res.observed.inputs.interface).toBe("ether3");
    expect(schedulerWrites().map((l) => l.split(" ")[0])).toEqual([
      "/system/scheduler/add",
      "/system/scheduler/remove",
    ]);
    expect(schedulerWrites()[0]).toMatch(/start-date="\d{4}-\d{2}-\d{2}" start-time="\d{2}:\d{2}:\d{2}" interval="3s"/);
    expect(emu.dump()["/system/scheduler"]).toEqual([]);
    // The cancel went over a connection of its own: the emulator saw more handshakes than the transport made.
    expect(emu.stats().handshakes).toBeGreaterThan(transport.stats().handshakes);
    await new Promise((r) => setTimeout(r, (WINDOW + 1) * 1000));
    expect(emu.schedulerRuns).toEqual([]);
    expect(emu.outOfBand(`:put [/ip/address/get [find where address="${MGMT}/8"] interface]`)).toBe("ether3\r\n");
  });

  it("an arm whose reply was lost is withdrawn: no revert is left to undo the change a retry makes", async () => {
    // The scheduler add runs on the device, then its reply is lost (as when a connection is cut after the command).
    let lost = false;
    const lossy = new Proxy(transport, {
      get(t, p) {
        if (p === "exec") {
          return async (command: string, opts?: unknown) => {
            const r = await t.exec(command, opts as never);
            if (!lost && command.includes("/system/scheduler/add")) {
              lost = true;
              throw new TransportError(`device "crs": connection closed before the reply`, "crs", "closed");
            }
            return r;
          };
        }
        const v = Reflect.get(t, p);
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
    const news = { ...inputs, interface: "ether3" };
    await expect(ipAddress.driver.update({ ...ctx, transport: lossy }, "*1", inputs, news)).rejects.toThrow(
      /connection closed before the reply/,
    );
    expect(lost).toBe(true);
    expect(emu.dump()["/system/scheduler"]).toEqual([]);
    // The retry (the next up) makes the change; nothing armed earlier undoes it after the window.
    await ipAddress.driver.update(ctx, "*1", inputs, news);
    await new Promise((r) => setTimeout(r, (WINDOW + 1.5) * 1000));
    expect(emu.schedulerRuns).toEqual([]);
    expect(emu.outOfBand(`:put [/ip/address/get [find where address="${MGMT}/8"] interface]`)).toBe("ether3\r\n");
  });

  it("(a) a change off the path arms nothing", async () => {
    const other = ipAddress.schema.parse({ address: "198.51.100.1/24", interface: "ether4" });
    const octx = { ...ctx, identity: "site/prod/other" };
    await ipAddress.driver.create(octx, other);
    await ipAddress.driver.update(octx, "*2", other, { ...other, disabled: true });
    await ipAddress.driver.delete(octx, "*2", other);
    expect(schedulerWrites()).toEqual([]);
  });

  it("(b) a change that cuts SSH: the resource fails with the reverted error; after the window the device is back as before", async () => {
    const t0 = Date.now();
    const cut = ipAddress.driver.update(ctx, "*1", inputs, { ...inputs, disabled: true });
    await expect(cut).rejects.toThrow(LockoutRevertedError);
    const err = (await cut.catch((e) => e)) as Error;
    expect(err.message).toMatch(/device "crs" \(127\.0\.0\.2:\d+\)/);
    expect(err.message).toMatch(/lock-out window of 3 seconds/);
    expect(err.message).toMatch(
      /reverted the change by itself: \/ip\/address \*[0-9A-F]+ got its previous disabled back; it is reachable again/,
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(WINDOW * 1000);
    expect(emu.unreachableLog.some((w) => /no enabled \/ip\/address holds 127\.0\.0\.2/.test(w))).toBe(true);
    expect(emu.schedulerRuns.map((r) => r.output)).toEqual([""]);
    expect(emu.dump()["/system/scheduler"]).toEqual([]);
    // Previous values, and SSH works again: a read through the provider succeeds.
    const read = await ipAddress.driver.read(ctx, "*1", inputs);
    expect(read?.observed.inputs).toEqual(inputs);
  });

  it("(b) deleting the management address is reverted by adding it back with its properties", async () => {
    await expect(ipAddress.driver.delete(ctx, "*1", inputs)).rejects.toThrow(/was added back; it is reachable again/);
    const read = await ipAddress.driver.read(ctx, "*1", inputs);
    expect(read?.observed.inputs).toEqual(inputs);
  });

  it("the guard is off with lockoutGuard: false: the cut goes through unguarded", async () => {
    const off = openDevice({ ...transport.spec, lockoutGuard: false });
    try {
      const octx = { ...ctx, transport: off };
      const update = ipAddress.driver.update(octx, "*1", inputs, { ...inputs, disabled: true });
      // The read-back rides on the set's line, so the update reports what that line saw — unless the cut ended
      // the connection under it, which loses the reply.
      if ("cutEndsLiveSessions" in variation) await expect(update).rejects.toThrow(/update failed/);
      else expect((await update).observed.inputs.disabled).toBe(true);
      expect(schedulerWrites()).toEqual([]);
      await expect(off.exec(":put ok")).rejects.toThrow(TransportError);
      expect(emu.outOfBand(`:put [/ip/address/get [find where address="${MGMT}/8"] disabled]`)).toBe("true\r\n");
    } finally {
      await off.close();
    }
  });
});

// ---- the emulator's reachability model (tests/lab/routeros/reachability.ts) ----------------------------------

describe("the emulator's reachability model", () => {
  const reach = (lines: string[]) => {
    const c = createConsole({ startingConfig: "empty" });
    for (const l of lines) expect(c.run(l)).toBe("");
    return sshReachable(c.state, MGMT, 22, "127.0.0.1");
  };
  const addr = `/ip/address/add address=${MGMT}/8 interface=ether2`;
  it.each([
    ["no address", [], false, /no enabled \/ip\/address/],
    ["the address", [addr], true, /reachable/],
    ["the address disabled", [`${addr} disabled=yes`], false, /no enabled/],
    ["its interface disabled", [addr, "/interface/ethernet/disable ether2"], false, /interface ether2/],
    [
      "input drop of tcp 22",
      [addr, "/ip/firewall/filter/add chain=input protocol=tcp dst-port=22 action=drop"],
      false,
      /dropped/,
    ],
    [
      "input accept before the drop",
      [
        addr,
        "/ip/firewall/filter/add chain=input src-address=127.0.0.1 action=accept",
        "/ip/firewall/filter/add chain=input action=drop",
      ],
      true,
      /accepted/,
    ],
    ["input drop of udp", [addr, "/ip/firewall/filter/add chain=input protocol=udp action=drop"], true, /reachable/],
    [
      "dstnat elsewhere",
      [addr, "/ip/firewall/nat/add chain=dstnat protocol=tcp action=dst-nat to-addresses=192.0.2.3"],
      false,
      /redirected/,
    ],
    [
      "dstnat of another port",
      [addr, "/ip/firewall/nat/add chain=dstnat protocol=tcp dst-port=80 action=dst-nat to-addresses=192.0.2.3"],
      true,
      /reachable/,
    ],
  ])("%s", (_l, lines, ok, why) => {
    const r = reach(lines as string[]);
    expect(r.ok).toBe(ok);
    expect(r.why).toMatch(why);
  });
});

describe("lockoutGuard in routerstack:devices", () => {
  const base = {
    platform: "routeros",
    host: "192.0.2.1",
    username: "admin",
    password: "x",
    insecureSkipHostKeyCheck: true,
  };
  it("defaults to on (unset), takes a window in whole seconds or false", () => {
    expect(deviceConfigSchema.parse(base).lockoutGuard).toBeUndefined();
    expect(deviceConfigSchema.parse({ ...base, lockoutGuard: {} }).lockoutGuard).toEqual({ windowSeconds: 60 });
    expect(deviceConfigSchema.parse({ ...base, lockoutGuard: false }).lockoutGuard).toBe(false);
  });
  it.each([
    [{ windowSeconds: 1 }, /3/],
    [{ windowSeconds: 1.5 }, /int/i],
    [{ window: 60 }, /unrecognized|window/i],
    [true, /false|object/i],
  ])("refuses %j naming lockoutGuard", (g, why) => {
    const r = deviceConfigSchema.safeParse({ ...base, lockoutGuard: g });
    expect(r.success).toBe(false);
    expect(r.error!.issues.some((i) => i.path[0] === "lockoutGuard")).toBe(true);
    expect(JSON.stringify(r.error!.issues)).toMatch(why);
  });
});
