import { setTransportLogger, type TransportLogLevel } from "../../../provider/transport";
import type { DeviceSpec } from "../../../provider/transport/types";
import type { SshFixture } from "./ssh-server-fixture";

export const PASSWORD = "s3cr3t-Pa55";

/** A spec for the fixture, pinned to its first host key, with password auth. */
export function specFor(fx: SshFixture, extra: Partial<DeviceSpec> = {}): DeviceSpec {
  return {
    name: "crs",
    platform: "routeros",
    host: "127.0.0.1",
    port: fx.port,
    username: "admin",
    password: PASSWORD,
    hostKeys: [fx.hostKey.fingerprint],
    ...extra,
  };
}

/** Captures transport log lines for the duration of a test; call the returned `restore` in afterEach. */
export function captureLog(): { lines: Array<{ level: TransportLogLevel; message: string }>; restore(): void } {
  const lines: Array<{ level: TransportLogLevel; message: string }> = [];
  const previous = setTransportLogger((level, message) => lines.push({ level, message }));
  return { lines, restore: () => void setTransportLogger(previous) };
}

/** Awaits a rejection and returns the error (fails the test when the promise resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error("expected the promise to reject");
}
