/**
 * `BirdConfig`: the one owner of BIRD2's main /etc/bird.conf — router id, `protocol device`, one
 * `protocol kernel` per family (kernel4, kernel6) with typed import/export, and
 * `include "/etc/bird.d/*.conf"` for the protocol resources. The OpenWrt bird2 package ships a default
 * /etc/bird.conf, so a real router needs `adopt: true` (the default file is restored on destroy).
 * Create protocol resources after this one (dependsOn): until the main file includes /etc/bird.d their files
 * are checked but not loaded.
 * Docs: https://bird.network.cz/?get_doc&v=20&f=bird-6.html#ss6.6 (device), #ss6.7 (kernel)
 */
import { z } from "zod";
import type { ResourceKind } from "../kind";
import { durationSeconds, ipv4Address } from "../common";
import { BIRD_FILE_ADOPTION, birdFileDriver } from "../../openwrt/bird-file-engine";
import { renderBirdMain } from "../../openwrt/bird-text";

const kernelChannel = z
  .object({
    /** Routes imported from the kernel table; default `none`. */
    import: z.enum(["all", "none"]).default("none"),
    /** Routes exported to the kernel: `all`, `none`, or `reachable` (all but unreachable/blackhole/prohibit); default `all`. */
    export: z.enum(["all", "none", "reachable"]).default("all"),
  })
  .strict();

export const schema = z
  .object({
    /** BIRD router id (an IPv4 address). */
    routerId: ipv4Address,
    /** `protocol device` interface scan time, seconds; default 10. */
    deviceScanTime: durationSeconds.default(10),
    kernel: z
      .object({
        ipv4: kernelChannel.default({ import: "none", export: "all" }),
        ipv6: kernelChannel.default({ import: "none", export: "all" }),
        /** `learn`: take in routes others added to the kernel; default false. */
        learn: z.boolean().default(false),
        /** `persist`: leave routes in the kernel when BIRD stops; default false. */
        persist: z.boolean().default(false),
        /** Kernel table scan time, seconds; default BIRD's. */
        scanTime: durationSeconds.optional(),
      })
      .strict()
      .default({
        ipv4: { import: "none", export: "all" },
        ipv6: { import: "none", export: "all" },
        learn: false,
        persist: false,
      }),
  })
  .strict();

export type BirdConfigInputs = z.output<typeof schema>;

export const kind: ResourceKind<BirdConfigInputs> = {
  name: "openwrt-bird-config",
  platform: "openwrt",
  schema,
  replaceOn: [],
  deleteBeforeReplace: true,
  secrets: [],
  docs: "https://bird.network.cz/?get_doc&v=20&f=bird-3.html",
  adoption: BIRD_FILE_ADOPTION,
  driver: birdFileDriver<BirdConfigInputs>({
    main: true,
    path: (_i, s) => s.birdConf,
    ensureDir: (s) => s.birdDir,
    render: (i, identity, s) => renderBirdMain({ ...i, includeDir: s.birdDir }, identity),
  }),
};
