/**
 * Failures through the test engine: they are reported with the resource's URN and the provider's own
 * message, they never hang, nothing is run for a resource whose Check failed, and no process is left.
 */
import { isAlive, TestStack } from "./test-fixture";

const t = new TestStack();
afterAll(() => t.cleanup());
const urnOf = (name: string) => `urn:pulumi:${t.stack}::devprog::pulumi-nodejs:dynamic/devprog:DeviceEntry::${name}`;

test("a Check failure names the property and nothing is created", async () => {
  const r = await t.run("up", [{ name: "b1", host: "rtr", key: "kb", value: "bad" }]);
  expect(r.ok).toBe(false);
  expect(r.errors).toEqual([`${urnOf("b1")}: check failed: property "value": value must not be 'bad'`]);
  expect(r.counts.create).toBe(0);
  expect(t.device()).toEqual({ entries: {}, log: [] });
  expect(t.state().resources).toEqual([]);
});

test("with a Check failure nothing is deleted either; good siblings still converge", async () => {
  expect((await t.run("up", [{ name: "g1", host: "rtr", key: "g1", value: "ok" }])).errors).toEqual([]);
  const r = await t.run("up", [
    { name: "g2", host: "rtr", key: "g2", value: "ok" },
    { name: "b1", host: "rtr", key: "kb", value: "bad" },
  ]);
  expect(r.ok).toBe(false);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).toContain(urnOf("b1"));
  // g1 is no longer declared, but a failed deployment deletes nothing
  expect(Object.keys(t.device().entries).sort()).toEqual(["rtr/g1", "rtr/g2"]);
  expect(
    t
      .state()
      .resources.map((x) => x.name)
      .sort(),
  ).toEqual(["g1", "g2"]);
  expect((await t.run("destroy", undefined)).errors).toEqual([]);
});

test("a provider create error is reported with the URN and the provider's message", async () => {
  const r = await t.run("up", [{ name: "x1", host: "rtr", key: "kx", value: "explode" }]);
  expect(r.ok).toBe(false);
  expect(r.errors).toEqual([`${urnOf("x1")}: create failed: device refused rtr/kx: value 'explode' not accepted`]);
  expect(r.steps).toEqual([
    expect.objectContaining({ op: "create", urn: urnOf("x1"), error: expect.stringContaining("explode") }),
  ]);
  expect(t.state().resources).toEqual([]);
});

test("a program error is reported, not hung on", async () => {
  const r = await t.run("preview", undefined); // devprog:items missing -> requireObject throws
  expect(r.ok).toBe(false);
  expect(r.errors.join("\n")).toMatch(/devprog:items/);
});

test("a provider that cannot be serialized fails the run within the grace period", async () => {
  const started = Date.now();
  const r = await t.run("up", [], { configOverrides: { "devprog:unserializable": "true" } });
  expect(r.ok).toBe(false);
  expect(r.errors.join("\n")).toMatch(/serializ/i);
  expect(Date.now() - started).toBeLessThan(20_000);
});

test("no host or program process survives", () => {
  expect(t.pids.length).toBeGreaterThan(5);
  expect(t.pids.filter(isAlive)).toEqual([]);
});
