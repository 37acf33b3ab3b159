/**
 * The RouterOS stand-in of the unit tests: the lab's in-process CLI emulator (tests/lab/routeros), which follows
 * routeros-cli.md and RouterOS's own command schema independently of the provider, and the version matrix it
 * models. Every unit test that needs a RouterOS device takes it from here.
 */
import { createConsole, ROUTEROS_VERSIONS, type CliOptions, type RouterOsVersion } from "../../lab/routeros/cli";
import type { Variation } from "../../lab/routeros/interpreter";
import * as devices from "../../../provider/dynamic/devices";
import { clearVersionCache } from "../../../provider/routeros/version";
import type { DeviceSpec, DeviceTransport, ExecOptions, ExecResult } from "../../../provider/transport/types";

export type { RouterOsVersion, Variation };

/** Every RouterOS version the emulator models, oldest first (for `describe.each`). */
export const VERSIONS: RouterOsVersion[] = [...ROUTEROS_VERSIONS];

/**
 * A fresh emulated router. `variation` switches the formats the reference only infers (interpreter.ts
 * `Variation`); `startingConfig` defaults to "reference" (the CRS's interfaces, bridge, vlan6, pppoe-gpon and its
 * hand-made rules), "empty" keeps the interfaces without the rules; `now` is the device clock the scheduler reads.
 */
export function emulator(
  version: RouterOsVersion = "7.20",
  variation: Variation = {},
  opts: Pick<CliOptions, "startingConfig" | "now"> = {},
) {
  const c = createConsole({ version, variation, ...opts });
  return {
    run: (l: string) => c.run(l),
    /** Compacts ids, as after a reboot. */
    renumber: () => c.state.renumber(),
    dump: () => c.dump(),
    console: c,
  };
}

export type Emulator = ReturnType<typeof emulator>;

/** A DeviceTransport around any `run(line) → stdout` (the emulator), recording every exec line in `execs`. */
export function transportFor(dev: { run(line: string): string }, name = "crs"): DeviceTransport & { execs: string[] } {
  // No latency in process, so no batching window: concurrent calls still share a batch (same tick).
  const spec: DeviceSpec = {
    name,
    platform: "routeros",
    host: "192.0.2.1",
    port: 22,
    username: "admin",
    batchWindowMs: 0,
  };
  const execs: string[] = [];
  return {
    spec,
    execs,
    async exec(command: string, _opts?: ExecOptions): Promise<ExecResult> {
      execs.push(command);
      return { stdout: dev.run(command), stderr: "", code: 0 };
    },
    async interactive() {
      throw new Error("RouterOS has no interactive exec");
    },
    stats: () => ({
      handshakes: execs.length,
      execs: execs.length,
      bytesSent: execs.reduce((n, c) => n + c.length, 0),
    }),
    async close() {},
  };
}

/**
 * For each test of the enclosing `describe`: the version cache cleared, a fresh emulator prepared by `setup`, and
 * the dynamic provider's device connection (devices.transportFor) spied to reach it; restored after the test.
 * Read the emulator as `.dev` inside a test.
 */
export function providerOnEmulator(setup: (dev: Emulator) => void = () => {}, version: RouterOsVersion = "7.20") {
  const site = {} as { dev: Emulator };
  let spy: jest.SpyInstance | undefined;
  beforeEach(() => {
    clearVersionCache();
    site.dev = emulator(version);
    setup(site.dev);
    spy = jest.spyOn(devices, "transportFor").mockReturnValue(transportFor(site.dev));
  });
  afterEach(() => spy?.mockRestore());
  return site;
}

/**
 * The emulator as a release it does not model (e.g. 7.15.3, which the provider refuses): the version probe answers
 * `text` instead of 7.20's `7.20.8 (stable)`. For tests that stop at the probe; everything else is 7.20.
 */
export function reportingVersion(text: string): Emulator {
  const dev = emulator("7.20");
  return { ...dev, run: (l: string) => dev.run(l).replace("7.20.8 (stable)", text) };
}

/** The rows of `menu` as `print detail` shows them (defaults and read-only properties included). */
export function printed(dev: { run(line: string): string }, menu: string): Record<string, unknown>[] {
  return JSON.parse(
    dev.run(`:put [:serialize to=json options=json.no-string-conversion [${menu}/print detail as-value]]`),
  ) as Record<string, unknown>[];
}
