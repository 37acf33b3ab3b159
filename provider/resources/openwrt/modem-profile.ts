/**
 * `ModemProfile`: the LTE modem's netifd interface `network.<name>` (proto qmi | mbim | ncm) with its APN
 * profile, plus the optional cold-boot workaround as a managed init script /etc/init.d/routerstack-<name>-coldboot
 * (USB re-authorise, then `ifup <name>`) enabled by its /etc/rc.d/S99… link. Reloads `network`.
 * Option names are netifd's (protocol handlers qmi.sh, mbim.sh, ncm.sh in openwrt/openwrt package/network/utils).
 * Unverified against a device: the ncm handler's `pdptype` spelling (`IP`/`IPV6`/`IPV4V6`, as its script
 * documents) and its `auth` values; qmi and mbim take `ipv4`/`ipv6`/`ipv4v6`.
 * Docs: https://openwrt.org/docs/guide-user/network/wan/wwan/ltedongle
 */
import { z } from "zod";
import type { ManagedFile } from "../../openwrt/section-engine";
import { openwrtSettings } from "../../openwrt/settings";
import { COLD_BOOT_START, coldBootScriptName, renderColdBootScript, USB_PATH } from "../../openwrt/init-script";
import { uciName, uciOptions, uciString } from "./fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const PDP_NCM: Record<string, string> = { ipv4: "IP", ipv6: "IPV6", ipv4v6: "IPV4V6" };

const OPTIONS = {
  proto: uci.option("proto"),
  modemDevice: uci.option("device"),
  apn: uci.option("apn"),
  auth: uci.option("auth"),
  username: uci.option("username"),
  password: uci.option("password", { secret: true }),
  pincode: uci.option("pincode", { secret: true }),
  pdptype: uci.option("pdptype", {
    encode: (v, i) => (v === undefined ? undefined : i.proto === "ncm" ? PDP_NCM[v as string] : (v as string)),
    decode: (v) => {
      const s = typeof v === "string" ? v : v.join(" ");
      return Object.keys(PDP_NCM).find((k) => k === s || PDP_NCM[k] === s.toUpperCase()) ?? s;
    },
  }),
  metric: uci.int("metric"),
} satisfies UciOptionRows;

export const schema = z
  .object({
    /** Interface (section) name, e.g. `wwan`; firewall zones refer to it. Changing it replaces the interface. */
    name: uciName,
    /** netifd protocol handler. */
    proto: z.enum(["qmi", "mbim", "ncm"]),
    /**
     * Control device, e.g. `/dev/cdc-wdm0` (qmi, mbim) or `/dev/ttyUSB2` (ncm): uci option `device`. Named
     * `modemDevice` because `device` is every resource's router key.
     */
    modemDevice: z.string().regex(/^\/dev\/[A-Za-z0-9._/-]+$/, "must be a device path such as /dev/cdc-wdm0"),
    /** Access point name. */
    apn: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "must be an APN (letters, digits, . _ -)"),
    /** Authentication; default: the handler's (none). */
    auth: z.enum(["none", "pap", "chap", "both"]).optional(),
    username: uciString.optional(),
    /** Secret. */
    password: uciString.optional(),
    /** SIM PIN; secret. */
    pincode: z
      .string()
      .regex(/^\d{4,8}$/, "must be 4 to 8 digits")
      .optional(),
    /** PDP context type; default: the handler's. */
    pdptype: z.enum(["ipv4", "ipv6", "ipv4v6"]).optional(),
    /** Route metric of the interface. */
    metric: z.number().int("must be an integer").min(0).max(2147483647).optional(),
    /** Further interface options by uci name, verbatim (e.g. `ipv6: "auto"`); undeclared options show here as drift. */
    extraOptions: uciOptions.default({}),
    /** Cold-boot workaround; omitted = no init script. */
    coldBoot: z
      .object({
        /** USB device of the modem under /sys/bus/usb/devices, e.g. `1-1`. */
        usbPath: z.string().regex(USB_PATH, "must be a USB device path such as 1-1 or 2-1.4"),
        /** Seconds between de-authorising and re-authorising; default 10. */
        delaySeconds: z.number().int().min(1).max(300).default(10),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    refuseMapped(v.extraOptions, OPTIONS, "ModemProfile", ctx);
    if (
      (v.auth === "pap" || v.auth === "chap" || v.auth === "both") &&
      (v.username === undefined || v.password === undefined)
    ) {
      ctx.addIssue({ code: "custom", path: ["auth"], message: `"${v.auth}" needs username and password` });
    }
  });

export type ModemProfileInputs = z.output<typeof schema>;

function files(i: ModemProfileInputs, _section: string, ctx: { identity: string }): ManagedFile[] {
  if (!i.coldBoot) return [];
  const s = openwrtSettings();
  const script = coldBootScriptName(i.name);
  return [
    {
      path: `${s.initDir}/${script}`,
      content: renderColdBootScript(
        { iface: i.name, usbPath: i.coldBoot.usbPath, delaySeconds: i.coldBoot.delaySeconds },
        ctx.identity,
      ),
      mode: 0o755,
    },
    { path: `${s.rcDir}/S${COLD_BOOT_START}${script}`, symlinkTo: `../init.d/${script}` },
  ];
}

export const kind = uciKind({
  name: "openwrt-modem-profile",
  docs: "https://openwrt.org/docs/guide-user/network/wan/wwan/ltedongle",
  schema,
  package: "network",
  sectionType: "interface",
  section: { nameField: "name" },
  options: OPTIONS,
  notOptions: { coldBoot: "companion files: the cold-boot init script and its rc.d link" },
  files,
  onFileDrift: (i) => ({ ...i, coldBoot: undefined }),
});
