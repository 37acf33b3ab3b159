/**
 * What the mwan3 kinds share: section naming and the reload. mwan3 (openwrt/packages net/mwan3) reads
 * /etc/config/mwan3 with named sections `interface`, `member`, `policy`, `rule` (docs/reference/openwrt-uci.md
 * §5); members, policies and rules refer to each other by section name, so every mwan3 kind takes an explicit
 * `name`. A change is applied by `/etc/init.d/mwan3 reload` [I: the reference names the package's files but not
 * its init script's actions].
 * Docs: https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3
 */
import { initScriptReload, type ReloadService } from "../../openwrt/reloads";
import { openwrtSettings } from "../../openwrt/settings";
import { uciName } from "./fields";

/**
 * A mwan3 section name: a uci name of at most 15 characters, because mwan3 builds iptables chain and ipset names
 * from interface, policy and rule names and the OpenWrt mwan3 page limits them to 15 [I].
 */
export const mwan3Name = uciName.max(15, "must be at most 15 characters (mwan3 builds iptables chain names from it)");

export const MWAN3_DOCS = "https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3";

export function mwan3Reload(): ReloadService[] {
  return [initScriptReload("mwan3", openwrtSettings().initDir)];
}
