/**
 * The failover-site RouterOS kinds of issue 13 item 6 through the test engine, the real dynamic-provider host and
 * the SDK classes, against the lab's RouterOS emulator over SSH: one `up` creates a site's LAN (bridge, ports, VLAN,
 * pool, DHCP server and network, RA, DHCP clients, an interface list, a RAW rule) and sets the router's DNS,
 * identity, an ethernet port and a service in place → a second `up` changes nothing → an out-of-band change is
 * named by `preview --refresh` and restored by `up --refresh` → `destroy` leaves the configuration dump as it was
 * and puts the in-place menus back exactly (compared as `print` shows them).
 */
import { LabSession, differences, labAvailable, type ResourceSpec } from "./harness";
import type { EngineResult } from "../engine";
import type { LabDump } from "../lab/lab";

const run = labAvailable() ? describe : describe.skip;

const r = (kind: string, name: string, args: Record<string, unknown>, dependsOn?: string[]): ResourceSpec => ({
  platform: "routeros",
  kind,
  name,
  args: { device: "crs", ...args },
  ...(dependsOn ? { dependsOn } : {}),
});

const RESOURCES: ResourceSpec[] = [
  r("InterfaceList", "uplinks", { name: "UPLINKS", include: ["WAN"] }),
  r("Bridge", "br", { name: "br-site", vlanFiltering: false, pvid: 1, comment: "site lan" }),
  r("BridgePort", "port4", { bridge: "br-site", interface: "ether4", pvid: 10 }, ["br"]),
  r("BridgeVlan", "vlan10", { bridge: "br-site", vlanIds: [10], tagged: ["br-site"], untagged: ["ether4"] }, ["br"]),
  r("IpPool", "pool", { name: "lan-pool", ranges: ["192.0.2.100-192.0.2.199"] }),
  r("DhcpServer", "dhcp", { name: "lan-dhcp", interface: "br-site", addressPool: "lan-pool", leaseTime: "1h" }, [
    "br",
    "pool",
  ]),
  r("DhcpServerNetwork", "dhcpnet", { address: "192.0.2.0/24", gateway: ["192.0.2.1"], dnsServer: ["192.0.2.1"] }),
  r("DhcpClient", "wan2", { interface: "ether3", defaultRouteDistance: 3 }),
  r("Ipv6DhcpClient", "pd", { interface: "pppoe-gpon", request: ["prefix"], poolName: "gpon-pd" }),
  r("Ipv6Nd", "ra", { interface: "br-site", advertiseDns: "self" }, ["br"]),
  r("RawRule", "bogon", { chain: "prerouting", action: "drop", srcAddress: "203.0.113.0/24", order: 0 }),
  r("Dns", "dns", { servers: ["198.51.100.53"], allowRemoteRequests: true }),
  r("SystemIdentity", "identity", { name: "crs-site-a" }),
  r("Ethernet", "ether5", { defaultName: "ether5", name: "ether5-lte", mtu: 1480 }),
  r("Service", "www", { name: "www", disabled: true }),
];

const IN_PLACE = [
  "/ip/dns/print as-value",
  "/system/identity/print as-value",
  '/interface/ethernet/print detail as-value where default-name="ether5"',
  '/ip/service/print detail as-value where name="www"',
];

const zero = { create: 0, update: 0, replace: 0, delete: 0 };
const changes = (x: EngineResult) => ({
  create: x.counts.create,
  update: x.counts.update,
  replace: x.counts.replace,
  delete: x.counts.delete,
});

run("RouterOS failover-site kinds through the engine", () => {
  const s = new LabSession();
  let before: LabDump;
  let printedBefore: string[];
  const printed = () =>
    IN_PLACE.map((p) => s.lab.crs.outOfBand(`:put [:serialize to=json options=json.no-string-conversion [${p}]]`));

  beforeAll(async () => {
    await s.start("rossite");
    before = await s.dump();
    printedBefore = printed();
  }, 180_000);
  afterAll(() => s.stop());

  it("up creates and sets every kind; a second up is a no-op", async () => {
    const first = await s.ok("up", RESOURCES);
    expect(changes(first)).toEqual({ ...zero, create: RESOURCES.length });
    const d = (await s.dump()).crs;
    expect(d["/interface/bridge/port"]).toEqual([expect.objectContaining({ interface: "ether4", pvid: 10 })]);
    expect(d["/ip/dhcp-server"]).toEqual([expect.objectContaining({ name: "lan-dhcp", "lease-time": 3600 })]);
    const now = printed();
    expect(JSON.parse(now[1])).toMatchObject({ name: "crs-site-a" });
    expect(JSON.parse(now[2])[0]).toMatchObject({ name: "ether5-lte", mtu: 1480 });
    expect(JSON.parse(now[3])[0]).toMatchObject({ disabled: true });
    const writes = await s.writesDuring(async () => {
      expect(changes(await s.ok("up", RESOURCES))).toEqual(zero);
    });
    expect(writes).toBe(0);
  }, 300_000);

  it("an out-of-band change is named by preview --refresh and restored by up --refresh", async () => {
    expect(s.lab.crs.outOfBand('/system/identity/set name="by-hand"')).toBe("");
    expect(s.lab.crs.outOfBand('/interface/ethernet/set [find default-name="ether5"] mtu=1400')).toBe("");
    const preview = await s.ok("preview", RESOURCES, { refresh: true });
    const updated = preview.steps.filter((st) => st.op === "update").map((st) => st.name);
    expect(updated.sort()).toEqual(["ether5", "identity"]);
    await s.ok("up", RESOURCES, { refresh: true });
    expect(JSON.parse(printed()[1])).toMatchObject({ name: "crs-site-a" });
    expect(JSON.parse(printed()[2])[0]).toMatchObject({ mtu: 1480 });
  }, 300_000);

  it("destroy leaves the configuration as it was and puts the in-place menus back", async () => {
    const d = await s.ok("destroy", RESOURCES);
    expect(changes(d)).toEqual({ ...zero, delete: RESOURCES.length });
    // A singleton restored by `set` stores its (default) values explicitly; it is compared as `print` shows it.
    const skip = new Set(["/ip/dns", "/system/identity", "/interface/ethernet"]);
    const strip = (x: LabDump): LabDump => ({
      ...x,
      crs: Object.fromEntries(Object.entries(x.crs).filter(([k]) => !skip.has(k))),
    });
    expect(differences(strip(before), strip(await s.dump()))).toEqual([]);
    expect(printed()).toEqual(printedBefore);
  }, 300_000);
});
