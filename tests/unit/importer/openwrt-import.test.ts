/**
 * The OpenWrt importer against the local uci device (tests/unit/openwrt/local-device.ts: the lab's uci stand-in,
 * written from openwrt-uci.md) loaded with the lab's OpenWrt 23.05-like config (tests/lab/openwrt/rootfs) plus
 * a few named sections: what maps to a typed kind, what to UciSection, what is left out, that secrets become
 * stack config references, that adopting every imported resource changes nothing, and that the program typechecks.
 */
import * as fs from "fs";
import * as path from "path";
import { importOpenWrt, isSecretOption } from "../../../provider/import/openwrt";
import { kindsOf } from "../../../provider/import/kinds";
import { renderProgram } from "../../../provider/import/codegen";
import { SecretRef, type ImportValue } from "../../../provider/import/model";
import type { OpContext } from "../../../provider/resources/kind";
import { makeLocalDevice, type LocalDevice } from "../openwrt/local-device";
import { typecheckProgram } from "./typecheck";

const ROOTFS = path.resolve(__dirname, "../../lab/openwrt/rootfs/etc/config");
const SECRET = "s3cret-'quoted' pin";
/** The modem's PIN, a secret of ModemProfile; the adopt test supplies it for `pincode` (4–8 digits). */
const PIN = "1234";

const EXTRA_NETWORK = `
config route 'lte_host'
	option interface 'wwan'
	option target '198.51.100.0/24'
	option gateway '192.0.2.1'
	option metric '10'

config interface 'wwan'
	option proto 'qmi'
	option device '/dev/cdc-wdm0'
	option apn 'internet'
	option pincode '1234'
	option pdptype 'ipv4'

config interface 'vpn'
	option proto 'wireguard'
	option private_key '${SECRET.replace(/'/g, "'\\''")}'
	list addresses '10.0.0.2/32'
`;

const EXTRA_FIREWALL = `
config redirect 'web'
	option name 'Web'
	option src 'wan'
	option src_dport '8080'
	option dest 'lan'
	option dest_ip '198.51.100.130'
	option dest_port '80'
	option proto 'tcp'
	option target 'DNAT'
`;

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
  fs.writeFileSync(path.join(dev.confDir, "network"), fs.readFileSync(path.join(ROOTFS, "network"), "utf8") + EXTRA_NETWORK);
  fs.writeFileSync(path.join(dev.confDir, "firewall"), fs.readFileSync(path.join(ROOTFS, "firewall"), "utf8") + EXTRA_FIREWALL);
});
afterEach(() => dev.cleanup());

const configFiles = () => Object.fromEntries(fs.readdirSync(dev.confDir).map((f) => [f, fs.readFileSync(path.join(dev.confDir, f), "utf8")]));

/** Args with every secret reference replaced by the value `pulumi config set --secret` would hold. */
function withSecrets(v: ImportValue): unknown {
  if (v instanceof SecretRef) return v.key.endsWith("-pincode") ? PIN : SECRET;
  if (Array.isArray(v)) return v.map(withSecrets);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withSecrets(x)]));
  return v;
}

describe("openwrt importer", () => {
  it("maps named sections to typed kinds where one reproduces them, else UciSection; anonymous ones are notes", async () => {
    const r = await importOpenWrt(dev.transport, "dlink");
    const byName = Object.fromEntries(r.resources.map((x) => [x.name, x]));
    expect(Object.keys(byName)).toEqual([
      "dlink-network-loopback", "dlink-network-globals", "dlink-network-lan", "dlink-network-wan", "dlink-network-wan6",
      "dlink-network-lte-host", "dlink-network-wwan", "dlink-network-vpn", "dlink-firewall-web",
    ]);
    expect(byName["dlink-network-lan"]).toMatchObject({
      className: "NetworkInterface",
      args: { name: "lan", netdev: "br-lan", proto: "static", ipaddr: "198.51.100.129", netmask: "255.255.255.128", ip6assign: 60 },
    });
    expect(byName["dlink-network-lte-host"]).toMatchObject({
      className: "StaticRoute",
      args: { name: "lte_host", interface: "wwan", target: "198.51.100.0/24", gateway: "192.0.2.1", metric: 10 },
    });
    // A modem interface is a ModemProfile (without the cold-boot script, which is a file it would create).
    expect(byName["dlink-network-wwan"]).toMatchObject({
      className: "ModemProfile",
      args: { name: "wwan", proto: "qmi", modemDevice: "/dev/cdc-wdm0", apn: "internet", pincode: new SecretRef("dlink-network-wwan-pincode"), pdptype: "ipv4" },
    });
    expect(byName["dlink-firewall-web"]).toMatchObject({
      className: "NatRule",
      args: { section: "redirect", name: "web", ruleName: "Web", src: "wan", srcDport: "8080", dest: "lan", destIp: "198.51.100.130", destPort: "80", proto: "tcp", target: "DNAT" },
    });
    // 23.05's firewall is all anonymous sections, and the bridge device too.
    expect(r.notes.filter((n) => /anonymous/.test(n))).toHaveLength(1 + 1 + 2 + 1 + 4);
    expect(r.notes).toContainEqual("firewall.@zone[1] (zone): anonymous; name it on the device (uci rename firewall.@zone[1]=<name>; uci commit firewall) and import again");
  });

  it("reads only: no reload, the config files unchanged", async () => {
    const before = configFiles();
    await importOpenWrt(dev.transport, "dlink");
    expect(configFiles()).toEqual(before);
    expect(dev.events()).toEqual([]);
  });

  it("never writes a secret option's value, only a config.requireSecret reference", async () => {
    const r = await importOpenWrt(dev.transport, "dlink");
    const vpn = r.resources.find((x) => x.name === "dlink-network-vpn")!;
    expect((vpn.args.options as Record<string, ImportValue>).private_key).toEqual(new SecretRef("dlink-network-vpn-private-key"));
    const program = renderProgram([r]);
    expect(program).not.toContain("s3cret");
    expect(program).not.toMatch(/1234/);
    expect(program).toContain("//   pulumi config set --secret dlink-network-vpn-private-key <value>");
    expect(isSecretOption("ula_prefix")).toBe(false);
    expect(["key", "psk", "password", "pincode", "private_key", "auth_secret"].every(isSecretOption)).toBe(true);
  });

  it("adopting every imported resource as generated changes nothing on the device", async () => {
    const r = await importOpenWrt(dev.transport, "dlink");
    const before = configFiles();
    const kinds = Object.fromEntries(kindsOf("openwrt").map((k) => [k.name.replace(/^openwrt-/, "").replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()), k]));
    for (const res of r.resources) {
      const kind = kinds[res.className];
      const inputs = kind.schema.parse(withSecrets(res.args));
      const ctx: OpContext = { transport: dev.transport, device: "dlink", identity: `imported/lab/${res.name}`, label: res.name, adopt: true };
      const created = await kind.driver.create(ctx, inputs);
      expect(created.observed.inputs).toEqual(inputs);
    }
    expect(configFiles()).toEqual(before);
    expect(dev.events()).toEqual([]);
  }, 60_000);

  it("generates a program that typechecks against the SDK", async () => {
    const r = await importOpenWrt(dev.transport, "dlink");
    expect(typecheckProgram(renderProgram([r]))).toEqual([]);
  }, 60_000);
});
