/**
 * `DualRouterFailover`: the reference design (README "A complete program", examples/dual-router-failover) from one
 * spec. A RouterOS main router with one or more PPPoE uplinks, each with recursive, ping-checked default routes
 * (https://help.mikrotik.com/docs/display/ROS/IP+Routing), masquerade per uplink, connection marks and the
 * fast-fail rules that reset a flow shifted to another uplink; an OpenWrt LTE router with the modem profile, its
 * fw4 zones, BIRD2 (adopted main file, `direct` on the iBGP interface, static LTE defaults at preference 50); and
 * iBGP between them (the main router as route reflector with next hop self, default originated while installed;
 * IPv6 over the IPv4 session with the next-hop rewrite), best-only or standby, BFD optional.
 *
 * Children are the ordinary kinds (`preview` shows the tree); `overrides` merges arguments over any child's.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { asNumber, interfaceName, ipv4Address, ipv6Address } from "../../provider/resources/common";
import * as openwrt from "../openwrt";
import * as routeros from "../routeros";
import { parseSpec, secretText } from "./spec-error";

const key = z.string().regex(/^[a-z0-9]{1,16}$/, "must be lower-case letters and digits (at most 16)");

const uplink = z
  .object({
    /** Short name used in connection marks (`<key>-conn`) and comments, e.g. `gpon`. */
    key,
    /** The uplink's interface: the PPPoE client the program creates (`pppoe-gpon`), or the DHCP port (`ether2`). */
    name: interfaceName,
    /** A PPPoE uplink: the port it runs on and the PPP user. */
    pppoe: z
      .object({ port: interfaceName, user: z.string().min(1), password: secretText.optional() })
      .strict()
      .optional(),
    /**
     * A DHCP uplink on the port `name`. Its gateway is known only once a lease is bound, so the DHCP client adds no
     * default route and its lease script points the check targets' host routes at the lease's gateway
     * (`$"gateway-address"`, a variable RouterOS documents for DHCP client scripts:
     * https://help.mikrotik.com/docs/display/ROS/DHCP); until then they point at the port and the defaults stay
     * inactive. The script's effect is [I]: the lab's emulator runs no scripts.
     */
    dhcp: z.object({}).strict().optional(),
    /**
     * Hosts reached only through this uplink (host route, scope 10); one default route per target, resolved
     * recursively through it (target-scope 11) and ping-checked, so a dead uplink's defaults go inactive.
     */
    checkTargets: z.array(ipv4Address).min(1),
  })
  .strict()
  .refine((u) => (u.pppoe === undefined) !== (u.dhcp === undefined), { message: "needs exactly one of pppoe or dhcp" });

/** Marks the check targets' host routes of a DHCP uplink, so its lease script finds exactly them. */
const DHCP_ROUTE_MARK = "dhcp-gateway";

export const dualRouterFailoverSpec = z
  .object({
    /** Private AS shared by both routers (iBGP). */
    as: asNumber,
    main: z
      .object({
        /** Key of the RouterOS router in `routerstack:devices`. */
        device: z.string().min(1),
        /** Wired uplinks, preferred in this order: their defaults take distances 1, 2, … in turn. */
        uplinks: z.array(uplink).min(1),
        /** The interface towards the LTE router (the LTE path), e.g. `vlan6`. */
        lteInterface: interfaceName,
        /** BGP router id; default its iBGP address. */
        routerId: ipv4Address.optional(),
        /** BGP instance name (RouterOS 7.20+); default `main`. */
        bgpInstance: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .default("main"),
        /** Its address on the iBGP link. */
        ibgpAddress: ipv4Address,
        /** Name of its BGP connection to the LTE router; default `lte-router`. */
        sessionName: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .default("lte-router"),
      })
      .strict(),
    lte: z
      .object({
        /** Key of the OpenWrt router in `routerstack:devices`. */
        device: z.string().min(1),
        /** BIRD router id; default its iBGP address. */
        routerId: ipv4Address.optional(),
        ibgpAddress: ipv4Address,
        /** Its interface on the iBGP link; default the main router's `lteInterface` name (vlan6 on both). */
        ibgpInterface: interfaceName.optional(),
        /** Its IPv6 address on the iBGP link: the next hop of the IPv6 routes it exports. */
        ibgpAddress6: ipv6Address,
        /** Kernel interface the modem brings up; default `wwan0`. */
        wwanDevice: interfaceName.default("wwan0"),
        /** Name of its BIRD protocol for the session to the main router; default `main_router`. */
        sessionName: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
          .default("main_router"),
        modem: z
          .object({
            proto: z.enum(["qmi", "mbim", "ncm"]),
            device: z.string().startsWith("/dev/"),
            apn: z.string().min(1),
            pdptype: z.enum(["ipv4", "ipv6", "ipv4v6"]).default("ipv4v6"),
            /** USB path of the modem for the cold-boot re-enumeration workaround, e.g. `1-1`. */
            usbPath: z.string().regex(/^[0-9]+-[0-9.]+$/),
            /** CHAP credentials; without a password, auth none. */
            username: z.string().min(1).optional(),
            password: secretText.optional(),
          })
          .strict(),
      })
      .strict(),
    bgp: z
      .object({
        /** Hold time / keepalive, seconds; default 30 / 10. */
        holdTime: z.number().int().min(3).max(65535).default(30),
        keepaliveTime: z.number().int().min(1).max(21845).default(10),
        /** `standby`: the LTE defaults stay announced while not best (the main router holds them ready). */
        lteDefaults: z.enum(["best-only", "standby"]).default("best-only"),
        /** BFD on the LTE router's session (the main router must run BFD too). */
        bfd: z
          .object({ intervalMs: z.number().int().min(10).max(60000), multiplier: z.number().int().min(1).max(255) })
          .strict()
          .optional(),
      })
      .strict()
      .default({ holdTime: 30, keepaliveTime: 10, lteDefaults: "best-only" }),
  })
  .strict()
  .superRefine((s, ctx) => {
    const keys = s.main.uplinks.map((u) => u.key);
    keys.forEach((k, i) => {
      if (k === "lte" || keys.indexOf(k) !== i)
        ctx.addIssue({ code: "custom", path: ["main", "uplinks", i, "key"], message: "repeats (or is `lte`)" });
    });
  });

export type DualRouterFailoverSpec = z.input<typeof dualRouterFailoverSpec>;

type Tune<A> = Partial<Omit<A, "device">>;

/** Per-child escape hatch: arguments merged over the generated ones, by the child's resource-name suffix. */
export interface DualRouterFailoverOverrides {
  main?: Record<string, Tune<Record<string, unknown>>>;
  lte?: Record<string, Tune<Record<string, unknown>>>;
}

export interface DualRouterFailoverArgs {
  spec: DualRouterFailoverSpec;
  overrides?: DualRouterFailoverOverrides;
}

export class DualRouterFailover extends pulumi.ComponentResource {
  /** The main router's wired uplink interfaces, most preferred first. */
  public readonly uplinks: string[];
  /** The iBGP session names: the main router's connection and the LTE router's BIRD protocol. */
  public readonly sessions: { main: string; lte: string };
  /** The failover path: the uplinks in order, then the LTE router's modem interface. */
  public readonly failoverPath: string[];

  /**
   * @throws ComponentSpecError naming the spec path (`spec.main.uplinks[0].checkTargets[1]`) before any child is
   *   declared.
   */
  constructor(name: string, args: DualRouterFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("routerstack:index:DualRouterFailover", name, {}, opts);
    const s = parseSpec("DualRouterFailover", name, dualRouterFailoverSpec, args.spec);
    const { main, bgp } = s;
    const lte = {
      ...s.lte,
      routerId: s.lte.routerId ?? s.lte.ibgpAddress,
      ibgpInterface: s.lte.ibgpInterface ?? main.lteInterface,
    };
    const tuneMain = (role: string) => args.overrides?.main?.[role] ?? {};
    const tuneLte = (role: string) => args.overrides?.lte?.[role] ?? {};
    const n = (role: string) => `${name}-${role}`;
    const child = (dependsOn: pulumi.Resource[] = []) => ({ parent: this, dependsOn });
    const dev = main.device;

    // --- Main router: the uplinks. Everything naming an uplink depends on it, so it exists before it is named.
    let distance = 0;
    const wans: Array<{ key: string; iface: string; mark: string; link?: pulumi.Resource }> = [];
    for (const u of main.uplinks) {
      const viaDhcp = u.dhcp !== undefined;
      const hostComment = (i: number) => `check target ${i + 1} via ${u.name}${viaDhcp ? ` ${DHCP_ROUTE_MARK}` : ""}`;
      const link: pulumi.Resource = u.pppoe
        ? new routeros.PppoeClient(
            n(u.name),
            {
              device: dev,
              name: u.name,
              interface: u.pppoe.port,
              user: u.pppoe.user,
              password: u.pppoe.password,
              comment: `${u.key.toUpperCase()} uplink`,
              ...tuneMain(u.name),
            },
            child(),
          )
        : new routeros.DhcpClient(
            n(u.name),
            {
              device: dev,
              interface: u.name,
              addDefaultRoute: "no",
              script: `:if ($bound=1) do={/ip/route/set [find where comment~"via ${u.name} ${DHCP_ROUTE_MARK}"] gateway=$"gateway-address"}`,
              comment: `${u.key.toUpperCase()} uplink`,
              ...tuneMain(u.name),
            },
            child(),
          );
      // Recursive defaults: each check target only through this uplink (scope 10); the default resolves through
      // it (target-scope 11) and is ping-checked, so when the uplink stops forwarding the route goes inactive.
      u.checkTargets.forEach((target, i) => {
        const role = main.uplinks.length === 1 ? `${i + 1}` : `${u.key}-${i + 1}`;
        const hostRoute = new routeros.StaticRoute(
          n(`check-target-${role}`),
          {
            device: dev,
            dstAddress: `${target}/32`,
            // PPPoE: the point-to-point interface. DHCP: the port until the lease script sets the lease's gateway,
            // which is then the device's to keep (ignoreChanges), not drift.
            gateway: u.name,
            scope: 10,
            comment: hostComment(i),
            ...tuneMain(`check-target-${role}`),
          },
          { ...child([link]), ignoreChanges: viaDhcp ? ["gateway"] : [] },
        );
        distance += 1;
        new routeros.StaticRoute(
          n(`default-${role}`),
          {
            device: dev,
            dstAddress: "0.0.0.0/0",
            gateway: target,
            distance,
            checkGateway: "ping",
            targetScope: 11,
            comment: `default via ${u.name}, checked by ${target}`,
            ...tuneMain(`default-${role}`),
          },
          child([hostRoute]),
        );
      });
      // Masquerade on the wired uplinks only: LTE traffic is NATed by the LTE router.
      new routeros.NatRule(
        n(`masquerade-${u.key}`),
        {
          device: dev,
          chain: "srcnat",
          action: "masquerade",
          outInterface: u.name,
          comment: `masquerade on ${u.name} only`,
          ...tuneMain(`masquerade-${u.key}`),
        },
        child([link]),
      );
      wans.push({ key: u.key, iface: u.name, mark: `${u.key}-conn`, link });
    }
    wans.push({ key: "lte", iface: main.lteInterface, mark: "lte-conn" });

    // Flows must not shift WAN: a connection keeps the WAN it started on (connection mark on its first packet
    // out); once that WAN fails, its packets are rejected on the others (TCP reset, else ICMP network-unreachable)
    // so clients reconnect at once. `order` keeps this sequence among the stack's rules of each menu.
    const links = wans.flatMap((w) => (w.link ? [w.link] : []));
    let order = 0;
    wans.forEach((w, i) => {
      new routeros.FirewallRule(
        n(`mark-${w.key}`),
        {
          device: dev,
          table: "mangle",
          chain: "forward",
          outInterface: w.iface,
          connectionMark: "no-mark",
          action: "mark-connection",
          newConnectionMark: w.mark,
          passthrough: true,
          order: i,
          comment: `mark ${w.key} connections`,
          ...tuneMain(`mark-${w.key}`),
        },
        child(links),
      );
      for (const other of wans.filter((o) => o !== w)) {
        const pair = wans.length === 2 ? w.key : `${w.key}-${other.key}`;
        const common = {
          device: dev,
          table: "filter" as const,
          chain: "forward",
          connectionMark: w.mark,
          outInterface: other.iface,
          action: "reject" as const,
          comment: `${w.key} flow shifted to ${other.key}`,
        };
        new routeros.FirewallRule(
          n(`fast-fail-${pair}-tcp`),
          { ...common, protocol: "tcp", rejectWith: "tcp-reset", order: order++, ...tuneMain(`fast-fail-${pair}-tcp`) },
          child(links),
        );
        new routeros.FirewallRule(
          n(`fast-fail-${pair}`),
          { ...common, rejectWith: "icmp-network-unreachable", order: order++, ...tuneMain(`fast-fail-${pair}`) },
          child(links),
        );
      }
    });

    // iBGP to the LTE router: route reflector, next hop forced to self, default announced while installed.
    const instance = new routeros.BgpInstance(
      n("bgp-instance"),
      {
        device: dev,
        name: main.bgpInstance,
        as: s.as,
        routerId: main.routerId ?? main.ibgpAddress,
        ...tuneMain("bgp-instance"),
      },
      child(),
    );
    const mainSession = main.sessionName;
    new routeros.BgpSession(
      n("bgp-lte"),
      {
        device: dev,
        name: mainSession,
        instance: instance.name,
        as: s.as,
        localAddress: main.ibgpAddress,
        localRole: "ibgp-rr",
        remoteAddress: lte.ibgpAddress,
        remoteAs: s.as,
        nexthopChoice: "force-self",
        outputRedistribute: ["connected", "static"],
        outputDefaultOriginate: "if-installed",
        holdTime: bgp.holdTime,
        keepaliveTime: bgp.keepaliveTime,
        ...tuneMain("bgp-lte"),
      },
      child(),
    );

    // --- LTE router: the modem, its firewall zones, BIRD2.
    const ldev = lte.device;
    const m = lte.modem;
    const modem = new openwrt.ModemProfile(
      n("wwan"),
      {
        device: ldev,
        name: "wwan",
        proto: m.proto,
        modemDevice: m.device,
        apn: m.apn,
        pdptype: m.pdptype,
        auth: m.password ? "chap" : "none",
        username: m.password ? m.username : undefined,
        password: m.password,
        // Cold-boot workaround: some modems come up unusable after power-on until re-enumerated on USB.
        coldBoot: { usbPath: m.usbPath },
        ...tuneLte("wwan"),
      },
      child(),
    );
    const zone = (
      role: string,
      section: string,
      options: Record<string, string | string[]>,
      after: pulumi.Resource[],
    ) =>
      new openwrt.UciSection(
        n(role),
        { device: ldev, package: "firewall", name: section, type: "zone", options, ...tuneLte(role) },
        child(after),
      );
    const wwanZone = { name: "wwan", network: ["wwan"], input: "REJECT", output: "ACCEPT", forward: "REJECT" };
    zone("zone-wwan", "wwan", { ...wwanZone, masq: "1", masq6: "1" }, [modem]);
    zone(
      "zone-uplink",
      "uplink",
      { name: "uplink", network: ["uplink"], input: "ACCEPT", output: "ACCEPT", forward: "ACCEPT" },
      [],
    );
    new openwrt.UciSection(
      n("forwarding-uplink-wwan"),
      {
        device: ldev,
        package: "firewall",
        name: "uplink_wwan",
        type: "forwarding",
        options: { src: "uplink", dest: "wwan" },
        ...tuneLte("forwarding-uplink-wwan"),
      },
      child(),
    );

    // The bird2 package ships its own /etc/bird.conf: take it over, and give it back on destroy.
    const bird = new openwrt.BirdConfig(
      n("bird"),
      { device: ldev, adopt: true, routerId: lte.routerId, ...tuneLte("bird") },
      child(),
    );
    // Without `direct` on the iBGP interface BIRD cannot resolve the main router's next hop.
    new openwrt.BirdDirect(
      n("ibgp-direct"),
      { device: ldev, name: "ibgp_direct", interfaces: [lte.ibgpInterface], ...tuneLte("ibgp-direct") },
      child([bird]),
    );
    const lteDefault = (role: string, section: string, prefix: string) =>
      new openwrt.BirdStatic(
        n(role),
        {
          device: ldev,
          name: section,
          routes: [{ prefix, interface: lte.wwanDevice }],
          preference: 50,
          ...tuneLte(role),
        },
        child([bird]),
      );
    const lte4 = lteDefault("lte-default", "lte_default", "0.0.0.0/0");
    const lte6 = lteDefault("lte-default6", "lte_default6", "::/0");
    const standby = bgp.lteDefaults === "standby";
    const lteSession = lte.sessionName;
    new openwrt.BgpSession(
      n("bgp-main"),
      {
        device: ldev,
        name: lteSession,
        localAs: s.as,
        neighborAddress: main.ibgpAddress,
        neighborAs: s.as,
        localAddress: lte.ibgpAddress,
        interface: lte.ibgpInterface,
        // iBGP is multihop by default in BIRD; a session bound to an interface must be direct.
        direct: true,
        holdTime: bgp.holdTime,
        keepaliveTime: bgp.keepaliveTime,
        bfd: bgp.bfd !== undefined,
        bfdIntervalMs: bgp.bfd?.intervalMs,
        bfdMultiplier: bgp.bfd?.multiplier,
        ipv4: { import: "all", export: "all", standby: standby ? ["lte_default"] : undefined },
        // IPv6 routes travel over the IPv4 session (extended next hop), their next hop rewritten to the LTE
        // router's iBGP-link address so the main router can resolve it.
        ipv6: {
          import: "all",
          export: "all",
          extendedNextHop: true,
          exportNextHop: lte.ibgpAddress6,
          standby: standby ? ["lte_default6"] : undefined,
        },
        ...tuneLte("bgp-main"),
      },
      child([bird, lte4, lte6]),
    );

    this.uplinks = main.uplinks.map((u) => u.name);
    this.sessions = { main: mainSession, lte: lteSession };
    this.failoverPath = [...this.uplinks, `${main.lteInterface} → ${lte.wwanDevice}`];
    this.registerOutputs({ uplinks: this.uplinks, sessions: this.sessions, failoverPath: this.failoverPath });
  }
}
