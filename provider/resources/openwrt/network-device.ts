/**
 * `NetworkDevice` on OpenWrt: one netifd `device` section in `network`, declaring a Linux device (a bridge, an
 * 802.1Q/802.1ad VLAN, a macvlan) or, with no `type`, settings of an existing one (MTU, MAC). netifd keys the
 * device on its option `name` (interfaces refer to it through their `device`), not on the section name; OpenWrt
 * writes these sections anonymously (`config device` / `option name 'br-lan'` in the 23.05 starting config).
 * routerstack writes a NAMED section (`name`, or derived from the identity) and refuses to create or update it
 * while another `device` section, named or anonymous, already declares the same `deviceName`. Reloads `network`.
 * Option names are netifd's, verbatim (`name`, `type`, list `ports` appear in the starting config). Unverified
 * against a router [I]: `ifname` as the base device of a VLAN or macvlan, `vid`, `macaddr`, `mtu`, and the type
 * names other than `bridge`.
 * Docs: https://openwrt.org/docs/guide-user/network/network_configuration
 */
import { z } from "zod";
import { linuxInterfaceName, uciName, uciOptions } from "./fields";
import { macAddress, sameOptionElsewhere, uniqueList } from "./typed-fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  deviceName: uci.option("name"),
  type: uci.option("type"),
  ports: uci.list("ports"),
  ifname: uci.option("ifname"),
  vid: uci.int("vid"),
  macaddr: uci.option("macaddr"),
  mtu: uci.int("mtu"),
} satisfies UciOptionRows;
const VLAN = ["8021q", "8021ad"];

export const schema = z
  .object({
    /** uci section name; default derived from the identity (`rs_<name>_<8 hex>`). Changing it replaces the device. */
    name: uciName.optional(),
    /** Linux device name, e.g. `br-lte` or `eth0.6`. uci option `name`; required. */
    deviceName: linuxInterfaceName,
    /** Device type. uci option `type`; default none (settings for an existing device). */
    type: z.enum(["bridge", "8021q", "8021ad", "macvlan"]).optional(),
    /** bridge: member ports. uci list `ports`; default none (an empty bridge). */
    ports: uniqueList(linuxInterfaceName).optional(),
    /** 8021q/8021ad/macvlan: the base device, e.g. `eth0`. uci option `ifname` [I]; required for those types. */
    ifname: linuxInterfaceName.optional(),
    /** 8021q/8021ad: VLAN id 1..4094. uci option `vid` [I]; required for those types. */
    vid: z.number().int("must be an integer").min(1).max(4094).optional(),
    /** MAC address to set. uci option `macaddr`; default the kernel's. */
    macaddr: macAddress.optional(),
    /** MTU in bytes. uci option `mtu`; default 1500. */
    mtu: z.number().int("must be an integer").min(68).max(65535).optional(),
    /** Further device options by uci name, verbatim (e.g. `stp`); undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    refuseMapped(v.extraOptions, OPTIONS, "NetworkDevice", ctx);
    if (v.ports !== undefined && v.type !== "bridge") issue("ports", "is only used by type bridge");
    if (v.ports?.includes(v.deviceName)) issue("ports", `must not contain the bridge itself ("${v.deviceName}")`);
    const stacked = v.type !== undefined && v.type !== "bridge";
    if (stacked && v.ifname === undefined) issue("ifname", `is required for type ${v.type} (the base device)`);
    if (!stacked && v.ifname !== undefined) issue("ifname", "is only used by types 8021q, 8021ad and macvlan");
    if (v.ifname !== undefined && v.ifname === v.deviceName) issue("ifname", "must differ from deviceName");
    if (VLAN.includes(v.type ?? "") && v.vid === undefined) issue("vid", `is required for type ${v.type}`);
    if (!VLAN.includes(v.type ?? "") && v.vid !== undefined) issue("vid", "is only used by types 8021q and 8021ad");
  });

export type NetworkDeviceInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-network-device",
  docs: "https://openwrt.org/docs/guide-user/network/network_configuration",
  schema,
  package: "network",
  sectionType: "device",
  section: { nameField: "name" },
  options: OPTIONS,
  conflict: (i, others) => sameOptionElsewhere("device", "name", i.deviceName, "netifd device")(others),
});
