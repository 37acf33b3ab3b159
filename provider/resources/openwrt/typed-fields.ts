/**
 * Validators and checks shared by the typed uci kinds (firewall, network, mwan3). uci-level rules (names,
 * values) are fields.ts's; what is here is fw4 / netifd / mwan3 value syntax, from the OpenWrt docs pages each
 * kind cites, not measured on a router [I] unless docs/reference/openwrt-uci.md states it.
 */
import { z } from "zod";
import { IPv4, IPv4CidrRange, IPv4Mask, Validator } from "ip-num";
import type { UciShowSection } from "../../openwrt/uci-show-parser";
import { ipv4Address, ipv4Prefix, ipv6Address, ipv6Prefix } from "../common";

export const addressOrPrefix = z.union([ipv4Address, ipv6Address, ipv4Prefix, ipv6Prefix], {
  error: "must be an IPv4 or IPv6 address or prefix",
});

export const familyOf = (s: string): "ipv4" | "ipv6" => (s.includes(":") ? "ipv6" : "ipv4");

/**
 * A non-empty list without repeats (uci keeps duplicates, §2.6, which would only confuse the daemon reading them).
 * Empty is refused rather than read back as absent (a diff that never settles): omit the field instead.
 */
export function uniqueList<T extends z.ZodType<string>>(el: T) {
  return z
    .array(el)
    .min(1, "must not be empty (omit it for none)")
    .superRefine((a, ctx) => {
      const seen = new Set<string>();
      a.forEach((x, k) => {
        if (seen.has(x)) ctx.addIssue({ code: "custom", path: [k], message: `repeats "${x}"` });
        seen.add(x);
      });
    });
}

/** fw4 port match: a port or range `a-b`, 1..65535 (fw4 also takes space-separated lists [I]); a number is written as text. */
export const fwPort = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = String(v);
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s);
  if (
    m &&
    [m[1], m[2] ?? m[1]].every((p) => Number(p) >= 1 && Number(p) <= 65535) &&
    Number(m[1]) <= Number(m[2] ?? m[1])
  )
    return s;
  ctx.addIssue({ code: "custom", message: "must be a port or range such as 8080 or 1000-2000 (1..65535)" });
  return z.NEVER;
});

/**
 * mwan3 port match (iptables multiport, mwan3 builds iptables rules [I]): ports and ranges `a:b` separated by
 * commas, e.g. `80,443` or `1024:65535`; a number is written as text.
 */
export const multiPort = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = String(v);
  const ok = s.split(",").every((part) => {
    const m = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(part);
    return (
      m !== null &&
      [m[1], m[2] ?? m[1]].every((p) => Number(p) >= 1 && Number(p) <= 65535) &&
      Number(m[1]) <= Number(m[2] ?? m[1])
    );
  });
  if (ok) return s;
  ctx.addIssue({
    code: "custom",
    message: "must be ports or ranges separated by commas, such as 443, 80,443 or 1024:65535 (1..65535)",
  });
  return z.NEVER;
});

/** An IPv4 interface address, optionally with a prefix length (`192.0.2.1` or `192.0.2.1/24`; host bits allowed). */
export const ipv4InterfaceAddress = z.string().transform((s, ctx) => {
  const [addr, len, extra] = s.split("/");
  if (
    extra === undefined &&
    Validator.isValidIPv4String(addr)[0] &&
    (len === undefined || (/^\d{1,2}$/.test(len) && Number(len) <= 32))
  ) {
    return len === undefined ? IPv4.fromString(addr).toString() : `${IPv4.fromString(addr).toString()}/${Number(len)}`;
  }
  ctx.addIssue({
    code: "custom",
    message: "must be an IPv4 address, optionally with a prefix length, such as 192.0.2.1 or 192.0.2.1/24",
  });
  return z.NEVER;
});

/** An IPv6 interface address with prefix length, e.g. `2001:db8::1/64` (host bits allowed). */
export const ipv6InterfaceAddress = z.string().transform((s, ctx) => {
  const [addr, len, extra] = s.split("/");
  const a =
    extra === undefined && len !== undefined && /^\d{1,3}$/.test(len) && Number(len) <= 128
      ? ipv6Address.safeParse(addr)
      : undefined;
  if (a?.success) return `${a.data}/${Number(len)}`;
  ctx.addIssue({ code: "custom", message: "must be an IPv6 address with a prefix length, such as 2001:db8::1/64" });
  return z.NEVER;
});

/** A contiguous dotted IPv4 netmask such as 255.255.255.0. */
export const ipv4Netmask = z
  .string()
  .refine(
    (s) => Validator.isValidIPv4String(s)[0] && Validator.isValidIPv4Mask(s)[0],
    "must be a netmask such as 255.255.255.0",
  )
  .transform((s) => new IPv4Mask(s).toString());

/** Whether `gw` lies in the subnet of `addr` (`a.b.c.d/len`, or `addr` + dotted `mask`). */
export function ipv4InSubnet(gw: string, addr: string, mask?: string): boolean {
  const [a, len] = addr.split("/");
  const prefix = len ?? (mask ? String(new IPv4Mask(mask).prefix) : "32");
  const net = IPv4CidrRange.fromCidr(`${IPv4.fromString(a).toString()}/${prefix}`);
  const first = net.getFirst().getValue();
  const last = net.getLast().getValue();
  const g = IPv4.fromString(gw).getValue();
  return g >= first && g <= last;
}

/** A MAC address `aa:bb:cc:dd:ee:ff`, normalised to lower case. */
export const macAddress = z
  .string()
  .regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/, "must be a MAC address such as 02:00:00:00:00:01")
  .transform((s) => s.toLowerCase());

/**
 * A conflict check for kinds whose daemon keys on an option rather than the section name (fw4 zone `name`,
 * netifd device `name`): another section of `type` with the same value of `option`, named or anonymous.
 */
export function sameOptionElsewhere(type: string, option: string, value: string, what: string) {
  return (others: readonly UciShowSection[]): string | undefined => {
    const clash = others.find((s) => s.type === type && s.options[option] === value);
    if (!clash) return undefined;
    const where = clash.anonymous
      ? `an anonymous ${type} section (${clash.name})`
      : `section ${clash.package}.${clash.name}`;
    return `${what} "${value}" is already defined by ${where}; remove it there or manage that section instead`;
  };
}

const U32 = 4294967295;

/** A number as netifd's `strtoul(s, &e, 0)` reads it (decimal or `0x` hex), at most 2^32-1; else undefined. */
function u32Of(s: string): number | undefined {
  const m = /^(?:0[xX]([0-9A-Fa-f]{1,8})|(0|[1-9]\d{0,9}))$/.exec(s);
  if (!m) return undefined;
  const n = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
  return n <= U32 ? n : undefined;
}

/** `0x<lower-case hex>`, how routerstack writes a mark and its mask. */
const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * A firewall mark with an optional mask, `mark[/mask]`, each decimal or `0x` hex up to 0xffffffff (netifd's
 * iprule.c reads both with strtoul base 0 [D]; routerstack refuses octal, which a leading 0 would silently mean).
 * Normalised to lower-case hex: `0xFF` → `0xff`, `256/0xff00` → `0x100/0xff00`. Undefined when it does not parse.
 */
export function normaliseMark(s: string): string | undefined {
  const [mark, mask, extra] = s.split("/");
  if (extra !== undefined) return undefined;
  const m = u32Of(mark);
  const k = mask === undefined ? undefined : u32Of(mask);
  if (m === undefined || (mask !== undefined && k === undefined)) return undefined;
  return k === undefined ? hex(m) : `${hex(m)}/${hex(k)}`;
}

/** A firewall mark `0x..[/0x..]` (see {@link normaliseMark}); a number is taken as the mark. */
export const fwMark = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = normaliseMark(String(v));
  if (n !== undefined) return n;
  ctx.addIssue({
    code: "custom",
    message: "must be a mark with an optional mask, such as 0x100 or 0x100/0xff00 (hex or decimal, at most 0xffffffff)",
  });
  return z.NEVER;
});

/**
 * A routing table for netifd (`lookup` of a rule): a number 1..2^32-1, or a name — `main`, `local`, `default` or
 * one listed in /etc/iproute2/rt_tables on the router (netifd's system_resolve_rt_table [D]; 0 resolves to
 * nothing). A number is written as decimal text.
 */
export const routingTable = z.union([z.number(), z.string()]).transform((t, ctx) => {
  if (typeof t === "number" ? Number.isInteger(t) && t >= 1 && t <= U32 : /^[A-Za-z_][A-Za-z0-9_-]{0,30}$/.test(t))
    return String(t);
  const n = typeof t === "string" ? u32Of(t) : undefined;
  if (n !== undefined && n >= 1) return String(n);
  ctx.addIssue({
    code: "custom",
    message: "must be a table number 1..4294967295 or a name (main, local, default, or one in /etc/iproute2/rt_tables)",
  });
  return z.NEVER;
});

/**
 * A DHCP lease time as dnsmasq and odhcpd read `leasetime`: whole seconds, or a number with unit `m`, `h`, `d`,
 * `w` (e.g. `12h`), or `infinite`; at least 2 minutes (dnsmasq's minimum) [I: OpenWrt dhcp docs]. A number is
 * seconds and written as text; a string is kept as written (the stock `12h` stays `12h`).
 */
export const leaseTime = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const s = String(v);
    const m = /^(\d{1,9})([mhdw]?)$/.exec(s);
    const unit = { "": 1, m: 60, h: 3600, d: 86400, w: 604800 } as const;
    if (s === "infinite" || (m && Number(m[1]) * unit[m[2] as keyof typeof unit] >= 120)) return s;
    ctx.addIssue({
      code: "custom",
      message: "must be a lease time of at least 2 minutes, such as 7200, 30m, 12h, 1d or infinite",
    });
    return z.NEVER;
  })
  .meta({ unit: "seconds", textExample: "12h" });

/** A host name: one DNS label, letters, digits and `-`, at most 63 characters, not starting or ending with `-`. */
export const hostLabel = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/,
    "must be a host name: letters, digits and - (not first or last), at most 63, no dots",
  );
