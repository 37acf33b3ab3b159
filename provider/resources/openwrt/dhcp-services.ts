/**
 * The reloads a change to /etc/config/dhcp needs: dnsmasq (DHCPv4, DNS, static leases) and odhcpd (RA, DHCPv6,
 * NDP relay, and DHCPv6 static leases from `host` sections) both read it
 * (docs/reference/openwrt-netifd-dhcp-system.md §2). Either may be left out of an image (odhcpd on IPv4-only
 * builds, dnsmasq where odhcpd serves DHCPv4), so a missing init script is skipped rather than failing the write.
 */
import { initScriptReload, type ReloadService } from "../../openwrt/reloads";
import { openwrtSettings } from "../../openwrt/settings";

export function dhcpReloads(): ReloadService[] {
  const dir = openwrtSettings().initDir;
  return [
    initScriptReload("dnsmasq", dir, { ifInstalled: true }),
    initScriptReload("odhcpd", dir, { ifInstalled: true }),
  ];
}
