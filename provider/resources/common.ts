/**
 * Shared input validators. Every address and prefix goes through ip-num; every free-text value is checked for
 * what a device cannot store. Messages are short: zod prefixes them with the field path.
 */
import { z } from "zod";
import { Validator, IPv4, IPv6, IPv4CidrRange, IPv6CidrRange, collapseIPv6Number } from "ip-num";
import { parseDurationSeconds } from "../core/duration";
import { IDENTITY_PATTERN } from "../core/identity";

// Moved to provider/core (issue 16: the platforms use them without importing this layer); re-exported for the kinds.
export { parseDurationSeconds, IDENTITY_PATTERN };

function canonicalV6(s: string): string {
  return collapseIPv6Number(IPv6.fromString(s).toString());
}

export const ipv4Address = z
  .string()
  .refine((s) => Validator.isValidIPv4String(s)[0], "must be an IPv4 address such as 192.0.2.1")
  .transform((s) => IPv4.fromString(s).toString());

/**
 * Whether ip-num both accepts `s` and can parse it: its validator passes `fe80::1%eth0` (a zone) but
 * `IPv6.fromString` then throws, and a throw inside a zod transform escapes `safeParse` (issue 14).
 */
function parsesAsV6(s: string): boolean {
  if (s.includes("%") || !Validator.isValidIPv6String(s)[0]) return false;
  try {
    IPv6.fromString(s);
    return true;
  } catch {
    return false;
  }
}

export const ipv6Address = z
  .string()
  .refine((s) => !s.includes("/") && parsesAsV6(s), "must be an IPv6 address such as 2001:db8::1")
  .transform(canonicalV6);

export const ipAddress = z.union([ipv4Address, ipv6Address], { error: "must be an IPv4 or IPv6 address" });

/** An IPv4 prefix in CIDR notation with no host bits set, e.g. `198.51.100.0/24`. */
export const ipv4Prefix = z
  .string()
  .refine(
    (s) => Validator.isValidIPv4CidrRange(s)[0],
    "must be an IPv4 prefix such as 198.51.100.0/24 (no host bits set)",
  )
  .transform((s) => IPv4CidrRange.fromCidr(s).toCidrString());

/** An IPv6 prefix in CIDR notation with no host bits set, e.g. `2001:db8::/32`, returned in canonical form. */
export const ipv6Prefix = z
  .string()
  .refine(
    (s) => !s.includes("%") && Validator.isValidIPv6CidrRange(s)[0] && parsesAsV6(s.split("/")[0]),
    "must be an IPv6 prefix such as 2001:db8::/32 (no host bits set)",
  )
  .transform((s) => {
    const r = IPv6CidrRange.fromCidr(s);
    const [addr, len] = r.toCidrString().split("/");
    return `${canonicalV6(addr)}/${len}`;
  });

/** Interface names as Linux and RouterOS accept them: 1–15 chars for Linux, no spaces, quotes or slashes. */
export const interfaceName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$/, "must be an interface name (letters, digits, . _ @ : -)");

/** A 4-byte AS number (1..4294967295); private range 64512–65534 and 4200000000–4294967294. */
export const asNumber = z.number().int("must be an integer AS number").min(1).max(4294967295);

/**
 * A duration in whole seconds. Accepts a number of seconds or RouterOS/BIRD-style text `30s`, `1m30s`, `1h`,
 * `00:00:30`, normalised to seconds so diffs compare like with like.
 */
export const durationSeconds = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const s = parseDurationSeconds(v);
    if (s === undefined) {
      ctx.addIssue({ code: "custom", message: 'must be a duration such as 30, "30s", "1m30s" or "00:00:30"' });
      return z.NEVER;
    }
    return s;
  })
  .meta({ unit: "seconds" });

/** A lone UTF-16 surrogate cannot be encoded: it would be stored as U+FFFD and read back as drift forever. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Free text stored on a device (comments, descriptions): no NUL or other C0 controls except TAB; at most 255 chars. */
export const freeText = z
  .string()
  .max(255, "must be at most 255 characters")
  .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no unpaired surrogate)")
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s), "must not contain control characters");

/** Common inputs every resource carries; supplied by the SDK. */
export const commonInputs = z.object({
  /** Stack-config key of the device (`routerstack:devices.<key>`). */
  device: z.string().regex(/^[A-Za-z0-9_-]+$/, "must be a device key from routerstack:devices"),
  /** `<project>/<stack>/<name>`, set by the SDK. */
  identity: z.string().regex(IDENTITY_PATTERN, "must be <project>/<stack>/<name> using letters, digits, . _ -"),
  adopt: z.boolean().default(false),
});
export type CommonInputs = z.infer<typeof commonInputs>;
