/**
 * Issue 14 (High): adoption must not put secrets in plain text into the Pulumi resource id, the plain outputs
 * (`observed`), the preview's `adoption.changes` or the command log. Driven through the dynamic provider
 * (provider/dynamic/provider-factory.ts), as Pulumi drives it, against the local uci stand-in and the host's BIRD:
 * - a `UciSection` adopting a `wifi-iface` whose `key` is a secret by convention (the importer's own path for
 *   sections no typed kind matches);
 * - an adopted BIRD file holding `password "…"`: its content is secret, in the id, the outputs and the command
 *   log of its backup and restore.
 * The adoption record goes to the secret output `adoptionRecord`; the Pulumi id only says `#adopted`.
 * Ids written before (`#adopted=<base64url JSON>`, in users' state) are still read (migration).
 */
import * as fs from "fs";
import * as path from "path";
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { kind as uciSection } from "../../../provider/resources/openwrt/uci-section";
import { kind as birdStatic } from "../../../provider/resources/openwrt/bird-static";
import { openwrtSettings } from "../../../provider/openwrt/settings";
import { formatCommandLogLine } from "../../../provider/transport/command-log";
import type { ExecOptions } from "../../../provider/transport/types";
import { makeLocalDevice, type LocalDevice } from "./local-device";

/** Outputs that the SDK lists in `additionalSecretOutputs` (sdk/resource.ts): Pulumi encrypts them in state. */
const SECRET_OUTPUTS = ["secretHashes", "adoptionRecord", "adoptedOriginal"];

let dev: LocalDevice;
let spy: jest.SpyInstance;
/** The command log as the transport would write it (command-log.ts), with each exec's own `secrets`. */
let logLines: string[];

beforeEach(() => {
  dev = makeLocalDevice();
  fs.writeFileSync(path.join(dev.confDir, "wireless"), "");
  logLines = [];
  const exec = dev.transport.exec.bind(dev.transport);
  dev.transport.exec = (command: string, opts?: ExecOptions) => {
    logLines.push(
      formatCommandLogLine(
        { startedAt: 0, device: "dlink", mode: "per-exec", command, stdin: opts?.stdin, durationMs: 0, outcome: "ok" },
        opts?.secrets ?? [],
      ),
    );
    return exec(command, opts);
  };
  spy = jest.spyOn(devices, "transportFor").mockReturnValue(dev.transport);
});
afterEach(() => {
  spy.mockRestore();
  dev.cleanup();
});

/** Every spelling of `secret` that would give it away: plain, and inside any base64url/base64 run of the text. */
function leaks(text: string, secret: string): boolean {
  if (text.includes(secret)) return true;
  for (const run of text.match(/[A-Za-z0-9_+/=-]{12,}/g) ?? []) {
    for (const enc of ["base64url", "base64"] as const) {
      if (Buffer.from(run, enc).toString("utf8").includes(secret)) return true;
    }
  }
  return false;
}

function plainOutputs(outs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outs).filter(([k]) => !SECRET_OUTPUTS.includes(k)));
}

describe("UciSection adopting a wifi-iface with a key", () => {
  const ORIGINAL_KEY = "OrigKey-7f3a9d";
  const DECLARED_KEY = "NewKey-2b8c1e";
  const handMade = () =>
    dev.uci(
      "batch",
      `set wireless.wifinet0=wifi-iface\nset wireless.wifinet0.ssid='lab'\nset wireless.wifinet0.encryption='psk2'\nset wireless.wifinet0.key='${ORIGINAL_KEY}'\nset wireless.wifinet0.mode='ap'\ncommit wireless\n`,
    );
  const raw = (key: string) => ({
    device: "dlink",
    identity: "site/lab/wifi",
    adopt: true,
    package: "wireless",
    name: "wifinet0",
    type: "wifi-iface",
    options: { ssid: "lab", encryption: "psk2", key, mode: "ap" },
  });

  it("the preview masks the key; the id, plain outputs and command log hold neither key; destroy restores the rest", async () => {
    handMade();
    const before = fs.readFileSync(path.join(dev.confDir, "wireless"), "utf8");
    const p = makeProvider(uciSection);
    const checked = await p.check({}, raw(DECLARED_KEY));
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.adoption).toEqual({ found: "wireless.wifinet0", changes: { key: "(secret) → (secret)" } });
    expect(leaks(JSON.stringify(checked.inputs.adoption), ORIGINAL_KEY)).toBe(false);

    const created = await p.create(checked.inputs);
    expect(created.id).toBe("wireless.wifinet0#adopted");
    for (const s of [ORIGINAL_KEY, DECLARED_KEY]) {
      expect(leaks(created.id, s)).toBe(false);
      expect(leaks(JSON.stringify((created.outs as Record<string, unknown>).observed), s)).toBe(false);
    }
    expect(leaks(JSON.stringify(plainOutputs(created.outs)), ORIGINAL_KEY)).toBe(false);
    expect(dev.uci("get wireless.wifinet0.key").trim()).toBe(DECLARED_KEY);

    const read = await p.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(
      leaks(JSON.stringify(read.id) + JSON.stringify((read.props as Record<string, unknown>).observed), ORIGINAL_KEY),
    ).toBe(false);
    // Refresh does not show the record as drift.
    const d = await p.diff(created.id, read.props as Record<string, unknown>, checked.inputs);
    expect(d.changes).toBe(false);

    await p.delete(created.id, created.outs);
    for (const line of logLines) {
      expect(leaks(line, ORIGINAL_KEY)).toBe(false);
      expect(leaks(line, DECLARED_KEY)).toBe(false);
    }
    // The record never held the key: destroy puts every other option back and leaves the key as declared.
    expect(fs.readFileSync(path.join(dev.confDir, "wireless"), "utf8")).toBe(
      before.replace(ORIGINAL_KEY, DECLARED_KEY),
    );
  });

  it("conventional secret option names are masked by default; secretOptions adds more", async () => {
    dev.uci(
      "batch",
      "set network.vpn=interface\nset network.vpn.proto='wireguard'\nset network.vpn.private_key='WgPriv-1a2b3c'\nset network.vpn.psk='Psk-4d5e6f'\nset network.vpn.token='Tok-778899'\ncommit network\n",
    );
    const p = makeProvider(uciSection);
    const checked = await p.check(
      {},
      {
        device: "dlink",
        identity: "site/lab/vpn",
        adopt: true,
        package: "network",
        name: "vpn",
        type: "interface",
        options: { proto: "wireguard", private_key: "WgPriv-000000", psk: "Psk-000000", token: "Tok-000000" },
        secretOptions: ["private_key"],
      },
    );
    expect(checked.failures).toEqual([]);
    const text = JSON.stringify(checked.inputs.adoption);
    for (const s of ["WgPriv-1a2b3c", "Psk-4d5e6f", "Tok-778899", "WgPriv-000000", "Psk-000000", "Tok-000000"])
      expect(text).not.toContain(s);
    expect(checked.inputs.adoption).toEqual({
      found: "network.vpn",
      changes: { private_key: "(secret) → (secret)", psk: "(secret) → (secret)", token: "(secret) → (secret)" },
    });
  });
});

describe("an adopted BIRD file holding a password", () => {
  const PASSWORD = "BirdPw-5e6f7a8b";
  const setup = () => {
    const s = openwrtSettings();
    const file = path.join(s.birdDir, "lte_default.conf");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(s.birdConf, `router id 198.51.100.1;\nprotocol device {}\ninclude "${s.birdDir}/*.conf";\n`);
    // A hand-written file with a password (here in a comment, so BIRD accepts the file as it stands).
    const original = `# bgp peer password "${PASSWORD}"\nprotocol static lte_default { ipv4; route 0.0.0.0/0 via "wwan0"; }\n`;
    fs.writeFileSync(file, original, { mode: 0o640 });
    fs.chmodSync(file, 0o640);
    return { file, original };
  };
  const raw = {
    device: "dlink",
    identity: "site/lab/lte",
    adopt: true,
    name: "lte_default",
    routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }],
  };

  it("keeps the content out of the id, plain outputs, preview and command log, and restores it on destroy", async () => {
    const { file, original } = setup();
    const p = makeProvider(birdStatic);
    const checked = await p.check({}, raw);
    expect(checked.failures).toEqual([]);
    expect(leaks(JSON.stringify(checked.inputs), PASSWORD)).toBe(false);
    const created = await p.create(checked.inputs);
    expect(created.id).toBe(`bird:${file}#adopted`);
    expect(leaks(JSON.stringify(plainOutputs(created.outs)), PASSWORD)).toBe(false);
    expect(typeof created.outs.adoptionRecord).toBe("string");
    await p.delete(created.id, created.outs);
    expect(fs.readFileSync(file, "utf8")).toBe(original);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(leaks(line, PASSWORD)).toBe(false);
  });

  it("an id written before issue 14 (record in the id) is still read, migrates on refresh, and restores on destroy", async () => {
    const { file, original } = setup();
    const p = makeProvider(birdStatic);
    const checked = await p.check({}, raw);
    const created = await p.create(checked.inputs);
    // The old form: the record inline in the id, no adoptionRecord output.
    const legacyId = `bird:${file}#adopted=${created.outs.adoptionRecord as string}`;
    const { adoptionRecord: _r, adoptedOriginal: _o, ...legacyOuts } = created.outs as Record<string, unknown>;
    const read = await p.read(legacyId, legacyOuts);
    expect(read.id).toBe(`bird:${file}#adopted`);
    expect(leaks(JSON.stringify(plainOutputs(read.props as Record<string, unknown>)), PASSWORD)).toBe(false);
    await p.delete(legacyId, legacyOuts);
    expect(fs.readFileSync(file, "utf8")).toBe(original);
  });
});
