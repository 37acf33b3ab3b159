/**
 * The lock-out guard end to end: the test program (./program) through the test engine and the real
 * dynamic-provider host, against a RouterOS emulator listening on 127.0.0.2 that holds 127.0.0.2/8 on ether2 as
 * its management address and only accepts SSH while its reachability model says so
 * (tests/lab/routeros/reachability.ts: a dstnat rule that sends tcp to 127.0.0.2 elsewhere cuts SSH).
 * The change that cuts SSH is a NatRule (the only kind here that can); the guard does not depend on the kind.
 *   (a) a dstnat rule on the management path that keeps SSH (dst-nat to the device itself): the revert job is
 *       armed and cancelled, the rule stays; a second `up` writes nothing;
 *   (b) updating it to send SSH elsewhere: `up` fails with the "reverted" error, and after the 5-second window
 *       the device has the previous rule and accepts SSH again;
 *   (b') creating a rule that cuts SSH: `up` fails, the device removed the rule by itself;
 *   destroy leaves the device as it was before the first `up`.
 * Needs no root (no OpenWrt host); the scheduler's first run one interval after the add is [I].
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ed25519KeyPair } from "../lab/keys";
import { startRouterOsEmulator, type RouterOsEmulator } from "../lab/routeros";
import { runEngine, type EngineOp } from "../engine";
import { PASSPHRASE, PROGRAM_DIR, PROGRAM_ENV, type ResourceSpec } from "./harness";

const MGMT = "127.0.0.2";
const WINDOW = 5;

describe("lock-out guard through the engine (RouterOS emulator with its reachability model)", () => {
  let emu: RouterOsEmulator;
  let dir: string;
  let devices: Record<string, unknown>;
  let baseline: Record<string, unknown[]>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-e2e-guard-"));
    const key = ed25519KeyPair();
    fs.writeFileSync(path.join(dir, "id"), key.private, { mode: 0o600 });
    emu = await startRouterOsEmulator({
      host: MGMT,
      users: [{ name: "admin", publicKey: key.public }],
      managementAddress: MGMT,
    });
    expect(emu.outOfBand(`/ip/address/add address=${MGMT}/8 interface=ether2 comment="management"`)).toBe("");
    devices = {
      crs: {
        platform: "routeros",
        host: MGMT,
        port: emu.port,
        username: "admin",
        privateKeyFile: path.join(dir, "id"),
        hostKeys: [emu.hostKeyFingerprint],
        timeoutSeconds: 5,
        lockoutGuard: { windowSeconds: WINDOW },
      },
    };
    baseline = emu.dump();
  });

  afterAll(async () => {
    await emu?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (op: EngineOp, resources: ResourceSpec[]) =>
    runEngine(op, {
      programDir: PROGRAM_DIR,
      stack: "test",
      stateFile: path.join(dir, "state.json"),
      passphrase: PASSPHRASE,
      env: PROGRAM_ENV,
      configOverrides: { "routerstack:devices": devices, "test:resources": resources },
    });
  const nat = (name: string, args: Record<string, unknown>): ResourceSpec => ({
    platform: "routeros",
    kind: "NatRule",
    name,
    args: { device: "crs", chain: "dstnat", action: "dst-nat", protocol: "tcp", dstAddress: MGMT, ...args },
  });
  const schedulerWrites = () =>
    emu.writeLog.filter((l) => l.startsWith("/system/scheduler/")).map((l) => l.split(" ")[0]);
  const natRows = () => emu.dump()["/ip/firewall/nat"] as Record<string, unknown>[];

  // dst-nat to the device's own SSH port (the emulator's, random): on the path, harmless.
  let keep: ResourceSpec;
  beforeAll(() => {
    keep = nat("ssh", { toAddresses: MGMT, toPorts: String(emu.port), comment: "ssh stays here" });
  });

  it("(a) a change on the path that keeps SSH: armed, cancelled, kept; a second up writes nothing", async () => {
    const r = await run("up", [keep]);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(schedulerWrites()).toEqual(["/system/scheduler/add", "/system/scheduler/remove"]);
    expect(natRows()).toEqual([expect.objectContaining({ "to-addresses": MGMT, "to-ports": String(emu.port) })]);
    expect(emu.dump()["/system/scheduler"]).toEqual([]);
    const writes = emu.writeLog.length;
    const again = await run("up", [keep]);
    expect(again.ok).toBe(true);
    expect(again.counts.same).toBe(1);
    expect(emu.writeLog.length).toBe(writes);
  });

  it("(b) an update that sends SSH elsewhere fails with the reverted error; after the window the device is back", async () => {
    const t0 = Date.now();
    const r = await run("up", [{ ...keep, args: { ...keep.args, toAddresses: "192.0.2.3" } }]);
    expect(r.ok).toBe(false);
    const msg = r.errors.join("\n");
    expect(msg).toMatch(/cut the management path \(a dstnat rule that can match the SSH session\)/);
    expect(msg).toMatch(/device "crs" \(127\.0\.0\.2:\d+\)/);
    expect(msg).toMatch(/lock-out window of 5 seconds/);
    expect(msg).toMatch(
      /reverted the change by itself: \/ip\/firewall\/nat \*[0-9A-F]+ got its previous to-addresses back; it is reachable again/,
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(WINDOW * 1000);
    expect(emu.unreachableLog.some((w) => /redirected by a dstnat rule \(dst-nat to 192\.0\.2\.3:\d+\)/.test(w))).toBe(
      true,
    );
    expect(natRows()).toEqual([expect.objectContaining({ "to-addresses": MGMT, "to-ports": String(emu.port) })]);
    expect(emu.dump()["/system/scheduler"]).toEqual([]);
    // The state still holds the old rule, which is what the device has: the next up is a no-op.
    const again = await run("up", [keep]);
    expect(again.ok).toBe(true);
    expect(again.counts.same).toBe(1);
  });

  it("(b') a create that cuts SSH fails; the device removed the new rule by itself; destroy restores the baseline", async () => {
    const d = await run("destroy", [keep]);
    expect(d.ok).toBe(true);
    const r = await run("up", [nat("hijack", { toAddresses: "192.0.2.3" })]);
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toMatch(/the item added to \/ip\/firewall\/nat was removed; it is reachable again/);
    expect(natRows()).toEqual([]);
    const gone = await run("destroy", []);
    expect(gone.ok).toBe(true);
    expect(emu.dump()).toEqual(baseline);
  });
});
