/**
 * Per-device batching (provider/routeros/batcher.ts) against the lab's in-process RouterOS emulator, which
 * follows routeros-cli.md independently of the provider: concurrent operations of many resources cost round
 * trips per menu, not per resource, and one resource's failure stays its own.
 */
import { kind as route } from "../../../provider/resources/routeros/static-route";
import { kind as nat } from "../../../provider/resources/routeros/nat-rule";
import { kind as bgpInstance } from "../../../provider/resources/routeros/bgp-instance";
import { menuFilters, RouterOsBatcher } from "../../../provider/routeros/batcher";
import * as codec from "../../../provider/routeros/codec";
import { MAX_LINE_BYTES } from "../../../provider/routeros/envelope";
import { clearVersionCache } from "../../../provider/routeros/version";
import type { OpContext } from "../../../provider/resources/kind";
import { ctxFor } from "./lifecycle";
import { emulator } from "./fixtures";

const N = 100;

const routeInputs = (i: number) =>
  route.schema.parse({ dstAddress: `203.0.113.${i}/32`, gateway: "192.0.2.1", distance: 1 + (i % 5) });
const natInputs = (i: number) =>
  nat.schema.parse({
    chain: "dstnat",
    action: "dst-nat",
    protocol: "tcp",
    dstAddress: `198.51.100.${i}`,
    toAddresses: "192.168.88.10",
    toPorts: String(1000 + i),
  });

/** The context of resource `name` (identity and the label its errors carry). */
const as = (ctx: OpContext, name: string): OpContext => ({
  ...ctx,
  identity: `site/prod/${name}`,
  label: `resource "site/prod/${name}"`,
});

/** Every device round trip carries ≤ 4 KB (the envelope's line limit). */
function expectLinesFit(execs: readonly string[]) {
  for (const e of execs) expect(Buffer.byteLength(e)).toBeLessThanOrEqual(MAX_LINE_BYTES);
}

describe("RouterOS batching on one device", () => {
  beforeEach(() => clearVersionCache());

  it(`${N} concurrent route creates + ${N} NAT creates: execs grow with lines of 4 KB, not with resources; each item exactly once`, async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev);
    const results = await Promise.all([
      ...Array.from({ length: N }, (_, i) => route.driver.create(as(ctx, `r${i}`), routeInputs(i))),
      ...Array.from({ length: N }, (_, i) => nat.driver.create(as(ctx, `n${i}`), natInputs(i))),
    ]);
    const routes = JSON.parse(dev.run(':put [:serialize to=json [/ip/route/print as-value where comment~"^rs:"]]'));
    const rules = JSON.parse(
      dev.run(':put [:serialize to=json [/ip/firewall/nat/print as-value where comment~"^rs:"]]'),
    );
    expect(routes.map((r: { comment: string }) => r.comment).sort()).toEqual(
      Array.from({ length: N }, (_, i) => `rs:site/prod/r${i}`).sort(),
    );
    expect(rules).toHaveLength(N);
    // Each resource read back its own item.
    results.slice(0, N).forEach((r, i) => expect(r.observed.inputs).toEqual(routeInputs(i)));
    const adds = transport.execs.filter((e) => e.includes("/add "));
    // An add with its lookup as condition and its envelope markers is ~420 bytes, so a 4 KB line carries 9 or so;
    // the read-backs ride on the adds' lines, and the version probe is the one other exec.
    expect(adds.length).toBeLessThanOrEqual((2 * N) / 8);
    expect(transport.execs.length).toBeLessThanOrEqual(adds.length + 1);
    expectLinesFit(transport.execs);
  });

  it(`refresh of ${N} routes and ${N} NAT rules is one exec; each resource gets exactly its own item`, async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev);
    for (let i = 0; i < N; i++) await route.driver.create(as(ctx, `r${i}`), routeInputs(i));
    for (let i = 0; i < N; i++) await nat.driver.create(as(ctx, `n${i}`), natInputs(i));
    // An item of another stack on the same router, sharing the prefix of ours.
    dev.run('/ip/route/add dst-address="198.51.100.0/24" gateway="192.0.2.1" comment="rs:site/prod/r1x"');
    const before = transport.execs.length;
    const reads = await Promise.all([
      ...Array.from({ length: N }, (_, i) => route.driver.read(as(ctx, `r${i}`), "", routeInputs(i))),
      ...Array.from({ length: N }, (_, i) => nat.driver.read(as(ctx, `n${i}`), "", natInputs(i))),
    ]);
    expect(transport.execs.length - before).toBe(1);
    reads.slice(0, N).forEach((r, i) => expect(r?.observed.inputs).toEqual(routeInputs(i)));
    reads.slice(N).forEach((r, i) => expect(r?.observed.inputs).toEqual(natInputs(i)));
  });

  it("a job the device rejects fails alone, naming the device's error; the others in its batch land once", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev);
    // An unresolvable gateway is a runtime error (routeros-cli.md), caught by this change's own `:onerror`.
    const bad = route.schema.parse({ dstAddress: "203.0.113.200/32", gateway: "no-such-interface-x", distance: 1 });
    const settled = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) => route.driver.create(as(ctx, `r${i}`), routeInputs(i))),
      route.driver.create(as(ctx, "bad"), bad),
    ]);
    const failed = settled.filter((s) => s.status === "rejected") as PromiseRejectedResult[];
    const routes = JSON.parse(dev.run(':put [:serialize to=json [/ip/route/print as-value where comment~"^rs:"]]'));
    expect(failed).toHaveLength(1);
    expect(String(failed[0].reason.message)).toMatch(
      /^resource "site\/prod\/bad": create failed: RouterOS error: .*gateway/,
    );
    expect(routes.map((r: { comment: string }) => r.comment).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `rs:site/prod/r${i}`).sort(),
    );
  });

  it("a line that does not parse is re-run job by job: the unparsable job fails, the others run exactly once", async () => {
    const dev = emulator();
    const { transport } = ctxFor(dev);
    const batcher = new RouterOsBatcher(transport);
    const good = Array.from({ length: 5 }, (_, i) => [
      codec.add("/ip/route", [
        { kind: "value", prop: "dst-address", value: `203.0.113.${i}/32` },
        { kind: "value", prop: "gateway", value: "192.0.2.1" },
      ]),
    ]);
    // A menu this version does not have: a parse error, which aborts the whole line before anything runs.
    const broken = [codec.add("/no/such/menu", [{ kind: "value", prop: "name", value: "x" }])];
    const results = await Promise.all([...good.map((c) => batcher.write(c)), batcher.write(broken)]);
    expect(results.slice(0, 5).every(([r]) => r.ok)).toBe(true);
    expect(results[5][0]).toMatchObject({ ok: false, kind: "parse" });
    const routes = JSON.parse(dev.run(':put [:serialize to=json [/ip/route/print as-value where dst-address~"^203"]]'));
    expect(routes).toHaveLength(5);
  });

  it("a create is one exec: its lookup is the add's device-side condition and its read-back follows on the line", async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev);
    await route.driver.create(as(ctx, "warm-up"), routeInputs(250)); // the version probe, out of the count
    const before = transport.execs.length;
    const created = await route.driver.create(as(ctx, "one"), routeInputs(1));
    const execs = transport.execs.slice(before);
    expect(execs).toHaveLength(1);
    expect(execs[0]).toMatch(
      /:if \(\[:len \[\/ip\/route\/find where .*\] = 0\) do=\{ :put \[\/ip\/route\/add .*\/ip\/route\/print/,
    );
    expect(created.observed.inputs).toEqual(routeInputs(1));
    expect(created.id).toMatch(/^\*[0-9A-F]+$/);
  });

  it("a create whose item is already there (its add ran, the reply was lost) adds no second one and converges it", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev);
    const first = await route.driver.create(as(ctx, "lost"), routeInputs(7));
    // Another stack's item whose identity only starts like ours must not count as ours.
    dev.run('/ip/route/add dst-address="198.51.100.0/24" gateway="192.0.2.1" comment="rs:site/prod/lostx"');
    dev.run(`/ip/route/set ${first.id} distance=9`);
    const again = await route.driver.create(as(ctx, "lost"), routeInputs(7));
    expect(again.id).toBe(first.id);
    expect(again.observed.inputs).toEqual(routeInputs(7));
    const ours = JSON.parse(
      dev.run(':put [:serialize to=json [/ip/route/print as-value where comment~"^rs:site/prod/lost"]]'),
    );
    expect(ours.map((r: { comment: string }) => r.comment).sort()).toEqual(["rs:site/prod/lost", "rs:site/prod/lostx"]);
    // An item tagged `<identity> <user comment>` is ours as well.
    const other = await route.driver.create(as(ctx, "tagged"), { ...routeInputs(8), comment: "uplink" });
    const retried = await route.driver.create(as(ctx, "tagged"), { ...routeInputs(8), comment: "uplink" });
    expect(retried.id).toBe(other.id);
  });

  it("a delete is one exec: the remove runs only when exactly one item carries the identity; duplicates are reported and kept", async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev);
    const one = routeInputs(3);
    await route.driver.create(as(ctx, "gone"), one);
    dev.run('/ip/route/add dst-address="198.51.100.0/24" gateway="192.0.2.1" comment="rs:site/prod/gonex"');
    const before = transport.execs.length;
    await route.driver.delete(as(ctx, "gone"), "*0", one);
    expect(transport.execs.length - before).toBe(1);
    const left = () =>
      JSON.parse(dev.run(':put [:serialize to=json [/ip/route/print as-value where comment~"^rs:site/prod/gone"]]'));
    expect(left().map((r: { comment: string }) => r.comment)).toEqual(["rs:site/prod/gonex"]);
    // Already gone: nothing to do, no error.
    await route.driver.delete(as(ctx, "gone"), "*0", one);
    // Two items carry the identity: neither is removed, and the error names both.
    dev.run('/ip/route/add dst-address="203.0.113.3/32" gateway="192.0.2.1" comment="rs:site/prod/gone"');
    dev.run('/ip/route/add dst-address="203.0.113.4/32" gateway="192.0.2.1" comment="rs:site/prod/gone two"');
    await expect(route.driver.delete(as(ctx, "gone"), "*0", one)).rejects.toThrow(
      /2 items carry this identity \(\*[0-9A-F]+, \*[0-9A-F]+\); remove the duplicates/,
    );
    expect(left()).toHaveLength(3);
  });

  it("writes with reads in one batch: the reads of a menu merge into one print after every change of the line", async () => {
    const dev = emulator();
    const { transport } = ctxFor(dev);
    const batcher = new RouterOsBatcher(transport);
    const jobs = Array.from({ length: 6 }, (_, i) => ({
      commands: [
        codec.add("/ip/route", [
          { kind: "value", prop: "dst-address", value: `203.0.113.${i}/32` },
          { kind: "value", prop: "gateway", value: "192.0.2.1" },
          { kind: "value", prop: "comment", value: `rs:site/prod/w${i}` },
        ]),
      ] as const,
      then: { menu: "/ip/route", select: { by: "tag" as const, identity: `site/prod/w${i}` } },
    }));
    const out = await Promise.all(jobs.map((j) => batcher.writeThenRead(j.commands, [], j.then)));
    expect(transport.execs).toHaveLength(1);
    const line = transport.execs[0];
    expect(line.match(/\/print/g)).toHaveLength(1);
    expect(line.lastIndexOf("/add ")).toBeLessThan(line.indexOf("/print"));
    out.forEach((o, i) => {
      expect(o.steps).toHaveLength(1);
      expect(o.steps[0].ok).toBe(true);
      expect(o.read.ok && o.read.rows.map((r) => r.comment)).toEqual([`rs:site/prod/w${i}`]);
    });
  });

  it("a line with reads that does not parse is re-run job by job, each job with its own read", async () => {
    const dev = emulator();
    const { transport } = ctxFor(dev);
    const batcher = new RouterOsBatcher(transport);
    const tagged = (i: number) => ({ menu: "/ip/route", select: { by: "tag" as const, identity: `site/prod/p${i}` } });
    const good = (i: number) => [
      codec.add("/ip/route", [
        { kind: "value", prop: "dst-address", value: `203.0.113.${i}/32` },
        { kind: "value", prop: "gateway", value: "192.0.2.1" },
        { kind: "value", prop: "comment", value: `rs:site/prod/p${i}` },
      ]),
    ];
    const broken = [codec.add("/no/such/menu", [{ kind: "value", prop: "name", value: "x" }])];
    const out = await Promise.all([
      batcher.writeThenRead(good(1), [], tagged(1)),
      batcher.writeThenRead(broken, [], tagged(9)),
      batcher.writeThenRead(good(2), [], tagged(2)),
    ]);
    expect(out[1].steps[0]).toMatchObject({ ok: false, kind: "parse" });
    expect(out[0].read.ok && out[0].read.rows.map((r) => r.comment)).toEqual(["rs:site/prod/p1"]);
    expect(out[2].read.ok && out[2].read.rows.map((r) => r.comment)).toEqual(["rs:site/prod/p2"]);
    const routes = JSON.parse(dev.run(':put [:serialize to=json [/ip/route/print as-value where comment~"^rs:"]]'));
    expect(routes).toHaveLength(2);
  });

  it("named items (BGP instances) are read with one `||` print per menu", async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev);
    const inputs = (i: number) =>
      bgpInstance.schema.parse({ name: `bgp-${i}`, as: 65000 + i, routerId: `10.0.0.${i}` });
    await Promise.all(Array.from({ length: 30 }, (_, i) => bgpInstance.driver.create(as(ctx, `b${i}`), inputs(i))));
    const before = transport.execs.length;
    const reads = await Promise.all(
      Array.from({ length: 30 }, (_, i) => bgpInstance.driver.read(as(ctx, `b${i}`), "", inputs(i))),
    );
    expect(transport.execs.length - before).toBe(1);
    expect(transport.execs[before]).toContain("||");
    reads.forEach((r, i) => expect(r?.observed.inputs).toEqual(inputs(i)));
  });
});

describe("menuFilters", () => {
  it("covers all tags by their common prefix and splits long name chains so each print fits a line", () => {
    const names = Array.from({ length: 400 }, (_, i) => ({
      by: "name" as const,
      name: `connection-with-a-long-name-${i}`,
    }));
    const tags = [
      { by: "tag" as const, identity: "site/prod/wan1" },
      { by: "tag" as const, identity: "site/prod/wan2" },
    ];
    const filters = menuFilters("/routing/bgp/connection", [...tags, ...names]);
    expect(filters[0]).toEqual({ op: "regex", prop: "comment", pattern: "^rs:site/prod/wan" });
    expect(filters.length).toBeGreaterThan(3);
    const covered = filters.slice(1).flatMap((f) => (f.op === "or" ? f.terms : [f]));
    expect(covered).toHaveLength(400);
    for (const f of filters) {
      const line = codec.printJson("/routing/bgp/connection", f).text;
      expect(Buffer.byteLength(line)).toBeLessThan(MAX_LINE_BYTES - 100);
    }
  });
});
