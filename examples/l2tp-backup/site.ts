/**
 * Stack config of the l2tp-backup site (`routerstack:site`), validated before any resource is declared.
 * Errors name the key, e.g. `stack config "routerstack:site.tunnel.server": must be an IPv4 address ...`.
 */
import { z } from "zod";
import { validators } from "routerstack";

const { ipv4Address, ipv4Prefix, interfaceName } = validators;

export const siteSchema = z
  .object({
    device: z.string(),
    /** Primary uplink (PPPoE, managed outside this program, e.g. the reference site's `pppoe-gpon`). */
    primary: interfaceName,
    backup: z
      .object({
        /** Ethernet port of the backup ISP's hand-off. */
        port: interfaceName,
        /** The ISP's VLAN on that port. */
        vlanId: z.number().int().min(1).max(4094),
        /** PPPoE user at the backup ISP (the password is the secret `routerstack:backupPassword`). */
        user: z.string().min(1),
      })
      .strict(),
    tunnel: z
      .object({
        /** Hosted L2TP server that routes the public block to the site. */
        server: ipv4Address,
        /** L2TP user (the password is the secret `routerstack:tunnelPassword`). */
        user: z.string().min(1),
        /** Tunnel addresses: the site's end and the server's end. */
        local: ipv4Address,
        remote: ipv4Address,
      })
      .strict(),
    /** The site's public block and the router's address in it, e.g. `198.51.100.65/29`, on `lan`. */
    publicAddress: z.string(),
    lan: interfaceName,
    /** Host pinged through the primary uplink only; its loss moves the default route to the tunnel. */
    checkTarget: ipv4Address,
    /** LAN subnet that goes straight out of the backup link, masqueraded (the "rip-cord"). */
    directBackupSubnet: ipv4Prefix,
  })
  .strict();

export type Site = z.infer<typeof siteSchema>;
