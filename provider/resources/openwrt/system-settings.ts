/**
 * `SystemSettings` on OpenWrt: the router's one `system` section in /etc/config/system (host name, time zone,
 * logging). OpenWrt's starting config writes it anonymously (`config system`, `system.@system[0]`), so it is
 * managed in place: found by its type each time (never by its `cfgXXXXXX` name, openwrt-uci.md §2.5), taken over
 * on create whether or not `adopt` is set (there is exactly one and it cannot be created beside it), and on
 * destroy given back its options as they were before create — never deleted. Like every managed section it owns
 * all its options: an option on the device that is not declared (a typed field or `extraOptions`) shows as drift
 * and is removed by `up` (the adoption preview lists them), so copy the stock options you keep (`ttylogin`,
 * `urandom_seed`, …) into `extraOptions`; with `adopt: true` the preview lists what the first `up` would change.
 * Declare at most one per router.
 * Reloads `system` (applies hostname, timezone/zonename, conloglevel, buffersize) and `log` (logd and remote
 * logging read the `log_*` options) (docs/reference/openwrt-netifd-dhcp-system.md §3).
 * Option names are the OpenWrt system page's, verbatim [D]; defaults in the field docs are the init scripts' [D].
 * Docs: https://openwrt.org/docs/guide-user/base-system/system_configuration
 */
import { z } from "zod";
import { ipv4Address, ipv6Address } from "../common";
import { uciOptions, uciString } from "./fields";
import { hostLabel } from "./typed-fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  hostname: uci.option("hostname"),
  description: uci.option("description"),
  notes: uci.option("notes"),
  timezone: uci.option("timezone"),
  zonename: uci.option("zonename"),
  conloglevel: uci.int("conloglevel"),
  buffersize: uci.int("buffersize"),
  logSize: uci.int("log_size"),
  logFile: uci.option("log_file"),
  logIp: uci.option("log_ip"),
  logPort: uci.int("log_port"),
  logProto: uci.option("log_proto"),
  logRemote: uci.bool("log_remote"),
  logPrefix: uci.option("log_prefix"),
} satisfies UciOptionRows;

export const schema = z
  .object({
    /** Host name, one DNS label (no dots). uci option `hostname`; default `OpenWrt`. */
    hostname: hostLabel.optional(),
    /** Short description shown by LuCI. uci option `description`; default none. */
    description: uciString.optional(),
    /** Free notes shown by LuCI. uci option `notes`; default none. */
    notes: uciString.optional(),
    /** POSIX TZ string, e.g. `CET-1CEST,M3.5.0,M10.5.0/3`. uci option `timezone`; default `UTC`. */
    timezone: z
      .string()
      .regex(/^[A-Za-z<][A-Za-z0-9<>+,./:-]*$/, "must be a POSIX TZ string such as UTC or CET-1CEST,M3.5.0,M10.5.0/3")
      .optional(),
    /** IANA zone name, e.g. `Europe/Berlin` (used when zoneinfo is installed). uci option `zonename`; default none. */
    zonename: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_+ -]*(?:\/[A-Za-z0-9_+ -]+)*$/, "must be a zone name such as Europe/Berlin or UTC")
      .optional(),
    /** Console log level, 1..8 (`dmesg -n`). uci option `conloglevel`; default the kernel's. */
    conloglevel: z.number().int("must be an integer").min(1).max(8).optional(),
    /** Kernel log buffer size in bytes (`dmesg -s`). uci option `buffersize`; default the kernel's. */
    buffersize: z.number().int("must be an integer").min(1).max(2147483647).optional(),
    /** Size of logd's in-memory log in KiB. uci option `log_size`; default 64 (OpenWrt's starting config). */
    logSize: z.number().int("must be an integer").min(1).max(1048576).optional(),
    /** File logd also writes to, absolute path, e.g. `/tmp/system.log`. uci option `log_file`; default none. */
    logFile: z
      .string()
      .regex(/^\/[A-Za-z0-9._/-]*$/, "must be an absolute path (letters, digits, . _ - /)")
      .optional(),
    /** Remote syslog server address. uci option `log_ip`; default none. */
    logIp: z.union([ipv4Address, ipv6Address], { error: "must be an IPv4 or IPv6 address" }).optional(),
    /** Remote syslog port. uci option `log_port`; default 514. */
    logPort: z.number().int("must be an integer").min(1).max(65535).optional(),
    /** Remote syslog transport. uci option `log_proto`; default `udp`. */
    logProto: z.enum(["udp", "tcp"]).optional(),
    /** Send the log to `logIp`. uci option `log_remote` (`1`/`0`); default true when logIp is set. */
    logRemote: z.boolean().optional(),
    /** Prefix of remote log lines. uci option `log_prefix`; default none. */
    logPrefix: uciString.optional(),
    /** Further system options by uci name, verbatim (e.g. `ttylogin: "0"`); undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    refuseMapped(v.extraOptions, OPTIONS, "SystemSettings", ctx);
    for (const f of ["logPort", "logProto", "logPrefix"] as const) {
      if (v[f] !== undefined && v.logIp === undefined)
        ctx.addIssue({ code: "custom", path: [f], message: "needs logIp (the remote syslog server)" });
    }
  });

export type SystemSettingsInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-system-settings",
  docs: "https://openwrt.org/docs/guide-user/base-system/system_configuration",
  schema,
  package: "system",
  sectionType: "system",
  section: "singleton",
  options: OPTIONS,
});
