/**
 * One lifecycle helper that drives a RouterOS kind through create → no-op → drift → update → unset → id
 * renumbering → delete against any device with `run(line) → stdout` (the lab emulator, tests/unit/routeros/fixtures.ts).
 * A kind's test supplies only its inputs, its update and its out-of-band edit.
 */
import type { OpContext, ResourceKind, UntypedKind } from "../../../provider/resources/kind";
import * as codec from "../../../provider/routeros/codec";
import { clearVersionCache } from "../../../provider/routeros/version";
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { transportFor } from "./fixtures";

export interface Device {
  run(line: string): string;
}

export interface LifecycleCase<I extends object> {
  kind: ResourceKind<I>;
  /** Menu where the item lands (for the out-of-band edit). */
  menu: string;
  /** Raw inputs, as a user writes them (parsed by the kind's schema). */
  inputs: unknown;
  /** Raw inputs of an update. */
  update: unknown;
  /** Out-of-band change made on the device, and what a read must then report. */
  drift: { args: codec.Arg[]; expect: Partial<I> };
  /** Optional field removed in the update that must be unset on the device (read back as unset/default). */
  unsetField?: keyof I & string;
  /** Device preparation (e.g. a BGP instance the session refers to), run before each case. */
  setup?: (dev: Device) => void;
  newDevice: () => Device & { renumber?: () => void };
}

export const WRITE = /\/(add|set|remove)\b/;

export function ctxFor(dev: Device, identity = "site/prod/wan1", adopt = false) {
  const transport = transportFor(dev);
  const ctx: OpContext = { transport, device: "crs", identity, label: `kind "${identity}" on device "crs"`, adopt };
  return { ctx, transport };
}

/** Registers the lifecycle tests for one kind (call inside `describe`). */
export function lifecycle<I extends object>(c: LifecycleCase<I>): void {
  const parse = (raw: unknown) => c.kind.schema.parse(raw);

  beforeEach(() => clearVersionCache());

  /**
   * A read shows exactly `expected`, except a secret the device masks: RouterOS 7.21+ hides secrets from reads
   * without the `sensitive` policy (routeros-cli.md §7) and a masked secret is not drift (DESIGN "Pulumi
   * integration"). A secret the device does return must still equal the input.
   */
  const expectSeen = (observed: I | undefined, expected: I) => {
    const want = { ...expected } as Record<string, unknown>;
    for (const f of c.kind.secrets) if (observed !== undefined && observed[f] === undefined) delete want[f];
    expect(observed).toEqual(want);
  };

  async function created() {
    const dev = c.newDevice();
    c.setup?.(dev);
    const { ctx, transport } = ctxFor(dev);
    const inputs = parse(c.inputs);
    const res = await c.kind.driver.create(ctx, inputs);
    return { dev, ctx, transport, inputs, res };
  }

  it("create returns the .id and reads back exactly the normalised inputs", async () => {
    const { res, inputs } = await created();
    expect(res.id).toMatch(/^\*[0-9A-F]+$/);
    expectSeen(res.observed.inputs, inputs);
    expect(res.observed.outputs[".id"]).toBe(res.id);
  });

  it("a second up after create changes nothing on the device", async () => {
    const { ctx, transport, inputs, res } = await created();
    const before = transport.execs.length;
    const read = await c.kind.driver.read(ctx, res.id, inputs);
    expectSeen(read?.observed.inputs, inputs);
    const upd = await c.kind.driver.update(ctx, res.id, inputs, inputs);
    expectSeen(upd.observed.inputs, inputs);
    expect(transport.execs.slice(before).filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("a read shows an out-of-band change as drift, and update puts it back", async () => {
    const { dev, ctx, inputs, res } = await created();
    dev.run(codec.set(c.menu, res.id, c.drift.args).text);
    const read = await c.kind.driver.read(ctx, res.id, inputs);
    expect(read?.observed.inputs).toMatchObject(c.drift.expect as object);
    const upd = await c.kind.driver.update(ctx, res.id, inputs, inputs);
    expectSeen(upd.observed.inputs, inputs);
  });

  it("update sets the changed properties and unsets removed ones", async () => {
    const { ctx, inputs, res } = await created();
    const news = parse(c.update);
    const upd = await c.kind.driver.update(ctx, res.id, inputs, news);
    expectSeen(upd.observed.inputs, news);
    const read = await c.kind.driver.read(ctx, upd.id, news);
    expectSeen(read?.observed.inputs, news);
    if (c.unsetField) expect(read?.observed.inputs[c.unsetField]).toEqual(news[c.unsetField]);
  });

  it("finds the item by identity after ids are renumbered (reboot)", async () => {
    const { dev, ctx, inputs, res } = await created();
    // Every device here can renumber; one that cannot must fail rather than pass this test untested.
    if (!dev.renumber) throw new Error("newDevice() gives a device without renumber(): this test cannot run");
    dev.renumber();
    // The emulator compacts ids (a lone item keeps *1; others move): the stale id in state must not be trusted,
    // update and delete resolve the item again.
    const read = await c.kind.driver.read(ctx, res.id, inputs);
    expectSeen(read?.observed.inputs, inputs);
    const news = parse(c.update);
    const upd = await c.kind.driver.update(ctx, res.id, inputs, news);
    expect(upd.id).toBe(read?.id);
    await c.kind.driver.delete(ctx, upd.id, news);
    expect(await c.kind.driver.read(ctx, upd.id, news)).toBeUndefined();
  });

  it("create converges an item carrying its own identity (an interrupted create) without adding a duplicate", async () => {
    const { dev, inputs, res: first } = await created();
    const again = ctxFor(dev);
    const retried = await c.kind.driver.create(again.ctx, inputs);
    expect(retried.id).toBe(first.id);
    expectSeen(retried.observed.inputs, inputs);
    const adopt = ctxFor(dev, "site/prod/wan1", true);
    const res = await c.kind.driver.create(adopt.ctx, inputs);
    expectSeen(res.observed.inputs, inputs);
  });

  it("delete removes the item by identity; read then returns undefined; deleting again is a no-op", async () => {
    const { ctx, inputs, res } = await created();
    await c.kind.driver.delete(ctx, res.id, inputs);
    expect(await c.kind.driver.read(ctx, res.id, inputs)).toBeUndefined();
    await c.kind.driver.delete(ctx, res.id, inputs);
  });

  it("another stack's identity is a different item", async () => {
    const { dev, inputs } = await created();
    const other = ctxFor(dev, "site/staging/wan1");
    expect(await c.kind.driver.read(other.ctx, "*1", inputs)).toBeUndefined();
  });
}

/** One bad input: label, kind, raw inputs, the field `check` must name, and a pattern of its reason. */
export type BadInput = [string, UntypedKind, Record<string, unknown>, string, RegExp];

/** Each bad input is rejected by `check`, naming the field, without reaching a device. */
export function badInputs(cases: readonly BadInput[]): void {
  describe("bad input is rejected by check, naming the field, with no device I/O", () => {
    let spy: jest.SpyInstance;
    beforeAll(() => {
      spy = jest.spyOn(devices, "transportFor").mockImplementation(() => {
        throw new Error("check must not reach a device");
      });
    });
    afterAll(() => spy.mockRestore());

    it.each(cases)("%s", async (_label, kind, raw, field, reason) => {
      const r = await makeProvider(kind).check({}, { device: "crs", identity: "site/prod/bad", ...raw });
      expect(r.failures.map((f) => f.property)).toContain(field);
      expect(r.failures.find((f) => f.property === field)?.reason).toMatch(reason);
      expect(spy).not.toHaveBeenCalled();
    });
  });
}
