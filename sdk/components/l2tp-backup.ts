/**
 * `L2tpBackup` (RouterOS): a site keeps its public addresses when its primary uplink fails. The public block is
 * routed by a hosted L2TP server through a tunnel that always rides a backup PPPoE link; a netwatch on a host
 * reachable only through the primary uplink moves the default route onto the tunnel and back; a "rip-cord" LAN
 * subnet goes straight out of the backup link with masquerade, so it works even when the tunnel is down; policy
 * routing (routing tables + `lookup-only-in-table` rules) pins the tunnel, the probe and the rip-cord to their links.
 * The design and defaults are examples/l2tp-backup/README.md's; RouterOS behaviour:
 * https://help.mikrotik.com/docs/display/ROS/Policy+Routing , https://help.mikrotik.com/docs/display/ROS/Netwatch ,
 * https://help.mikrotik.com/docs/display/ROS/L2TP .
 *
 * Children are the ordinary kinds; `overrides` merges arguments over any child's, by its role.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { interfaceName, ipv4Address, ipv4Prefix } from "../../provider/resources/common";
import * as routeros from "../routeros";
import { parseSpec, secretText } from "./spec-error";

export const l2tpBackupSpec = z
  .object({
    /** Key of the router in `routerstack:devices`. */
    device: z.string().min(1),
    /** The primary uplink's interface (managed elsewhere, e.g. `pppoe-gpon`): default route and probe leave by it. */
    primary: interfaceName,
    backup: z
      .object({
        /** Ethernet port of the backup ISP's hand-off. */
        port: interfaceName,
        /** The ISP's VLAN on that port; the VLAN interface is `vlan<id>`. */
        vlanId: z.number().int().min(1).max(4094),
        user: z.string().min(1),
        password: secretText.optional(),
        /** PPPoE interface name; default `pppoe-wan2`. */
        name: interfaceName.default("pppoe-wan2"),
        /** Interface list the backup link joins (firewall/NAT by list); default `WAN`. */
        interfaceList: z.string().min(1).default("WAN"),
      })
      .strict(),
    tunnel: z
      .object({
        /** The hosted L2TP server that routes the public block to the site. */
        server: ipv4Address,
        user: z.string().min(1),
        password: secretText.optional(),
        /** Tunnel addresses: the site's end and the server's end. */
        local: ipv4Address,
        remote: ipv4Address,
        /** L2TP client and PPP profile name; default `l2tp-backup`. */
        name: interfaceName.default("l2tp-backup"),
      })
      .strict(),
    /** The public block and the router's address in it, e.g. `198.51.100.65/29`, on `lan`. */
    publicAddress: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 address/prefix length"),
    lan: interfaceName,
    /** Host pinged through the primary uplink only; its loss moves the default route to the tunnel. */
    checkTarget: ipv4Address,
    /** LAN subnet that goes straight out of the backup link, masqueraded (the rip-cord). */
    directBackupSubnet: ipv4Prefix,
    netwatch: z
      .object({
        /** Seconds between probes; default 10. */
        interval: z.number().int().min(1).max(3600).default(10),
        /** Probe timeout, seconds; default 1. */
        timeout: z.number().min(0.1).max(60).default(1),
        /** Loss (percent) that marks the primary down; default 50. */
        thrLossPercent: z.number().min(0).max(100).default(50),
      })
      .strict()
      .default({ interval: 10, timeout: 1, thrLossPercent: 50 }),
  })
  .strict();

export type L2tpBackupSpec = z.input<typeof l2tpBackupSpec>;

type Tune<A> = Partial<Omit<A, "device">>;

/** Per-child escape hatch: arguments merged over the generated ones. */
export interface L2tpBackupOverrides {
  backupVlan?: Tune<routeros.VlanArgs>;
  backupPppoe?: Tune<routeros.PppoeClientArgs>;
  profile?: Tune<routeros.PppProfileArgs>;
  tunnel?: Tune<routeros.L2tpClientArgs>;
  publicAddress?: Tune<routeros.IpAddressArgs>;
  defaultPrimary?: Tune<routeros.StaticRouteArgs>;
  defaultTunnel?: Tune<routeros.StaticRouteArgs>;
  netwatch?: Tune<routeros.NetwatchArgs>;
  ripCord?: Tune<routeros.NatRuleArgs>;
}

export interface L2tpBackupArgs {
  spec: L2tpBackupSpec;
  overrides?: L2tpBackupOverrides;
}

export class L2tpBackup extends pulumi.ComponentResource {
  /** The backup PPPoE interface and the tunnel interface. */
  public readonly backupInterface: string;
  public readonly tunnelInterface: string;
  /** The tables that pin traffic to one link. */
  public readonly routingTables: string[];

  /** @throws ComponentSpecError naming the spec path (`spec.tunnel.server`) before any child is declared. */
  constructor(name: string, args: L2tpBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("routerstack:routeros:L2tpBackup", name, {}, opts);
    const s = parseSpec("L2tpBackup", name, l2tpBackupSpec, args.spec);
    const o = args.overrides ?? {};
    const device = s.device;
    const child = { parent: this };
    const n = (role: string) => `${name}-${role}`;

    // --- The backup link: a PPPoE session on the backup ISP's VLAN.
    const vlan = new routeros.Vlan(
      n("backup-vlan"),
      {
        device,
        name: `vlan${s.backup.vlanId}`,
        vlanId: s.backup.vlanId,
        interface: s.backup.port,
        comment: "backup ISP hand-off",
        ...o.backupVlan,
      },
      child,
    );
    const backup = new routeros.PppoeClient(
      n("backup"),
      {
        device,
        name: s.backup.name,
        interface: vlan.name,
        user: s.backup.user,
        password: s.backup.password,
        comment: "backup uplink",
        ...o.backupPppoe,
      },
      child,
    );
    new routeros.InterfaceListMember(
      n("backup-in-list"),
      { device, list: s.backup.interfaceList, interface: backup.name },
      child,
    );

    // --- Tables that pin traffic to one link: no fallback inside them (lookup-only-in-table rules below).
    const primaryTable = new routeros.RoutingTable(n("wan1-force"), { device, name: "wan1-force", fib: true }, child);
    const backupTable = new routeros.RoutingTable(n("wan2-force"), { device, name: "wan2-force", fib: true }, child);
    const forced = (role: string, gateway: pulumi.Input<string>, table: routeros.RoutingTable, comment: string) =>
      new routeros.StaticRoute(
        n(role),
        { device, dstAddress: "0.0.0.0/0", gateway, routingTable: table.name, comment },
        child,
      );
    forced("wan1-force-default", s.primary, primaryTable, "forced via primary");
    forced("wan2-force-default", backup.name, backupTable, "forced via backup");
    const rule = (
      role: string,
      match: { dstAddress?: string; srcAddress?: string },
      table: routeros.RoutingTable,
      comment: string,
    ) =>
      new routeros.RoutingRule(
        n(role),
        { device, ...match, action: "lookup-only-in-table", table: table.name, comment },
        child,
      );
    rule("tunnel-via-backup", { dstAddress: `${s.tunnel.server}/32` }, backupTable, "l2tp endpoint via backup");
    rule("probe-via-primary", { dstAddress: `${s.checkTarget}/32` }, primaryTable, "health check via primary");
    rule("rip-cord-via-backup", { srcAddress: s.directBackupSubnet }, backupTable, "rip-cord subnet via backup");

    // --- The tunnel carrying the public block, with its PPP profile's up/down log lines.
    const profile = new routeros.PppProfile(
      n("profile"),
      {
        device,
        name: s.tunnel.name,
        localAddress: s.tunnel.local,
        remoteAddress: s.tunnel.remote,
        useEncryption: "required",
        changeTcpMss: "yes",
        onlyOne: "yes",
        onUp: `:log info "${s.tunnel.name} up: the public block can fail over"`,
        onDown: `:log warning "${s.tunnel.name} down: only the rip-cord subnet has a way out if the primary fails"`,
        ...o.profile,
      },
      child,
    );
    const tunnel = new routeros.L2tpClient(
      n("tunnel"),
      {
        device,
        name: s.tunnel.name,
        connectTo: s.tunnel.server,
        user: s.tunnel.user,
        password: s.tunnel.password,
        profile: profile.name,
        comment: "public block over the backup link",
        ...o.tunnel,
      },
      child,
    );
    new routeros.IpAddress(
      n("public-address"),
      { device, address: s.publicAddress, interface: s.lan, comment: "public block", ...o.publicAddress },
      child,
    );

    // --- Main-table defaults: primary first; the tunnel as the fallback the netwatch switches to.
    new routeros.StaticRoute(
      n("default-primary"),
      {
        device,
        dstAddress: "0.0.0.0/0",
        gateway: s.primary,
        distance: 1,
        comment: "default via primary",
        ...o.defaultPrimary,
      },
      child,
    );
    new routeros.StaticRoute(
      n("default-tunnel"),
      {
        device,
        dstAddress: "0.0.0.0/0",
        gateway: tunnel.name,
        distance: 2,
        comment: "default via l2tp",
        ...o.defaultTunnel,
      },
      child,
    );
    new routeros.Netwatch(
      n("primary-health"),
      {
        device,
        host: s.checkTarget,
        type: "icmp",
        ...s.netwatch,
        name: "primary-health",
        // The scripts find the route by the user part of its comment (after routerstack's identity tag).
        downScript:
          '/ip/route/disable [find where comment~"default via primary"]\n:log warning "primary down: default via l2tp"',
        upScript:
          '/ip/route/enable [find where comment~"default via primary"]\n:log info "primary up: default via primary"',
        ...o.netwatch,
      },
      child,
    );

    // --- The rip-cord: the direct-backup subnet masqueraded out of the backup link.
    new routeros.NatRule(
      n("rip-cord"),
      {
        device,
        chain: "srcnat",
        action: "masquerade",
        srcAddress: s.directBackupSubnet,
        outInterface: backup.name,
        comment: "rip-cord: direct-backup subnet out of the backup link",
        ...o.ripCord,
      },
      child,
    );

    this.backupInterface = s.backup.name;
    this.tunnelInterface = s.tunnel.name;
    this.routingTables = ["wan1-force", "wan2-force"];
    this.registerOutputs({
      backupInterface: this.backupInterface,
      tunnelInterface: this.tunnelInterface,
      routingTables: this.routingTables,
    });
  }
}
