/**
 * OpenWrt StaticRoute (network.route / route6) and NatRule (fw4 redirect / nat), issue #6, against the local uci
 * device: create → read is a no-op → out-of-band drift is seen → update converges → delete leaves nothing; bad
 * inputs are refused by the schema naming the field, and nothing reaches the device.
 * Option names follow the OpenWrt docs pages (routes_configuration, firewall_configuration), not measured on a
 * router [I]; the uci behaviour they rely on is docs/reference/openwrt-uci.md's.
 */
import { kind as staticRoute } from "../../../provider/resources/openwrt/static-route";
import { kind as natRule } from "../../../provider/resources/openwrt/nat-rule";
import type { OpContext } from "../../../provider/resources/kind";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { makeLocalDevice, type LocalDevice } from "./local-device";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
});
afterEach(() => dev.cleanup());

const ctx = (name: string): OpContext => dev.ctx(name);
const sections = (pkg: string) => dev.sections(pkg);
const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);

describe("StaticRoute", () => {
  const v4 = staticRoute.schema.parse({
    name: "lte_host",
    interface: "wwan",
    target: "198.51.100.0/24",
    gateway: "192.0.2.1",
    metric: 10,
    table: 100,
    onlink: true,
  });

  it("create → no-op read → drift seen → update → delete leaves nothing (one network reload per write)", async () => {
    const r = await staticRoute.driver.create(ctx("r4"), v4);
    expect(r.id).toBe("network.lte_host");
    expect(sections("network")).toEqual(
      [
        {
          package: "network",
          name: "lte_host",
          type: "route",
          options: {
            interface: "wwan",
            target: "198.51.100.0/24",
            gateway: "192.0.2.1",
            metric: "10",
            table: "100",
            onlink: "1",
          },
        },
      ].map((s) => expect.objectContaining(s)),
    );
    expect(r.observed.inputs).toEqual({ ...v4, family: "ipv4", extraOptions: {} });
    expect(dev.events()).toEqual(["network reload"]);
    const read = await staticRoute.driver.read(ctx("r4"), r.id, v4);
    expect(read?.observed.inputs).toEqual(r.observed.inputs);

    dev.uci(
      "batch",
      "set network.lte_host.metric='20'\nset network.lte_host.mtu='1400'\nset network.lte_host.proto='static'\ncommit network\n",
    );
    const drift = await staticRoute.driver.read(ctx("r4"), r.id, v4);
    expect(drift?.observed.inputs).toMatchObject({ metric: 20, mtu: 1400, extraOptions: { proto: "static" } });

    const v4b = staticRoute.schema.parse({
      name: "lte_host",
      interface: "wwan",
      target: "198.51.100.0/24",
      gateway: "192.0.2.1",
      metric: 30,
      mtu: 1400,
      type: "unicast",
    });
    const u = await staticRoute.driver.update(ctx("r4"), r.id, v4, v4b);
    expect(sections("network")[0].options).toEqual({
      interface: "wwan",
      target: "198.51.100.0/24",
      gateway: "192.0.2.1",
      metric: "30",
      mtu: "1400",
      type: "unicast",
    });
    expect(u.observed.inputs).toEqual({ ...v4b, extraOptions: {} });
    expect(dev.events()).toEqual(["network reload", "network reload"]);

    await staticRoute.driver.delete(ctx("r4"), r.id, v4b);
    expect(dev.uci("show network")).toBe("");
    expect(await staticRoute.driver.read(ctx("r4"), r.id, v4b)).toBeUndefined();
  });

  it("an IPv6 target makes a route6 section with a CIDR target; a family change is a replace", async () => {
    const v6 = staticRoute.schema.parse({
      interface: "wwan",
      target: "2001:0db8:0001::/48",
      gateway: "2001:db8::0001",
    });
    expect(v6).toMatchObject({ target: "2001:db8:1::/48", gateway: "2001:db8::1", family: "ipv6" });
    const r = await staticRoute.driver.create(ctx("r6"), v6);
    const [s] = sections("network");
    expect(s.type).toBe("route6");
    expect(s.options).toEqual({ interface: "wwan", target: "2001:db8:1::/48", gateway: "2001:db8::1" });
    expect(r.observed.inputs.family).toBe("ipv6");
    const p = makeProvider(staticRoute);
    const common = { device: "dlink", identity: "site/lab/r6", adopt: false };
    const olds = { ...common, ...r.observed.inputs };
    const to4 = (await p.check({}, { ...common, interface: "wwan", target: "0.0.0.0/0", gateway: "192.0.2.1" })).inputs;
    expect(await p.diff("network.x", olds, to4)).toMatchObject({
      changes: true,
      replaces: expect.arrayContaining(["family"]),
      deleteBeforeReplace: true,
    });
    const same6 = (
      await p.check({}, { ...common, interface: "wwan", target: "2001:db8:2::/48", gateway: "2001:db8::1" })
    ).inputs;
    expect((await p.diff("network.x", olds, same6)).replaces).toEqual([]);
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(
      issues(
        staticRoute.schema.safeParse({ name: "bad-name", interface: "wwan", target: "198.51.100.1/24", metric: -1 }),
      ),
    ).toEqual([
      "name: must be a uci name (letters, digits and _ only)",
      "target: must be an IPv4 or IPv6 prefix such as 198.51.100.0/24 or 2001:db8::/32 (no host bits set)",
      expect.stringMatching(/^metric: /),
    ]);
    expect(
      issues(
        staticRoute.schema.safeParse({
          interface: "wwan",
          target: "0.0.0.0/0",
          gateway: "2001:db8::1",
          source: "2001:db8::2",
          family: "ipv6",
          extraOptions: { netmask: "0.0.0.0" },
        }),
      ),
    ).toEqual([
      "extraOptions.netmask: is a field of StaticRoute; set it there",
      "family: is ipv6 but target 0.0.0.0/0 is ipv4",
      "gateway: must be an IPv4 address like target",
      "source: must be IPv4 like target",
    ]);
    expect(
      issues(
        staticRoute.schema.safeParse({ interface: "wwan", target: "::/0", type: "nat", table: "main table", bogus: 1 }),
      ),
    ).toEqual([
      expect.stringMatching(/^table: must be a table number or name/),
      expect.stringMatching(/^type: /),
      expect.stringMatching(/bogus/),
    ]);
    const p = makeProvider(staticRoute);
    const c = await p.check(
      {},
      { device: "dlink", identity: "site/lab/bad", interface: "wwan", target: "198.51.100.0/33" },
    );
    expect(c.failures.map((f) => f.property)).toEqual(["target"]);
    expect(dev.transport.commands).toEqual([]);
  });
});

describe("NatRule", () => {
  const dnat = natRule.schema.parse({
    section: "redirect",
    name: "fwd_ssh",
    ruleName: "ssh to nas",
    src: "wan",
    dest: "lan",
    proto: "tcp",
    srcDport: 2222,
    destIp: "192.0.2.10",
    destPort: "22",
  });
  const masq = natRule.schema.parse({
    section: "nat",
    ruleName: "masq lte",
    src: "wwan",
    srcIp: "192.0.2.0/24",
    target: "MASQUERADE",
  });

  it("create → no-op read → drift seen → update → delete leaves nothing (one firewall reload per burst)", async () => {
    const [a, b] = await Promise.all([
      natRule.driver.create(ctx("ssh"), dnat),
      natRule.driver.create(ctx("masq"), masq),
    ]);
    expect(a.id).toBe("firewall.fwd_ssh");
    expect(b.id).toMatch(/^firewall\.rs_masq_[0-9a-f]{8}$/);
    expect(dev.events()).toEqual(["firewall reload"]);
    const byName = Object.fromEntries(sections("firewall").map((s) => [s.name, s]));
    expect(byName.fwd_ssh).toMatchObject({
      type: "redirect",
      options: {
        name: "ssh to nas",
        src: "wan",
        dest: "lan",
        proto: "tcp",
        src_dport: "2222",
        dest_ip: "192.0.2.10",
        dest_port: "22",
      },
    });
    expect(Object.keys(byName.fwd_ssh.options)).not.toContain("target");
    expect(byName[b.id.split(".")[1]]).toMatchObject({
      type: "nat",
      options: { name: "masq lte", src: "wwan", src_ip: "192.0.2.0/24", target: "MASQUERADE" },
    });
    expect(a.observed.inputs).toEqual(dnat);
    expect((await natRule.driver.read(ctx("masq"), b.id, masq))?.observed.inputs).toEqual(masq);

    dev.uci("batch", "set firewall.fwd_ssh.dest_port='2022'\nset firewall.fwd_ssh.reflection='0'\ncommit firewall\n");
    const seen = await natRule.driver.read(ctx("ssh"), a.id, dnat);
    expect(seen?.observed.inputs).toMatchObject({ destPort: "2022", reflection: false });

    const dnat2 = natRule.schema.parse({
      section: "redirect",
      name: "fwd_ssh",
      src: "wan",
      proto: "tcp",
      srcDport: "2222",
      destIp: "192.0.2.11",
      destPort: 22,
      target: "DNAT",
      enabled: false,
    });
    await natRule.driver.update(ctx("ssh"), a.id, dnat, dnat2);
    expect(sections("firewall").find((s) => s.name === "fwd_ssh")!.options).toEqual({
      src: "wan",
      proto: "tcp",
      src_dport: "2222",
      dest_ip: "192.0.2.11",
      dest_port: "22",
      target: "DNAT",
      enabled: "0",
    });
    expect(dev.events()).toEqual(["firewall reload", "firewall reload"]);

    await natRule.driver.delete(ctx("ssh"), a.id, dnat2);
    await natRule.driver.delete(ctx("masq"), b.id, masq);
    expect(dev.uci("show firewall")).toBe("");
    expect(await natRule.driver.read(ctx("ssh"), a.id, dnat2)).toBeUndefined();
  });

  it("SNAT in a nat section writes snat_ip and device; changing section replaces", async () => {
    const snat = natRule.schema.parse({
      section: "nat",
      target: "SNAT",
      outDevice: "wwan0",
      srcIp: "192.0.2.0/24",
      snatIp: "203.0.113.5",
      proto: "all",
    });
    const r = await natRule.driver.create(ctx("snat"), snat);
    expect(sections("firewall")[0]).toMatchObject({
      type: "nat",
      options: { target: "SNAT", device: "wwan0", src_ip: "192.0.2.0/24", snat_ip: "203.0.113.5", proto: "all" },
    });
    const p = makeProvider(natRule);
    const common = { device: "dlink", identity: "site/lab/snat", adopt: false };
    const news = (
      await p.check(
        {},
        { ...common, section: "redirect", target: "SNAT", src: "lan", dest: "wan", srcDip: "203.0.113.5" },
      )
    ).inputs;
    expect(await p.diff(r.id, { ...common, ...r.observed.inputs }, news)).toMatchObject({
      replaces: ["section"],
      deleteBeforeReplace: true,
    });
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(
      issues(natRule.schema.safeParse({ section: "nat", target: "DNAT", src: "wan", srcDport: "22", dest: "lan" })),
    ).toEqual([
      'dest: is a redirect option; not used by section "nat"',
      'srcDport: is a redirect option; not used by section "nat"',
      'target: must be SNAT, MASQUERADE or ACCEPT for section "nat"',
    ]);
    expect(
      issues(
        natRule.schema.safeParse({
          section: "redirect",
          target: "MASQUERADE",
          snatIp: "192.0.2.1",
          outDevice: "eth0",
          src: "wan",
        }),
      ),
    ).toEqual([
      'snatIp: is a nat option; not used by section "redirect"',
      'outDevice: is a nat option; not used by section "redirect"',
      'target: must be DNAT or SNAT for section "redirect"',
    ]);
    expect(
      issues(
        natRule.schema.safeParse({
          section: "redirect",
          src: "wan",
          proto: "icmp",
          srcDport: "70000",
          destIp: "2001:db8::1",
          srcIp: "192.0.2.0/24",
          extraOptions: { src_dport: "1" },
        }),
      ),
    ).toEqual(["srcDport: must be a port or range such as 8080 or 1000-2000 (1..65535)"]);
    expect(
      issues(
        natRule.schema.safeParse({
          section: "redirect",
          src: "wan",
          proto: "icmp",
          destPort: "22",
          destIp: "2001:db8::1",
          srcIp: "192.0.2.0/24",
          extraOptions: { src_dport: "1" },
        }),
      ),
    ).toEqual([
      "extraOptions.src_dport: is a field of NatRule; set it there",
      "destPort: needs proto tcp, udp or tcpudp",
      "destIp: must be IPv4 like the rule's other addresses / family",
    ]);
    expect(issues(natRule.schema.safeParse({ section: "nat", target: "SNAT", src: "wan" }))).toEqual([
      "snatIp: is required for SNAT",
    ]);
    expect(issues(natRule.schema.safeParse({ section: "redirect", destIp: "192.0.2.1" }))).toEqual([
      "src: is required for a DNAT redirect (the zone traffic comes from)",
    ]);
    expect(
      issues(
        natRule.schema.safeParse({
          section: "redirect",
          name: "a.b",
          src: "wan",
          destIp: "192.0.2.1",
          ruleName: "x\u0001",
        }),
      ),
    ).toEqual([
      "name: must be a uci name (letters, digits and _ only)",
      "ruleName: must not contain control characters other than TAB, LF and CR",
    ]);
    const p = makeProvider(natRule);
    const c = await p.check(
      {},
      {
        device: "dlink",
        identity: "site/lab/bad",
        section: "nat",
        target: "MASQUERADE",
        src: "wan",
        srcIp: "192.0.2.300",
      },
    );
    expect(c.failures.map((f) => f.property)).toEqual(["srcIp"]);
    expect(dev.transport.commands).toEqual([]);
  });
});
