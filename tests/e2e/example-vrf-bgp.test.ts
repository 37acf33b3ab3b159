/**
 * examples/vrf-bgp converges the lab's RouterOS emulator through the test engine and the real dynamic-provider
 * host, with the example's own stack file (Pulumi.lab.yaml, secure private key included) and only the device
 * address overridden: `up` creates every object, a second `up` changes nothing (0 planned steps, 0 device writes),
 * an out-of-band edit of a filter rule is found by `preview --refresh` and put back by `up --refresh`, and
 * `destroy` leaves the device dump as it was before the first `up`. One emulator start for the whole file; the
 * example needs no OpenWrt host, so no root either.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runEngine, type EngineOp, type EngineResult } from "../engine";
import { diffDumps } from "../lab/dump-diff";
import { ed25519KeyPair } from "../lab/keys";
import { startRouterOsEmulator, type RouterOsEmulator } from "../lab/routeros";

const PROGRAM_DIR = path.resolve(__dirname, "..", "..", "examples", "vrf-bgp");
/** The example's lab passphrase, as its Pulumi.lab.yaml says (a lab-only secret). */
const PASSPHRASE = "routerstack-lab";

type Rows = Record<string, unknown>[];

describe("examples/vrf-bgp on the lab's RouterOS emulator", () => {
  let crs: RouterOsEmulator;
  let dir: string;
  let devices: Record<string, unknown>;
  let stateFile: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-e2e-vrf-bgp-"));
    const key = ed25519KeyPair();
    const keyFile = path.join(dir, "id_ed25519");
    fs.writeFileSync(keyFile, key.private, { mode: 0o600 });
    crs = await startRouterOsEmulator({ version: "7.20", port: 0, users: [{ name: "admin", publicKey: key.public }] });
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
    stateFile = path.join(dir, "state.json");
  });

  afterAll(async () => {
    await crs?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function engine(op: EngineOp, refresh = false): Promise<EngineResult> {
    const r = await runEngine(op, {
      programDir: PROGRAM_DIR,
      stack: "lab",
      stateFile,
      refresh,
      passphrase: PASSPHRASE,
      configOverrides: { "routerstack:devices": devices },
    });
    if (!r.ok) throw new Error(`${op} failed:\n${r.errors.join("\n")}\n${r.log.slice(-4000)}`);
    return r;
  }

  const dump = () => ({ crs: crs.dump(), dlink: { uci: "", files: {} } });
  const rows = (menu: string) => crs.dump()[menu] as Rows;

  it("up, a second up that changes nothing, drift found and repaired, destroy that leaves nothing", async () => {
    const before = dump();

    const up = await engine("up");
    const added = diffDumps(before, dump()).filter((d) => d.change === "added");
    // 12 resources, one device object each (wg, peer, vrf, address list, 4 filter rules, instance, template, 2 sessions).
    expect(up.counts.create).toBe(12);
    expect(added).toHaveLength(12);

    const [wg] = rows("/interface/wireguard");
    expect(wg).toMatchObject({
      name: "wg-transit",
      "listen-port": 51820,
      comment: "rs:vrf-bgp/lab/wg-transit transit tunnel",
    });
    // The private key reached the device but is nowhere in plain text in the state.
    expect(fs.readFileSync(stateFile, "utf8")).not.toContain(String(wg["private-key"]));
    // Each kind's __provider is the small lazy require of its stub (DESIGN.md "Pulumi integration").
    const stubs = up.providerStrings
      .map((p) => /require\("routerstack\/sdk\/stubs\/(routeros-[a-z-]+)"\)/.exec(p)?.[1])
      .sort();
    expect(stubs).toEqual([
      "routeros-address-list-entry",
      "routeros-bgp-instance",
      "routeros-bgp-session",
      "routeros-bgp-template",
      "routeros-routing-filter-rule",
      "routeros-vrf",
      "routeros-wireguard-interface",
      "routeros-wireguard-peer",
    ]);
    for (const p of up.providerStrings) expect(Buffer.byteLength(p)).toBeLessThan(1024);
    expect(typeof up.outputs.transitPublicKey).toBe("string");
    expect(up.outputs.transitPublicKey).not.toBe(wg["private-key"]);
    expect(rows("/ip/vrf")).toEqual([expect.objectContaining({ name: "transit", interfaces: "wg-transit" })]);
    expect(rows("/interface/wireguard/peers")).toEqual([
      expect.objectContaining({
        interface: "wg-transit",
        "endpoint-address": "198.51.100.7",
        "endpoint-port": 51820,
        "allowed-address": ["0.0.0.0/0"],
        "persistent-keepalive": 25,
      }),
    ]);
    expect(rows("/ip/firewall/address-list")).toEqual([
      expect.objectContaining({ list: "bgp-exported", address: "203.0.113.0/24" }),
    ]);
    expect(Object.fromEntries(rows("/routing/filter/rule").map((r) => [r.chain, r.rule]))).toEqual({
      "transit-out": "if (dst in 203.0.113.0/24 && dst-len == 24) { accept } else { reject }",
      "transit-in": "if (dst == 0.0.0.0/0) { accept } else { reject }",
      "k8s-in": "if (dst in 203.0.113.64/26 && dst-len == 32) { accept } else { reject }",
      "k8s-out": "reject",
    });
    expect(rows("/routing/bgp/template")).toEqual([
      expect.objectContaining({
        name: "transit",
        as: 64512,
        "input.filter": "transit-in",
        "output.filter-chain": "transit-out",
        "output.network": "bgp-exported",
      }),
    ]);
    const sessions = Object.fromEntries(rows("/routing/bgp/connection").map((r) => [r.name, r]));
    expect(sessions.transit).toMatchObject({
      instance: "main-bgp",
      templates: ["transit"],
      vrf: "transit",
      "remote.as": 65010,
      "local.role": "ebgp",
    });
    expect(sessions["k8s-node"]).toMatchObject({
      instance: "main-bgp",
      "remote.address": "198.51.100.10",
      "remote.as": 64512,
      "input.filter": "k8s-in",
      "local.role": "ibgp",
    });

    const converged = dump();
    const writes = crs.writeLog.length;
    const second = await engine("up");
    expect(second.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, same: 12 });
    expect(crs.writeLog.length - writes).toBe(0);

    crs.outOfBand('/routing/filter/rule/set [find where chain="k8s-in"] rule="accept"');
    const preview = await engine("preview", true);
    expect(preview.drift.map((d) => [d.name, d.diffs])).toEqual([["k8s-in", ["rule"]]]);
    await engine("up", true);
    expect(diffDumps(converged, dump())).toEqual([]);

    await engine("destroy");
    expect(diffDumps(before, dump())).toEqual([]);
  }, 600_000);
});
