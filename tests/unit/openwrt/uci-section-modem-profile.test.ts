import * as fs from "fs";
import * as path from "path";
import { kind as uciSection, type UciSectionInputs } from "../../../provider/resources/openwrt/uci-section";
import { kind as modemProfile } from "../../../provider/resources/openwrt/modem-profile";
import type { OpContext } from "../../../provider/resources/kind";
import { deriveSectionName } from "../../../provider/openwrt/section-engine";
import { parseUciShow } from "../../../provider/openwrt/uci-show-parser";
import { makeLocalDevice, type LocalDevice } from "./local-device";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
});
afterEach(() => dev.cleanup());

const ctx = (name: string, adopt = false): OpContext => dev.ctx(name, adopt);

const zone = uciSection.schema.parse({
  package: "firewall",
  name: "wwan",
  type: "zone",
  options: { name: "wwan", input: "REJECT", masq: "1", masq6: "1", network: ["wwan"] },
});
const forwarding = uciSection.schema.parse({
  package: "firewall",
  name: "uplink_wwan",
  type: "forwarding",
  options: { src: "uplink", dest: "wwan" },
});

describe("UciSection (fw4 zone wwan, forwarding uplink → wwan)", () => {
  it("creates named sections with one firewall reload for the burst, and a second apply changes nothing", async () => {
    const [a, b] = await Promise.all([
      uciSection.driver.create(ctx("zone"), zone),
      uciSection.driver.create(ctx("fwd"), forwarding),
    ]);
    expect(a.id).toBe("firewall.wwan");
    expect(b.observed.inputs).toEqual(forwarding);
    expect(a.observed.inputs).toEqual(zone); // the one-element list reads back as a list
    expect(dev.events()).toEqual(["firewall reload"]);
    const file = fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8");
    expect(file).toContain("config zone 'wwan'\n\toption name 'wwan'");
    expect(file).toContain("config forwarding 'uplink_wwan'\n\toption src 'uplink'\n\toption dest 'wwan'");
    const before = fs.statSync(path.join(dev.confDir, "firewall")).ino;
    await uciSection.driver.update(ctx("zone"), a.id, zone, zone);
    expect(fs.statSync(path.join(dev.confDir, "firewall")).ino).toBe(before);
    expect(dev.events()).toEqual(["firewall reload"]);
  });

  it("reports undeclared options as drift and removes them on update; read is undefined once gone", async () => {
    const { id } = await uciSection.driver.create(ctx("zone"), zone);
    dev.uci("batch", "set firewall.wwan.forward='ACCEPT'\nadd_list firewall.wwan.network='lte2'\ncommit firewall\n");
    const seen = await uciSection.driver.read(ctx("zone"), id, zone);
    expect(seen?.observed.inputs.options).toEqual({ ...zone.options, forward: "ACCEPT", network: ["wwan", "lte2"] });
    await uciSection.driver.update(ctx("zone"), id, zone, zone);
    expect(parseUciShow(dev.uci("show firewall"))[0].options).toEqual({
      name: "wwan",
      input: "REJECT",
      masq: "1",
      masq6: "1",
      network: "wwan",
    });
    await uciSection.driver.delete(ctx("zone"), id, zone);
    expect(dev.uci("show firewall")).toBe("");
    expect(await uciSection.driver.read(ctx("zone"), id, zone)).toBeUndefined();
  });

  it("refuses an existing section unless adopt, and restores an adopted one on destroy", async () => {
    dev.uci(
      "batch",
      "set firewall.wwan=zone\nset firewall.wwan.name='wwan'\nset firewall.wwan.forward='REJECT'\ncommit firewall\n",
    );
    const original = fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8");
    await expect(uciSection.driver.create(ctx("zone"), zone)).rejects.toThrow(
      /create failed: uci section firewall.wwan already exists \(type zone\); set adopt: true/,
    );
    expect(fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8")).toBe(original);
    const { id, observed } = await uciSection.driver.create(ctx("zone", true), zone);
    expect(observed.outputs.adoptedOriginal).toEqual({ type: "zone", options: { name: "wwan", forward: "REJECT" } });
    expect(parseUciShow(dev.uci("show firewall"))[0].options.forward).toBeUndefined();
    await uciSection.driver.delete(ctx("zone", true), id, zone);
    expect(fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8")).toBe(original);
  });

  it("derives a valid, stack-specific section name when none is given", async () => {
    const i = uciSection.schema.parse({
      package: "network",
      type: "route",
      options: { interface: "wwan", target: "198.51.100.0/24" },
    });
    const { id } = await uciSection.driver.create(ctx("lte-route"), i);
    expect(id).toBe(`network.${deriveSectionName("site/lab/lte-route")}`);
    expect(id).toMatch(/^network\.rs_lte_route_[0-9a-f]{8}$/);
    expect(deriveSectionName("site/other/lte-route")).not.toBe(deriveSectionName("site/lab/lte-route"));
    expect(dev.events()).toEqual(["network reload"]);
  });

  it("create rejects with the reload's error", async () => {
    dev.failReload("firewall", "fw4: zone wwan: bad option");
    await expect(uciSection.driver.create(ctx("zone"), zone)).rejects.toThrow(
      /reload of firewall on device "dlink" failed \(exit 1\): fw4: zone wwan: bad option/,
    );
  });
});

describe("input validation names the field", () => {
  const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
    r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  it("UciSection", () => {
    expect(
      issues(
        uciSection.schema.safeParse({
          package: "firewall",
          name: "bad-name",
          type: "zone",
          options: { "bad-opt": "1", ok: "a\u0001" },
        }),
      ),
    ).toEqual([
      "name: must be a uci name (letters, digits and _ only)",
      "options.bad-opt: must be a uci name (letters, digits and _ only)",
      "options.ok: must not contain control characters other than TAB, LF and CR",
    ]);
    expect(uciSection.schema.safeParse({ package: "firewall", type: "zone", extra: 1 }).success).toBe(false);
  });
  it("ModemProfile", () => {
    expect(
      issues(
        modemProfile.schema.safeParse({
          name: "wwan",
          proto: "qmi",
          modemDevice: "cdc-wdm0",
          apn: "internet",
          auth: "chap",
          extraOptions: { apn: "x" },
        }),
      ),
    ).toEqual([
      "modemDevice: must be a device path such as /dev/cdc-wdm0",
      "extraOptions.apn: is a field of ModemProfile; set it there",
      'auth: "chap" needs username and password',
    ]);
  });
});

describe("ModemProfile (wwan over QMI with the cold-boot workaround)", () => {
  const inputs = modemProfile.schema.parse({
    name: "wwan",
    proto: "qmi",
    modemDevice: "/dev/cdc-wdm0",
    apn: "internet",
    auth: "chap",
    username: "lte",
    password: "pa'ss word",
    pincode: "1234",
    pdptype: "ipv4v6",
    metric: 20,
    coldBoot: { usbPath: "1-1", delaySeconds: 5 },
  });

  it("writes network.wwan, the init script and its rc.d link, reloads network, and keeps secrets out of outputs and commands", async () => {
    const r = await modemProfile.driver.create(ctx("lte"), inputs);
    const [s] = parseUciShow(dev.uci("show network"));
    expect(s).toMatchObject({
      name: "wwan",
      type: "interface",
      options: {
        proto: "qmi",
        device: "/dev/cdc-wdm0",
        apn: "internet",
        auth: "chap",
        username: "lte",
        password: "pa'ss word",
        pincode: "1234",
        pdptype: "ipv4v6",
        metric: "20",
      },
    });
    expect(r.observed.inputs).toEqual({ ...inputs, extraOptions: {} });
    expect(JSON.stringify(r.observed.outputs)).not.toMatch(/pa'ss|1234/);
    for (const c of dev.transport.commands) expect(c).not.toMatch(/pa'ss|pa'\\''ss|1234/);
    const script = fs.readFileSync(path.join(dev.root, "etc/init.d/routerstack-wwan-coldboot"), "utf8");
    expect(script).toContain(
      "echo 0 > '/sys/bus/usb/devices/1-1/authorized'\n\tsleep 5\n\techo 1 > '/sys/bus/usb/devices/1-1/authorized'\n\tifup 'wwan'",
    );
    expect(fs.statSync(path.join(dev.root, "etc/init.d/routerstack-wwan-coldboot")).mode & 0o777).toBe(0o755);
    expect(fs.readlinkSync(path.join(dev.root, "etc/rc.d/S99routerstack-wwan-coldboot"))).toBe(
      "../init.d/routerstack-wwan-coldboot",
    );
    expect(dev.events()).toEqual(["network reload"]);
  });

  it("a changed init script shows as drift in coldBoot; destroy removes section and files", async () => {
    const { id } = await modemProfile.driver.create(ctx("lte"), inputs);
    fs.appendFileSync(path.join(dev.root, "etc/init.d/routerstack-wwan-coldboot"), "# edited\n");
    const seen = await modemProfile.driver.read(ctx("lte"), id, inputs);
    expect(seen?.observed.inputs.coldBoot).toBeUndefined();
    expect(seen?.observed.inputs.password).toBe("pa'ss word"); // device value, hashed by the dynamic layer
    await modemProfile.driver.delete(ctx("lte"), id, inputs);
    expect(dev.uci("show network")).toBe("");
    expect(fs.existsSync(path.join(dev.root, "etc/init.d/routerstack-wwan-coldboot"))).toBe(false);
    expect(fs.existsSync(path.join(dev.root, "etc/rc.d/S99routerstack-wwan-coldboot"))).toBe(false);
  });

  it("ncm spells pdptype the ncm way and reads it back as the typed choice", async () => {
    const ncm = modemProfile.schema.parse({
      name: "wwan",
      proto: "ncm",
      modemDevice: "/dev/ttyUSB2",
      apn: "internet",
      pdptype: "ipv4v6",
    });
    const r = await modemProfile.driver.create(ctx("lte"), ncm);
    expect(parseUciShow(dev.uci("show network"))[0].options.pdptype).toBe("IPV4V6");
    expect(r.observed.inputs.pdptype).toBe("ipv4v6");
  });
});

export type { UciSectionInputs };
