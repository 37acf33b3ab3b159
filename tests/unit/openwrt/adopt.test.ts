/**
 * Adoption (issue 7) of the typed OpenWrt kinds on uci (StaticRoute, NatRule, ModemProfile) and of a BIRD file
 * kind, against the local uci stand-in (openwrt-uci.md): a named section made by hand is adopted by its name;
 * with the device's own values nothing is committed and nothing reloads; a second apply is a no-op; drift shows
 * and update puts it back; the preview look lists option changes as `device → declared` (secrets masked);
 * destroy restores the section exactly (the package's `uci show` equals the one before) and never deletes it.
 * Anonymous sections cannot be adopted (their names shift): adopt then creates a named section of its own and
 * leaves the anonymous one alone.
 */
import { kindsOf } from "../../../provider/import/kinds";
import * as fs from "fs";
import * as path from "path";
import { kind as staticRoute } from "../../../provider/resources/openwrt/static-route";
import { kind as natRule } from "../../../provider/resources/openwrt/nat-rule";
import { kind as modemProfile } from "../../../provider/resources/openwrt/modem-profile";
import { kind as birdStatic } from "../../../provider/resources/openwrt/bird-static";
import { kind as uciSection } from "../../../provider/resources/openwrt/uci-section";
import { kind as bgpSession } from "../../../provider/resources/openwrt/bgp-session";
import type { OpContext, UntypedKind } from "../../../provider/resources/kind";
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { openwrtSettings } from "../../../provider/openwrt/settings";
import { makeLocalDevice, type LocalDevice } from "./local-device";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
});
afterEach(() => dev.cleanup());

const ctx = (name: string, adopt = true): OpContext => dev.ctx(name, adopt);
const confFile = (pkg: string) => {
  const f = path.join(dev.confDir, pkg);
  return fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "";
};

interface UciAdoptCase {
  kind: UntypedKind;
  pkg: string;
  /** `uci batch` lines (without commit) making the existing section by hand. */
  existing: string;
  /** The device's own values, as the importer would write them. */
  inputs: Record<string, unknown>;
  /** A declared change and the uci option change the preview shows. */
  change: { inputs: Record<string, unknown>; option: string; shown: string };
  /** Out-of-band `uci batch` edit and what a read then reports. */
  drift: { batch: string; expect: Record<string, unknown> };
}

function uciAdoptLifecycle(c: UciAdoptCase): void {
  const parse = (raw: unknown) => c.kind.schema.parse(raw);
  const handMade = () => dev.uci("batch", `${c.existing}\ncommit ${c.pkg}\n`);

  it("preview finds the section with no change; adopting writes and reloads nothing; a second apply is a no-op", async () => {
    handMade();
    const before = confFile(c.pkg);
    const inputs = parse(c.inputs);
    const p = await c.kind.driver.preview!(ctx("x"), inputs);
    expect(p).toEqual({ found: expect.stringMatching(new RegExp(`^${c.pkg}\\.`)), changes: {} });
    const r = await c.kind.driver.create(ctx("x"), inputs);
    expect(r.id).toMatch(/#adopted=/);
    expect(r.observed.outputs.adopted).toBe(true);
    expect(confFile(c.pkg)).toBe(before);
    expect(dev.events()).toEqual([]);
    const read = await c.kind.driver.read(ctx("x"), r.id, inputs);
    expect(read?.observed.inputs).toEqual(r.observed.inputs);
    await c.kind.driver.update(ctx("x"), r.id, inputs, inputs);
    expect(confFile(c.pkg)).toBe(before);
    expect(dev.events()).toEqual([]);
  });

  it("drift is seen and update restores it; a declared change shows in preview, is applied, and destroy restores the original", async () => {
    handMade();
    const before = confFile(c.pkg);
    const inputs = parse(c.inputs);
    const r = await c.kind.driver.create(ctx("x"), inputs);
    dev.uci("batch", `${c.drift.batch}\ncommit ${c.pkg}\n`);
    const drift = await c.kind.driver.read(ctx("x"), r.id, inputs);
    expect(drift?.observed.inputs).toMatchObject(c.drift.expect);
    await c.kind.driver.update(ctx("x"), r.id, drift!.observed.inputs, inputs);
    expect(confFile(c.pkg)).toBe(before);

    const news = parse(c.change.inputs);
    const p = await c.kind.driver.preview!(ctx("x"), news);
    expect(p.changes).toEqual({ [c.change.option]: c.change.shown });
    await c.kind.driver.update(ctx("x"), r.id, inputs, news);
    expect(confFile(c.pkg)).not.toBe(before);
    await c.kind.driver.delete(ctx("x"), r.id, news);
    expect(confFile(c.pkg)).toBe(before);
  });
}

describe("adopt: OpenWrt StaticRoute (by section name)", () => {
  uciAdoptLifecycle({
    kind: staticRoute,
    pkg: "network",
    existing:
      "set network.lte_host=route\nset network.lte_host.interface='wwan'\nset network.lte_host.target='198.51.100.0/24'\nset network.lte_host.gateway='192.0.2.1'",
    inputs: { name: "lte_host", interface: "wwan", target: "198.51.100.0/24", gateway: "192.0.2.1" },
    change: {
      inputs: { name: "lte_host", interface: "wwan", target: "198.51.100.0/24", gateway: "192.0.2.1", metric: 10 },
      option: "metric",
      shown: "(unset) → 10",
    },
    drift: { batch: "set network.lte_host.gateway='192.0.2.9'", expect: { gateway: "192.0.2.9" } },
  });
});

describe("adopt: OpenWrt NatRule (by section name)", () => {
  uciAdoptLifecycle({
    kind: natRule,
    pkg: "firewall",
    existing:
      "set firewall.ssh_fwd=redirect\nset firewall.ssh_fwd.target='DNAT'\nset firewall.ssh_fwd.src='wan'\nset firewall.ssh_fwd.proto='tcp'\nset firewall.ssh_fwd.src_dport='2222'\nset firewall.ssh_fwd.dest_ip='192.0.2.10'\nset firewall.ssh_fwd.dest_port='22'",
    inputs: {
      section: "redirect",
      name: "ssh_fwd",
      target: "DNAT",
      src: "wan",
      proto: "tcp",
      srcDport: "2222",
      destIp: "192.0.2.10",
      destPort: "22",
    },
    change: {
      inputs: {
        section: "redirect",
        name: "ssh_fwd",
        target: "DNAT",
        src: "wan",
        proto: "tcp",
        srcDport: "2222",
        destIp: "192.0.2.11",
        destPort: "22",
      },
      option: "dest_ip",
      shown: "192.0.2.10 → 192.0.2.11",
    },
    drift: { batch: "set firewall.ssh_fwd.dest_port='23'", expect: { destPort: "23" } },
  });
});

describe("adopt: OpenWrt ModemProfile (by interface name)", () => {
  uciAdoptLifecycle({
    kind: modemProfile,
    pkg: "network",
    existing:
      "set network.wwan=interface\nset network.wwan.proto='qmi'\nset network.wwan.device='/dev/cdc-wdm0'\nset network.wwan.apn='internet'\nset network.wwan.pincode='1234'",
    inputs: { name: "wwan", proto: "qmi", modemDevice: "/dev/cdc-wdm0", apn: "internet", pincode: "1234" },
    // Secrets are not recorded at adoption, so destroy cannot put a changed PIN back: the change is to `metric`.
    change: {
      inputs: {
        name: "wwan",
        proto: "qmi",
        modemDevice: "/dev/cdc-wdm0",
        apn: "internet",
        pincode: "1234",
        metric: 10,
      },
      option: "metric",
      shown: "(unset) → 10",
    },
    drift: { batch: "set network.wwan.apn='other'", expect: { apn: "other" } },
  });
});

describe("adopt: what cannot be taken over, and BIRD files", () => {
  it("an anonymous section is not adopted: adopt makes a named section of its own and destroy leaves the anonymous one", async () => {
    dev.uci(
      "batch",
      "add firewall redirect\nset firewall.@redirect[-1].target='DNAT'\nset firewall.@redirect[-1].src='wan'\nset firewall.@redirect[-1].proto='tcp'\nset firewall.@redirect[-1].src_dport='2222'\nset firewall.@redirect[-1].dest_ip='192.0.2.10'\ncommit firewall\n",
    );
    const before = confFile("firewall");
    const inputs = natRule.schema.parse({
      section: "redirect",
      target: "DNAT",
      src: "wan",
      proto: "tcp",
      srcDport: "2222",
      destIp: "192.0.2.10",
    });
    expect((await natRule.driver.preview!(ctx("fwd"), inputs)).found).toBe(false);
    const r = await natRule.driver.create(ctx("fwd"), inputs);
    expect(r.id).not.toMatch(/adopted/);
    expect(r.id).toMatch(/^firewall\.rs_fwd_[0-9a-f]{8}$/);
    await natRule.driver.delete(ctx("fwd"), r.id, inputs);
    expect(confFile("firewall")).toBe(before);
  });

  it("the preview never shows a secret's value", async () => {
    dev.uci(
      "batch",
      "set network.wwan=interface\nset network.wwan.proto='qmi'\nset network.wwan.device='/dev/cdc-wdm0'\nset network.wwan.apn='internet'\nset network.wwan.pincode='1234'\ncommit network\n",
    );
    const p = await modemProfile.driver.preview!(
      ctx("wwan"),
      modemProfile.schema.parse({
        name: "wwan",
        proto: "qmi",
        modemDevice: "/dev/cdc-wdm0",
        apn: "internet",
        pincode: "4321",
      }),
    );
    expect(p.changes).toEqual({ pincode: "(secret) → (secret)" });
    expect(JSON.stringify(p)).not.toMatch(/1234|4321/);
  });

  it("UciSection adopts by name and restores undeclared options it removed", async () => {
    dev.uci(
      "batch",
      "set network.lan=interface\nset network.lan.proto='static'\nset network.lan.ipaddr='192.0.2.1'\nset network.lan.netmask='255.255.255.0'\ncommit network\n",
    );
    const before = confFile("network");
    const inputs = uciSection.schema.parse({
      package: "network",
      name: "lan",
      type: "interface",
      options: { proto: "static", ipaddr: "192.0.2.1/24" },
    });
    const p = await uciSection.driver.preview!(ctx("lan"), inputs);
    expect(p.changes).toEqual({ ipaddr: "192.0.2.1 → 192.0.2.1/24", netmask: "255.255.255.0 → (unset)" });
    const r = await uciSection.driver.create(ctx("lan"), inputs);
    expect(confFile("network")).not.toBe(before);
    await uciSection.driver.delete(ctx("lan"), r.id, inputs);
    expect(confFile("network")).toBe(before);
  });

  it("a BIRD file is adopted by path: the preview says how it changes, destroy puts the original back", async () => {
    const s = openwrtSettings();
    const file = path.join(s.birdDir, "lte_default.conf");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(s.birdConf, `router id 198.51.100.1;\nprotocol device {}\ninclude "${s.birdDir}/*.conf";\n`);
    const original = 'protocol static lte_default { ipv4; route 0.0.0.0/0 via "wwan0"; }\n';
    fs.writeFileSync(file, original, { mode: 0o640 });
    fs.chmodSync(file, 0o640);
    const inputs = birdStatic.schema.parse({
      name: "lte_default",
      routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }],
    });
    const p = await birdStatic.driver.preview!(ctx("lte"), inputs);
    expect(p.found).toBe(file);
    expect(p.changes.content).toMatch(/^2 lines → \d+ lines$/);
    const r = await birdStatic.driver.create(ctx("lte"), inputs);
    expect(fs.readFileSync(file, "utf8")).not.toBe(original);
    await birdStatic.driver.delete(ctx("lte"), r.id, inputs);
    expect(fs.readFileSync(file, "utf8")).toBe(original);
  });

  it("every OpenWrt kind documents how it adopts and restores on destroy", () => {
    for (const k of [staticRoute, natRule, modemProfile, uciSection, birdStatic, bgpSession]) {
      expect(k.adoption?.onDestroy).toBe("restore");
      expect(k.adoption?.note).toMatch(/section name|file path/);
    }
  });
});

describe("adopt through the dynamic provider on OpenWrt", () => {
  let spy: jest.SpyInstance | undefined;
  afterEach(() => spy?.mockRestore());

  it("check of a new resource with adopt shows the option changes; bad input names the field and reaches nothing", async () => {
    dev.uci(
      "batch",
      "set network.lte_host=route\nset network.lte_host.interface='wwan'\nset network.lte_host.target='198.51.100.0/24'\ncommit network\n",
    );
    spy = jest.spyOn(devices, "transportFor").mockReturnValue(dev.transport);
    const p = makeProvider(staticRoute);
    const raw = {
      device: "dlink",
      identity: "site/lab/r",
      adopt: true,
      name: "lte_host",
      interface: "wwan",
      target: "198.51.100.0/24",
      metric: 5,
    };
    const checked = await p.check({}, raw);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.adoption).toEqual({ found: "network.lte_host", changes: { metric: "(unset) → 5" } });
    expect(dev.events()).toEqual([]);
    spy.mockClear();
    const bad = await p.check({}, { ...raw, metric: -1 });
    expect(bad.failures.map((f) => f.property)).toEqual(["metric"]);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("every OpenWrt kind declares how it adopts", () => {
  it("has an adoption spec restoring on destroy", () => {
    for (const k of kindsOf("openwrt")) {
      expect([k.name, k.adoption?.onDestroy]).toEqual([k.name, "restore"]);
    }
  });
});
