/**
 * OpenWrt resources: uci sections (package/section/option/list verbatim) and BIRD2 configuration files.
 * See docs of each input in provider/resources/openwrt/.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type * as uciSection from "../provider/resources/openwrt/uci-section";
import type * as modemProfile from "../provider/resources/openwrt/modem-profile";
import type * as birdConfig from "../provider/resources/openwrt/bird-config";
import type * as birdDirect from "../provider/resources/openwrt/bird-direct";
import type * as birdStatic from "../provider/resources/openwrt/bird-static";
import type * as bgpSession from "../provider/resources/openwrt/bgp-session";
import { RouterstackResource, type CommonArgs, type Inputs } from "./resource";
import uciSectionProvider = require("./stubs/openwrt-uci-section");
import modemProfileProvider = require("./stubs/openwrt-modem-profile");
import birdConfigProvider = require("./stubs/openwrt-bird-config");
import birdDirectProvider = require("./stubs/openwrt-bird-direct");
import birdStaticProvider = require("./stubs/openwrt-bird-static");
import bgpSessionProvider = require("./stubs/openwrt-bgp-session");

export type UciSectionArgs = CommonArgs & Inputs<z.input<typeof uciSection.schema>>;
/** A named uci section it owns, options included. https://openwrt.org/docs/guide-user/base-system/uci */
export class UciSection extends RouterstackResource {
  constructor(name: string, args: UciSectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(uciSectionProvider, "openwrt:UciSection", name, args, opts);
  }
}

export type ModemProfileArgs = CommonArgs & Inputs<z.input<typeof modemProfile.schema>>;
/** `network.<name>` for a qmi/mbim/ncm modem, plus the cold-boot init script. `password` and `pincode` are secrets. */
export class ModemProfile extends RouterstackResource {
  constructor(name: string, args: ModemProfileArgs, opts?: pulumi.CustomResourceOptions) {
    super(modemProfileProvider, "openwrt:ModemProfile", name, args, opts, ["password", "pincode"]);
  }
}

export type BirdConfigArgs = CommonArgs & Inputs<z.input<typeof birdConfig.schema>>;
/** The main /etc/bird.conf (router id, device and kernel protocols, include of /etc/bird.d). https://bird.network.cz/?get_doc&v=20 */
export class BirdConfig extends RouterstackResource {
  constructor(name: string, args: BirdConfigArgs, opts?: pulumi.CustomResourceOptions) {
    super(birdConfigProvider, "openwrt:BirdConfig", name, args, opts);
  }
}

export type BirdDirectArgs = CommonArgs & Inputs<z.input<typeof birdDirect.schema>>;
/** A BIRD2 `protocol direct` in /etc/bird.d. */
export class BirdDirect extends RouterstackResource {
  constructor(name: string, args: BirdDirectArgs, opts?: pulumi.CustomResourceOptions) {
    super(birdDirectProvider, "openwrt:BirdDirect", name, args, opts);
  }
}

export type BirdStaticArgs = CommonArgs & Inputs<z.input<typeof birdStatic.schema>>;
/** A BIRD2 `protocol static` in /etc/bird.d. */
export class BirdStatic extends RouterstackResource {
  constructor(name: string, args: BirdStaticArgs, opts?: pulumi.CustomResourceOptions) {
    super(birdStaticProvider, "openwrt:BirdStatic", name, args, opts);
  }
}

export type BgpSessionArgs = CommonArgs & Inputs<z.input<typeof bgpSession.schema>>;
/** A BIRD2 `protocol bgp` in /etc/bird.d, with ipv4/ipv6 channels and typed filters. */
export class BgpSession extends RouterstackResource {
  constructor(name: string, args: BgpSessionArgs, opts?: pulumi.CustomResourceOptions) {
    super(bgpSessionProvider, "openwrt:BgpSession", name, args, opts);
  }
}
