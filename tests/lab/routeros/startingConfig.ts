/**
 * Starting configurations. "reference": what the CRS of the reference topology (DESIGN.md) has before
 * routerstack touches it — ports, the bridge, vlan6 towards the D-Link with 192.0.2.1/29 and 2001:db8:6::1/64,
 * the PPPoE uplink `pppoe-gpon` on ether1, connection marks per WAN and the fast-fail reject rules; no NAT, no
 * static routes, no BGP, and defconf's `WAN`/`LAN` interface lists [I]. "site": the same CRS before the reference
 * *program* (examples/dual-router-failover) runs: ports, bridge, vlan6 and its addresses only — the program itself
 * creates `pppoe-gpon`, the connection marks and the fast-fail rejects. "empty": only the interfaces. "defconf": see
 * DEFCONF below. Built-ins (`main` table, `default` BGP template and LTE APN profile, the PPP profiles and interface
 * lists of menus-misc.ts) exist in all. Everything but the ethernet ports goes through the CLI, so it obeys the same
 * schema.
 */
import { menuByPath } from "./menus";
import { DEFCONF_LISTS, MISC_BUILTINS } from "./menus-misc";
import { SITE_BUILTINS } from "./menus-site";
import type { Interpreter } from "./interpreter";
import type { RouterState } from "./state";

const INTERFACES = [
  "/interface/bridge/add name=bridge",
  "/interface/vlan/add name=vlan6 vlan-id=6 interface=bridge",
  '/interface/pppoe-client/add name=pppoe-gpon interface=ether1 user="crs@gpon.example" password="lab-pppoe-secret"',
];

const REFERENCE = [
  ...DEFCONF_LISTS,
  '/ip/address/add address=192.0.2.1/29 interface=vlan6 comment="link to dlink"',
  "/ipv6/address/add address=2001:db8:6::1/64 interface=vlan6 advertise=no",
  '/ip/firewall/mangle/add chain=forward out-interface=pppoe-gpon connection-mark=no-mark action=mark-connection new-connection-mark=gpon-conn passthrough=yes comment="defconf: mark gpon connections"',
  '/ip/firewall/mangle/add chain=forward out-interface=vlan6 connection-mark=no-mark action=mark-connection new-connection-mark=lte-conn passthrough=yes comment="defconf: mark lte connections"',
  '/ip/firewall/filter/add chain=forward connection-mark=gpon-conn out-interface=vlan6 protocol=tcp action=reject reject-with=tcp-reset comment="defconf: fast-fail gpon flow shifted to lte"',
  '/ip/firewall/filter/add chain=forward connection-mark=gpon-conn out-interface=vlan6 action=reject reject-with=icmp-network-unreachable comment="defconf: fast-fail gpon flow shifted to lte"',
  '/ip/firewall/filter/add chain=forward connection-mark=lte-conn out-interface=pppoe-gpon protocol=tcp action=reject reject-with=tcp-reset comment="defconf: fast-fail lte flow shifted to gpon"',
  '/ip/firewall/filter/add chain=forward connection-mark=lte-conn out-interface=pppoe-gpon action=reject reject-with=icmp-network-unreachable comment="defconf: fast-fail lte flow shifted to gpon"',
];

/**
 * "defconf": a RouterOS 7 home/SOHO default configuration as `/system/default-configuration` sets it up on a
 * small router: ether1 is the WAN, the other ports are bridged, 192.168.88.1/24 on the bridge, the
 * `defconf: masquerade` rule, the defconf filter rules and the `WAN`/`LAN` interface lists they match on. For
 * the importer's tests (a router nobody has touched yet).
 */
const DEFCONF = [
  ...DEFCONF_LISTS,
  "/interface/bridge/add name=bridge comment=defconf",
  "/ip/address/add address=192.168.88.1/24 interface=bridge comment=defconf",
  '/ip/firewall/filter/add chain=input action=accept connection-state=established,related,untracked comment="defconf: accept established,related,untracked"',
  '/ip/firewall/filter/add chain=input action=drop connection-state=invalid comment="defconf: drop invalid"',
  '/ip/firewall/filter/add chain=input action=accept protocol=icmp comment="defconf: accept ICMP"',
  '/ip/firewall/filter/add chain=input action=drop in-interface-list=!LAN comment="defconf: drop all not coming from LAN"',
  '/ip/firewall/filter/add chain=forward action=fasttrack-connection connection-state=established,related comment="defconf: fasttrack"',
  '/ip/firewall/filter/add chain=forward action=accept connection-state=established,related,untracked comment="defconf: accept established,related, untracked"',
  '/ip/firewall/filter/add chain=forward action=drop connection-state=invalid comment="defconf: drop invalid"',
  '/ip/firewall/filter/add chain=forward action=drop connection-state=new connection-nat-state=!dstnat in-interface-list=WAN comment="defconf: drop all from WAN not DSTNATed"',
  '/ip/firewall/nat/add chain=srcnat action=masquerade out-interface-list=WAN ipsec-policy=out,none comment="defconf: masquerade"',
];

export type StartingConfig = "reference" | "site" | "empty" | "defconf";

export function applyStartingConfig(state: RouterState, cli: Interpreter, kind: StartingConfig): void {
  const ether = menuByPath("/interface/ethernet")!;
  // Each port's burnt-in MAC (locally administered in the lab) shows as `mac-address` until one is set [I].
  for (let n = 1; n <= 5; n++) {
    const mac = `02:00:00:00:00:0${n}`;
    const fixed = { "default-name": `ether${n}`, "mac-address": mac, "orig-mac-address": mac };
    state.insert(ether, { name: `ether${n}` }, { fixed });
  }
  state.insert(menuByPath("/routing/table")!, { name: "main", fib: true }, { builtin: true });
  state.insert(menuByPath("/routing/bgp/template")!, { name: "default" }, { builtin: true });
  // The built-in LTE APN profile (§5.7: flagged `*`, `0 * name=default …` [V NTC]).
  state.insert(menuByPath("/interface/lte/apn")!, { name: "default" }, { builtin: true });
  for (const [path, props] of MISC_BUILTINS) state.insert(menuByPath(path)!, { ...props }, { builtin: true });
  for (const [path, props] of SITE_BUILTINS) state.insert(menuByPath(path)!, { ...props }, { builtin: true });
  const lines =
    kind === "defconf"
      ? DEFCONF
      : kind === "site"
        ? [
            ...INTERFACES.filter((l) => !l.includes("pppoe-gpon")),
            ...REFERENCE.filter((l) => !l.startsWith("/ip/firewall/")),
          ]
        : [...INTERFACES, ...(kind === "reference" ? REFERENCE : [])];
  for (const line of lines) {
    const out = cli.run(line);
    if (out !== "") throw new Error(`starting config line failed: ${line}: ${out}`);
  }
}
