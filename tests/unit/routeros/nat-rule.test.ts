import { kind } from "../../../provider/resources/routeros/nat-rule";
import { clearVersionCache } from "../../../provider/routeros/version";
import { emulator, printed, VERSIONS } from "./fixtures";
import { ctxFor, lifecycle } from "./lifecycle";

// The version matrix of issue 6: the lifecycle runs on each RouterOS version the lab emulates.

describe.each(VERSIONS)("RouterOS %s: routeros-nat-rule", (v) => {
  lifecycle({
    kind,
    menu: "/ip/firewall/nat",
    newDevice: () => emulator(v),
    // masquerade only on pppoe-gpon (reference topology)
    inputs: {
      chain: "srcnat",
      action: "masquerade",
      outInterface: "pppoe-gpon",
      srcAddress: "192.0.2.0/24",
      comment: "masq gpon",
    },
    update: { chain: "srcnat", action: "src-nat", outInterface: "pppoe-gpon", toAddresses: "203.0.113.10" },
    unsetField: "srcAddress",
    // An interface the device has: RouterOS refuses an out-interface that does not exist (the reference has no lte1).
    drift: { args: [{ kind: "value", prop: "out-interface", value: "vlan6" }], expect: { outInterface: "vlan6" } },
  });
});

describe("routeros-nat-rule specifics", () => {
  beforeEach(() => clearVersionCache());

  it("writes a dst-nat port forward verbatim", async () => {
    // "empty": the reference CRS's interfaces without its hand-made NAT rules.
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const { ctx } = ctxFor(dev);
    await kind.driver.create(
      ctx,
      kind.schema.parse({
        chain: "dstnat",
        action: "dst-nat",
        dstAddress: "198.51.100.2",
        protocol: "tcp",
        toAddresses: "192.0.2.10",
        toPorts: "8080",
        disabled: true,
      }),
    );
    const written = {
      ".id": "*1",
      chain: "dstnat",
      action: "dst-nat",
      "dst-address": "198.51.100.2",
      protocol: "tcp",
      "to-addresses": "192.0.2.10",
      "to-ports": "8080",
      disabled: true,
      comment: "rs:site/prod/wan1",
    };
    // What print shows, and exactly what the device keeps.
    expect(printed(dev, "/ip/firewall/nat")).toEqual([expect.objectContaining(written)]);
    expect(dev.dump()["/ip/firewall/nat"]).toEqual([written]);
  });

  const paths = (raw: unknown) => {
    const r = kind.schema.safeParse(raw);
    return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
  };

  it.each([
    [{ chain: "srcnat", action: "src-nat" }, "toAddresses"],
    [{ chain: "srcnat", action: "masquerade", toAddresses: "192.0.2.1" }, "toAddresses"],
    [{ chain: "dstnat", action: "masquerade" }, "action"],
    [{ chain: "srcnat", action: "dst-nat", toAddresses: "192.0.2.1" }, "action"],
    [{ chain: "dstnat", action: "dst-nat" }, "toAddresses"],
    [{ chain: "dstnat", action: "dst-nat", toPorts: "80" }, "toPorts"],
    [{ chain: "dstnat", action: "dst-nat", toPorts: "70000", protocol: "tcp" }, "toPorts"],
    [{ chain: "srcnat", action: "src-nat", toAddresses: "192.0.2.1-192.0.2" }, "toAddresses"],
    [{ chain: "srcnat", action: "masquerade", srcAddress: "192.0.2.1/24" }, "srcAddress"],
    [{ chain: "input", action: "masquerade" }, "chain"],
    [{ chain: "srcnat", action: "masquerade", outInterface: "ether 1" }, "outInterface"],
  ])("rejects %j at %s", (raw, field) => {
    expect(paths(raw)).toContain(field);
  });

  it("accepts address ranges", () => {
    expect(
      kind.schema.parse({ chain: "srcnat", action: "src-nat", toAddresses: "203.0.113.10-203.0.113.20" }).toAddresses,
    ).toBe("203.0.113.10-203.0.113.20");
  });
});
