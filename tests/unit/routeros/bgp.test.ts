import { kind as instance } from "../../../provider/resources/routeros/bgp-instance";
import { kind as session } from "../../../provider/resources/routeros/bgp-session";
import { clearVersionCache } from "../../../provider/routeros/version";
import { emulator, printed, reportingVersion } from "./fixtures";
import { ctxFor, lifecycle, type Device } from "./lifecycle";

/** The CRS side of the reference topology's iBGP session to the D-Link (DESIGN.md). */
const dlinkLte = {
  name: "dlink-lte",
  instance: "main-bgp",
  as: 65000,
  remoteAddress: "192.0.2.2",
  remoteAs: 65000,
  localAddress: "192.0.2.1",
  localRole: "ibgp-rr",
  nexthopChoice: "force-self",
  outputRedistribute: ["static", "connected"],
  outputDefaultOriginate: "if-installed",
  holdTime: "30s",
  keepaliveTime: 10,
  comment: "LTE standby",
};

const withInstance = (dev: Device) => {
  dev.run('/routing/bgp/instance/add name="main-bgp" as="65000"');
};

describe("routeros-bgp-instance (7.20+)", () => {
  lifecycle({
    kind: instance,
    menu: "/routing/bgp/instance",
    newDevice: () => emulator(),
    inputs: { name: "main-bgp", as: 65000, routerId: "192.0.2.1" },
    update: { name: "main-bgp", as: 65001, comment: "renumbered" },
    unsetField: "routerId",
    drift: { args: [{ kind: "value", prop: "as", value: 64512 }], expect: { as: 64512 } },
  });
});

describe("routeros-bgp-session (7.20+ connection)", () => {
  lifecycle({
    kind: session,
    menu: "/routing/bgp/connection",
    newDevice: () => emulator("7.20", { floatIntegers: true }),
    // The update's templates must exist: RouterOS refuses a template name it does not have.
    setup: (dev) => {
      withInstance(dev);
      dev.run('/routing/bgp/template/add name="ibgp"');
    },
    inputs: dlinkLte,
    update: {
      ...dlinkLte,
      outputRedistribute: ["connected"],
      holdTime: 90,
      keepaliveTime: undefined,
      multihop: true,
      templates: ["default", "ibgp"],
    },
    unsetField: "keepaliveTime",
    drift: { args: [{ kind: "value", prop: "hold-time", value: "3m" }], expect: { holdTime: 180 } },
  });
});

describe("BGP specifics", () => {
  beforeEach(() => clearVersionCache());

  it("writes the reference topology's properties verbatim, durations as RouterOS text, redistribute sorted", async () => {
    const dev = emulator();
    withInstance(dev);
    const { ctx } = ctxFor(dev, "site/prod/dlink-lte");
    await session.driver.create(ctx, session.schema.parse(dlinkLte));
    const [row] = printed(dev, "/routing/bgp/connection");
    expect(row).toMatchObject({
      name: "dlink-lte",
      instance: "main-bgp",
      as: 65000,
      "remote.address": "192.0.2.2",
      "remote.as": 65000,
      "local.address": "192.0.2.1",
      "local.role": "ibgp-rr",
      "nexthop-choice": "force-self",
      "output.redistribute": ["connected", "static"],
      "output.default-originate": "if-installed",
      "hold-time": "30s",
      "keepalive-time": "10s",
      comment: "rs:site/prod/dlink-lte LTE standby",
    });
  });

  it("reads clock-form durations (00:00:30) as seconds without a diff", async () => {
    const dev = emulator("7.20", { clockDurations: true, nullForUnset: true });
    withInstance(dev);
    const { ctx } = ctxFor(dev);
    const inputs = session.schema.parse(dlinkLte);
    const c = await session.driver.create(ctx, inputs);
    expect(c.observed.inputs).toEqual(inputs);
    expect(c.observed.inputs.holdTime).toBe(30);
  });

  it("a connection name used by another stack is not ours: create fails unless adopt", async () => {
    const dev = emulator();
    withInstance(dev);
    const inputs = session.schema.parse(dlinkLte);
    await session.driver.create(ctxFor(dev, "site/other/x").ctx, inputs);
    const mine = ctxFor(dev, "site/prod/dlink-lte").ctx;
    expect(await session.driver.read(mine, "*2", inputs)).toBeUndefined();
    await expect(session.driver.create(mine, inputs)).rejects.toThrow(
      /create failed: \/routing\/bgp\/connection already has an item named "dlink-lte"/,
    );
    const adopted = await session.driver.create({ ...mine, adopt: true }, inputs);
    expect(adopted.observed.inputs).toEqual(inputs);
    // Adopted items are not tagged (issue 7): the declared comment is written verbatim, replacing the other tag.
    expect(printed(dev, "/routing/bgp/connection")[0].comment).toBe("LTE standby");
    expect(adopted.id).toMatch(/^\*[0-9A-F]+#adopted=/);
  });

  it("surfaces the device's runtime error for a missing instance", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev);
    await expect(session.driver.create(ctx, session.schema.parse(dlinkLte))).rejects.toMatchObject({
      name: "DeviceError",
      message:
        'kind "site/prod/wan1" on device "crs": create failed: RouterOS error: input does not match any value of instance',
      deviceMessage: "input does not match any value of instance",
    });
  });

  it.each(["7.19.6 (stable)", "7.16 (long-term)"])(
    "refuses BgpInstance on RouterOS %s (no instance menu before 7.20)",
    async (version) => {
      const dev = reportingVersion(version);
      const { ctx, transport } = ctxFor(dev);
      await expect(instance.driver.create(ctx, instance.schema.parse({ name: "main-bgp", as: 65000 }))).rejects.toThrow(
        /\/routing\/bgp\/instance exists from RouterOS 7\.20/,
      );
      expect(transport.execs.filter((l) => l.includes("/add"))).toEqual([]);
    },
  );

  it("name is the natural key: replaced, deleting first", () => {
    expect(session.replaceOn).toEqual(["name"]);
    expect(session.deleteBeforeReplace).toBe(true);
    expect(instance.replaceOn).toEqual(["name"]);
  });
});

describe("BGP validation", () => {
  const paths = (k: typeof session | typeof instance, raw: unknown) => {
    const r = k.schema.safeParse(raw);
    return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
  };

  it.each([
    [{ localRole: "rr" }, "localRole"],
    [{ remoteAddress: "192.0.2.256" }, "remoteAddress"],
    [{ as: 0 }, "as"],
    [{ remoteAs: 4294967296 }, "remoteAs"],
    [{ holdTime: "1s" }, "holdTime"],
    [{ holdTime: "2h" }, "holdTime"],
    [{ keepaliveTime: "soon" }, "keepaliveTime"],
    [{ outputRedistribute: ["connected", "kernel"] }, "outputRedistribute.1"],
    [{ outputDefaultOriginate: "sometimes" }, "outputDefaultOriginate"],
    [{ name: "bad name" }, "name"],
  ])("session rejects %j at %s", (patch, field) => {
    expect(paths(session, { ...dlinkLte, ...patch })).toContain(field);
  });

  it("rejects unknown properties, naming them", () => {
    const r = session.schema.safeParse({ ...dlinkLte, "local.role": "ibgp" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["local.role"] });
  });

  it("instance router-id is an IPv4 address or a /routing/id name, default main", () => {
    expect(instance.schema.parse({ name: "a", as: 65000 }).routerId).toBe("main");
    expect(paths(instance, { name: "a", as: 65000, routerId: "2001:db8::1" })).toContain("routerId");
  });
});
