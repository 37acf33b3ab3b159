/**
 * Issue 16: a resource id whose adoption record is malformed (state edited by hand, a record output lost) fails
 * the operation with a clear error and touches nothing. Before the one codec (provider/core/adopted-id.ts) the
 * RouterOsItem driver read such an id as "not adopted", so destroy removed an item that existed before routerstack
 * instead of putting its values back; the menu engine already refused. Against the lab's CLI emulator.
 */
import { createConsole } from "../../lab/routeros/cli";
import { kind as item, schema } from "../../../provider/resources/routeros/item";
import { kind as staticRoute } from "../../../provider/resources/routeros/static-route";
import type { ItemInputs } from "../../../provider/routeros/item-driver";
import { clearVersionCache } from "../../../provider/routeros/version";
import { ctxFor, WRITE } from "./lifecycle";
import { BAD_RECORDS, expectRefused, SECRET } from "../core/bad-adoption-records";

function emulator() {
  const c = createConsole({ version: "7.20" });
  return { run: (l: string) => c.run(l), renumber: () => c.state.renumber(), dump: () => c.dump() };
}
beforeEach(() => clearVersionCache());

describe.each(BAD_RECORDS)("an adopted item's id with a record %s", (_what, bad, message) => {
  it("RouterOsItem: destroy refuses and the item stays as it is", async () => {
    const dev = emulator();
    dev.run("/routing/table/add name=theirs fib");
    const inputs = schema.parse({
      menu: "/routing/table",
      name: "theirs",
      properties: { disabled: true },
    }) as ItemInputs;
    const { ctx, transport } = ctxFor(dev, "site/prod/adopted", true);
    const created = await item.driver.create(ctx, inputs);
    const itemId = created.id.split("#")[0];
    const before = dev.dump();
    const sent = transport.execs.length;
    await expect(item.driver.delete(ctx, bad(itemId), inputs)).rejects.toThrow(
      new RegExp(`^kind "site/prod/adopted" on device "crs": delete failed: .*${message.source}`),
    );
    await item.driver.delete(ctx, bad(itemId), inputs).catch((e: Error) => expect(e.message).not.toContain(SECRET));
    expect(transport.execs.slice(sent).filter((l) => WRITE.test(l))).toEqual([]);
    expect(dev.dump()).toEqual(before);
  });

  it("menu engine (StaticRoute): read, update and destroy refuse and nothing is written", async () => {
    const dev = emulator();
    dev.run("/ip/route/add dst-address=198.51.100.0/24 gateway=192.0.2.1");
    const inputs = staticRoute.schema.parse({ dstAddress: "198.51.100.0/24", gateway: "192.0.2.1" });
    const { ctx, transport } = ctxFor(dev, "site/prod/adopted", true);
    const created = await staticRoute.driver.create(ctx, inputs);
    const id = bad(created.id.split("#")[0]);
    const before = dev.dump();
    const sent = transport.execs.length;
    await expectRefused('kind "site/prod/adopted" on device "crs"', message, {
      read: () => staticRoute.driver.read(ctx, id, inputs),
      update: () => staticRoute.driver.update(ctx, id, inputs, { ...inputs, distance: 3 }),
      delete: () => staticRoute.driver.delete(ctx, id, inputs),
    });
    expect(transport.execs.slice(sent).filter((l) => WRITE.test(l))).toEqual([]);
    expect(dev.dump()).toEqual(before);
  });
});
