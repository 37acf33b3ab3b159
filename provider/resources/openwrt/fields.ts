/**
 * Input validators shared by the OpenWrt kinds. uci names and values follow docs/reference/openwrt-uci.md
 * §2.1/§2.6 (names `[A-Za-z0-9_]`, packages also `-`, no control chars but TAB/LF/CR, empty value = delete);
 * BIRD symbols and strings follow the BIRD 2.0 guide. Messages are short: zod prefixes the field path.
 */
import { z } from "zod";
import { BIRD_KEYWORDS } from "../../openwrt/codec";
import { interfaceName, LONE_SURROGATE } from "../common";

/** A uci package (config file) name, e.g. `network`, `firewall`. */
export const uciPackageName = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, "must be a uci package name (letters, digits, _ and -)");

/** A uci section or option name: `[A-Za-z0-9_]+`. */
export const uciName = z.string().regex(/^[A-Za-z0-9_]+$/, "must be a uci name (letters, digits and _ only)");

/** A section type, e.g. `zone`, `interface` (routerstack keeps to letters, digits, _ and -). */
export const uciTypeName = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, "must be a uci section type (letters, digits, _ and -)");

// eslint-disable-next-line no-control-regex
const noUciControlChars = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

/** A list element as uci stores it: any text without control characters other than TAB, LF, CR. */
export const uciListElement = z
  .string()
  .refine(noUciControlChars, "must not contain control characters other than TAB, LF and CR")
  .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no unpaired surrogate)");

/** An option value: as {@link uciListElement}, and not empty (uci deletes an option set to ''). */
export const uciString = uciListElement.refine(
  (s) => s !== "",
  "must not be empty (uci deletes an option set to an empty value)",
);

/** Options by uci name; a list is an array (an empty array means "no such option"). */
export const uciOptions = z
  .record(uciName, z.union([uciString, z.array(uciListElement)]), {
    // zod reports a bad key as "Invalid key in record"; say what a key must be instead.
    error: (iss) => (iss.code === "invalid_key" ? "must be a uci name (letters, digits and _ only)" : undefined),
  })
  .transform((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => !(Array.isArray(v) && v.length === 0))));

/** A BIRD symbol (protocol name): letter or _, then letters, digits, _; also the file name under /etc/bird.d. */
export const birdSymbol = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be a BIRD name (letter or _, then letters, digits, _; at most 64)")
  .refine((s) => !BIRD_KEYWORDS.has(s.toLowerCase()), "must not be a BIRD keyword (bgp, static, kernel, ...)");

/** A Linux interface name (netdev): 1–15 characters, as OpenWrt and BIRD see interfaces. */
export const linuxInterfaceName = interfaceName.refine(
  (s) => s.length <= 15,
  "must be at most 15 characters (a Linux interface name)",
);
