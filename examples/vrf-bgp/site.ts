/**
 * Stack config of the example (`routerstack:vrfBgp`), validated before any resource is declared. Errors name the
 * key, e.g. `stack config "routerstack:vrfBgp.transit.remoteAs": ...`.
 */
import { z } from "zod";
import { validators } from "routerstack";

const { ipv4Address, ipv4Prefix, asNumber, interfaceName } = validators;

/** A WireGuard public key (base64 of 32 bytes). */
const wgPublicKey = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, "must be a WireGuard public key");

export const siteSchema = z
  .object({
    device: z.string(),
    /** Our private AS, used for eBGP to the transit and iBGP to the Kubernetes nodes. */
    as: asNumber,
    routerId: ipv4Address,
    /**
     * RouterOS 7.20+: name of the BGP instance to create (sessions name it). Leave it out for RouterOS 7.16–7.19,
     * where sessions carry `routerId` themselves.
     */
    bgpInstance: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
    /** The prefix allocated to us, announced to the transit and the pool LoadBalancer addresses come from. */
    allocatedPrefix: ipv4Prefix,
    /** The part of it the Kubernetes load balancer (MetalLB, Cilium) hands out as /32 addresses. */
    loadBalancerPool: ipv4Prefix,
    transit: z
      .object({
        /** VRF holding the tunnel; its routing table has the same name. */
        vrf: z.string().regex(/^[A-Za-z0-9_-]+$/),
        interface: interfaceName,
        listenPort: z.number().int().min(1).max(65535),
        peerPublicKey: wgPublicKey,
        peerEndpoint: ipv4Address,
        peerPort: z.number().int().min(1).max(65535),
        /** Our and the transit's address inside the tunnel (BGP runs between them). */
        localAddress: ipv4Address,
        remoteAddress: ipv4Address,
        remoteAs: asNumber,
      })
      .strict(),
    kubernetes: z
      .object({
        /** The node's address on our LAN; the iBGP session runs to it. */
        nodeAddress: ipv4Address,
        localAddress: ipv4Address,
      })
      .strict(),
  })
  .strict();

export type Site = z.infer<typeof siteSchema>;
