/**
 * Issue 14, section "Low": one describe per finding, each reproducing it with the project's own code.
 * (The OpenWrt lock-out guard's umask and lock order are in tests/unit/openwrt/lockout-guard-lock.test.ts.)
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { schema as remoteFileSchema } from "../../../provider/resources/openwrt/remote-file";
import { schema as bgpSessionSchema } from "../../../provider/resources/openwrt/bgp-session";
import { rawFilterProblem } from "../../../provider/openwrt/bird-text";
import { parseRows } from "../../../provider/routeros/read";
import { buildLine, parseLine } from "../../../provider/routeros/envelope";
import * as codec from "../../../provider/routeros/codec";
import { birdHasPassword, isSecretOption } from "../../../provider/import/openwrt";
import { ipAddress, ipv6Address, ipv6Prefix } from "../../../provider/resources/common";
import { parseUciShow } from "../../../provider/openwrt/uci-show-parser";
import { CommandLog } from "../../../provider/transport/command-log";
import { parseHostKeyPin } from "../../../provider/transport/pins";
import { resolveHostKeyPolicy } from "../../../provider/transport/host-key-policy";
import type { DeviceSpec } from "../../../provider/transport/types";

describe("RemoteFile: content is secret, so the default mode is 0600", () => {
  it("defaults to 0600 and keeps a declared mode", () => {
    expect(remoteFileSchema.parse({ path: "/etc/x", content: "s" }).mode).toBe("0600");
    expect(remoteFileSchema.parse({ path: "/etc/x", content: "s", mode: 0o644 }).mode).toBe("0644");
  });
});

describe("BgpSession rawExportFilter refuses `include` (BIRD expands it anywhere, even inside a filter)", () => {
  it.each([
    'include "/tmp/evil.conf";',
    'if net ~ 0.0.0.0/0 then accept;\ninclude "/etc/x";',
    'INCLUDE "/tmp/evil.conf";',
    '\tinclude\t"/tmp/e";',
  ])("%j is refused, by the schema and by the renderer's check", (body) => {
    expect(rawFilterProblem(body)).toMatch(/include/);
    const r = bgpSessionSchema.safeParse({
      name: "crs",
      localAs: 65000,
      neighborAddress: "192.0.2.1",
      neighborAs: 65000,
      ipv4: { rawExportFilter: body },
    });
    expect(r.success).toBe(false);
  });
  it("an ordinary filter, or `include` inside a string, is accepted", () => {
    expect(rawFilterProblem("if net ~ [ 0.0.0.0/0 ] then accept;\nreject;")).toBeUndefined();
    expect(rawFilterProblem('if bgp_path ~ [= * =] then { print "include this"; accept; }')).toBeUndefined();
  });
});

describe("RouterOS protocol errors do not quote the device's output (a read holds other items' passwords)", () => {
  const SECRET = "Other-Item-Pw-99";
  it("a read that is not JSON is described without its text", () => {
    const text = `[{".id":"*1","name":"ppp","password":"${SECRET}"`; // cut short
    expect(() => parseRows([text])).toThrow(/not JSON/);
    try {
      parseRows([text]);
    } catch (e) {
      expect((e as Error).message).not.toContain(SECRET);
      expect((e as Error).message).not.toContain("password");
    }
    try {
      parseRows([`[[{"password":"${SECRET}"}]]`]);
    } catch (e) {
      expect((e as Error).message).not.toContain(SECRET);
    }
  });
  it("a line whose result marker is missing is described without its payload", () => {
    const line = buildLine([codec.printJson("/interface/pppoe-client")], "abc123");
    const out = `RSabc123-BEGIN\n[{"password":"${SECRET}"}]\nRSabc123-END\n`;
    const [r] = parseLine(line, out);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});

describe("importer secret heuristics", () => {
  it.each([
    "key1",
    "key2",
    "key3",
    "key4",
    "passphrase",
    "token",
    "authkey",
    "auth_secret",
    "sae_password",
    "psk",
    "key",
    "password",
    "pincode",
  ])("uci option %s is secret", (name) => {
    expect(isSecretOption(name)).toBe(true);
  });
  it.each(["ssid", "encryption", "keepalive", "mode", "hidden"])("uci option %s is not", (name) => {
    expect(isSecretOption(name)).toBe(false);
  });
  it('a BIRD file with a TCP-AO key `secret "…"` holds a secret; a commented one does not', () => {
    expect(
      birdHasPassword(
        'protocol bgp p {\n\tauthentication ao;\n\tkeys { key { id 1; secret "s3"; algorithm hmac sha256; }; };\n}\n',
      ),
    ).toBe(true);
    expect(birdHasPassword('protocol bgp p {\n\tpassword "x";\n}\n')).toBe(true);
    expect(birdHasPassword('# secret "x"\nprotocol device {}\n')).toBe(false);
  });
});

describe("an IPv6 address with a zone (fe80::1%eth0) fails validation instead of throwing", () => {
  it.each([ipv6Address, ipAddress])("safeParse reports it", (s) => {
    let r: ReturnType<typeof s.safeParse> | undefined;
    expect(() => (r = s.safeParse("fe80::1%eth0"))).not.toThrow();
    expect(r!.success).toBe(false);
  });
  it("a prefix with a zone too", () => {
    expect(() => ipv6Prefix.safeParse("fe80::%eth0/64")).not.toThrow();
    expect(ipv6Prefix.safeParse("fe80::%eth0/64").success).toBe(false);
  });
});

describe("the uci show parser keeps an option named __proto__", () => {
  it("as an own option, without touching the prototype", () => {
    const [s] = parseUciShow("network.x=interface\nnetwork.x.__proto__='a'\nnetwork.x.constructor='b'\n");
    expect(Object.keys(s.options).sort()).toEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(s.options, "__proto__")?.value).toBe("a");
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });
});

describe("commandLogFile is kept at mode 0600 even when it already exists", () => {
  it("a pre-existing 0644 log is made 0600 by the first line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-cmdlog-"));
    try {
      const file = path.join(dir, "crs.log");
      fs.writeFileSync(file, "", { mode: 0o644 });
      fs.chmodSync(file, 0o644);
      await new CommandLog(file, "crs").append(
        { startedAt: 0, device: "crs", mode: "per-exec", command: "x", durationMs: 0, outcome: "ok" },
        [],
      );
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("host-key pins: no DSA, no SHA-1 signatures", () => {
  const FP = "SHA256:" + "A".repeat(43);
  it.each([`ssh-dss ${FP}`, `DSA ${FP}`, `1024 ${FP} root@r (DSA)`])("pin %j is refused", (pin) => {
    expect(() => parseHostKeyPin(pin, "hostKeys[0]")).toThrow(/DSA|ssh-dss/);
  });
  const spec = (hostKeys: string[]): DeviceSpec => ({
    name: "crs",
    platform: "routeros",
    host: "192.0.2.1",
    port: 22,
    username: "admin",
    hostKeys,
  });
  it("an RSA pin negotiates rsa-sha2-512/256 only", async () => {
    const p = await resolveHostKeyPolicy(spec([`ssh-rsa ${FP}`]));
    expect(p.mode === "pinned" && p.algorithms).toEqual(["rsa-sha2-512", "rsa-sha2-256"]);
  });
  it("an untyped pin still never offers ssh-rsa (SHA-1) or ssh-dss", async () => {
    const p = await resolveHostKeyPolicy(spec([FP]));
    const algorithms = p.mode === "pinned" ? p.algorithms : undefined;
    expect(algorithms).toBeDefined();
    expect(algorithms).not.toContain("ssh-rsa");
    expect(algorithms).not.toContain("ssh-dss");
    expect(algorithms).toEqual(expect.arrayContaining(["ssh-ed25519", "rsa-sha2-256"]));
  });
});
