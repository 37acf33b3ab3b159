import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { kind as birdConfig } from "../../../provider/resources/openwrt/bird-config";
import { kind as bgpSession } from "../../../provider/resources/openwrt/bgp-session";
import { kind as birdStatic } from "../../../provider/resources/openwrt/bird-static";
import { kind as birdDirect } from "../../../provider/resources/openwrt/bird-direct";
import type { OpContext } from "../../../provider/resources/kind";
import { renderBgp } from "../../../provider/openwrt/bird-text";
import { makeLocalDevice, type LocalDevice } from "./local-device";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
});
afterEach(() => dev.cleanup());

const ctx = (name: string, adopt = false): OpContext => dev.ctx(name, adopt);

// The reference topology's D-Link side (documentation prefixes, private AS).
const main = birdConfig.schema.parse({
  routerId: "192.0.2.2",
  kernel: { ipv4: { export: "reachable" }, ipv6: { export: "reachable" } },
});
const ibgp = bgpSession.schema.parse({
  name: "crs",
  localAs: 65000,
  neighborAddress: "192.0.2.1",
  neighborAs: 65000,
  interface: "vlan6",
  direct: true,
  holdTime: "30s",
  keepaliveTime: 10,
  ipv4: { import: "all", export: "all" },
  ipv6: { import: "all", export: "all", exportNextHop: "2001:db8:6::2" },
});
const lte4 = birdStatic.schema.parse({
  name: "lte_default",
  preference: 50,
  routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }],
});
const lte6 = birdStatic.schema.parse({
  name: "lte_default6",
  preference: 50,
  routes: [{ prefix: "::/0", interface: "wwan0" }],
});
const direct = birdDirect.schema.parse({ name: "ibgp_direct", interfaces: ["vlan6"] });

describe("BIRD2 config text for the reference topology", () => {
  it("renders the iBGP session with the IPv6 next-hop rewrite", () => {
    expect(renderBgp(ibgp, "site/lab/crs")).toBe(
      [
        "# Managed by routerstack (site/lab/crs); local edits show as drift and are overwritten.",
        "protocol bgp crs {",
        "\tlocal as 65000;",
        "\tneighbor 192.0.2.1 as 65000;",
        '\tinterface "vlan6";',
        "\tdirect;",
        "\thold time 30;",
        "\tkeepalive time 10;",
        "\tipv4 {",
        "\t\timport all;",
        "\t\texport all;",
        "\t};",
        "\tipv6 {",
        "\t\timport all;",
        "\t\texport filter {",
        "\t\t\tbgp_next_hop = 2001:db8:6::2;",
        "\t\t\taccept;",
        "\t\t};",
        "\t};",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("the whole D-Link configuration passes real `bird -p`, and configure runs once for the burst", async () => {
    await birdConfig.driver.create(ctx("bird"), main);
    await Promise.all([
      bgpSession.driver.create(ctx("crs"), ibgp),
      birdStatic.driver.create(ctx("lte4"), lte4),
      birdStatic.driver.create(ctx("lte6"), lte6),
      birdDirect.driver.create(ctx("direct"), direct),
    ]);
    expect(fs.readdirSync(path.join(dev.root, "etc/bird.d")).sort()).toEqual([
      "crs.conf",
      "ibgp_direct.conf",
      "lte_default.conf",
      "lte_default6.conf",
    ]);
    expect(fs.readFileSync(path.join(dev.root, "etc/bird.d/lte_default.conf"), "utf8")).toContain(
      'protocol static lte_default {\n\tipv4 {\n\t\tpreference 50;\n\t};\n\troute 0.0.0.0/0 via "wwan0";\n}',
    );
    expect(fs.readFileSync(path.join(dev.root, "etc/bird.d/lte_default6.conf"), "utf8")).toContain(
      'route ::/0 via "wwan0";',
    );
    const mainText = fs.readFileSync(path.join(dev.root, "etc/bird.conf"), "utf8");
    expect(mainText).toContain(`include "${dev.root}/etc/bird.d/*.conf";`);
    expect(fs.statSync(path.join(dev.root, "etc/bird.conf")).mode & 0o777).toBe(0o644);
    execFileSync("/usr/sbin/bird", ["-p", "-c", path.join(dev.root, "etc/bird.conf")]);
    expect(dev.events().filter((e) => e.startsWith("birdc"))).toEqual([
      `birdc -s ${dev.root}/var/run/bird.ctl configure`,
      `birdc -s ${dev.root}/var/run/bird.ctl configure`,
    ]);
  });

  it("renders BFD (its own protocol bfd plus per-session timing) and the standby table and pipe; real `bird -p` accepts them", async () => {
    const knobs = bgpSession.schema.parse({
      ...ibgp,
      holdTime: 6,
      keepaliveTime: 2,
      bfd: true,
      bfdIntervalMs: 100,
      bfdMultiplier: 3,
      ipv4: { ...ibgp.ipv4!, standby: ["lte_default"] },
      ipv6: { ...ibgp.ipv6!, standby: ["lte_default6"] },
    });
    const text = renderBgp(knobs, "site/lab/crs");
    expect(text).toContain('protocol bfd crs_bfd {\n\tinterface "vlan6";\n}\n');
    expect(text).toContain("\tbfd { interval 100 ms; multiplier 3; };\n");
    expect(text).toContain(
      [
        "ipv4 table crs_out4;",
        "",
        "protocol pipe crs_pipe4 {",
        "\ttable master4;",
        "\tpeer table crs_out4;",
        "\timport all;",
        "\texport filter {",
        '\t\tif proto = "lte_default" then preference = 65535;',
        "\t\taccept;",
        "\t};",
        "}",
      ].join("\n"),
    );
    expect(text).toContain("\tipv4 {\n\t\ttable crs_out4;\n\t\timport all;\n\t\texport all;\n\t};");
    expect(text).toContain("\tipv6 {\n\t\ttable crs_out6;\n");
    // Without timing knobs: plain `bfd on`.
    expect(renderBgp(bgpSession.schema.parse({ ...ibgp, bfd: true }), "site/lab/crs")).toContain("\tbfd on;\n");
    await birdConfig.driver.create(ctx("bird"), main);
    await Promise.all([
      birdStatic.driver.create(ctx("lte4"), lte4),
      birdStatic.driver.create(ctx("lte6"), lte6),
      birdDirect.driver.create(ctx("direct"), direct),
    ]);
    await bgpSession.driver.create(ctx("crs"), knobs);
    execFileSync("/usr/sbin/bird", ["-p", "-c", path.join(dev.root, "etc/bird.conf")]);
  });

  it("a config that fails `bird -p` is never loaded: the previous file is restored and bird's message reported", async () => {
    await birdConfig.driver.create(ctx("bird"), main);
    const { id } = await bgpSession.driver.create(ctx("crs"), ibgp);
    const file = path.join(dev.root, "etc/bird.d/crs.conf");
    const good = fs.readFileSync(file, "utf8");
    const configures = dev.events().length;
    const bad = {
      ...ibgp,
      ipv4: { ...ibgp.ipv4!, rawExportFilter: "if net ~ [ 198.51.100.0/24 ] then accept\nreject;" },
    };
    await expect(bgpSession.driver.update(ctx("crs"), id, ibgp, bad)).rejects.toThrow(
      /bird rejected the new .*crs\.conf \(the previous file was restored; nothing was loaded\): .*crs\.conf:\d+:\d+ syntax error/,
    );
    expect(fs.readFileSync(file, "utf8")).toBe(good);
    expect(dev.events().length).toBe(configures);
  });

  it("refuses to take over an existing file without adopt; an adopted main config is restored on destroy", async () => {
    const conf = path.join(dev.root, "etc/bird.conf");
    fs.writeFileSync(conf, "router id 198.51.100.1;\nprotocol device {}\n", { mode: 0o640 });
    await expect(birdConfig.driver.create(ctx("bird"), main)).rejects.toThrow(
      /bird.conf already exists; set adopt: true/,
    );
    const { id, observed } = await birdConfig.driver.create(ctx("bird", true), main);
    expect(observed.outputs.adoptedOriginal).toEqual({
      content: "router id 198.51.100.1;\nprotocol device {}\n",
      mode: 0o640,
    });
    expect(fs.readFileSync(conf, "utf8")).toContain("router id 192.0.2.2;");
    await birdConfig.driver.delete(ctx("bird", true), id, main);
    expect(fs.readFileSync(conf, "utf8")).toBe("router id 198.51.100.1;\nprotocol device {}\n");
    expect(fs.statSync(conf).mode & 0o777).toBe(0o640);
  });

  it("a local edit shows as drift; a deleted file reads as gone; configure errors fail the write", async () => {
    await birdConfig.driver.create(ctx("bird"), main);
    const { id } = await birdStatic.driver.create(ctx("lte4"), lte4);
    expect((await birdStatic.driver.read(ctx("lte4"), id, lte4))?.observed.inputs).toEqual(lte4);
    fs.appendFileSync(path.join(dev.root, "etc/bird.d/lte_default.conf"), "# edit\n");
    expect((await birdStatic.driver.read(ctx("lte4"), id, lte4))?.observed.inputs).toEqual({
      ...lte4,
      fileEditedOnDevice: true,
    });
    dev.failBirdc("bird: Unable to connect to server control socket");
    await expect(birdStatic.driver.update(ctx("lte4"), id, lte4, lte4)).rejects.toThrow(
      /birdc configure on device "dlink" failed \(exit 1\): bird: Unable to connect/,
    );
    dev.failBirdc();
    await birdStatic.driver.delete(ctx("lte4"), id, lte4);
    expect(await birdStatic.driver.read(ctx("lte4"), id, lte4)).toBeUndefined();
  });
});

describe("BIRD input validation names the field", () => {
  const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
    r.success ? [] : r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  it("BgpSession", () => {
    expect(
      issues(
        bgpSession.schema.safeParse({
          name: "crs-1",
          localAs: 65000,
          neighborAddress: "192.0.2.300",
          neighborAs: 65000,
          ipv6: { exportNextHop: "192.0.2.1" },
        }),
      ),
    ).toEqual([
      "name: must be a BIRD name (letter or _, then letters, digits, _; at most 64)",
      "neighborAddress: must be an IPv4 or IPv6 address",
      "ipv6.exportNextHop: must be an IPv6 address such as 2001:db8::1",
      'ipv6.exportNextHop: needs export "all"',
    ]);
    expect(
      issues(
        bgpSession.schema.safeParse({
          name: "crs",
          localAs: 65000,
          neighborAddress: "192.0.2.1",
          neighborAs: 65000,
          interface: "vlan6",
          ipv4: {},
        }),
      ),
    ).toEqual([
      "direct: must be true when interface is set on an iBGP or multihop session (BIRD refuses multihop bound to an interface)",
    ]);
  });
  it("BgpSession failover knobs", () => {
    const base = { name: "crs", localAs: 65000, neighborAddress: "192.0.2.1", neighborAs: 65000 };
    expect(
      issues(
        bgpSession.schema.safeParse({
          ...base,
          bfdIntervalMs: 5,
          bfdMultiplier: 3,
          ipv4: { export: "all", standby: ["lte-default"] },
        }),
      ),
    ).toEqual([
      "bfdIntervalMs: Too small: expected number to be >=10",
      "ipv4.standby.0: must be a BIRD name (letter or _, then letters, digits, _; at most 64)",
      "bfdIntervalMs: needs bfd: true",
    ]);
    expect(issues(bgpSession.schema.safeParse({ ...base, ipv4: { standby: ["lte_default"] } }))).toEqual([
      'ipv4.standby: needs export "all" (or a rawExportFilter)',
    ]);
    expect(issues(bgpSession.schema.safeParse({ ...base, name: "n".repeat(60), bfd: true, ipv4: {} }))).toEqual([
      "name: must be at most 58 characters with bfd or standby (derived protocol and table names)",
    ]);
  });
  it("BirdStatic", () => {
    expect(
      issues(
        birdStatic.schema.safeParse({
          name: "x",
          routes: [{ prefix: "10.0.0.1/8", interface: "wwan0" }, { prefix: "::/0" }],
        }),
      ),
    ).toEqual([
      "routes.0.prefix: must be an IPv4 or IPv6 prefix such as 0.0.0.0/0",
      "routes.1.interface: set exactly one of interface, gateway, special",
    ]);
  });
});
