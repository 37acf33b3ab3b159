/**
 * RouterOsItem checks its property names against the connected version's catalogue (RouterOS's own
 * /console/inspect, provider/routeros/catalogue.ts) when the menu is catalogued, before any write; a typo's error
 * names the closest real name. A menu the catalogue does not hold is left to the device.
 */
import { kind, schema } from "../../../provider/resources/routeros/item";
import { clearVersionCache } from "../../../provider/routeros/version";
import { ctxFor, WRITE } from "./lifecycle";
import { emulator } from "./fixtures";

describe("RouterOsItem property names against the catalogue", () => {
  beforeEach(() => clearVersionCache());

  it("a typo on a catalogued menu is refused before any write, naming the closest real name and the version", async () => {
    const dev = emulator("7.20");
    const { ctx, transport } = ctxFor(dev);
    const inputs = schema.parse({
      menu: "/ip/route",
      properties: { "dst-adress": "198.51.100.0/24", gateway: "1.0.0.1" },
    });
    await expect(kind.driver.create(ctx, inputs)).rejects.toThrow(
      /properties\.dst-adress: .*RouterOS 7\.20.*\/ip\/route add has no property "dst-adress" \(did you mean "dst-address"\?\)/,
    );
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("a property the version lacks is refused on update too (output.network-blackhole exists from 7.23)", async () => {
    const dev = emulator("7.20");
    dev.run("/routing/bgp/instance/add name=transit as=64512 router-id=192.0.2.249");
    const { ctx, transport } = ctxFor(dev);
    const base = {
      menu: "/routing/bgp/connection",
      name: "transit",
      properties: { instance: "transit", as: "64512", "remote.address": "192.0.2.250", "local.role": "ebgp" },
    };
    const created = await kind.driver.create(ctx, schema.parse(base));
    const before = transport.execs.length;
    const news = schema.parse({ ...base, properties: { ...base.properties, "output.network-blackhole": "yes" } });
    await expect(kind.driver.update(ctx, created.id, schema.parse(base), news)).rejects.toThrow(
      /properties\.output\.network-blackhole: .*RouterOS 7\.20/,
    );
    expect(transport.execs.slice(before).filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("adopting an item RouterOS made itself checks against `set` (an ethernet port has no `add`)", async () => {
    const dev = emulator("7.20");
    const { ctx } = ctxFor(dev, "site/prod/ether2", true);
    const inputs = schema.parse({ menu: "/interface/ethernet", name: "ether2", properties: { mtu: "1492" } });
    await kind.driver.create(ctx, inputs);
    const [port] = JSON.parse(
      dev.run(':put [:serialize to=json [/interface/ethernet/print detail as-value where default-name="ether2"]]'),
    );
    expect(port.mtu).toBe(1492);
  });

  it("real names pass: the item is created", async () => {
    const dev = emulator("7.23");
    const { ctx } = ctxFor(dev);
    const inputs = schema.parse({
      menu: "/ip/route",
      properties: { "dst-address": "198.51.100.0/24", gateway: "1.0.0.1" },
    });
    const res = await kind.driver.create(ctx, inputs);
    expect(res.id).toMatch(/^\*[0-9A-F]+$/);
  });

  it("a menu the catalogue does not hold is left to the device (its own error, no catalogue refusal)", async () => {
    const dev = emulator("7.20");
    const { ctx } = ctxFor(dev);
    const inputs = schema.parse({ menu: "/system/note", singleton: true, properties: { "show-at-logn": "yes" } });
    await expect(kind.driver.create(ctx, inputs)).rejects.not.toThrow(/did you mean/);
  });
});
