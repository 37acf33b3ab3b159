/**
 * Stack config of the multi-WAN router (`routerstack:multiwan`), validated before any resource is declared.
 * Errors name the key, e.g. `stack config "routerstack:multiwan.lte.1.trackIp.0": must be an IPv4 address ...`.
 */
import { z } from "zod";
import { validators } from "routerstack";

const { ipv4Address, interfaceName } = validators;
/** mwan3 builds iptables chain names from interface names: a uci name of at most 15 characters (see Mwan3Interface). */
const uplinkName = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,10}$/, "must be letters, digits and _ (at most 10, member names add a suffix)");

export const multiwanSchema = z
  .object({
    /** Key of the router in `routerstack:devices`. */
    device: z.string(),
    /** The existing fw4 zone of the clients (OpenWrt's stock `lan`), forwarded to every uplink. */
    lanZone: z.string().regex(/^[A-Za-z0-9_]+$/),
    wired: z
      .object({
        /** Linux device of the wired uplink. */
        netdev: interfaceName,
        /** Static address with prefix length, e.g. 203.0.113.2/29. */
        address: z.string(),
        gateway: ipv4Address,
        /** Hosts probed through the uplink; at least two, so one lost target does not take the uplink down. */
        trackIp: z.array(ipv4Address).min(2),
        /** Share of new connections the wired uplink gets against each LTE uplink's 1. */
        weight: z.number().int().min(1).max(100).default(3),
      })
      .strict(),
    lte: z
      .array(
        z
          .object({
            name: uplinkName,
            /** QMI control device of the modem. */
            modemDevice: z.string().startsWith("/dev/"),
            apn: z.string().min(1),
            trackIp: z.array(ipv4Address).min(2),
          })
          .strict(),
      )
      .length(2),
  })
  .strict();

export type Multiwan = z.infer<typeof multiwanSchema>;
