/**
 * `BirdDirect`: a BIRD2 `protocol direct` in /etc/bird.d/<name>.conf limited to the given interfaces — on the
 * iBGP interface it lets BIRD resolve the neighbor's next hop (without it the iBGP default is unreachable).
 * Docs: https://bird.network.cz/?get_doc&v=20&f=bird-6.html#ss6.5
 */
import { z } from "zod";
import type { ResourceKind } from "../kind";
import { BIRD_FILE_ADOPTION, birdFileDriver } from "../../openwrt/bird-file-engine";
import { renderDirect } from "../../openwrt/bird-text";
import { birdSymbol, linuxInterfaceName } from "./fields";

export const schema = z
  .object({
    /** Protocol name; also the file name. Changing it replaces the protocol. */
    name: birdSymbol,
    /** Interfaces whose connected prefixes are imported, e.g. `["vlan6"]`. */
    interfaces: z.array(linuxInterfaceName).min(1, "needs at least one interface"),
    /** ipv4 channel; default true. */
    ipv4: z.boolean().default(true),
    /** ipv6 channel; default true. */
    ipv6: z.boolean().default(true),
  })
  .strict()
  .refine((v) => v.ipv4 || v.ipv6, { message: "enable at least one of ipv4 and ipv6", path: ["ipv4"] });

export type BirdDirectInputs = z.output<typeof schema>;

export const kind: ResourceKind<BirdDirectInputs> = {
  name: "openwrt-bird-direct",
  platform: "openwrt",
  schema,
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: [],
  docs: "https://bird.network.cz/?get_doc&v=20&f=bird-6.html#ss6.5",
  adoption: BIRD_FILE_ADOPTION,
  driver: birdFileDriver<BirdDirectInputs>({
    path: (i, s) => `${s.birdDir}/${i.name}.conf`,
    render: (i, identity) => renderDirect(i, identity),
  }),
};
