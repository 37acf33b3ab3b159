/**
 * Read coalescing per device: reads of uci packages on one device that arrive within the batching window
 * (transport/batch-window.ts), or while that device's previous read is in flight, become ONE exec showing every package
 * asked for (uci-read.ts), whatever the number of callers. Each caller gets the sections of its own package.
 * Why: a refresh of N sections read each package N times, one exec each (issue 4).
 * Reads do not wait for writes (as before batching): a read copies the committed file, which uci's commit and
 * routerstack's install replace by rename, so it sees one whole version.
 */
import type DataLoader from "dataloader";
import type { DeviceTransport } from "../transport/types";
import { deviceBatchLoader, perDevice } from "../transport/batch-window";
import { uciPackage } from "./codec";
import { readUciPackagesSettled } from "./uci-read";
import type { UciInvocation } from "./uci-script";
import type { UciShowSection } from "./uci-show-parser";

/** One read loader per device transport and uci invocation (the confdir etc. are part of what is read). */
const loaderFor = perDevice((transport: DeviceTransport, opts: UciInvocation): DataLoader<string, UciShowSection[]> =>
  deviceBatchLoader<string, UciShowSection[]>(
    async (packages) => {
      // A name the codec refuses fails its own caller, not the whole batch.
      const invalid = new Map(
        packages.flatMap((p) => {
          try {
            uciPackage(p, "package");
            return [];
          } catch (e) {
            return [[p, e as Error] as const];
          }
        }),
      );
      const valid = packages.filter((p) => !invalid.has(p));
      const settled = valid.length ? await readUciPackagesSettled(transport, valid, opts) : new Map();
      return packages.map((p) => invalid.get(p) ?? (settled.get(p) as UciShowSection[] | Error));
    },
    { windowMs: transport.spec.batchWindowMs },
  ),
);

/**
 * The sections of `pkg` as committed (no one's pending changes), read together with every other package read
 * on this device in the same batch. Rejects with a DeviceError naming the device and package when uci cannot
 * show the package, or naming the device when the exec fails (then every read of that batch fails the same way).
 */
export function readUciPackageBatched(
  transport: DeviceTransport,
  pkg: string,
  opts: UciInvocation = {},
): Promise<UciShowSection[]> {
  return loaderFor(transport, opts).load(pkg);
}
