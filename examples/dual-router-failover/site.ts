/**
 * Stack config of the reference site (`routerstack:site`), validated before any resource is declared.
 * Errors name the key, e.g. `stack config "routerstack:site.crs.checkTargets.1": must be an IPv4 address ...`.
 */
import { z } from "zod";
import { validators } from "routerstack";

const { ipv4Address, ipv6Address, asNumber, interfaceName } = validators;

export const siteSchema = z
  .object({
    /** Private AS shared by both routers (iBGP). */
    as: asNumber,
    crs: z
      .object({
        device: z.string(),
        /** The PPPoE uplink interface, created by the program (routeros.PppoeClient), e.g. `pppoe-gpon`. */
        wan: interfaceName,
        /** The PPPoE session: the ethernet port it runs on and the PPP user; the password is the secret `routerstack:pppoePassword`. */
        pppoe: z.object({ port: interfaceName, user: z.string().min(1) }).strict(),
        /** The CRS interface towards the D-Link, i.e. the LTE path (vlan6). */
        lteInterface: interfaceName,
        /** Two hosts reached only through the wired uplink; each default route is checked by pinging one. */
        checkTargets: z.tuple([ipv4Address, ipv4Address]),
        routerId: ipv4Address,
        bgpInstance: z.string().regex(/^[A-Za-z0-9_-]+$/),
        /** The CRS address on the iBGP link (vlan6). */
        ibgpAddress: ipv4Address,
      })
      .strict(),
    dlink: z
      .object({
        device: z.string(),
        routerId: ipv4Address,
        /** The D-Link address on the iBGP link. */
        ibgpAddress: ipv4Address,
        ibgpInterface: interfaceName,
        ibgpAddress6: ipv6Address,
        /** Kernel interface the LTE modem brings up. */
        wwanDevice: interfaceName,
        modem: z
          .object({
            proto: z.enum(["qmi", "mbim", "ncm"]),
            device: z.string().startsWith("/dev/"),
            apn: z.string().min(1),
            pdptype: z.enum(["ipv4", "ipv6", "ipv4v6"]),
            usbPath: z.string().regex(/^[0-9]+-[0-9.]+$/),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

export type Site = z.infer<typeof siteSchema>;
