/**
 * `BirdStatic`: a BIRD2 `protocol static` in /etc/bird.d/<name>.conf, e.g. `lte_default` (0.0.0.0/0 via
 * "wwan0", preference 50) and `lte_default6` (::/0 via "wwan0"). One channel, taken from the routes' family.
 * Docs: https://bird.network.cz/?get_doc&v=20&f=bird-6.html#ss6.15
 */
import { z } from "zod";
import type { ResourceKind } from "../kind";
import { ipAddress, ipv4Prefix, ipv6Prefix } from "../common";
import { BIRD_FILE_ADOPTION, birdFileDriver } from "../../openwrt/bird-file-engine";
import { renderStatic } from "../../openwrt/bird-text";
import { birdSymbol, linuxInterfaceName } from "./fields";

const route = z
  .object({
    /** Destination prefix, e.g. `0.0.0.0/0` or `::/0`. */
    prefix: z.union([ipv4Prefix, ipv6Prefix], { error: "must be an IPv4 or IPv6 prefix such as 0.0.0.0/0" }),
    /** Next hop is this interface (`via "wwan0"`). */
    interface: linuxInterfaceName.optional(),
    /** Next hop is this address (`via 192.0.2.1`). */
    gateway: ipAddress.optional(),
    /** A special destination instead of a next hop. */
    special: z.enum(["blackhole", "unreachable", "prohibit"]).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const n = [r.interface, r.gateway, r.special].filter((x) => x !== undefined).length;
    if (n !== 1)
      ctx.addIssue({ code: "custom", path: ["interface"], message: "set exactly one of interface, gateway, special" });
    if (r.gateway !== undefined && r.gateway.includes(":") !== r.prefix.includes(":"))
      ctx.addIssue({ code: "custom", path: ["gateway"], message: "must be of the prefix's address family" });
  });

export const schema = z
  .object({
    /** Protocol name; also the file name. Changing it replaces the protocol. */
    name: birdSymbol,
    /** Route preference (channel `preference`), 1..65535; default BIRD's 200 for static. */
    preference: z.number().int("must be an integer").min(1).max(65535).optional(),
    routes: z.array(route).min(1, "needs at least one route"),
  })
  .strict()
  .superRefine((v, ctx) => {
    const v6 = v.routes.map((r) => r.prefix.includes(":"));
    if (v6.some((x) => x !== v6[0]))
      ctx.addIssue({
        code: "custom",
        path: ["routes"],
        message: "must all be IPv4 or all IPv6 (one channel per protocol)",
      });
  });

export type BirdStaticInputs = z.output<typeof schema>;

export const kind: ResourceKind<BirdStaticInputs> = {
  name: "openwrt-bird-static",
  platform: "openwrt",
  schema,
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: [],
  docs: "https://bird.network.cz/?get_doc&v=20&f=bird-6.html#ss6.15",
  adoption: BIRD_FILE_ADOPTION,
  driver: birdFileDriver<BirdStaticInputs>({
    path: (i, s) => `${s.birdDir}/${i.name}.conf`,
    render: (i, identity) =>
      renderStatic({ ...i, channel: i.routes[0].prefix.includes(":") ? "ipv6" : "ipv4" }, identity),
  }),
};
