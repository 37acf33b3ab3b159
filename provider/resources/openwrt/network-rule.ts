/**
 * `NetworkRule` on OpenWrt: one netifd policy-routing rule, a named section `network.<name>` of type `rule` (IPv4)
 * or `rule6` (IPv6), the type chosen by the family of `src`/`dest` or by `family`. The Linux multipath design
 * (per-uplink routing tables chosen by firewall mark or source address) is built from these: a StaticRoute per
 * uplink with `table`, and a rule per uplink selecting that table by `mark` or `src`. Changing the family
 * replaces the rule (it moves between `rule` and `rule6`). Reloads `network`.
 * Option names are netifd's (iprule.c `rule_attr`) as docs/reference/openwrt-netifd-dhcp-system.md §1 records
 * them, verbatim: `in`, `out`, `src`, `dest`, `tos`, `mark`, `lookup`, `action`, `goto`, `priority`,
 * `suppress_prefixlength`, `uidrange`, `invert`, `disabled` [D]. netifd drops a rule whose value does not parse
 * without an error anywhere but its debug log, so every value is checked here first.
 * Docs: https://openwrt.org/docs/guide-user/network/routing/ip_rules
 */
import { z } from "zod";
import { uciName, uciOptions } from "./fields";
import { addressOrPrefix, familyOf, fwMark, normaliseMark, routingTable } from "./typed-fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  in: uci.option("in"),
  out: uci.option("out"),
  src: uci.option("src"),
  dest: uci.option("dest"),
  tos: uci.int("tos"),
  // An equal mark written another way (`0xFF`, `255`) is the same mark: no drift.
  mark: uci.option("mark", { decode: (v) => (typeof v === "string" ? (normaliseMark(v) ?? v) : v) }),
  lookup: uci.option("lookup"),
  action: uci.option("action"),
  goto: uci.int("goto"),
  priority: uci.int("priority"),
  suppressPrefixlength: uci.int("suppress_prefixlength"),
  uidrange: uci.option("uidrange"),
  invert: uci.bool("invert"),
  disabled: uci.bool("disabled"),
} satisfies UciOptionRows;

/**
 * Rule actions other than a table lookup. netifd resolves `action` to a route type and hands it to the kernel as
 * the rule's action (system-linux.c [D]); of those, only these three are rule actions the kernel has (its fib rule
 * actions: blackhole, unreachable, prohibit, besides lookup, goto and nop) [I].
 */
const ACTIONS = ["blackhole", "unreachable", "prohibit"] as const;

const u32 = z.number().int("must be an integer").min(0).max(4294967295);

/**
 * An address or prefix, always written with its length: a host address gets `/32` or `/128`. netifd before July
 * 2026 leaves the mask of an address without `/len` at 0, so `src '192.0.2.5'` installed a rule matching every
 * source (docs/reference/openwrt-netifd-dhcp-system.md §1).
 */
const cidr = addressOrPrefix.transform((a) => (a.includes("/") ? a : `${a}/${familyOf(a) === "ipv6" ? 128 : 32}`));

/** `uid` or `first-last` (netifd reads it with `%u-%u`); kept as text. */
const uidRange = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = String(v);
  const m = /^(\d{1,10})(?:-(\d{1,10}))?$/.exec(s);
  if (m && [m[1], m[2] ?? m[1]].every((x) => Number(x) <= 4294967295) && Number(m[1]) <= Number(m[2] ?? m[1])) return s;
  ctx.addIssue({ code: "custom", message: "must be a UID or a range such as 1000 or 1000-1005" });
  return z.NEVER;
});

export const schema = z
  .object({
    /** uci section name; default derived from the identity (`rs_<name>_<8 hex>`). Changing it replaces the rule. */
    name: uciName.optional(),
    /** Address family: `rule` (ipv4) or `rule6` (ipv6). Derived from `src`/`dest`; required without them. A change replaces the rule. */
    family: z.enum(["ipv4", "ipv6"]).optional(),
    /** Incoming logical interface (a `network.<iface>` section), e.g. `lan`. uci option `in`; default any. */
    in: uciName.optional(),
    /** Outgoing logical interface, e.g. `wan_lte1`. uci option `out`; default any. */
    out: uciName.optional(),
    /** Source prefix or address to match, e.g. `192.0.2.0/24` (an address is written as `/32` or `/128`). uci option `src`; default any. */
    src: cidr.optional(),
    /** Destination prefix or address to match (an address is written as `/32` or `/128`). uci option `dest`; default any. */
    dest: cidr.optional(),
    /** TOS / DSCP field value to match, 0..255. uci option `tos`; default any. */
    tos: z.number().int("must be an integer").min(0).max(255).optional(),
    /** Firewall mark and optional mask, e.g. `0x100` or `0x100/0xff00` (written as lower-case hex). uci option `mark`; default any. */
    mark: fwMark.optional(),
    /** Routing table to look up: a number 1..4294967295 or a name (`main`, or one in /etc/iproute2/rt_tables). uci option `lookup`. */
    lookup: routingTable.optional(),
    /** Instead of a lookup: `blackhole`, `unreachable` or `prohibit`. uci option `action`. */
    action: z.enum(ACTIONS).optional(),
    /** Instead of a lookup: continue at the rule of this priority. uci option `goto`. */
    goto: u32.optional(),
    /** Rule priority (lower first), 0..4294967295. uci option `priority`; default netifd numbers rules in file order. */
    priority: u32.optional(),
    /** Ignore lookup results with a prefix length of at most this, 0..128 (0 skips the default route). uci option `suppress_prefixlength`. */
    suppressPrefixlength: z.number().int("must be an integer").min(0).max(128).optional(),
    /** UID or UID range of the sending socket, e.g. `1000` or `1000-1005`. uci option `uidrange`; default any. */
    uidrange: uidRange.optional(),
    /** Invert the match (the rule applies to what does NOT match). uci option `invert` (`1`/`0`); default false. */
    invert: z.boolean().optional(),
    /** Rule disabled (netifd skips it). uci option `disabled` (`1`/`0`); default false. */
    disabled: z.boolean().optional(),
    /** Further rule options by uci name, verbatim (e.g. `ipproto` on netifd that has it); undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    refuseMapped(v.extraOptions, OPTIONS, "NetworkRule", ctx);
    const fams = [v.src, v.dest].filter((x): x is string => x !== undefined).map(familyOf);
    const fam = fams[0] ?? v.family;
    if (fam === undefined) issue("family", "is required when neither src nor dest is set (ipv4 or ipv6)");
    if (fams.length === 2 && fams[0] !== fams[1]) issue("dest", "must be of the same family as src");
    if (v.family !== undefined && fams.length > 0 && v.family !== fams[0])
      issue("family", `is ${v.family} but ${v.src !== undefined ? "src" : "dest"} is ${fams[0]}`);
    const actions = (["lookup", "action", "goto"] as const).filter((k) => v[k] !== undefined);
    if (actions.length === 0) issue("lookup", "or action or goto is required (what the rule does)");
    if (actions.length > 1) issue(actions[1], `must not be set together with ${actions[0]} (one action per rule)`);
    if (v.goto !== undefined && v.priority !== undefined && v.goto <= v.priority)
      issue("goto", "must be a priority after the rule's own (the kernel only jumps forward)");
    if (v.suppressPrefixlength !== undefined && fam === "ipv4" && v.suppressPrefixlength > 32)
      issue("suppressPrefixlength", "must be at most 32 for an IPv4 rule");
  })
  .transform((v) => ({
    ...v,
    family: v.src !== undefined || v.dest !== undefined ? familyOf((v.src ?? v.dest)!) : v.family!,
  }));

export type NetworkRuleInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-network-rule",
  docs: "https://openwrt.org/docs/guide-user/network/routing/ip_rules",
  schema,
  package: "network",
  sectionType: (i) => (i.family === "ipv6" ? "rule6" : "rule"),
  section: { nameField: "name" },
  options: OPTIONS,
  notOptions: { family: "the section type: `rule` (ipv4) or `rule6` (ipv6)" },
  replaceOn: ["family"],
  // The family is the section's type (what the importer, which knows only the section, needs too).
  fromSection: (i, sec, last) => ({
    ...i,
    family: sec.type === "rule6" ? "ipv6" : sec.type === "rule" ? "ipv4" : last.family,
  }),
});
