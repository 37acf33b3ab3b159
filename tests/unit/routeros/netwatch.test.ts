/**
 * Netwatch (`/tool/netwatch`, the failover health checks) against the lab's in-process CLI emulator
 * (tests/lab/routeros, written from routeros-cli.md) on every emulated version: the shared lifecycle (create →
 * no-op → drift → update/unset → renumber → delete), sub-second durations and script bodies byte for byte (also in
 * the clock form a device may print), and bad input rejected by `check` with the field named and no device I/O.
 */
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as netwatch } from "../../../provider/resources/routeros/netwatch";
import { durationMsText } from "../../../provider/routeros/property-types";
import { clearVersionCache } from "../../../provider/routeros/version";
import { badInputs, ctxFor, lifecycle } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

const upScript = ':log info "gpon up"; /ip/route/enable [find where comment~"gpon"]';
const downScript = ':local n "gpon"\n:log warning ("$n down")\n/ip/route/disable [find where comment~$n]';

describe.each(VERSIONS)("emulator %s: routeros-netwatch (icmp with thresholds and scripts)", (v) => {
  lifecycle({
    kind: netwatch,
    menu: "/tool/netwatch",
    newDevice: () => emulator(v),
    inputs: {
      host: "1.0.0.1",
      type: "icmp",
      interval: "30s",
      timeout: 1,
      thrAvg: "150ms",
      thrLossPercent: 50,
      thrLossCount: 5,
      upScript,
      downScript,
      name: "gpon-check",
      comment: "gpon health",
    },
    update: {
      host: "1.0.0.1",
      type: "icmp",
      interval: 10,
      packetInterval: 0.1,
      thrMax: "1s500ms",
      upScript,
      name: "gpon-check",
    },
    unsetField: "thrLossCount",
    drift: { args: [{ kind: "value", prop: "thr-avg", value: "200ms" }], expect: { thrAvg: 0.2 } },
  });
});

describe.each(VERSIONS)("emulator %s with variations: routeros-netwatch (clock-form sub-second durations)", (v) => {
  lifecycle({
    kind: netwatch,
    menu: "/tool/netwatch",
    newDevice: () => emulator(v, { floatIntegers: true, clockDurations: true, nullForUnset: true }),
    inputs: { host: "2001:db8:6::2", type: "tcp-conn", port: 179, thrStdev: 0.125, srcAddress: "2001:db8:6::1" },
    update: { host: "2001:db8:6::2", type: "simple", interval: 5 },
    unsetField: "srcAddress",
    drift: { args: [{ kind: "value", prop: "packet-interval", value: "1s250ms" }], expect: { packetInterval: 1.25 } },
  });
});

describe("specifics of the failover kinds", () => {
  beforeEach(() => clearVersionCache());

  it("Netwatch: sub-second thresholds go out as RouterOS durations and script bodies byte for byte", async () => {
    expect([0.05, 0.1, 0.25, 1, 1.5, 90, 90.001].map(durationMsText)).toEqual([
      "50ms",
      "100ms",
      "250ms",
      "1s",
      "1s500ms",
      "1m30s",
      "1m30s1ms",
    ]);
    expect(() => durationMsText(0.0005)).toThrow(RangeError);
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/nw");
    await netwatch.driver.create(
      ctx,
      netwatch.schema.parse({ host: "1.0.0.1", type: "icmp", thrAvg: 0.15, downScript }),
    );
    const [item] = dev.dump()["/tool/netwatch"] as Record<string, unknown>[];
    expect(item).toMatchObject({
      host: "1.0.0.1",
      type: "icmp",
      "thr-avg": 0.15,
      "packet-interval": 0.05,
      "thr-loss-percent": 85,
      "down-script": downScript,
      "up-script": "",
    });
  });
});

/** Bad input: `check` names the field and gives the reason; it never asks for a device transport. */
const BAD: [string, UntypedKind, Record<string, unknown>, string, RegExp][] = [
  ["netwatch host 1.0.0.256", netwatch, { host: "1.0.0.256" }, "host", /address/],
  ["netwatch DNS host for icmp", netwatch, { host: "one.one.one.one", type: "icmp" }, "host", /unless type is dns/],
  ["netwatch type ping", netwatch, { host: "1.0.0.1", type: "ping" }, "type", /icmp|invalid/i],
  ["netwatch thr-avg in microseconds", netwatch, { host: "1.0.0.1", thrAvg: 0.0001 }, "thrAvg", /millisecond/],
  ["netwatch loss 101%", netwatch, { host: "1.0.0.1", thrLossPercent: 101 }, "thrLossPercent", /100/],
  ["netwatch script with NUL", netwatch, { host: "1.0.0.1", upScript: "a\u0000b" }, "upScript", /control/],
  [
    "netwatch script too long",
    netwatch,
    { host: "1.0.0.1", downScript: ":log info x;".repeat(200) },
    "downScript",
    /too long/,
  ],
];

badInputs(BAD);
