/**
 * Hostile input, RouterOS, in process (issue 5). Generated strings go through the provider's real code — `check`
 * (zod), the menu engine, the codec and the exec envelope — into the lab emulator's own CLI parser
 * (tests/lab/routeros, which follows routeros-cli.md, not the provider), and the stored value is compared
 * byte-for-byte with what the emulator holds (its dump) and with what the provider's read path decodes.
 *
 * "None executed": every generated string may carry injection attempts (`"; /system/identity/set name=PWNED; "`,
 * `$[…]`, `{ … }`, `$e`, …). After each value the emulator's write log must show exactly the intended write, the
 * dump may differ from the one before only by the intended item, no output line may be the canary, and the
 * identity/note singletons must be untouched.
 */
import fc from "fast-check";
import { isDeepStrictEqual } from "util";
import { createConsole, type RouterOsConsole } from "../../lab/routeros/cli";
import * as codec from "../../../provider/routeros/codec";
import { buildLine, MAX_LINE_BYTES, parseLine, planLines } from "../../../provider/routeros/envelope";
import { parseRows, textValue } from "../../../provider/routeros/read";
import { clearVersionCache } from "../../../provider/routeros/version";
import type { OpContext, ResourceKind } from "../../../provider/resources/kind";
import type { DeviceTransport } from "../../../provider/transport/types";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { kind as staticRoute } from "../../../provider/resources/routeros/static-route";
import { kind as natRule } from "../../../provider/resources/routeros/nat-rule";
import { kind as bgpInstance } from "../../../provider/resources/routeros/bgp-instance";
import {
  CANARY,
  SEED,
  hostileString,
  same,
  newCounts,
  report,
  routerosCommentAcceptable,
  type FuzzCounts,
} from "./hostile";

// 6000 + 2000 + 6000 = 14000 generated strings through the emulator's parser (issue 5: at least 10,000).
const RUNS_CREATE = Number(process.env.FUZZ_RUNS ?? 6000);
const RUNS_UPDATE = Math.ceil(RUNS_CREATE / 3);
const RUNS_RAW = RUNS_CREATE;
const total = newCounts();
afterAll(() => {
  report("routeros TOTAL (in process)", total);
});
const add = (c: FuzzCounts) => {
  for (const k of Object.keys(total) as (keyof FuzzCounts)[]) total[k] += c[k];
};

type Dump = Record<string, unknown[]>;

/** The emulator console behind a DeviceTransport; keeps every stdout line and every write the emulator logged. */
function device() {
  const con: RouterOsConsole = createConsole({ version: "7.20" });
  const writes: string[] = [];
  const outLines: string[] = [];
  const transport: DeviceTransport = {
    spec: { name: "crs", platform: "routeros", host: "192.0.2.1", port: 22, username: "admin", batchWindowMs: 0 },
    async exec(command) {
      const stdout = con.runLogged(command, (w) => writes.push(w));
      outLines.push(...stdout.split(/\r?\n/));
      return { stdout, stderr: "", code: 0 };
    },
    async interactive() {
      throw new Error("no interactive exec on RouterOS");
    },
    stats: () => ({ handshakes: 0, execs: 0, bytesSent: 0 }),
    async close() {},
  };
  return { con, writes, outLines, transport, seen: { lines: 0, writes: 0 } };
}

/** Items added, removed or changed between two dumps, by menu and `.id`. */
function dumpDelta(a: Dump, b: Dump): { menu: string; id: string; before?: unknown; after?: unknown }[] {
  const out: { menu: string; id: string; before?: unknown; after?: unknown }[] = [];
  for (const menu of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const key = (x: unknown, k: number) => String((x as Record<string, unknown>)[".id"] ?? `#${k}`);
    const am = new Map((a[menu] ?? []).map((x, k) => [key(x, k), x]));
    const bm = new Map((b[menu] ?? []).map((x, k) => [key(x, k), x]));
    for (const id of new Set([...am.keys(), ...bm.keys()])) {
      if (!isDeepStrictEqual(am.get(id), bm.get(id))) out.push({ menu, id, before: am.get(id), after: bm.get(id) });
    }
  }
  return out;
}

/** The canary checks shared by every test: no injected command ran. */
function assertNothingExecuted(dev: ReturnType<typeof device>, counts: FuzzCounts): void {
  const d = dev.con.dump();
  // Only what is new since the last check (the logs grow with every value).
  const lines = dev.outLines.slice(dev.seen.lines);
  const writes = dev.writes.slice(dev.seen.writes);
  dev.seen = { lines: dev.outLines.length, writes: dev.writes.length };
  const executed =
    (d["/system/identity"][0] as Record<string, unknown>).name !== undefined ||
    (d["/system/note"][0] as Record<string, unknown>).note !== undefined ||
    lines.some((l) => l.trim() === CANARY) ||
    writes.some((w) => !/^\/(ip\/route|ip\/firewall\/nat|routing\/bgp\/instance)\/(add|set|remove)\b/.test(w));
  if (executed) counts.executed++;
  same(executed, false);
}

function ctxFor(transport: DeviceTransport, identity: string): OpContext {
  return { transport, device: "crs", identity, adopt: false, label: `kind "${identity}" on device "crs"` };
}

/** `check` as the Pulumi engine calls it: the failures must all name `field`. */
async function checked<I extends object>(kind: ResourceKind<I>, identity: string, own: Record<string, unknown>) {
  const provider = makeProvider(kind);
  const r = await provider.check({}, { device: "crs", identity, ...own });
  return { ok: r.failures.length === 0, failures: r.failures, inputs: r.inputs };
}

beforeEach(() => clearVersionCache());

describe("RouterOS: generated comments through check → menu engine → emulator → read path", () => {
  it(`${RUNS_CREATE} StaticRoute comments are stored and read back byte-for-byte or rejected naming "comment"; none executed`, async () => {
    const dev = device();
    const counts = newCounts();
    // fc.sample + a plain loop: asyncProperty's per-run scheduling costs more than the emulator here. A failure
    // names the value and its index; FUZZ_SEED reproduces the sequence.
    for (const [k0, s] of fc.sample(hostileString({ maxLong: 400 }), { seed: SEED, numRuns: RUNS_CREATE }).entries()) {
      await (async () => {
        counts.tried++;
        const identity = `fuzz/ros/r${k0}`;
        const own = { dstAddress: "203.0.113.0/24", gateway: "pppoe-gpon", distance: 7, comment: s };
        const c = await checked(staticRoute, identity, own);
        same(c.ok, routerosCommentAcceptable(s));
        if (!c.ok) {
          counts.rejected++;
          same(
            c.failures.map((f) => f.property),
            c.failures.map(() => "comment"),
          );
          return;
        }
        const { device: _d, identity: _i, adopt: _a, ...inputs } = c.inputs;
        const ctx = ctxFor(dev.transport, identity);
        const before = dev.con.dump();
        const w0 = dev.writes.length;
        const created = await staticRoute.driver.create(ctx, inputs as never);
        const after = dev.con.dump();
        // Exactly one write, the add, and the dump differs by exactly the new item.
        same(
          dev.writes.slice(w0).map((w) => w.split(" ")[0]),
          ["/ip/route/add"],
        );
        const delta = dumpDelta(before, after);
        same(
          delta.map((x) => [x.menu, x.before]),
          [["/ip/route", undefined]],
        );
        const stored = (delta[0].after as Record<string, unknown>).comment;
        const ok = stored === `rs:${identity} ${s}` && (created.observed.inputs as { comment?: string }).comment === s;
        const read = await staticRoute.driver.read(ctx, created.id, inputs as never);
        if (!ok || (read?.observed.inputs as { comment?: string } | undefined)?.comment !== s) counts.mismatched++;
        same(stored, `rs:${identity} ${s}`);
        same((created.observed.inputs as { comment?: string }).comment, s);
        same((read?.observed.inputs as { comment?: string }).comment, s);
        // Remove it again: the device is back to the dump before, with one more write (the remove).
        await staticRoute.driver.delete(ctx, created.id, inputs as never);
        same(isDeepStrictEqual(dev.con.dump(), before), true);
        same(dev.writes.length, w0 + 2);
        counts.stored++;
        assertNothingExecuted(dev, counts);
      })().catch((e) => {
        throw new Error(`value #${k0} ${JSON.stringify(s)} (seed ${SEED}): ${(e as Error).message}`);
      });
    }
    report("routeros StaticRoute.comment (in process)", counts);
    add(counts);
    expect(counts.tried).toBeGreaterThanOrEqual(RUNS_CREATE);
    same(counts.executed + counts.mismatched, 0);
  }, 120_000);

  it(`${RUNS_UPDATE} NatRule updates set a generated comment with one \`set\`, read back byte-for-byte; none executed`, async () => {
    const dev = device();
    const counts = newCounts();
    const identity = "fuzz/ros/nat";
    const base = { chain: "srcnat", action: "masquerade", outInterface: "pppoe-gpon" };
    const c0 = await checked(natRule, identity, base);
    const { device: _d, identity: _i, adopt: _a, ...inputs0 } = c0.inputs;
    const ctx = ctxFor(dev.transport, identity);
    const created = await natRule.driver.create(ctx, inputs0 as never);
    let last = inputs0;
    for (const [k0, s] of fc
      .sample(hostileString({ maxLong: 255 }), { seed: SEED + 1, numRuns: RUNS_UPDATE })
      .entries()) {
      await (async () => {
        counts.tried++;
        const c = await checked(natRule, identity, { ...base, comment: s });
        same(c.ok, routerosCommentAcceptable(s));
        if (!c.ok) {
          counts.rejected++;
          same(
            c.failures.map((f) => f.property),
            c.failures.map(() => "comment"),
          );
          return;
        }
        const { device: _d2, identity: _i2, adopt: _a2, ...inputs } = c.inputs;
        const before = dev.con.dump();
        const w0 = dev.writes.length;
        const updated = await natRule.driver.update(ctx, created.id, last as never, inputs as never);
        const delta = dumpDelta(before, dev.con.dump());
        const unchanged = (last as { comment?: string }).comment === s;
        same(
          dev.writes.slice(w0).map((w) => w.split(" ")[0]),
          unchanged ? [] : ["/ip/firewall/nat/set"],
        );
        same(
          delta.map((x) => [x.menu, x.id]),
          unchanged ? [] : [["/ip/firewall/nat", created.id]],
        );
        const stored = (
          (dev.con.dump()["/ip/firewall/nat"] as Record<string, unknown>[]).find((r) => r[".id"] === created.id) ?? {}
        ).comment;
        if (stored !== `rs:${identity} ${s}` || (updated.observed.inputs as { comment?: string }).comment !== s)
          counts.mismatched++;
        same(stored, `rs:${identity} ${s}`);
        same((updated.observed.inputs as { comment?: string }).comment, s);
        last = inputs;
        counts.stored++;
        assertNothingExecuted(dev, counts);
      })().catch((e) => {
        throw new Error(`value #${k0} ${JSON.stringify(s)} (seed ${SEED + 1}): ${(e as Error).message}`);
      });
    }
    report("routeros NatRule.comment update (in process)", counts);
    add(counts);
    same(counts.executed + counts.mismatched, 0);
  }, 60_000);
});

describe("RouterOS: the codec alone, for every string (no validation in front)", () => {
  it(`${RUNS_RAW} raw values (controls, NUL, newlines, non-ASCII, up to ~1300 bytes) survive quote → emulator parser → JSON read`, () => {
    const dev = device();
    const counts = newCounts();
    const id = dev.con.run(`:put [/ip/route/add dst-address=198.51.100.0/24 gateway=pppoe-gpon comment=seed]`).trim();
    same(codec.isItemId(id), true);
    fc.assert(
      fc.property(fc.oneof(hostileString({ maxLong: 1300 }), fc.string({ unit: "binary", maxLength: 80 })), (s) => {
        counts.tried++;
        // What RouterOS stores: the UTF-8 bytes of s (a lone surrogate has none; UTF-8 encoders write U+FFFD).
        const expected = Buffer.from(s, "utf8").toString("utf8");
        const cmds = [
          codec.set("/ip/route", id, [{ kind: "value", prop: "comment", value: s }]),
          codec.printJson("/ip/route", { op: "id", id }),
        ];
        const line = buildLine(cmds);
        if (Buffer.byteLength(line.text) > MAX_LINE_BYTES) {
          // Too long for one exec line: the envelope refuses it (RangeError) instead of cutting it.
          if (Buffer.byteLength(buildLine([cmds[0]]).text) > MAX_LINE_BYTES)
            expect(() => planLines([cmds[0]])).toThrow(RangeError);
          else expect(planLines(cmds)).toHaveLength(2);
          counts.rejected++;
          return;
        }
        const before = dev.con.dump();
        const w0 = dev.writes.length;
        const stdout = dev.con.runLogged(line.text, (w) => dev.writes.push(w));
        dev.outLines.push(...stdout.split(/\r?\n/));
        const [set, read] = parseLine(line, stdout);
        same(set, { ok: true, payload: [] });
        same(read.ok, true);
        const rows = parseRows((read as { payload: string[] }).payload);
        const stored = ((dev.con.dump()["/ip/route"] as Record<string, unknown>[]).find((r) => r[".id"] === id) ?? {})
          .comment;
        const delta = dumpDelta(before, dev.con.dump());
        if (stored !== expected || textValue(rows[0]?.comment) !== expected) counts.mismatched++;
        same(stored, expected);
        same(textValue(rows[0].comment), expected);
        same(dev.writes.length - w0, 1);
        same(
          delta.every((x) => x.menu === "/ip/route" && x.id === id),
          true,
        );
        counts.stored++;
        assertNothingExecuted(dev, counts);
      }),
      { seed: SEED + 2, numRuns: RUNS_RAW, endOnFailure: true },
    );
    report(
      "routeros codec.quote raw (in process)",
      counts,
      `the ${counts.rejected} "rejected" did not fit one 4 KB exec line and were refused by the envelope (RangeError), not cut`,
    );
    add(counts);
    same(counts.executed + counts.mismatched, 0);
  }, 60_000);
});

describe("RouterOS validation rejects malformed values, naming the field", () => {
  const ok = { dstAddress: "203.0.113.0/24", gateway: "pppoe-gpon" };
  const cases: [string, ResourceKind<never>, Record<string, unknown>, string][] = [
    ["prefix with host bits", staticRoute as never, { ...ok, dstAddress: "203.0.113.1/24" }, "dstAddress"],
    ["prefix /33", staticRoute as never, { ...ok, dstAddress: "203.0.113.0/33" }, "dstAddress"],
    [
      "prefix with injection",
      staticRoute as never,
      { ...ok, dstAddress: '203.0.113.0/24"; /system/reboot; "' },
      "dstAddress",
    ],
    ["IPv6 prefix with zone", staticRoute as never, { ...ok, dstAddress: "2001:db8::/32%eth0" }, "dstAddress"],
    ["address 256", staticRoute as never, { ...ok, gateway: "192.0.2.256" }, "gateway"],
    ["gateway with space", staticRoute as never, { ...ok, gateway: "ether 1" }, "gateway"],
    ["gateway with quote", staticRoute as never, { ...ok, gateway: 'ether1"' }, "gateway"],
    ["gateway with $", staticRoute as never, { ...ok, gateway: "$gw" }, "gateway"],
    ["gateway iface%iface%x", staticRoute as never, { ...ok, gateway: "192.0.2.1%ether1%x" }, "gateway"],
    ["routing table with ;", staticRoute as never, { ...ok, routingTable: "main;x" }, "routingTable"],
    ["distance 0", staticRoute as never, { ...ok, distance: 0 }, "distance"],
    ["distance 1.5", staticRoute as never, { ...ok, distance: 1.5 }, "distance"],
    ["distance as text", staticRoute as never, { ...ok, distance: "1" }, "distance"],
    ["unknown property", staticRoute as never, { ...ok, "pref-src": "192.0.2.1" }, "pref-src"],
    ["unknown property __proto__-like", staticRoute as never, { ...ok, constructor: "x" }, "constructor"],
    [
      "interface name with space",
      natRule as never,
      { chain: "srcnat", action: "masquerade", outInterface: "pppoe gpon" },
      "outInterface",
    ],
    [
      "interface name with quote",
      natRule as never,
      { chain: "srcnat", action: "masquerade", outInterface: 'x"y' },
      "outInterface",
    ],
    [
      "interface name non-ASCII",
      natRule as never,
      { chain: "srcnat", action: "masquerade", outInterface: "éth0" },
      "outInterface",
    ],
    ["to-ports 0", natRule as never, { chain: "dstnat", action: "dst-nat", protocol: "tcp", toPorts: "0" }, "toPorts"],
    [
      "to-addresses range of 3",
      natRule as never,
      { chain: "srcnat", action: "src-nat", toAddresses: "192.0.2.1-192.0.2.2-192.0.2.3" },
      "toAddresses",
    ],
    ["AS 0", bgpInstance as never, { name: "main", as: 0 }, "as"],
    ["AS 2^32", bgpInstance as never, { name: "main", as: 4294967296 }, "as"],
    ["AS as dotted text", bgpInstance as never, { name: "main", as: "1.1" }, "as"],
    ["AS negative", bgpInstance as never, { name: "main", as: -1 }, "as"],
    ["name with quote", bgpInstance as never, { name: 'a"b', as: 65000 }, "name"],
    ["name with $", bgpInstance as never, { name: "a$b", as: 65000 }, "name"],
    ["name with newline", bgpInstance as never, { name: "a\nb", as: 65000 }, "name"],
    ["name 64 chars", bgpInstance as never, { name: "a".repeat(64), as: 65000 }, "name"],
    ["router id 1.2.3", bgpInstance as never, { name: "main", as: 65000, routerId: "1.2.3" }, "routerId"],
  ];
  it.each(cases)("%s", async (_label, kind, own, field) => {
    const c = await checked(kind, "fuzz/ros/bad", own);
    expect(c.ok).toBe(false);
    expect(c.failures.map((f) => f.property)).toContain(field);
  });

  it("durations: hold time rejects malformed text, naming holdTime", async () => {
    const { kind } = await import("../../../provider/resources/routeros/bgp-session");
    const base = { name: "s1", instance: "main", as: 65000, remoteAddress: "192.0.2.2", localRole: "ibgp" };
    for (const bad of [
      "30x",
      "1m30",
      "-5s",
      "1.5s",
      "30s; /system/reboot",
      "infinity",
      "",
      " ",
      "1e3",
      "３０s",
      2.5,
      -1,
      NaN,
    ]) {
      const c = await checked(kind, "fuzz/ros/bgp", { ...base, holdTime: bad });
      expect([bad, c.ok]).toEqual([bad, false]);
      expect(c.failures.map((f) => f.property)).toContain("holdTime");
    }
  });

  // Found by this file: the clock form of a duration does not range-check minutes and seconds
  // (provider/resources/common.ts parseDurationSeconds: /^(\d+):(\d{2}):(\d{2})$/), so "00:00:99" is 99 s and
  // "00:60:00" is 1 h. They are not durations RouterOS or BIRD print; validation should reject them.
  it.each(["00:00:99", "00:60:00", "00:01:99"])(
    "hold time %j (minutes/seconds ≥ 60 in clock form) is rejected naming holdTime",
    async (bad) => {
      const { kind } = await import("../../../provider/resources/routeros/bgp-session");
      const c = await checked(kind, "fuzz/ros/bgp", {
        name: "s1",
        instance: "main",
        as: 65000,
        remoteAddress: "192.0.2.2",
        localRole: "ibgp",
        holdTime: bad,
      });
      expect(c.ok).toBe(false);
      expect(c.failures.map((f) => f.property)).toContain("holdTime");
    },
  );

  // Found by this file: a lone UTF-16 surrogate cannot be encoded as UTF-8, so the codec sends U+FFFD (EF BF BD)
  // and the device stores "\uFFFD" — the value is mangled and shows as drift on every refresh. Validation should
  // reject it naming the field (freeText in provider/resources/common.ts).
  it.each(["\ud800", "a\udfffb", "😀".slice(0, 1)])(
    "a comment with a lone surrogate %j is rejected naming comment",
    async (s) => {
      const c = await checked(staticRoute, "fuzz/ros/sur", {
        dstAddress: "203.0.113.0/24",
        gateway: "pppoe-gpon",
        comment: s,
      });
      expect(c.ok).toBe(false);
      expect(c.failures.map((f) => f.property)).toContain("comment");
    },
  );
});
