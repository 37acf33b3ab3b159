/**
 * examples/l2tp-backup converges the lab's RouterOS emulator: the example program itself (its Pulumi.yaml and
 * Pulumi.lab.yaml, with `routerstack:devices` pointed at this run's emulator) through the test engine and the real
 * dynamic-provider host: `up` creates every object; a second `up` plans nothing and writes nothing; an
 * out-of-band edit of the PPP profile's script is seen by `preview --refresh` and put back by `up`; `destroy`
 * leaves the device as it was (dump diff empty). Only the RouterOS emulator is started (no OpenWrt host), so the
 * test needs no root and takes one emulator start.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startRouterOsEmulator, type RouterOsEmulator } from "../lab/routeros";
import { ed25519KeyPair } from "../lab/keys";
import { diffDumps } from "../lab/dump-diff";
import type { LabDump } from "../lab/lab";
import { runEngine, type EngineOp, type EngineResult } from "../engine";

const EXAMPLE = path.resolve(__dirname, "..", "..", "examples", "l2tp-backup");
const COMPONENT = path.resolve(__dirname, "..", "..", "examples", "l2tp-backup-component");
/** The example's resources, by kind, as declared in its index.ts. */
const DECLARED = 17;

let dir = "";
let crs: RouterOsEmulator;
let devices: Record<string, unknown>;

const dump = (): LabDump => ({ crs: crs.dump(), dlink: { uci: "", files: {} } });
const rows = (menu: string) => crs.dump()[menu] as Record<string, unknown>[];
const tagged = (menu: string, user: string) =>
  rows(menu).filter(
    (r) => String(r.comment ?? "").endsWith(` ${user}`) && String(r.comment).startsWith("rs:l2tp-backup/lab/"),
  );

/** The hand-written program's converged dump, which the component's must equal. */
let handWritten: LabDump | undefined;

/**
 * A dump with routerstack's identity tags (`rs:<project>/<stack>/<resource name>`, which differ between the two
 * programs) set aside; the rest of each comment, and every other property, is compared.
 */
function identitiesAside(d: LabDump): LabDump {
  const crsDump = Object.fromEntries(
    Object.entries(d.crs).map(([menu, items]) => [
      menu,
      (items as Record<string, unknown>[]).map((r) =>
        typeof r.comment === "string" ? { ...r, comment: r.comment.replace(/^rs:\S+/, "rs:<identity>") } : r,
      ),
    ]),
  );
  return { ...d, crs: crsDump };
}

async function engine(op: EngineOp, refresh = false, programDir = EXAMPLE): Promise<EngineResult> {
  const r = await runEngine(op, {
    programDir,
    stack: "lab",
    stateFile: path.join(dir, `${path.basename(programDir)}.state.json`),
    refresh,
    passphrase: "routerstack-lab",
    configOverrides: { "routerstack:devices": devices },
  });
  if (!r.ok) throw new Error(`${op} failed:\n${r.errors.join("\n")}\n${r.log.slice(-3000)}`);
  return r;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-e2e-l2tp-"));
  const key = ed25519KeyPair();
  const keyFile = path.join(dir, "id_ed25519");
  fs.writeFileSync(keyFile, key.private, { mode: 0o600 });
  crs = await startRouterOsEmulator({ port: 0, users: [{ name: "admin", publicKey: key.public }] });
  const knownHosts = path.join(dir, "known_hosts");
  fs.writeFileSync(knownHosts, `[${crs.host}]:${crs.port} ${crs.hostPublicKey}\n`);
  devices = {
    crs: {
      platform: "routeros",
      host: crs.host,
      port: crs.port,
      username: "admin",
      privateKeyFile: keyFile,
      knownHostsFile: knownHosts,
    },
  };
});

afterAll(async () => {
  await crs?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("examples/l2tp-backup: up converges, a second up changes nothing, drift is restored, destroy leaves nothing", async () => {
  const before = dump();

  const up = await engine("up");
  expect(up.counts.create).toBe(DECLARED);
  const converged = dump();
  handWritten = converged;
  const added = diffDumps(before, converged);
  expect(added.filter((d) => d.change !== "added")).toEqual([]);
  expect(added).toHaveLength(DECLARED);

  // What the site depends on, as the device holds it.
  const [profile] = rows("/ppp/profile").filter((r) => r.name === "l2tp-backup");
  expect(profile).toMatchObject({
    "local-address": "198.51.100.250",
    "remote-address": "198.51.100.249",
    "use-encryption": "required",
    "on-up": ':log info "l2tp-backup up: the public block can fail over"',
  });
  expect(rows("/interface/l2tp-client")).toMatchObject([
    { name: "l2tp-backup", "connect-to": "203.0.113.1", profile: "l2tp-backup", password: "lab-tunnel-secret" },
  ]);
  expect(rows("/interface/pppoe-client").find((r) => r.name === "pppoe-wan2")).toMatchObject({
    interface: "vlan35",
    password: "lab-backup-secret",
  });
  expect(rows("/interface/vlan").find((r) => r.name === "vlan35")).toMatchObject({
    "vlan-id": 35,
    interface: "ether2",
  });
  expect(tagged("/routing/rule", "l2tp endpoint via backup")).toMatchObject([
    { "dst-address": "203.0.113.1/32", action: "lookup-only-in-table", table: "wan2-force" },
  ]);
  expect(tagged("/routing/rule", "health check via primary")).toMatchObject([
    { "dst-address": "203.0.113.10/32", table: "wan1-force" },
  ]);
  expect(tagged("/ip/firewall/nat", "rip-cord: direct-backup subnet out of the backup link")).toMatchObject([
    { action: "masquerade", "src-address": "192.0.2.128/26", "out-interface": "pppoe-wan2" },
  ]);
  expect(tagged("/ip/address", "public block")).toMatchObject([{ address: "198.51.100.65/29", interface: "bridge" }]);

  const writes = crs.writeLog.length;
  const second = await engine("up");
  expect(second.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, same: DECLARED });
  expect(crs.writeLog.length).toBe(writes);

  expect(crs.outOfBand('/ppp/profile/set [find where name="l2tp-backup"] on-up=":log info tampered"')).toBe("");
  const preview = await engine("preview", true);
  expect(preview.drift.map((d) => [d.name, d.diffs])).toEqual([["l2tp-backup-profile", ["onUp"]]]);
  await engine("up", true);
  expect(diffDumps(converged, dump())).toEqual([]);

  await engine("destroy");
  expect(diffDumps(before, dump())).toEqual([]);
});

test("the L2tpBackup component converges the router to the same state as the hand-written program", async () => {
  // Runs after the test above, which leaves the device as it found it and records its converged dump.
  expect(handWritten).toBeDefined();
  const before = dump();
  const up = await engine("up", false, COMPONENT);
  expect(up.counts.create).toBe(DECLARED);
  expect(up.outputs).toMatchObject({ backupInterface: "pppoe-wan2", tunnelInterface: "l2tp-backup" });
  const converged = dump();
  expect(diffDumps(identitiesAside(handWritten!), identitiesAside(converged))).toEqual([]);
  // The identity tags themselves differ (another project, other resource names), so the comparison above did
  // set something aside.
  expect(diffDumps(handWritten!, converged)).not.toEqual([]);

  const writes = crs.writeLog.length;
  const second = await engine("up", false, COMPONENT);
  expect(second.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
  expect(crs.writeLog.length).toBe(writes);

  expect(crs.outOfBand('/ppp/profile/set [find where name="l2tp-backup"] on-up=":log info tampered"')).toBe("");
  const preview = await engine("preview", true, COMPONENT);
  expect(preview.drift.map((d) => [d.name, d.diffs])).toEqual([["site-profile", ["onUp"]]]);
  await engine("up", true, COMPONENT);
  expect(diffDumps(converged, dump())).toEqual([]);

  const d = await engine("destroy", false, COMPONENT);
  expect(d.counts.delete).toBe(DECLARED);
  expect(diffDumps(before, dump())).toEqual([]);
});
