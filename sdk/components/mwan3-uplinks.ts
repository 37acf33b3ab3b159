/**
 * `Mwan3Uplinks`: an OpenWrt router's uplinks balanced and failed over by mwan3, from one compact spec — for each
 * uplink its netifd interface (a static wired one, or an LTE modem profile), an fw4 zone masquerading what leaves
 * through it, a forwarding from the clients' zone, and mwan3 tracking; then mwan3 members, policies and rules.
 * The design and its defaults are examples/openwrt-mwan3/README.md's; mwan3's options are described at
 * https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3 (docs/reference/openwrt-uci.md §5).
 *
 * Children are the ordinary kinds (`preview` shows them under the component); every child's arguments can be
 * tuned through `overrides` without forking the component.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { interfaceName, ipv4Address } from "../../provider/resources/common";
import * as openwrt from "../openwrt";
import { parseSpec } from "./spec-error";

/** mwan3 builds iptables chain names from interface names, and member names add `_m<tier>_w<weight>`. */
const uplinkName = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,10}$/, "must be letters, digits and _ (at most 10: member names add a suffix)");
const zoneName = z.string().regex(/^[A-Za-z0-9_]{1,11}$/, "must be an fw4 zone name (letters, digits, _)");

const tracking = z
  .object({
    /** Seconds between probe rounds; default 5 (wired), 10 (LTE: metered). */
    interval: z.number().int().min(1).max(86400).optional(),
    /** Failed rounds before the uplink is taken down; default 3 (wired), 5 (LTE drops packets in bursts). */
    down: z.number().int().min(1).max(100).optional(),
    /** Good rounds before it is brought back; default 3 (wired), 5 (LTE). */
    up: z.number().int().min(1).max(100).optional(),
    /** Targets that must answer for a round to succeed; default 1, so one lost target does not fail the uplink. */
    reliability: z.number().int().min(1).max(100).optional(),
    /** Probe timeout, seconds; default 2. */
    timeout: z.number().int().min(1).max(60).optional(),
  })
  .strict();

const uplink = z
  .object({
    /** The uplink's name: its netifd interface, fw4 zone and mwan3 interface are all called this. */
    name: uplinkName,
    /** A wired uplink with a static address. */
    wired: z
      .object({
        /** Linux device, e.g. `eth1`. */
        netdev: interfaceName,
        /** Address with prefix length, e.g. `203.0.113.2/29`. */
        address: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 address/prefix length"),
        gateway: ipv4Address,
      })
      .strict()
      .optional(),
    /** An LTE modem (QMI) uplink. */
    lte: z
      .object({
        /** QMI control device, e.g. `/dev/cdc-wdm0`. */
        modemDevice: z.string().startsWith("/dev/"),
        apn: z.string().min(1),
        /** PDP type; default `ipv4`. */
        pdptype: z.enum(["ipv4", "ipv6", "ipv4v6"]).default("ipv4"),
      })
      .strict()
      .optional(),
    /** netifd metric (mwan3 needs a distinct one per uplink); default 10 × (position + 1). */
    metric: z.number().int().min(1).max(9999).optional(),
    /** Hosts probed through the uplink (IPv4); two or more, so one unreachable target does not fail it. */
    trackIp: z.array(ipv4Address).min(1),
    /** Share of new connections within a policy tier, against the others' weights; default 1. */
    weight: z.number().int().min(1).max(1000).default(1),
    tracking: tracking.default({}),
  })
  .strict()
  .refine((u) => (u.wired === undefined) !== (u.lte === undefined), {
    message: "needs exactly one of wired or lte",
  });

const rule = z
  .object({
    /** mwan3 rule name (uci section name). */
    name: z.string().regex(/^[A-Za-z0-9_]{1,32}$/, "must be letters, digits and _"),
    proto: z.enum(["tcp", "udp", "icmp", "all"]).optional(),
    /** Destination prefix, e.g. `0.0.0.0/0`. */
    destIp: z.string().optional(),
    /** Destination ports: `443`, `80,443`, `10000:20000`. */
    destPort: z.union([z.number().int(), z.string()]).optional(),
    /** Keep a source on the uplink it was given for `timeout` seconds (HTTPS, VoIP). */
    sticky: z.boolean().optional(),
    /** Seconds a sticky source keeps its uplink. */
    timeout: z.number().int().min(1).optional(),
    /** A policy of `policies`. */
    policy: z.string(),
  })
  .strict();

export const mwan3UplinksSpec = z
  .object({
    /** Key of the router in `routerstack:devices`. */
    device: z.string().min(1),
    /** The clients' existing fw4 zone, forwarded to every uplink; default `lan`. */
    lanZone: zoneName.default("lan"),
    uplinks: z.array(uplink).min(1),
    /**
     * Policies by name: tiers of uplink names, the first tier used while any of its uplinks is online, uplinks of
     * a tier balanced by weight. Default `{ balanced: [[every uplink]] }`.
     */
    policies: z.record(z.string().regex(/^[A-Za-z0-9_]{1,15}$/), z.array(z.array(uplinkName).min(1)).min(1)).optional(),
    /** Rules, matched top-down in this order; default one catch-all `default_v4` → the first policy. */
    rules: z.array(rule).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const names = s.uplinks.map((u) => u.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: "custom", path: ["uplinks", i, "name"], message: "repeats" });
    });
    for (const [p, tiers] of Object.entries(s.policies ?? {}))
      tiers.forEach((tier, t) =>
        tier.forEach((n, k) => {
          if (!names.includes(n))
            ctx.addIssue({ code: "custom", path: ["policies", p, t, k], message: `names no uplink (${names})` });
        }),
      );
    const policies = Object.keys(s.policies ?? { balanced: 0 });
    (s.rules ?? []).forEach((r, i) => {
      if (!policies.includes(r.policy))
        ctx.addIssue({ code: "custom", path: ["rules", i, "policy"], message: `names no policy (${policies})` });
    });
  });

export type Mwan3UplinksSpec = z.input<typeof mwan3UplinksSpec>;

type Without<A> = Partial<Omit<A, "device" | "name">>;

/** Per-child escape hatch: arguments merged over the generated ones, by uplink, member, policy or rule name. */
export interface Mwan3UplinksOverrides {
  interfaces?: Record<string, Without<openwrt.NetworkInterfaceArgs>>;
  modems?: Record<string, Without<openwrt.ModemProfileArgs>>;
  zones?: Record<string, Without<openwrt.FirewallZoneArgs>>;
  forwardings?: Record<string, Partial<Omit<openwrt.FirewallForwardingArgs, "device">>>;
  mwan3Interfaces?: Record<string, Without<openwrt.Mwan3InterfaceArgs>>;
  members?: Record<string, Without<openwrt.Mwan3MemberArgs>>;
  policies?: Record<string, Without<openwrt.Mwan3PolicyArgs>>;
  rules?: Record<string, Without<openwrt.Mwan3RuleArgs>>;
}

export interface Mwan3UplinksArgs {
  spec: Mwan3UplinksSpec;
  overrides?: Mwan3UplinksOverrides;
}

export class Mwan3Uplinks extends pulumi.ComponentResource {
  /** The uplinks' names: netifd interface = fw4 zone = mwan3 interface. */
  public readonly uplinks: string[];
  /** mwan3 member names, `<uplink>_m<tier>_w<weight>`. */
  public readonly members: string[];
  public readonly policies: string[];
  /** Rule names in match order. */
  public readonly rules: string[];
  public readonly zones: Record<string, openwrt.FirewallZone> = {};
  public readonly mwan3Interfaces: Record<string, openwrt.Mwan3Interface> = {};

  /** @throws ComponentSpecError naming the spec path (`spec.uplinks[1].trackIp[0]`) before any child is declared. */
  constructor(name: string, args: Mwan3UplinksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("routerstack:openwrt:Mwan3Uplinks", name, {}, opts);
    const s = parseSpec("Mwan3Uplinks", name, mwan3UplinksSpec, args.spec);
    const o = args.overrides ?? {};
    const device = s.device;
    const child = { parent: this };

    s.uplinks.forEach((u, k) => {
      const metric = u.metric ?? 10 * (k + 1);
      if (u.wired)
        new openwrt.NetworkInterface(
          `${name}-${u.name}`,
          {
            device,
            name: u.name,
            proto: "static",
            netdev: u.wired.netdev,
            ipaddr: u.wired.address,
            gateway: u.wired.gateway,
            metric,
            ...o.interfaces?.[u.name],
          },
          child,
        );
      if (u.lte)
        new openwrt.ModemProfile(
          `${name}-${u.name}`,
          {
            device,
            name: u.name,
            proto: "qmi",
            modemDevice: u.lte.modemDevice,
            apn: u.lte.apn,
            pdptype: u.lte.pdptype,
            auth: "none",
            metric,
            ...o.modems?.[u.name],
          },
          child,
        );
      // Sections refer to each other by name and the daemons resolve names on reload, so no dependsOn: created
      // together, their writes share one commit and one reload per service.
      this.zones[u.name] = new openwrt.FirewallZone(
        `${name}-zone-${u.name}`,
        {
          device,
          name: u.name,
          network: [u.name],
          input: "REJECT",
          output: "ACCEPT",
          forward: "REJECT",
          masq: true,
          mtuFix: true,
          ...o.zones?.[u.name],
        },
        child,
      );
      new openwrt.FirewallForwarding(
        `${name}-fwd-${s.lanZone}-${u.name}`,
        { device, src: s.lanZone, dest: u.name, ...o.forwardings?.[u.name] },
        child,
      );
      const lte = u.lte !== undefined;
      this.mwan3Interfaces[u.name] = new openwrt.Mwan3Interface(
        `${name}-mwan3-${u.name}`,
        {
          device,
          name: u.name,
          family: "ipv4",
          trackIp: u.trackIp,
          reliability: u.tracking.reliability ?? 1,
          count: 1,
          timeout: u.tracking.timeout ?? 2,
          interval: u.tracking.interval ?? (lte ? 10 : 5),
          down: u.tracking.down ?? (lte ? 5 : 3),
          up: u.tracking.up ?? (lte ? 5 : 3),
          initialState: "online",
          ...o.mwan3Interfaces?.[u.name],
        },
        child,
      );
    });

    const weight = new Map(s.uplinks.map((u) => [u.name, u.weight]));
    const policies = s.policies ?? { balanced: [s.uplinks.map((u) => u.name)] };
    const members = new Map<string, { uplink: string; tier: number; weight: number }>();
    const memberName = (uplinkName: string, tier: number) => `${uplinkName}_m${tier}_w${weight.get(uplinkName)}`;
    for (const tiers of Object.values(policies))
      tiers.forEach((tier, t) => {
        for (const n of tier) members.set(memberName(n, t + 1), { uplink: n, tier: t + 1, weight: weight.get(n)! });
      });
    for (const [m, v] of members)
      new openwrt.Mwan3Member(
        `${name}-member-${m}`,
        { device, name: m, interface: v.uplink, metric: v.tier, weight: v.weight, ...o.members?.[m] },
        child,
      );
    for (const [p, tiers] of Object.entries(policies))
      new openwrt.Mwan3Policy(
        `${name}-policy-${p}`,
        {
          device,
          name: p,
          useMember: tiers.flatMap((tier, t) => tier.map((n) => memberName(n, t + 1))),
          lastResort: "unreachable",
          ...o.policies?.[p],
        },
        child,
      );

    // mwan3 matches rules top-down and routerstack appends new sections, so each rule waits for the one above it.
    const rules = s.rules ?? [{ name: "default_v4", destIp: "0.0.0.0/0", policy: Object.keys(policies)[0] }];
    let above: openwrt.Mwan3Rule | undefined;
    for (const r of rules) {
      const { policy, ...match } = r;
      above = new openwrt.Mwan3Rule(
        `${name}-rule-${r.name}`,
        { device, family: "ipv4", ...match, usePolicy: policy, ...o.rules?.[r.name] },
        { parent: this, dependsOn: above ? [above] : [] },
      );
    }

    this.uplinks = s.uplinks.map((u) => u.name);
    this.members = [...members.keys()];
    this.policies = Object.keys(policies);
    this.rules = rules.map((r) => r.name);
    this.registerOutputs({ uplinks: this.uplinks, members: this.members, policies: this.policies, rules: this.rules });
  }
}
