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

/** BIRD files: the lab's main config, a static protocol (mode 0640), a BGP session with a password, one routerstack wrote. */
/** A static lease; the stock file holds the anonymous dnsmasq section, pools `lan` and `wan`, and `odhcpd`. */
const EXTRA_DHCP = `
config host 'printer'
	option name 'printer'
	option mac '02:00:00:00:00:0a'
	option ip '198.51.100.140'
`;
const BIRD_CONF = fs.readFileSync(path.resolve(ROOTFS, "../bird.conf"), "utf8");
const STATIC_CONF =
  "# hand-written: `backticks`, ${not a placeholder}, C:\\path\r\nprotocol static s1 {\n\tipv4;\n\troute 203.0.113.0/24 blackhole;\n}\n";
const BGP_SECRET = "bgp-md5-s3cret";
const BGP_CONF = `protocol bgp upstream {\n\tlocal as 65001;\n\tneighbor 192.0.2.9 as 65002;\n\tpassword "${BGP_SECRET}";\n\tipv4 { import none; export none; };\n}\n`;

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
  fs.writeFileSync(
    path.join(dev.confDir, "network"),
    fs.readFileSync(path.join(ROOTFS, "network"), "utf8") + EXTRA_NETWORK,
  );
  fs.writeFileSync(
    path.join(dev.confDir, "firewall"),
    fs.readFileSync(path.join(ROOTFS, "firewall"), "utf8") + EXTRA_FIREWALL,
  );
  fs.writeFileSync(path.join(dev.confDir, "dhcp"), fs.readFileSync(path.join(ROOTFS, "dhcp"), "utf8") + EXTRA_DHCP);
  const etc = path.join(dev.root, "etc");
  fs.mkdirSync(path.join(etc, "bird.d"), { recursive: true });
  fs.writeFileSync(path.join(etc, "bird.conf"), BIRD_CONF);
  fs.writeFileSync(path.join(etc, "bird.d/static.conf"), STATIC_CONF);
  fs.chmodSync(path.join(etc, "bird.d/static.conf"), 0o640);
  fs.writeFileSync(path.join(etc, "bird.d/bgp.conf"), BGP_CONF);
  fs.chmodSync(path.join(etc, "bird.d/bgp.conf"), 0o600);
  fs.writeFileSync(
    path.join(etc, "bird.d/rs.conf"),
    "# Managed by routerstack (other/prod/rs); local edits show as drift and are overwritten.\nprotocol direct d1 { ipv4; }\n",
  );
});
afterEach(() => dev.cleanup());

const configFiles = () => {
  const out: Record<string, string> = {};
  for (const d of [dev.confDir, path.join(dev.root, "etc"), path.join(dev.root, "etc/bird.d")]) {
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      const st = fs.statSync(p);
      if (st.isFile()) out[p] = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${fs.readFileSync(p, "utf8")}`;
    }
  }
  return out;
};

/** Args with every secret reference replaced by the value `pulumi config set --secret` would hold. */
function withSecrets(v: ImportValue): unknown {
  // A file's content as `cat <file> | pulumi config set --secret` stores it (final newline dropped) plus the suffix.
  if (v instanceof SecretRef)
    return (
      (v.key.endsWith("-pincode") ? PIN : v.key.endsWith("-content") ? BGP_CONF.replace(/\n$/, "") : SECRET) + v.suffix
    );
  if (Array.isArray(v)) return v.map(withSecrets);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withSecrets(x)]));
  return v;
}

describe("openwrt importer", () => {
  it("maps named sections to typed kinds where one reproduces them, else UciSection; anonymous ones are notes", async () => {
    const r = await importOpenWrt(dev.transport, "dlink");
    const byName = Object.fromEntries(r.resources.map((x) => [x.name, x]));
    expect(Object.keys(byName).filter((n) => byName[n].className !== "RemoteFile")).toEqual([
      "dlink-network-loopback",
      "dlink-network-globals",
      "dlink-network-lan",
      "dlink-network-wan",
      "dlink-network-wan6",
      "dlink-network-lte-host",
      "dlink-network-wwan",
      "dlink-network-vpn",
      "dlink-firewall-web",
      "dlink-dhcp-lan",
      "dlink-dhcp-wan",
      "dlink-dhcp-odhcpd",
      "dlink-dhcp-printer",
    ]);
    expect(byName["dlink-dhcp-lan"]).toMatchObject({
      className: "DhcpPool",
      args: {
        name: "lan",
        interface: "lan",
        start: 100,
        limit: 150,
        leasetime: "12h",
        raFlags: ["managed-config", "other-config"],
      },
    });
    expect(byName["dlink-dhcp-wan"]).toMatchObject({ className: "DhcpPool", args: { interface: "wan", ignore: true } });
    expect(byName["dlink-dhcp-odhcpd"]).toMatchObject({
      className: "UciSection",
      args: { package: "dhcp", type: "odhcpd" },
    });
    expect(byName["dlink-dhcp-printer"]).toMatchObject({
      className: "DhcpHost",
      args: { name: "printer", hostname: "printer", mac: ["02:00:00:00:00:0a"], ip: "198.51.100.140" },
    });
    expect(byName["dlink-network-lan"]).toMatchObject({
      className: "NetworkInterface",
      args: {
        name: "lan",
        netdev: "br-lan",
        proto: "static",
        ipaddr: "198.51.100.129",
        netmask: "255.255.255.128",
        ip6assign: 60,
      },
    });
    expect(byName["dlink-network-lte-host"]).toMatchObject({
      className: "StaticRoute",
      args: { name: "lte_host", interface: "wwan", target: "198.51.100.0/24", gateway: "192.0.2.1", metric: 10 },
    });
    // A modem interface is a ModemProfile (without the cold-boot script, which is a file it would create).
    expect(byName["dlink-network-wwan"]).toMatchObject({
      className: "ModemProfile",
      args: {
        name: "wwan",
        proto: "qmi",
        modemDevice: "/dev/cdc-wdm0",
        apn: "internet",
        pincode: new SecretRef("dlink-network-wwan-pincode"),
        pdptype: "ipv4",
      },
    });
    expect(byName["dlink-firewall-web"]).toMatchObject({
      className: "NatRule",
      args: {
        section: "redirect",
        name: "web",
        ruleName: "Web",
        src: "wan",
        srcDport: "8080",
        dest: "lan",
        destIp: "198.51.100.130",
        destPort: "80",
        proto: "tcp",
        target: "DNAT",
      },
    });
    // 23.05's firewall is all anonymous sections, and the bridge device too.
    // … and the dnsmasq section.
    expect(r.notes.filter((n) => /anonymous/.test(n))).toHaveLength(1 + 1 + 2 + 1 + 4 + 1);
    expect(r.notes).toContainEqual(
      "firewall.@zone[1] (zone): anonymous; name it on the device (uci rename firewall.@zone[1]=<name>; uci commit firewall) and import again",
    );
  });

  it("imports BIRD files as RemoteFile verbatim with mode and owner; a password makes the content a secret", async () => {
    const r = await importOpenWrt(dev.transport, "dlink");
    const files = Object.fromEntries(
      r.resources
        .filter((x) => x.className === "RemoteFile")
        .map((x) => [path.relative(dev.root, String(x.args.path)), x]),
    );
    expect(Object.keys(files).sort()).toEqual(["etc/bird.conf", "etc/bird.d/bgp.conf", "etc/bird.d/static.conf"]);
    expect(files["etc/bird.conf"].args).toEqual({
      path: path.join(dev.root, "etc/bird.conf"),
      content: BIRD_CONF,
      mode: "0644",
      owner: "root:root",
    });
    expect(files["etc/bird.d/static.conf"].args).toMatchObject({
      content: STATIC_CONF,
      mode: "0640",
      owner: "root:root",
    });
    const bgp = files["etc/bird.d/bgp.conf"];
    expect(bgp.args).toMatchObject({
      mode: "0600",
      content: new SecretRef(
        `${bgp.name}-content`,
        "\n",
        `ssh root@<router> cat '${path.join(dev.root, "etc/bird.d/bgp.conf")}'`,
      ),
    });
    expect(r.notes).toContainEqual(
      `BIRD file ${path.join(dev.root, "etc/bird.d/rs.conf")}: written by routerstack (managed header); it belongs to the stack that wrote it`,
    );
    const program = renderProgram([r]);
    expect(program).not.toContain(BGP_SECRET);
    expect(program).toContain(`content: pulumi.concat(config.requireSecret("${bgp.name}-content"), "\\n"),`);
    expect(program).toContain(
      `//   ssh root@<router> cat '${path.join(dev.root, "etc/bird.d/bgp.conf")}' | pulumi config set --secret ${bgp.name}-content\n`,
    );
    // Multi-line content reads as the file: one source line per line, only `, ${ and \ escaped (and the CR).
    expect(program).toContain(
      "content: `# hand-written: \\`backticks\\`, \\${not a placeholder}, C:\\\\path\\u000d\nprotocol static s1 {\n\tipv4;\n",
    );
    expect(program).toContain("\nrouter id 192.0.2.2;\n");
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
    expect((vpn.args.options as Record<string, ImportValue>).private_key).toEqual(
      new SecretRef("dlink-network-vpn-private-key"),
    );
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
    const kinds = Object.fromEntries(
      kindsOf("openwrt").map((k) => [
        k.name.replace(/^openwrt-/, "").replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
        k,
      ]),
    );
    for (const res of r.resources) {
      const kind = kinds[res.className];
      const inputs = kind.schema.parse(withSecrets(res.args));
      const ctx: OpContext = {
        transport: dev.transport,
        device: "dlink",
        identity: `imported/lab/${res.name}`,
        label: res.name,
        adopt: true,
      };
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
