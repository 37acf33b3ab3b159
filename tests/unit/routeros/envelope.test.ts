import * as codec from "../../../provider/routeros/codec";
import {
  buildLine,
  lineBytes,
  MAX_LINE_BYTES,
  outputLines,
  parseLine,
  planLines,
  runCommands,
} from "../../../provider/routeros/envelope";
import { emulator, printed, transportFor } from "./fixtures";

const N = "0a1b2c3d4e5f";
const addRoute = codec.add("/ip/route", [
  { kind: "value", prop: "dst-address", value: "0.0.0.0/0" },
  { kind: "value", prop: "gateway", value: "198.51.100.1" },
]);
const setRoute = codec.set("/ip/route", "*3", [{ kind: "value", prop: "distance", value: 3 }]);
const crlf = (...lines: string[]) => lines.map((l) => l + "\r\n").join("");

describe("envelope line (routeros-cli.md §4.2, T9)", () => {
  it("wraps each change in :onerror with its own result marker, between begin and end markers", () => {
    const line = buildLine([setRoute], N);
    expect(line.text).toBe(
      `:put "RS${N}-BEGIN"; ` +
        `:onerror e in={ /ip/route/set *3 distance="3"; :put "RS${N}-OK 0" } do={ :put ("RS${N}-ERR 0 " . $e) }; ` +
        `:put "RS${N}-END"`,
    );
  });

  it("prints add's result with :put [...] so the new .id comes back (T2)", () => {
    expect(buildLine([addRoute], N).text).toContain(
      `in={ :put [/ip/route/add dst-address="0.0.0.0/0" gateway="198.51.100.1"]; :put "RS${N}-OK 0" }`,
    );
  });

  it("uses a fresh random nonce per line", () => {
    const a = buildLine([setRoute]);
    const b = buildLine([setRoute]);
    expect(a.nonce).toMatch(/^[0-9a-f]{12}$/);
    expect(a.nonce).not.toBe(b.nonce);
  });
});

describe("parsing envelope output", () => {
  const line = buildLine([addRoute, setRoute, codec.printJson("/ip/address")], N);

  it("gives per-change ok/id/payload (T2, T3, T6)", () => {
    const out = crlf(
      `RS${N}-BEGIN`,
      "*3",
      `RS${N}-OK 0`,
      `RS${N}-OK 1`,
      '[{".id":"*1","address":"192.168.88.1/24","comment":"defconf","interface":"bridge","network":"192.168.88.0"}]',
      `RS${N}-OK 2`,
      `RS${N}-END`,
    );
    const r = parseLine(line, out);
    expect(r[0]).toEqual({ ok: true, payload: ["*3"] });
    expect(r[1]).toEqual({ ok: true, payload: [] });
    expect(r[2].ok && JSON.parse(r[2].payload[0])[0].address).toBe("192.168.88.1/24");
  });

  it("reports a runtime error with the device's message and still reads later changes (T9)", () => {
    const out = crlf(
      `RS${N}-BEGIN`,
      `RS${N}-ERR 0 input does not match any value of interface`,
      `RS${N}-OK 1`,
      "[]",
      `RS${N}-OK 2`,
      `RS${N}-END`,
    );
    const r = parseLine(line, out);
    expect(r[0]).toEqual({ ok: false, kind: "runtime", message: "input does not match any value of interface" });
    expect(r[1].ok).toBe(true);
  });

  it("treats a missing begin marker as a parse error whose message is the raw output (T10)", () => {
    for (const msg of [
      "expected end of command (line 1 column 24)",
      "bad parameter bogus (line 1 column 54)",
      "syntax error (line 1 column 54)",
    ]) {
      const r = parseLine(line, crlf(msg));
      expect(r).toHaveLength(3);
      expect(r.every((x) => !x.ok && x.kind === "parse" && x.message === msg)).toBe(true);
    }
  });

  it("drops async log echo lines and column padding (§1.1)", () => {
    const out =
      `RS${N}-BEGIN   \r\n17:20:06 echo: system,error,critical login failure for user admin from 192.0.2.9 via ssh\r\n*3\r\n` +
      crlf(`RS${N}-OK 0`, `RS${N}-OK 1`, "[]", `RS${N}-OK 2`, `RS${N}-END`);
    expect(parseLine(line, out)[0]).toEqual({ ok: true, payload: ["*3"] });
    expect(outputLines("       uptime: 24s     \r\n      version: 7.23.1   \r\n")).toEqual([
      "       uptime: 24s",
      "      version: 7.23.1",
    ]);
  });

  it("flags output cut short before the end marker", () => {
    const r = parseLine(line, crlf(`RS${N}-BEGIN`, "*3", `RS${N}-OK 0`));
    expect(r[0].ok).toBe(true);
    expect(r[1]).toMatchObject({
      ok: false,
      kind: "protocol",
      message: expect.stringMatching(/ended before the end marker/),
    });
  });

  it("is not fooled by a marker printed with another nonce (e.g. inside a comment read)", () => {
    const r = parseLine(
      buildLine([setRoute], N),
      crlf(`RS${N}-BEGIN`, "RSffffffffffff-OK 0", `RS${N}-OK 0`, `RS${N}-END`),
    );
    expect(r[0]).toEqual({ ok: true, payload: ["RSffffffffffff-OK 0"] });
  });

  it("an uncaught error before the envelope (T8 without envelope) is a parse-kind error with the text", () => {
    const r = parseLine(buildLine([setRoute], N), crlf("input does not match any value of interface"));
    expect(r[0]).toMatchObject({ ok: false, message: "input does not match any value of interface" });
  });
});

describe("line length", () => {
  const big = (i: number) =>
    codec.set("/ip/route", "*1", [{ kind: "value", prop: "comment", value: `${i}:${"x".repeat(900)}` }]);

  it("keeps every exec line within 4096 bytes, in order", async () => {
    const cmds = Array.from({ length: 12 }, (_, i) => big(i));
    const groups = planLines(cmds);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(cmds);
    for (const g of groups) expect(lineBytes(buildLine(g).text)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    // fits as many as possible: adding the next command to a group would overflow
    for (let i = 0; i < groups.length - 1; i++) {
      expect(lineBytes(buildLine([...groups[i], groups[i + 1][0]]).text)).toBeGreaterThan(MAX_LINE_BYTES);
    }
  });

  it("refuses a single command longer than a line", () => {
    const huge = codec.set("/ip/route", "*1", [{ kind: "value", prop: "comment", value: "é".repeat(1400) }]);
    expect(() => planLines([huge])).toThrow(/does not fit in one 4096-byte exec line/);
  });

  it("runCommands sends one exec per planned line", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const t = transportFor(dev);
    const id = dev.run(":put [/ip/route/add dst-address=0.0.0.0/0 gateway=198.51.100.1]").trim();
    const cmds = Array.from({ length: 9 }, (_, i) =>
      codec.set("/ip/route", id, [{ kind: "value", prop: "comment", value: `${i}:${"y".repeat(900)}` }]),
    );
    const r = await runCommands(t, cmds);
    expect(r.every((x) => x.ok)).toBe(true);
    expect(t.execs.length).toBe(planLines(cmds).length);
    expect(t.execs.every((l) => lineBytes(l) <= MAX_LINE_BYTES)).toBe(true);
    expect(printed(dev, "/ip/route")[0].comment).toMatch(/^8:/);
  });
});

describe("parse-error retry", () => {
  it("re-runs a line that failed to parse one change per line and attributes the error", async () => {
    // 7.23: an unknown parameter is `bad parameter <name>` there (≤7.21: `syntax error`, routeros-cli.md §4.1).
    const dev = emulator("7.23", {}, { startingConfig: "empty" });
    const t = transportFor(dev);
    const id = dev.run(":put [/ip/route/add dst-address=0.0.0.0/0 gateway=198.51.100.1]").trim();
    const good = codec.set("/ip/route", id, [{ kind: "value", prop: "distance", value: 5 }]);
    const bad = codec.set("/ip/route", id, [{ kind: "value", prop: "bogus", value: 1 }]);
    const read = codec.printJson("/ip/route");
    const r = await runCommands(t, [good, bad, read]);
    expect(t.execs).toHaveLength(4); // the combined line, then each change alone
    expect(r[0].ok).toBe(true);
    expect(r[1]).toMatchObject({
      ok: false,
      kind: "parse",
      message: expect.stringMatching(/^bad parameter bogus \(line 1 column \d+\)$/),
    });
    expect(r[2].ok).toBe(true);
    expect(printed(dev, "/ip/route")[0].distance).toBe(5);
  });

  it("does not retry a single-change line", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const t = transportFor(dev);
    const r = await runCommands(t, [codec.set("/ip/route", "*1", [{ kind: "value", prop: "bogus", value: 1 }])]);
    expect(t.execs).toHaveLength(1);
    expect(r[0]).toMatchObject({ ok: false, kind: "parse" });
  });

  it("runtime errors are per change: the others still apply", async () => {
    const dev = emulator("7.20", {}, { startingConfig: "empty" });
    const t = transportFor(dev);
    const id = dev.run(":put [/ip/route/add dst-address=0.0.0.0/0 gateway=198.51.100.1]").trim();
    const r = await runCommands(t, [
      codec.set("/ip/route", "*99", [{ kind: "value", prop: "distance", value: 2 }]),
      codec.set("/ip/route", id, [{ kind: "value", prop: "distance", value: 4 }]),
    ]);
    expect(t.execs).toHaveLength(1);
    expect(r[0]).toEqual({ ok: false, kind: "runtime", message: "no such item" });
    expect(r[1].ok).toBe(true);
  });
});

describe("partial failure against the lab emulator's in-process CLI (issue 5)", () => {
  // The emulator follows docs/reference/routeros-cli.md, not the provider: a line that fails to parse runs nothing.
  function emulated() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createRouterOsCli } = require("../../lab/routeros") as typeof import("../../lab/routeros");
    const cli = createRouterOsCli({ startingConfig: "empty" });
    const execs: string[] = [];
    const transport = {
      spec: { name: "crs", platform: "routeros" as const, host: "emulator", port: 22, username: "admin" },
      async exec(command: string) {
        execs.push(command);
        return { stdout: cli.run(command), stderr: "", code: 0 };
      },
      interactive: () => Promise.reject(new Error("not used")),
      stats: () => ({ handshakes: 0, execs: execs.length, bytesSent: 0 }),
      close: async () => undefined,
    };
    return { cli, transport, execs };
  }
  const routes = (cli: { dump(): Record<string, unknown[]> }) =>
    (cli.dump()["/ip/route"] ?? []) as Record<string, unknown>[];

  it("one line with several changes reports each change's result; a runtime error leaves the others applied", async () => {
    const { cli, transport, execs } = emulated();
    const r = await runCommands(transport, [
      codec.add("/ip/route", [
        { kind: "value", prop: "dst-address", value: "198.51.100.0/24" },
        { kind: "value", prop: "gateway", value: "192.0.2.2" },
      ]),
      codec.set("/ip/route", "*99", [{ kind: "value", prop: "distance", value: 2 }]),
      codec.add("/ip/route", [
        { kind: "value", prop: "dst-address", value: "203.0.113.0/24" },
        { kind: "value", prop: "gateway", value: "192.0.2.2" },
      ]),
    ]);
    expect(execs).toHaveLength(1);
    expect(r.map((x) => x.ok)).toEqual([true, false, true]);
    expect(r[1]).toMatchObject({ kind: "runtime" });
    // What the results say was applied is exactly what the device holds.
    expect(
      routes(cli)
        .map((x) => x["dst-address"])
        .sort(),
    ).toEqual(["198.51.100.0/24", "203.0.113.0/24"]);
  });

  it("a line that fails to parse ran nothing; its changes are retried one per line, each applied exactly once", async () => {
    const { cli, transport, execs } = emulated();
    const r = await runCommands(transport, [
      codec.add("/ip/route", [
        { kind: "value", prop: "dst-address", value: "198.51.100.0/24" },
        { kind: "value", prop: "gateway", value: "192.0.2.2" },
      ]),
      codec.add("/ip/route", [
        { kind: "value", prop: "dst-address", value: "203.0.113.0/24" },
        { kind: "value", prop: "bogus-prop", value: "1" },
      ]),
      codec.add("/ip/route", [
        { kind: "value", prop: "dst-address", value: "192.0.2.128/25" },
        { kind: "value", prop: "gateway", value: "192.0.2.2" },
      ]),
    ]);
    expect(execs).toHaveLength(4); // the combined line, then one line per change
    expect(r.map((x) => x.ok)).toEqual([true, false, true]);
    expect(r[1]).toMatchObject({ kind: "parse" });
    const ids = r.filter((x) => x.ok).map((x) => (x as { payload: string[] }).payload.join("").trim());
    const held = routes(cli);
    // No duplicate from the retry, nothing of the bad change, and the ids reported are the items held.
    expect(held.map((x) => x["dst-address"]).sort()).toEqual(["192.0.2.128/25", "198.51.100.0/24"]);
    expect(held.map((x) => x[".id"]).sort()).toEqual([...ids].sort());
  });
});
