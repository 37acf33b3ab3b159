/**
 * Script and Scheduler kinds against the lab's in-process emulator (tests/lab/routeros, menus-system.ts): the
 * shared lifecycle (create → no-op → drift → update/unset → renumber → delete), the scheduler really running a
 * job on the emulator's injectable clock, and bad input rejected by `check` with the field named and no device
 * I/O. Facts about both menus are [I] (not in routeros-cli.md): defaults (every policy; `start-time` filled in by
 * the device when left out) follow the RouterOS manual.
 */
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as script } from "../../../provider/resources/routeros/script";
import { kind as scheduler } from "../../../provider/resources/routeros/scheduler";
import { clearVersionCache } from "../../../provider/routeros/version";
import { badInputs, ctxFor, lifecycle, WRITE } from "./lifecycle";
import { emulator } from "./fixtures";

const body = ':local n "gpon"\n:log warning ("$n down")\n/ip/route/disable [find where comment~$n]';

describe("emulator 7.20: routeros-script", () => {
  lifecycle({
    kind: script,
    menu: "/system/script",
    newDevice: () => emulator(),
    inputs: { name: "gpon-down", source: body, policy: ["write", "read", "test"], comment: "failover" },
    update: { name: "gpon-down", source: ':log info "x"', dontRequirePermissions: true },
    unsetField: "comment",
    drift: {
      args: [{ kind: "value", prop: "source", value: ":log info tampered" }],
      expect: { source: ":log info tampered" },
    },
  });
});

describe("emulator 7.20: routeros-scheduler", () => {
  lifecycle({
    kind: scheduler,
    menu: "/system/scheduler",
    newDevice: () => emulator(),
    inputs: {
      name: "nightly",
      onEvent: "gpon-down",
      startDate: "2026-01-02",
      startTime: "03:00:00",
      interval: "1d",
      policy: ["read", "write"],
      comment: "n",
    },
    update: { name: "nightly", onEvent: ':log info "x"', interval: 3600, disabled: true },
    unsetField: "startDate",
    drift: { args: [{ kind: "value", prop: "interval", value: "1m" }], expect: { interval: 60 } },
  });
});

describe("specifics of Script and Scheduler", () => {
  beforeEach(() => clearVersionCache());

  it("a Scheduler job made by the kind runs on the device clock every interval, running the named Script", async () => {
    let t = Date.UTC(2026, 0, 2, 2, 59, 0);
    const dev = emulator("7.20", {}, { now: () => t });
    const { ctx } = ctxFor(dev);
    await script.driver.create(ctx, script.schema.parse({ name: "mark", source: '/system/note/set note="ran"' }));
    const inputs = scheduler.schema.parse({
      name: "job",
      onEvent: "mark",
      startDate: "2026-01-02",
      startTime: "03:00:00",
      interval: 60,
    });
    const res = await scheduler.driver.create(ctx, inputs);
    expect(res.observed.outputs).toMatchObject({ nextRun: "2026-01-02 03:00:00", runCount: 0 });
    expect(dev.console.scheduler.tick()).toEqual([]);
    t = Date.UTC(2026, 0, 2, 3, 0, 0);
    expect(dev.console.scheduler.tick()).toEqual(["job"]);
    expect(dev.run(":put [/system/note/get note]")).toBe("ran\r\n");
    expect(dev.console.scheduler.tick()).toEqual([]);
    t += 60_000;
    expect(dev.console.scheduler.tick()).toEqual(["job"]);
    const read = await scheduler.driver.read(ctx, res.id, inputs);
    expect(read?.observed.outputs).toMatchObject({ runCount: 2, nextRun: "2026-01-02 03:02:00" });
    // Running does not change the declared inputs: no drift.
    expect(read?.observed.inputs).toEqual(inputs);
  });

  it("a startup job never runs in the lab (it never boots), and a disabled job does not run", async () => {
    let t = Date.UTC(2026, 0, 2, 3, 0, 0);
    const dev = emulator("7.20", {}, { now: () => t });
    const { ctx } = ctxFor(dev);
    await scheduler.driver.create(
      ctx,
      scheduler.schema.parse({ name: "boot", onEvent: '/system/note/set note="boot"', interval: 1 }),
    );
    await scheduler.driver.create(
      ctx,
      scheduler.schema.parse({
        name: "off",
        onEvent: '/system/note/set note="off"',
        startTime: "03:00:00",
        startDate: "2026-01-02",
        disabled: true,
      }),
    );
    t += 10_000;
    expect(dev.console.scheduler.tick()).toEqual([]);
    expect(dev.run(":put [/system/note/get note]")).toBe("\r\n");
  });

  it("start-time is always sent, so the device never fills in the time of the add (which would be drift)", async () => {
    const dev = emulator();
    const { ctx, transport } = ctxFor(dev);
    const inputs = scheduler.schema.parse({ name: "x", onEvent: ":log info x" });
    await scheduler.driver.create(ctx, inputs);
    expect(transport.execs.find((l) => WRITE.test(l))).toMatch(/start-time="startup"/);
    expect((await scheduler.driver.read(ctx, "*1", inputs))?.observed.inputs).toEqual(inputs);
  });

  it("policies are a set: any order reads back equal; the emulator rejects an unknown policy", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev);
    const a = script.schema.parse({ name: "p", policy: ["write", "read"] });
    const res = await script.driver.create(ctx, a);
    expect(res.observed.inputs.policy).toEqual(["read", "write"]);
    expect(dev.run("/system/script/add name=q policy=read,telnet")).toMatch(/input does not match any value of policy/);
  });

  it("a second Script of the same name (another stack's) is not taken over without adopt", async () => {
    const dev = emulator();
    dev.run('/system/script/add name=shared source=":log info mine"');
    const { ctx } = ctxFor(dev);
    await expect(script.driver.create(ctx, script.schema.parse({ name: "shared" }))).rejects.toThrow(
      /already has an item named "shared".*adopt/,
    );
    const adopted = await script.driver.create(
      ctxFor(dev, "site/prod/wan1", true).ctx,
      script.schema.parse({ name: "shared", source: "" }),
    );
    expect(adopted.observed.inputs.source).toBe("");
  });
});

const BAD: [string, UntypedKind, Record<string, unknown>, string, RegExp][] = [
  ["script without name", script, { source: "x" }, "name", /string|expected|required/i],
  ["script name with a space", script, { name: "a b" }, "name", /letters, digits/],
  ["script policy telnet", script, { name: "s", policy: ["telnet"] }, "policy.0", /ftp|invalid/i],
  ["script empty policy", script, { name: "s", policy: [] }, "policy", /at least one/],
  ["script repeated policy", script, { name: "s", policy: ["read", "read"] }, "policy", /repeat/],
  ["script body with NUL", script, { name: "s", source: "a\u0000b" }, "source", /control/],
  ["script body too long", script, { name: "s", source: ":log info x;".repeat(200) }, "source", /too long/],
  [
    "script dont-require as text",
    script,
    { name: "s", dontRequirePermissions: "yes" },
    "dontRequirePermissions",
    /boolean/,
  ],
  ["scheduler start-time 25:00:00", scheduler, { name: "j", startTime: "25:00:00" }, "startTime", /HH:MM:SS/],
  [
    "scheduler start-date in US form",
    scheduler,
    { name: "j", startTime: "03:00:00", startDate: "jan/02/2026" },
    "startDate",
    /YYYY-MM-DD/,
  ],
  [
    "scheduler start-date with startup",
    scheduler,
    { name: "j", startDate: "2026-01-02" },
    "startDate",
    /clock startTime/,
  ],
  ["scheduler interval -1", scheduler, { name: "j", interval: -1 }, "interval", /duration/],
  ["scheduler interval 1.5", scheduler, { name: "j", interval: 1.5 }, "interval", /duration/],
  ["scheduler unknown property", scheduler, { name: "j", runCount: 1 }, "runCount", /unknown property/],
];

badInputs(BAD);
