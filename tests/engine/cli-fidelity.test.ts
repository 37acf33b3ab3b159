/**
 * The test engine does what the Pulumi CLI's engine does, behaviour by behaviour. Each test names the row of
 * docs/engine.md it shows; the rows cite the pulumi/pulumi source they follow.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { parseArgs } from "./cli";
import { EngineInterrupt } from "./index";
import { UNKNOWN } from "./properties";
import { isAlive, Item, PROGRAM_DIR, TestStack } from "./test-fixture";

/**
 * Every request of one provider method as it goes on the wire to the dynamic-provider host: the engine's
 * gRPC client is wrapped (calls still go through) and each request is read back from its serialized bytes.
 */
function wire<T>(
  method: "check" | "create" | "delete",
  decode: (b: Uint8Array) => T,
): { sent(): T[]; restore(): void } {
  const proto = provrpc.ResourceProviderClient.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const spy = jest.spyOn(proto, method);
  return {
    sent: () => spy.mock.calls.map((c) => decode((c[0] as { serializeBinary(): Uint8Array }).serializeBinary())),
    restore: () => spy.mockRestore(),
  };
}

const t = new TestStack();
afterAll(() => t.cleanup());
const urnOf = (name: string) => `urn:pulumi:${t.stack}::devprog::pulumi-nodejs:dynamic/devprog:DeviceEntry::${name}`;
const item = (name: string, extra: Partial<Item> = {}): Item => ({
  name,
  host: "rtr",
  key: name,
  value: `v-${name}`,
  ...extra,
});

async function fresh(): Promise<void> {
  const r = await t.run("destroy", undefined);
  expect(r.errors).toEqual([]);
  fs.rmSync(t.deviceFile, { force: true });
  t.clearCalls();
}

describe("program side (rows P1–P3)", () => {
  test("P1: the program runs under cmd/run with the CLI's arguments; stack outputs come from the root Stack resource", async () => {
    const r = await t.run("up", [item("a")]);
    expect(r.errors).toEqual([]);
    expect(r.log).toMatch(
      /cmd\/run --monitor 127\.0\.0\.1:\d+ --engine 127\.0\.0\.1:\d+ --organization organization --project devprog/,
    );
    expect(r.outputs.serials).toEqual([expect.stringMatching(/^rtr\/a@\d+$/)]);
  });

  test("P2: a type error fails the run as ts-node type-checks; PULUMI_NODEJS_TRANSPILE_ONLY=true skips the check", async () => {
    const dir = path.join(PROGRAM_DIR, "..", "typed");
    const base = {
      programDir: dir,
      stack: t.stack,
      stateFile: path.join(t.dir, "typed-state.json"),
      passphrase: "p",
      timeoutSeconds: 60,
    };
    const { runEngine } = await import("./index");
    const checked = await runEngine("preview", base);
    expect(checked.ok).toBe(false);
    expect(checked.errors.join("\n")).toMatch(/TS2322|not assignable to type 'number'/);
    const loose = await runEngine("preview", { ...base, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    expect(loose.errors).toEqual([]);
    expect(loose.outputs.out).toBe("not a number");
  });

  test("P3: the program gets its config with keys in the <ns>:config:<name> form and reads it all the same", async () => {
    const r = await t.run("preview", [item("a")], { configOverrides: { "routerstack:devices": { x: { host: "h" } } } });
    expect(r.errors).toEqual([]);
    expect(r.outputs.routerstackDevices).toEqual({ x: { host: "h" } });
  });
});

describe("registration and steps (rows S1–S4)", () => {
  beforeAll(fresh);

  test("S1: Check and Diff run one registration at a time", async () => {
    const items = ["s1", "s2", "s3"].map((n) => item(n, { delayMs: 300, diffDelayMs: 300 }));
    expect((await t.run("up", items)).errors).toEqual([]);
    t.clearCalls();
    expect(
      (
        await t.run(
          "up",
          items.map((i) => ({ ...i, value: `${i.value}-2` })),
        )
      ).errors,
    ).toEqual([]);
    const gen = t.calls().filter((c) => c.op === "check" || c.op === "diff");
    // start, end, start, end …: no Check or Diff overlaps another
    expect(gen.map((c) => c.phase)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? "start" : "end")));
  });

  test("S2: PULUMI_PARALLEL_DIFF lets the Diffs overlap (Check stays serial)", async () => {
    const items = ["s1", "s2", "s3"].map((n) => item(n, { delayMs: 50, diffDelayMs: 600, value: `v-${n}-3` }));
    t.clearCalls();
    expect((await t.run("up", items, { env: { PULUMI_PARALLEL_DIFF: "true" } })).errors).toEqual([]);
    const diffs = t.calls().filter((c) => c.op === "diff");
    const firstEnd = diffs.findIndex((c) => c.phase === "end");
    expect(diffs.slice(0, firstEnd).length).toBeGreaterThan(1);
    const checks = t.calls().filter((c) => c.op === "check");
    expect(checks.map((c) => c.phase)).toEqual(["start", "end", "start", "end", "start", "end"]);
  });

  test("S3: after the first failed step no new step starts and nothing is deleted", async () => {
    await fresh();
    expect((await t.run("up", [item("keep")])).errors).toEqual([]);
    const r = await t.run("up", [item("x1", { value: "explode" }), item("x2"), item("x3")], { parallel: 1 });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([`${urnOf("x1")}: create failed: device refused rtr/x1: value 'explode' not accepted`]);
    expect(Object.keys(t.device().entries).sort()).toEqual(["rtr/keep"]); // x2, x3 never created; keep not deleted
    expect(t.state().resources.map((x) => x.name)).toEqual(["keep"]);
  });

  test("S4: --continue-on-error: independent steps go on; the failed registration fails the program, so nothing is deleted", async () => {
    // even unused, a failed resource's outputs reject inside the SDK ("failed to register"): the Node
    // program fails, and a failed program means no post-steps (deletes) for the engine
    const r = await t.run("up", [item("x1", { value: "explode" }), item("x3")], {
      parallel: 1,
      continueOnError: true,
      configOverrides: { "devprog:exportSerials": "false" },
    });
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toBe(`${urnOf("x1")}: create failed: device refused rtr/x1: value 'explode' not accepted`);
    expect(r.errors.slice(1).join("\n")).toMatch(/program: .*resource x1 \[.*\] failed to register/);
    expect(r.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create x1", "create x3"]);
    expect(Object.keys(t.device().entries).sort()).toEqual(["rtr/keep", "rtr/x3"]);
  });

  test("S5: --continue-on-error: a dependent of the failed resource is never registered", async () => {
    const r = await t.run(
      "up",
      [item("x1", { value: "explode" }), item("x2", { dependsOnPrevious: true }), item("x3")],
      { continueOnError: true },
    );
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create x1", "same x3"]);
    expect(Object.keys(t.device().entries).sort()).toEqual(["rtr/keep", "rtr/x3"]);
  });
});

describe("stack outputs (row S9)", () => {
  const stackOutputs = () =>
    (JSON.parse(fs.readFileSync(t.stateFile, "utf8")).outputs ?? {}) as Record<string, unknown>;

  test("S9: a failed up keeps the old stack outputs, overlaid with what the program registered; a good up replaces them", async () => {
    await fresh();
    const first = await t.run("up", [item("s9"), item("guard", { protect: true })], {
      configOverrides: { "devprog:label": "one" },
    });
    expect(first.errors).toEqual([]);
    const before = stackOutputs();
    expect(before).toEqual({
      label: "one",
      serials: [expect.stringMatching(/^rtr\/s9@\d+$/), expect.stringMatching(/^rtr\/guard@\d+$/)],
    });
    try {
      // no label now, and guard is removed: its delete is refused (R5), so the program completes and registers
      // its outputs but the deployment fails. label, which the program no longer registers, is kept.
      const failed = await t.run("up", [item("s9"), item("s9b")]);
      expect(failed.ok).toBe(false);
      expect(failed.errors).toEqual([expect.stringContaining(`unable to delete resource "${urnOf("guard")}"`)]);
      expect(stackOutputs()).toEqual({
        label: "one",
        serials: [(before.serials as string[])[0], expect.stringMatching(/^rtr\/s9b@\d+$/)],
      });
    } finally {
      expect((await t.run("up", [item("s9"), item("s9b"), item("guard")])).errors).toEqual([]);
    }
    // a successful run stores exactly what the program registered: label is gone
    expect((await t.run("up", [item("s9"), item("s9b")])).errors).toEqual([]);
    expect(Object.keys(stackOutputs())).toEqual(["serials"]);
  });
});

describe("preview (rows V1–V2)", () => {
  beforeAll(fresh);

  test("V1: a preview of an update answers with the new inputs only: other outputs are unknown", async () => {
    expect((await t.run("up", [item("p1")])).errors).toEqual([]);
    const same = await t.run("preview", [item("p1")]);
    expect(same.outputs.serials).toEqual([expect.stringMatching(/^rtr\/p1@/)]); // same step: old outputs
    const upd = await t.run("preview", [item("p1", { value: "changed" })]);
    expect(upd.counts.update).toBe(1);
    expect(upd.outputs.serials).toBe(UNKNOWN); // serial is an output, not an input: unknown in preview
  });

  test("V2: a dependent's input built from an unknown output is unknown at Check time in preview", async () => {
    const checks = wire("check", (b) => provproto.CheckRequest.deserializeBinary(b));
    try {
      const r = await t.run("preview", [item("p1"), item("p2", { valueFromPrevious: true })]);
      expect(r.errors).toEqual([]);
      expect(r.counts.create).toBe(1);
      // p1 is unchanged, so its serial is known and Check gets the value
      const known = checks.sent().filter((q) => q.getUrn() === urnOf("p2"));
      expect(known.map((q) => q.getNews()!.toJavaScript().note2)).toEqual([expect.stringMatching(/^rtr\/p1@\d+$/)]);
      // p1 is updated: in a preview its serial is unknown (V1), and Check receives that unknown on the wire
      const again = await t.run("preview", [item("p1", { value: "x" }), item("p2", { valueFromPrevious: true })]);
      expect(again.errors).toEqual([]);
      expect(again.steps.map((s) => s.op)).toEqual(["update", "create"]);
      const unknown = checks
        .sent()
        .filter((q) => q.getUrn() === urnOf("p2"))
        .slice(1);
      expect(unknown.map((q) => q.getNews()!.toJavaScript().note2)).toEqual([UNKNOWN]);
    } finally {
      checks.restore();
    }
  });
});

describe("replacement (rows R1–R6)", () => {
  beforeAll(fresh);

  test("R1: replaceOnChanges does nothing when the provider's Diff answers changes: true (no changed keys reach the engine)", async () => {
    expect((await t.run("up", [item("r1", { replaceOnChanges: ["value"] })])).errors).toEqual([]);
    const r = await t.run("up", [item("r1", { replaceOnChanges: ["value"], value: "w2" })]);
    expect(r.counts).toMatchObject({ update: 1, replace: 0 });
  });

  test("R2: replaceOnChanges replaces when the provider's Diff gives no verdict (the engine diffs the inputs)", async () => {
    // the device refuses a second object with the same key, so this replacement deletes first
    const r = await t.run("up", [
      item("r1", { replaceOnChanges: ["value"], value: "w3", diffMode: "unknown", deleteBeforeReplace: true }),
    ]);
    expect(r.counts).toMatchObject({ update: 0, replace: 1 });
  });

  test("R3: a replacement re-runs Check without olds", async () => {
    t.clearCalls();
    const r = await t.run("up", [item("r1", { key: "r1b" })]);
    expect(r.counts.replace).toBe(1);
    const checks = t.calls().filter((c) => c.op === "check");
    expect(checks.filter((c) => c.phase === "start").map((c) => (c.olds?.length ? "olds" : "none"))).toEqual([
      "olds",
      "none",
    ]);
  });

  test("R4: the program's deleteBeforeReplace: false overrides the provider's true", async () => {
    await fresh();
    expect((await t.run("up", [item("r4", { uniqueName: true })])).errors).toEqual([]);
    t.clearCalls();
    const r = await t.run("up", [item("r4", { uniqueName: true, key: "r4b", deleteBeforeReplace: false })]);
    expect(r.errors).toEqual([]);
    const ops = t
      .calls()
      .filter((c) => (c.op === "create" || c.op === "delete") && c.phase === "start")
      .map((c) => c.op);
    expect(ops).toEqual(["create", "delete"]); // create-before-delete although the provider asked otherwise
  });

  test("R5: replacing a protected resource is refused before any step", async () => {
    await fresh();
    expect((await t.run("up", [item("r5", { protect: true })])).errors).toEqual([]);
    t.clearCalls();
    const r = await t.run("up", [item("r5", { protect: true, key: "r5b" })]);
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toContain(
      `unable to replace resource "${urnOf("r5")}"\nas it is currently marked for protection`,
    );
    expect(t.calls().filter((c) => c.op === "create" || c.op === "delete")).toEqual([]);
    expect((await t.run("up", [item("r5", { protect: false })])).errors).toEqual([]);
  });

  test("R6: a delete-before-replace whose create fails leaves pendingReplacement; the next up creates without deleting again", async () => {
    await fresh();
    expect((await t.run("up", [item("r6", { uniqueName: true })])).errors).toEqual([]);
    const failed = await t.run("up", [item("r6", { uniqueName: true, key: "r6b", value: "explode" })]);
    expect(failed.ok).toBe(false);
    const st = JSON.parse(fs.readFileSync(t.stateFile, "utf8"));
    expect(st.resources).toEqual([expect.objectContaining({ name: "r6", pendingReplacement: true })]);
    expect(t.device().entries).toEqual({}); // the old one is gone already
    t.clearCalls();
    const r = await t.run("up", [item("r6", { uniqueName: true, key: "r6b" })]);
    expect(r.errors).toEqual([]);
    expect(t.calls().filter((c) => c.op === "delete")).toEqual([]);
    expect(Object.keys(t.device().entries)).toEqual(["rtr/r6b"]);
  });

  test("R7: a create-before-delete whose delete fails leaves the old as pendingDelete; a later up deletes it", async () => {
    await fresh();
    expect((await t.run("up", [item("r7", { value: "undeletable" })])).errors).toEqual([]);
    const r = await t.run("up", [item("r7", { key: "r7b", value: "undeletable" })]);
    expect(r.ok).toBe(false);
    const st = JSON.parse(fs.readFileSync(t.stateFile, "utf8"));
    expect(
      st.resources.filter((x: { pendingDelete?: boolean }) => x.pendingDelete).map((x: { id: string }) => x.id),
    ).toEqual(["rtr/r7"]);
    // make the old one deletable on the device side: the stored inputs still say undeletable, so edit state
    st.resources = st.resources.map(
      (x: { pendingDelete?: boolean; inputs: Record<string, unknown>; outputs: Record<string, unknown> }) =>
        x.pendingDelete ? { ...x, inputs: { ...x.inputs, value: "ok" }, outputs: { ...x.outputs, value: "ok" } } : x,
    );
    fs.writeFileSync(t.stateFile, JSON.stringify(st));
    const again = await t.run("up", [item("r7", { key: "r7b", value: "undeletable" })]);
    expect(again.errors).toEqual([]);
    expect(again.counts.delete).toBe(1);
    expect(Object.keys(t.device().entries)).toEqual(["rtr/r7b"]);
    expect((await t.run("up", [item("r7", { key: "r7b" })])).errors).toEqual([]);
  });
});

describe("resource options (rows O1–O10)", () => {
  beforeAll(fresh);

  test("O1: import is refused for a dynamic resource, naming the option; nothing is sent to the provider", async () => {
    t.clearCalls();
    const r = await t.run("up", [item("o1", { importId: "rtr/o1" })]);
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatch(/resource option "import" is not supported for dynamic resources/);
    expect(t.calls()).toEqual([]);
  });

  test("O2: transforms are refused by the SDK because the engine does not offer them (as an older CLI would)", async () => {
    const r = await t.run("up", [item("o2", { transform: true })]);
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toMatch(/does not support transforms/);
  });

  test("O3: aliases: a renamed resource is matched to its old state, not replaced", async () => {
    await fresh();
    expect((await t.run("up", [item("old-name", { key: "o3", value: "o3" })])).errors).toEqual([]);
    const r = await t.run("up", [item("new-name", { key: "o3", value: "o3", aliasOf: "old-name" })]);
    expect(r.errors).toEqual([]);
    expect(r.counts).toMatchObject({ create: 0, delete: 0, same: 1 });
    expect(t.state().resources.map((x) => x.urn)).toEqual([urnOf("new-name")]);
  });

  test("O4: deletedWith: a resource deleted with another is not deleted itself", async () => {
    await fresh();
    expect((await t.run("up", [item("parent"), item("child", { deletedWith: "parent" })])).errors).toEqual([]);
    t.clearCalls();
    const r = await t.run("destroy", undefined);
    expect(r.errors).toEqual([]);
    expect(
      t
        .calls()
        .filter((c) => c.op === "delete")
        .map((c) => c.key),
    ).toEqual(["parent"]);
    fs.rmSync(t.deviceFile, { force: true });
  });

  test("O5: retainOnDelete leaves the object on the device and drops it from state", async () => {
    expect((await t.run("up", [item("kept", { retainOnDelete: true })])).errors).toEqual([]);
    expect((await t.run("up", [])).errors).toEqual([]);
    expect(Object.keys(t.device().entries)).toEqual(["rtr/kept"]);
    expect(t.state().resources).toEqual([]);
    fs.rmSync(t.deviceFile, { force: true });
  });

  test("O6: customTimeouts are parsed as Go durations and reach the dynamic-provider host as Create's and Delete's timeout", async () => {
    const creates = wire("create", (b) => provproto.CreateRequest.deserializeBinary(b));
    const deletes = wire("delete", (b) => provproto.DeleteRequest.deserializeBinary(b));
    try {
      const r = await t.run("up", [item("o6", { customTimeouts: { create: "1h30m", delete: "2.5s" } })]);
      expect(r.errors).toEqual([]);
      expect(creates.sent().map((q) => [q.getUrn(), q.getTimeout()])).toEqual([[urnOf("o6"), 5400]]);
      // destroy runs without the program: the delete timeout comes from the state, as the CLI's does
      expect((await t.run("destroy", undefined)).errors).toEqual([]);
      expect(deletes.sent().map((q) => [q.getUrn(), q.getTimeout()])).toEqual([[urnOf("o6"), 2.5]]);
    } finally {
      creates.restore();
      deletes.restore();
    }
  });

  test("O6: an invalid customTimeout fails the registration with the CLI's error; nothing reaches the provider", async () => {
    t.clearCalls();
    // --stack-trace-limit=0: the program prints the failed registration's stack, and mapping it through the
    // SDK's source maps took about 30 s here (measured); the stack says nothing this test looks at
    const r = await t.run("up", [item("o6", { customTimeouts: { create: "2 minutes" } })], {
      env: { NODE_OPTIONS: "--stack-trace-limit=0" },
    });
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toContain("unable to parse customTimeout Value 2 minutes");
    expect(t.calls()).toEqual([]);
    expect(t.device().entries).toEqual({});
  });

  test("O7: ignoreChanges is applied before Check: the provider sees the old value", async () => {
    await fresh();
    expect((await t.run("up", [item("o7")])).errors).toEqual([]);
    const r = await t.run("up", [item("o7", { value: "new", ignoreChanges: ["value"] })]);
    expect(r.counts).toMatchObject({ same: 1, update: 0 });
    expect(t.device().entries["rtr/o7"].value).toBe("v-o7");
  });

  test("O10: dependsOn: the dependent is registered only once its dependency's step is done, and the state records it", async () => {
    await fresh();
    const r = await t.run("up", [item("d1", { delayMs: 800 }), item("d2", { dependsOnPrevious: true })]);
    expect(r.errors).toEqual([]);
    const calls = t.calls().map((c) => `${c.op} ${c.key} ${c.phase}`);
    // without dependsOn, d2's Check would run while d1's create sleeps
    expect(calls.indexOf("check d2 start")).toBeGreaterThan(calls.indexOf("create d1 end"));
    expect(t.state().resources.find((x) => x.name === "d2")).toMatchObject({ deps: [urnOf("d1")] });
  });

  test("O9: a CLI flag the test engine does not implement is refused, naming it; nothing runs", () => {
    for (const [args, flag] of [
      [["up", "--target=urn:pulumi:s::p::t::n"], "--target"],
      [["up", "--target-dependents"], "--target-dependents"],
      [["destroy", "--exclude-protected"], "--exclude-protected"],
      [["up", "--exclude", "urn"], "--exclude"],
      [["preview", "-t", "urn"], "-t"],
      [["up", "--secret"], "--secret"],
      [["config", "set", "--parallel=2", "k", "v"], "--parallel"],
    ] as const) {
      expect(() => parseArgs([...args])).toThrow(`unknown flag ${flag} for ${args[0]}`);
    }
    // what it does implement still parses
    expect(
      parseArgs(["up", "--cwd", "d", "--stack=s", "--state", "f", "--parallel=3", "--refresh", "--continue-on-error"]),
    ).toEqual({
      pos: ["up"],
      flags: { cwd: "d", stack: "s", state: "f", parallel: "3", refresh: true, "continue-on-error": true },
    });
    const stateFile = path.join(t.dir, "o9-state.json");
    const cli = path.join(__dirname, "cli.ts");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", cli, "up", "--cwd", PROGRAM_DIR, "--stack", t.stack, "--state", stateFile, "--target=urn"],
      { encoding: "utf8" },
    );
    expect(run.stderr).toMatch(/^error: unknown flag --target for up/);
    expect(run.status).toBe(2);
    expect(fs.existsSync(stateFile)).toBe(false);
  });

  test("the test engine refuses an invoke or a call, naming its token (routerstack programs make neither)", async () => {
    const r = await t.run("preview", [item("i1")], { configOverrides: { "devprog:invoke": "devprog:index:lookup" } });
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toContain("invoke devprog:index:lookup is not supported by the test engine");
    const c = await t.run("preview", [item("i1")], {
      configOverrides: { "devprog:call": "devprog:index:Comp/method" },
    });
    expect(c.ok).toBe(false);
    expect(c.errors.join("\n")).toContain("call devprog:index:Comp/method is not supported by the test engine");
  });
});

describe("refresh (row F1)", () => {
  beforeAll(fresh);

  test("F1: refresh asks the provider's Diff; a changed output the provider ignores is not drift", async () => {
    expect((await t.run("up", [item("f1")])).errors).toEqual([]);
    // token is an output only; the provider's diff compares inputs, so a new token is no drift
    const st = JSON.parse(fs.readFileSync(t.stateFile, "utf8"));
    t.clearCalls();
    const same = await t.run("refresh", undefined);
    expect(same.drift).toEqual([]);
    expect(t.calls().map((c) => c.op)).toEqual(["read", "diff", "diff"]); // the fixture logs diff start and end
    expect(st.resources).toHaveLength(1);
    const d = t.device();
    d.entries["rtr/f1"].value = "by hand";
    t.writeDevice(d);
    const r = await t.run("refresh", undefined);
    expect(r.drift).toEqual([{ urn: urnOf("f1"), name: "f1", diffs: ["value"], gone: false }]);
  });
});

describe("parallelism and cancellation (rows C1–C3)", () => {
  beforeAll(fresh);

  test("C1: steps run at most --parallel at once (default 4 × CPUs, or PULUMI_PARALLEL)", async () => {
    const items = ["c1", "c2", "c3", "c4"].map((n) => item(n, { delayMs: 400 }));
    const r = await t.run("up", items, { env: { PULUMI_PARALLEL: "2" } });
    expect(r.errors).toEqual([]);
    const creates = t.calls().filter((c) => c.op === "create" && c.phase === "start");
    // with 2 workers the third create starts only after the first two have slept
    expect(creates[2].t - creates[0].t).toBeGreaterThanOrEqual(350);
  });

  test("C1: without --parallel or PULUMI_PARALLEL, at most 4 × the CPUs' steps run at once", async () => {
    await fresh();
    const n = 4 * os.availableParallelism();
    const items = Array.from({ length: n + 1 }, (_, i) => item(`d${i}`, { createDelayMs: 3000 }));
    const r = await t.run("up", items, { env: { PULUMI_PARALLEL: "" } });
    expect(r.errors).toEqual([]);
    // the host appends every call in the order it happens: count the creates in flight
    let inFlight = 0;
    let most = 0;
    for (const c of t.calls().filter((x) => x.op === "create")) {
      inFlight += c.phase === "start" ? 1 : -1;
      most = Math.max(most, inFlight);
    }
    expect(most).toBe(n);
    expect(Object.keys(t.device().entries)).toHaveLength(n + 1);
  });

  test("C2: the first interrupt lets in-flight steps finish, starts no new one, and writes the state", async () => {
    await fresh();
    const intr = new EngineInterrupt();
    const items = ["i1", "i2", "i3"].map((n) => item(n, { delayMs: 1500 }));
    const run = t.run("up", items, { parallel: 1, interrupt: intr });
    // interrupt once the first create has started
    for (let i = 0; i < 200 && !t.calls().some((c) => c.op === "create"); i++)
      await new Promise((res) => setTimeout(res, 50));
    intr.interrupt();
    const r = await run;
    expect(r.cancelled).toBe(true);
    expect(r.errors).toContain("up canceled");
    expect(Object.keys(t.device().entries)).toEqual(["rtr/i1"]);
    expect(t.state().resources.map((x) => x.name)).toEqual(["i1"]);
  });

  test("C3: a second interrupt stops at once; no process is left", async () => {
    await fresh();
    const intr = new EngineInterrupt();
    const run = t.run("up", [item("j1", { delayMs: 20_000 })], { interrupt: intr });
    for (let i = 0; i < 200 && !t.calls().some((c) => c.op === "create"); i++)
      await new Promise((res) => setTimeout(res, 50));
    const started = Date.now();
    intr.interrupt();
    intr.interrupt();
    const r = await run;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.ok).toBe(false);
    expect(t.pids.filter(isAlive)).toEqual([]);
  });
});
