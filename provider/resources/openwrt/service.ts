/**
 * `Service` on OpenWrt: whether an installed `/etc/init.d/<name>` service starts at boot (its /etc/rc.d links) and
 * whether it runs, plus reloads tied to other resources. Driver: provider/openwrt/service-driver.ts; everything
 * goes through the script's own rc.common actions (`enable`, `disable`, `enabled`, `start`, `stop`, `running`,
 * `reload`). Docs: https://openwrt.org/docs/guide-user/base-system/managing_services
 *
 * - `reloadOn`: values (typically other resources' outputs, such as a uci section's id or a version string the
 *   program bumps) whose change makes the update run `/etc/init.d/<name> reload`, coalesced with the burst's
 *   other reloads. Create reloads a service that was already running when `reloadOn` is not empty, since the
 *   files it reads may just have been written. A stopped service is not reloaded; one this update starts reads
 *   its configuration anyway. A RemoteFile's `secretHashes.content` works too, but it is a secret output and
 *   stays one (`reloadOn` is then stored encrypted); never export `secretHashes` in plain text: it also holds the
 *   resource's HMAC key (`#key`, engine.ts secretHash), with which a short secret is brute-forced from its hash.
 * - The script belongs to its package: create records whether it was enabled and running, and destroy puts that
 *   back (running only when `running` was managed). Changing `name` replaces the resource.
 * - `running` uses rc.common's `running` action [I: present for procd services on OpenWrt 23.05; a script
 *   without it would always read as stopped or running depending on its fallback].
 */
import { z } from "zod";
import { ServiceDriver, type ServiceInputs } from "../../openwrt/service-driver";
import type { ResourceKind } from "../kind";

export const schema = z
  .object({
    /** Init script name under /etc/init.d, e.g. `dropbear`, `bird`. A change replaces the resource. */
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/,
        "must be an init script name such as dropbear (letters, digits, _ . -)",
      ),
    /** Start at boot (`/etc/init.d/<name> enable`: the /etc/rc.d S/K links). Default true. */
    enabled: z.boolean().default(true),
    /** Keep it running (`start`) or stopped (`stop`). Default: not managed. */
    running: z.boolean().optional(),
    /**
     * Values (e.g. other resources' outputs) whose change triggers `/etc/init.d/<name> reload` during an update;
     * when not empty, create reloads a service that was already running. Default none.
     */
    reloadOn: z
      .array(z.string().max(4096, "must be at most 4096 characters"))
      .max(100, "must list at most 100 values")
      .default([]),
  })
  .strict();

export const kind: ResourceKind<ServiceInputs> = {
  name: "openwrt-service",
  platform: "openwrt",
  schema: schema as unknown as z.ZodType<ServiceInputs>,
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: [],
  docs: "https://openwrt.org/docs/guide-user/base-system/managing_services",
  adoption: {
    naturalKey: ["name"],
    onDestroy: "restore",
    note: "`name`: the init script always exists; destroy puts back whether it was enabled and running",
  },
  driver: new ServiceDriver(),
};
