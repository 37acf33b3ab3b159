/**
 * The RouterOS kinds of issue 13 item 6 that configure something RouterOS already has, in place: the singletons
 * Dns (`/ip/dns`) and SystemIdentity (`/system/identity`), Ethernet (ports found by `default-name`) and Service
 * (`/ip/service` entries found by `name`), against the
 * lab's in-process CLI emulator on every emulated version: create sets the item in place → a second up is a no-op
 * → an out-of-band change shows on refresh → update puts it back → destroy restores the item exactly as it was
 * (nothing is ever added or removed); the values before the first write travel as the secret output
 * `adoptionRecord`, never in the id; and bad input is rejected by `check`, naming the field, with no device I/O.
 */
import { type RouterOsVersion } from "../../lab/routeros/cli";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import type { ResourceKind } from "../../../provider/resources/kind";
import { kind as dns } from "../../../provider/resources/routeros/dns";
import { kind as identity } from "../../../provider/resources/routeros/system-identity";
import { kind as ethernet } from "../../../provider/resources/routeros/ethernet";
import { kind as service } from "../../../provider/resources/routeros/service";
import { catalogueProperties } from "../../../provider/routeros/catalogue";
import { clearVersionCache, parseVersion } from "../../../provider/routeros/version";
import { badInputs, ctxFor, WRITE } from "./lifecycle";
import { emulator, providerOnEmulator, VERSIONS, type Variation } from "./fixtures";

const VARIED: Variation = { floatIntegers: true, clockDurations: true, nullForUnset: true };

interface SingletonCase {
  kind: ResourceKind<object>;
  menu: string;
  /** The `print` of the item (default: the whole singleton menu). */
  print?: string;
  /** The id create returns. */
  id: RegExp;
  inputs: Record<string, unknown>;
  update: Record<string, unknown>;
  /** An out-of-band change (a CLI line) and what a read must then show. */
  drift: { line: string; expect: Record<string, unknown> };
}

const CASES: SingletonCase[] = [
  {
    kind: dns as unknown as ResourceKind<object>,
    menu: "/ip/dns",
    id: /^singleton:\/ip\/dns#adopted=/,
    inputs: {
      servers: ["192.0.2.53", "2001:db8::53"],
      allowRemoteRequests: true,
      cacheSize: 4096,
      cacheMaxTtl: "1d",
      queryServerTimeout: "500ms",
    },
    update: { servers: ["198.51.100.53"], allowRemoteRequests: false, maxUdpPacketSize: 1232 },
    drift: {
      line: "/ip/dns/set allow-remote-requests=no cache-size=8192",
      expect: { allowRemoteRequests: false, cacheSize: 8192 },
    },
  },
  {
    kind: identity as unknown as ResourceKind<object>,
    menu: "/system/identity",
    id: /^singleton:\/system\/identity#adopted=/,
    inputs: { name: "crs-site-a" },
    update: { name: "crs-site-b" },
    drift: { line: '/system/identity/set name="renamed by hand"', expect: { name: "renamed by hand" } },
  },
  {
    kind: ethernet as unknown as ResourceKind<object>,
    menu: "/interface/ethernet",
    print: '/interface/ethernet/print detail as-value where default-name="ether2"',
    id: /^\*[0-9A-F]+#adopted=/,
    inputs: { defaultName: "ether2", name: "ether2-lte", mtu: 1492, comment: "to the LTE router" },
    update: { defaultName: "ether2", arp: "reply-only", macAddress: "02:00:5e:00:53:99", disabled: true },
    drift: {
      line: '/interface/ethernet/set [find default-name="ether2"] mtu=1400 comment="by hand"',
      expect: { mtu: 1400, comment: "by hand" },
    },
  },
  {
    kind: service as unknown as ResourceKind<object>,
    menu: "/ip/service",
    print: '/ip/service/print detail as-value where name="winbox"',
    id: /^\*[0-9A-F]+#adopted=/,
    inputs: { name: "winbox", port: 8299, address: ["192.0.2.0/24", "2001:db8:6::10"] },
    update: { name: "winbox", address: ["198.51.100.0/24"], maxSessions: 5, disabled: true },
    drift: {
      line: '/ip/service/set [find where name="winbox"] port=9999 address=""',
      expect: { port: 9999, address: [] },
    },
  },
];

for (const c of CASES) {
  for (const [label, version, variation] of [
    ...VERSIONS.map((v) => [v, v, {}] as const),
    ["7.23 with variations", "7.23", VARIED] as const,
  ]) {
    describe(`emulator ${label}: ${c.kind.name}`, () => {
      beforeEach(() => clearVersionCache());
      const printed = (dev: ReturnType<typeof emulator>) =>
        JSON.parse(
          dev.run(
            `:put [:serialize to=json options=json.no-string-conversion [${c.print ?? `${c.menu}/print as-value`}]]`,
          ),
        );

      async function created() {
        const dev = emulator(version as RouterOsVersion, variation);
        const factory = printed(dev);
        const { ctx, transport } = ctxFor(dev, "site/prod/singleton");
        const inputs = c.kind.schema.parse(c.inputs);
        const res = await c.kind.driver.create(ctx, inputs);
        return { dev, factory, ctx, transport, inputs, res };
      }

      it("create sets the menu in place and reads back exactly the normalised inputs", async () => {
        const { res, inputs, factory, dev } = await created();
        expect(res.id).toMatch(c.id);
        expect(res.observed.inputs).toEqual(inputs);
        expect(printed(dev)).not.toEqual(factory);
      });

      it("a second up after create changes nothing on the device", async () => {
        const { ctx, transport, inputs, res } = await created();
        const before = transport.execs.length;
        expect((await c.kind.driver.read(ctx, res.id, inputs))?.observed.inputs).toEqual(inputs);
        expect((await c.kind.driver.update(ctx, res.id, inputs, inputs)).observed.inputs).toEqual(inputs);
        expect(transport.execs.slice(before).filter((l) => WRITE.test(l))).toEqual([]);
      });

      it("a read shows an out-of-band change as drift, and update puts it back", async () => {
        const { dev, ctx, inputs, res } = await created();
        expect(dev.run(c.drift.line)).toBe("");
        const read = await c.kind.driver.read(ctx, res.id, inputs);
        expect(read?.observed.inputs).toMatchObject(c.drift.expect);
        expect((await c.kind.driver.update(ctx, res.id, inputs, inputs)).observed.inputs).toEqual(inputs);
        expect((await c.kind.driver.read(ctx, res.id, inputs))?.observed.inputs).toEqual(inputs);
      });

      it("update sets the changed properties; inputs left out go back to RouterOS's defaults (or stay, where the device owns them)", async () => {
        const { ctx, inputs, res } = await created();
        const news = c.kind.schema.parse(c.update);
        const upd = await c.kind.driver.update(ctx, res.id, inputs, news);
        expect(upd.id).toBe(res.id);
        expect(upd.observed.inputs).toEqual(news);
        expect((await c.kind.driver.read(ctx, upd.id, news))?.observed.inputs).toEqual(news);
      });

      it("destroy (also after an update and drift) restores the menu exactly as it was and removes nothing", async () => {
        const { dev, ctx, inputs, res, factory } = await created();
        const news = c.kind.schema.parse(c.update);
        await c.kind.driver.update(ctx, res.id, inputs, news);
        expect(dev.run(c.drift.line)).toBe("");
        await c.kind.driver.delete(ctx, res.id, news);
        expect(printed(dev)).toEqual(factory);
        // The menu is still there: a read after destroy sees the factory values, not "gone".
        expect(await c.kind.driver.read(ctx, res.id, news)).toBeDefined();
      });
    });
  }
}

describe("in-place kinds through the dynamic provider", () => {
  const site = providerOnEmulator((dev) => {
    expect(dev.run('/system/identity/set name="old-name-c0ffee"')).toBe("");
  });

  it("keeps the values before out of the id, in the secret output adoptionRecord, and restores them on destroy", async () => {
    const p = makeProvider(identity);
    const checked = await p.check({}, { device: "crs", identity: "site/prod/identity", name: "crs-site-a" });
    expect(checked.failures ?? []).toEqual([]);
    const created = await p.create(checked.inputs);
    expect(created.id).toBe("singleton:/system/identity#adopted");
    expect(Buffer.from(String(created.outs.adoptionRecord), "base64url").toString("utf8")).toContain("old-name-c0ffee");
    const name = () => JSON.parse(site.dev.run(":put [:serialize to=json [/system/identity/print as-value]]")).name;
    expect(name()).toBe("crs-site-a");
    expect((await p.read(created.id, created.outs)).id).toBe(created.id);
    await p.delete(created.id, created.outs);
    expect(name()).toBe("old-name-c0ffee");
  });

  it("Ethernet: adopt's preview shows what create will change; the record goes to adoptionRecord; destroy restores", async () => {
    const p = makeProvider(ethernet);
    const raw = { device: "crs", identity: "site/prod/ether3", adopt: true, defaultName: "ether3", mtu: 1480 };
    const checked = await p.check({}, raw);
    expect(checked.failures ?? []).toEqual([]);
    expect(JSON.stringify(checked.inputs)).toContain("1500 → 1480");
    const created = await p.create(checked.inputs);
    expect(created.id).toMatch(/^\*[0-9A-F]+#adopted$/);
    expect(Buffer.from(String(created.outs.adoptionRecord), "base64url").toString("utf8")).toContain('"mtu":1500');
    const mtu = () =>
      JSON.parse(
        site.dev.run(
          ':put [:serialize to=json [/interface/ethernet/print detail as-value where default-name="ether3"]]',
        ),
      )[0].mtu;
    expect(mtu()).toBe(1480);
    await p.delete(created.id, created.outs);
    expect(mtu()).toBe(1500);
  });
});

describe("in-place kinds leave alone, and put back, what they were not told to change", () => {
  const site = providerOnEmulator();
  const json = (line: string) => JSON.parse(site.dev.run(`:put [:serialize to=json [${line}]]`));

  it("Service: an address restriction, session limit and VRF left out stay as they are", async () => {
    expect(site.dev.run('/ip/service/set [find where name="ssh"] address=192.0.2.0/24 max-sessions=5')).toBe("");
    const p = makeProvider(service);
    const checked = await p.check({}, { device: "crs", identity: "site/prod/ssh", name: "ssh", port: 2222 });
    expect(checked.failures ?? []).toEqual([]);
    await p.create(checked.inputs);
    const [ssh] = json('/ip/service/print detail as-value where name="ssh"');
    expect(ssh).toMatchObject({ port: 2222, "max-sessions": 5 });
    expect([ssh.address].flat().join(",")).toBe("192.0.2.0/24");
  });

  it("Dns: a derived property left out on update goes back to its value before; destroy puts back every recorded one", async () => {
    const before = json("/ip/dns/print as-value");
    const p = makeProvider(dns);
    const first = await p.check({}, { device: "crs", identity: "site/prod/dns", maxConcurrentQueries: "50" });
    expect(first.failures ?? []).toEqual([]);
    const created = await p.create(first.inputs);
    expect(String(json("/ip/dns/print as-value")["max-concurrent-queries"])).toBe("50");
    const second = await p.check(first.inputs, { device: "crs", identity: "site/prod/dns", addressListExtraTime: 60 });
    expect(second.failures ?? []).toEqual([]);
    const updated = await p.update(created.id, { ...first.inputs, ...created.outs }, second.inputs);
    const now = json("/ip/dns/print as-value");
    expect(now["max-concurrent-queries"]).toEqual(before["max-concurrent-queries"]);
    expect(now["address-list-extra-time"]).not.toEqual(before["address-list-extra-time"]);
    expect(site.dev.run("/ip/dns/set cache-max-ttl=2d")).toBe("");
    await p.delete(created.id, { ...second.inputs, ...updated.outs, adoptionRecord: created.outs.adoptionRecord });
    // /ip/dns has no `unset`: a property that printed no value before (address-list-extra-time here) cannot be
    // emptied again and stays; every property that had a value is back, derived ones included.
    const after = json("/ip/dns/print as-value");
    delete after["address-list-extra-time"];
    expect(after).toEqual(before);
  });
});

/** Every input away from the factory value, so every mapped property is sent. */
const EVERY_INPUT: Record<string, Record<string, unknown>> = {
  "routeros-dns": {
    servers: ["192.0.2.53"],
    allowRemoteRequests: true,
    cacheSize: 4096,
    cacheMaxTtl: 3600,
    maxUdpPacketSize: 1232,
    queryServerTimeout: 1,
    queryTotalTimeout: 5,
    useDohServer: "https://dns.example/dns-query",
    verifyDohCert: true,
  },
  "routeros-service": { name: "www", port: 8080, address: ["192.0.2.0/24"], maxSessions: 10, disabled: true },
  "routeros-ethernet": {
    defaultName: "ether3",
    name: "ether3-gpon",
    mtu: 1480,
    arp: "proxy-arp",
    macAddress: "02:00:5e:00:53:01",
    comment: "gpon ont",
    disabled: true,
  },
};

describe("in-place kinds against RouterOS's own schema", () => {
  beforeEach(() => clearVersionCache());

  it.each(CASES.map((c) => [c.kind.name, c] as const))(
    "%s: every property set is a `set` argument of the menu on 7.16, 7.19, 7.20 and 7.23",
    async (_name, c) => {
      const dev = emulator("7.20");
      const { ctx, transport } = ctxFor(dev, "site/prod/schema");
      const inputs = c.kind.schema.parse(EVERY_INPUT[c.kind.name] ?? c.inputs);
      // check's output is what Pulumi hands back to create: it must parse again to itself.
      expect(c.kind.schema.parse(inputs)).toEqual(inputs);
      await c.kind.driver.create(ctx, inputs);
      const line = transport.execs.find((l) => l.includes(`${c.menu}/set `))!;
      const set = line.slice(line.indexOf(`${c.menu}/set `)).split("; :put")[0];
      const sent = [...set.matchAll(/ ([a-z][a-z0-9-]*)=/g)].map((m) => m[1]);
      // Every input given, but the key that finds the item (read-only on the device: `default-name`, a service's `name`).
      const given = Object.keys(EVERY_INPUT[c.kind.name] ?? c.inputs);
      const keys: readonly string[] = c.kind.adoption?.naturalKey ?? [];
      expect(sent.length).toBe(given.filter((f) => !keys.includes(f)).length);
      for (const v of VERSIONS) {
        const known = catalogueProperties(c.menu, "set", parseVersion(v)!)!;
        expect(sent.filter((p) => !known.has(p))).toEqual([]);
      }
    },
  );
});

badInputs([
  ["dns server not an address", dns, { servers: ["dns.example"] }, "servers.0", /IPv4 or IPv6/],
  ["dns cache size 10", dns, { cacheSize: 10 }, "cacheSize", />=64/],
  ["dns cache max ttl word", dns, { cacheMaxTtl: "forever" }, "cacheMaxTtl", /duration/],
  ["dns query timeout in µs", dns, { queryServerTimeout: 0.0001 }, "queryServerTimeout", /millisecond/],
  ["dns doh over http", dns, { useDohServer: "http://dns.example/q" }, "useDohServer", /https/],
  ["dns unknown property server", dns, { server: ["192.0.2.1"] }, "server", /unknown property/],
  ["ethernet without default-name", ethernet, { name: "wan" }, "defaultName", /expected string/],
  ["ethernet mtu 9001", ethernet, { defaultName: "ether1", mtu: 9001 }, "mtu", /9000/],
  ["ethernet arp on", ethernet, { defaultName: "ether1", arp: "on" }, "arp", /reply-only/],
  ["ethernet mac too short", ethernet, { defaultName: "ether1", macAddress: "02:00" }, "macAddress", /MAC/],
  ["ethernet name with a space", ethernet, { defaultName: "ether1", name: "wan 1" }, "name", /interface name/],
  ["service unknown", service, { name: "http" }, "name", /www/],
  ["service port 0", service, { name: "www", port: 0 }, "port", />=1/],
  [
    "service address with host bits",
    service,
    { name: "www", address: ["192.0.2.1/24"] },
    "address.0",
    /prefix|address/,
  ],
  ["service ssh disabled", service, { name: "ssh", disabled: true }, "disabled", /lock itself out/],
  ["identity empty", identity, { name: "" }, "name", /empty/],
  ["identity with a newline", identity, { name: "a\nb" }, "name", /control/],
  ["identity too long", identity, { name: "x".repeat(65) }, "name", /64/],
]);

describe("Ethernet specifics", () => {
  beforeEach(() => clearVersionCache());

  it("a port that does not exist is an error naming it, and nothing is written", async () => {
    const dev = emulator("7.20");
    const { ctx, transport } = ctxFor(dev, "site/prod/eth");
    await expect(
      ethernet.driver.create(ctx, ethernet.schema.parse({ defaultName: "ether9", mtu: 1400 })),
    ).rejects.toThrow(/\/interface\/ethernet has no item with default-name=ether9/);
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("finds its port by default-name after an out-of-band rename; a name left out is the device's, not drift", async () => {
    const dev = emulator("7.20");
    const { ctx, transport } = ctxFor(dev, "site/prod/eth");
    const inputs = ethernet.schema.parse({ defaultName: "ether4", mtu: 1400 });
    const res = await ethernet.driver.create(ctx, inputs);
    expect(dev.run('/interface/ethernet/set [find default-name="ether4"] name=renamed')).toBe("");
    const read = await ethernet.driver.read(ctx, res.id, inputs);
    expect(read?.observed.inputs).toEqual(inputs);
    const before = transport.execs.length;
    await ethernet.driver.update(ctx, res.id, inputs, inputs);
    expect(transport.execs.slice(before).filter((l) => WRITE.test(l))).toEqual([]);
    // Destroy restores the name it had at create (ether4), the rename made since included.
    await ethernet.driver.delete(ctx, res.id, inputs);
    const [port] = JSON.parse(
      dev.run(
        ':put [:serialize to=json options=json.no-string-conversion [/interface/ethernet/print detail as-value where default-name="ether4"]]',
      ),
    );
    expect(port).toMatchObject({ name: "ether4", mtu: 1500 });
  });
});
