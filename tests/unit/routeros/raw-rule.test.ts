/**
 * RawRule (`/ip/firewall/raw`, `/ipv6/firewall/raw`) with declared order (provider/routeros/rule-order.ts, as
 * FirewallRule) against the lab's in-process CLI emulator (menus-site.ts) on every emulated version: the shared
 * lifecycle, order among managed rules with an unmanaged rule in between, an out-of-band `move` read as drift and
 * restored by update, every property sent being an argument of RouterOS's own schema, and bad input rejected by
 * `check` naming the field with no device I/O.
 */
import { kind, type RawRuleInputs } from "../../../provider/resources/routeros/raw-rule";
import { catalogueProperties } from "../../../provider/routeros/catalogue";
import { clearVersionCache, parseVersion } from "../../../provider/routeros/version";
import { badInputs, ctxFor, lifecycle } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

const WRITES = /\/(add|set|remove|move|unset)\b/;

const parse = (raw: unknown): RawRuleInputs => kind.schema.parse(raw);

function comments(dev: ReturnType<typeof emulator>, menu: string): string[] {
  return (dev.dump()[menu] as { comment?: string }[]).map((r) => r.comment ?? "");
}

for (const v of VERSIONS) {
  describe(`emulator ${v}: routeros-raw-rule (drop a bogon source before conntrack)`, () => {
    lifecycle({
      kind,
      menu: "/ip/firewall/raw",
      newDevice: () => emulator(v, {}, { startingConfig: "empty" }),
      inputs: {
        chain: "prerouting",
        action: "drop",
        srcAddress: "203.0.113.0/24",
        inInterface: "pppoe-gpon",
        comment: "bogon",
        order: 0,
      },
      update: {
        chain: "prerouting",
        action: "drop",
        srcAddress: "203.0.113.0/24",
        inInterface: "pppoe-gpon",
        log: true,
        logPrefix: "bogon",
        order: 0,
      },
      unsetField: "comment",
      drift: { args: [{ kind: "value", prop: "log", value: true }], expect: { log: true } },
    });
  });

  describe(`emulator ${v}: routeros-raw-rule IPv6 notrack (family from the address)`, () => {
    lifecycle({
      kind,
      menu: "/ipv6/firewall/raw",
      newDevice: () => emulator(v, {}, { startingConfig: "empty" }),
      inputs: { chain: "prerouting", action: "notrack", dstAddress: "2001:db8:6::/64", protocol: "udp", dstPort: "53" },
      update: {
        chain: "prerouting",
        action: "notrack",
        dstAddress: "2001:db8:6::/64",
        protocol: "udp",
        dstPort: "53",
        disabled: true,
      },
      drift: { args: [{ kind: "value", prop: "dst-port", value: "5353" }], expect: { dstPort: "5353" } },
    });
  });
}

describe("RawRule: declared order among managed rules", () => {
  beforeEach(() => clearVersionCache());
  const menu = "/ip/firewall/raw";
  const rule = (n: number, extra: object = {}) =>
    parse({ chain: "prerouting", action: "drop", srcAddress: `198.51.100.${n}`, order: n * 10, ...extra });

  async function three() {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    expect(dev.run('/ip/firewall/raw/add chain=prerouting action=accept comment="admin: keep"')).toBe("");
    const ids: Record<number, string> = {};
    const ctxs: Record<number, ReturnType<typeof ctxFor>> = {};
    for (const n of [3, 1, 2]) {
      ctxs[n] = ctxFor(dev, `site/prod/r${n}`);
      ids[n] = (await kind.driver.create(ctxs[n].ctx, rule(n))).id;
    }
    return { dev, ids, ctxs };
  }

  it("create places each rule by order; an out-of-band move is drift on the moved rule, and update moves it back", async () => {
    const { dev, ids, ctxs } = await three();
    expect(comments(dev, menu)).toEqual([
      "admin: keep",
      "rs:site/prod/r1 order=10",
      "rs:site/prod/r2 order=20",
      "rs:site/prod/r3 order=30",
    ]);
    expect(dev.run(`/ip/firewall/raw/move ${ids[3]} ${ids[1]}`)).toBe("");
    const reads = await Promise.all([1, 2, 3].map((n) => kind.driver.read(ctxs[n].ctx, ids[n], rule(n))));
    expect(reads.map((r) => r?.observed.inputs.order)).toEqual([10, 20, 10]);
    const before = ctxs[3].transport.execs.length;
    const upd = await kind.driver.update(ctxs[3].ctx, ids[3], rule(3), rule(3));
    expect(upd.observed.inputs).toEqual(rule(3));
    const writes = ctxs[3].transport.execs.slice(before).filter((l) => WRITES.test(l));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/\/ip\/firewall\/raw\/move \*[0-9A-F]+/);
    expect(comments(dev, menu)).toEqual([
      "admin: keep",
      "rs:site/prod/r1 order=10",
      "rs:site/prod/r2 order=20",
      "rs:site/prod/r3 order=30",
    ]);
    for (const n of [1, 2, 3]) await kind.driver.delete(ctxs[n].ctx, ids[n], rule(n));
    expect(comments(dev, menu)).toEqual(["admin: keep"]);
  });

  it("every property sent is an add argument of the menu in RouterOS's own schema on every version", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const { ctx, transport } = ctxFor(dev, "site/prod/all");
    const inputs = parse({
      chain: "prerouting",
      action: "jump",
      jumpTarget: "bogons",
      srcAddress: "203.0.113.0/24",
      dstAddress: "198.51.100.0/24",
      srcAddressList: "a",
      dstAddressList: "b",
      protocol: "tcp",
      srcPort: "1000-2000",
      dstPort: "443",
      inInterface: "ether1",
      inInterfaceList: "!LAN",
      log: true,
      logPrefix: "raw",
      comment: "all",
      disabled: true,
      order: 1,
    });
    await kind.driver.create(ctx, inputs);
    const line = transport.execs.find((l) => l.includes("/ip/firewall/raw/add "))!;
    // The add command alone, its quoted values blanked (the comment holds `order=1`).
    const add = line
      .slice(line.indexOf("/ip/firewall/raw/add "))
      .split("; :put")[0]
      .replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const sent = [...add.matchAll(/ ([a-z][a-z0-9-]*)=/g)].map((m) => m[1]);
    expect(sent.length).toBeGreaterThanOrEqual(15);
    for (const v of VERSIONS) {
      const known = catalogueProperties("/ip/firewall/raw", "add", parseVersion(v)!)!;
      expect(sent.filter((p) => !known.has(p) && p !== "place-before")).toEqual([]);
    }
  });
});

badInputs([
  ["raw action reject (not a RAW action)", kind, { chain: "prerouting", action: "reject" }, "action", /notrack/],
  ["raw jump without target", kind, { chain: "prerouting", action: "jump" }, "jumpTarget", /required/],
  [
    "raw IPv6 source on an IPv4 rule",
    kind,
    { chain: "prerouting", family: "ipv4", srcAddress: "2001:db8::/32" },
    "srcAddress",
    /IPv4/,
  ],
  ["raw port without protocol", kind, { chain: "prerouting", dstPort: "53" }, "dstPort", /needs protocol/],
  ["raw port 70000", kind, { chain: "prerouting", protocol: "udp", dstPort: "70000" }, "dstPort", /1\.\.65535/],
  ["raw negative order", kind, { chain: "prerouting", order: -1 }, "order", />=0/],
  ["raw log prefix too long", kind, { chain: "prerouting", logPrefix: "x".repeat(32) }, "logPrefix", /31/],
]);
