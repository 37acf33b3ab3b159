/**
 * A WireGuard transit tunnel in its own VRF, carrying an eBGP session that announces only our allocated prefix,
 * and an iBGP session to a Kubernetes node that announces LoadBalancer addresses from that prefix. One RouterOS
 * router ("crs"); see README.md for the topology and what is not managed yet.
 */
import * as pulumi from "@pulumi/pulumi";
import { routeros, requireConfig, requireDevices } from "routerstack";
import { siteSchema } from "./site";

requireDevices();
const site = requireConfig("routerstack", "vrfBgp", siteSchema);
const transitPrivateKey = new pulumi.Config("routerstack").requireSecret("transitPrivateKey");
const { device, transit, kubernetes } = site;

// --- The tunnel, in its own VRF so the transit's routes (a default, typically) never mix with the main table.
const wg = new routeros.WireguardInterface("wg-transit", {
  device,
  name: transit.interface,
  listenPort: transit.listenPort,
  privateKey: transitPrivateKey,
  comment: "transit tunnel",
});
new routeros.WireguardPeer("transit-peer", {
  device,
  interface: wg.name,
  publicKey: transit.peerPublicKey,
  endpointAddress: transit.peerEndpoint,
  endpointPort: transit.peerPort,
  // Everything may come through the tunnel: which routes are used is decided by BGP inside the VRF.
  allowedAddress: ["0.0.0.0/0"],
  persistentKeepalive: 25,
  comment: "transit provider",
});
const vrf = new routeros.Vrf("transit-vrf", {
  device,
  name: transit.vrf,
  interfaces: wg.name.apply((n) => [n]),
  comment: "transit over WireGuard",
});

// --- What is announced: the allocated prefix, through an address list (`output.network`).
const exportedList = "bgp-exported";
new routeros.AddressListEntry("exported-prefix", {
  device,
  list: exportedList,
  address: site.allocatedPrefix,
  comment: "allocated prefix, announced to the transit",
});

// --- Filters. One rule per chain with if/else, so no chain depends on the order of its rules (a chain of several
// rules would give each an `order`, kept among this stack's rules of that chain). A chain that falls off its end
// rejects anyway.
const prefixLength = site.allocatedPrefix.split("/")[1];
const filters = [
  // To the transit: exactly the allocated prefix, nothing more specific, nothing else.
  new routeros.RoutingFilterRule("transit-out", {
    device,
    chain: "transit-out",
    rule: `if (dst in ${site.allocatedPrefix} && dst-len == ${prefixLength}) { accept } else { reject }`,
    comment: "announce only the allocated prefix",
  }),
  // From the transit: only a default route, and never our own prefix back.
  new routeros.RoutingFilterRule("transit-in", {
    device,
    chain: "transit-in",
    rule: "if (dst == 0.0.0.0/0) { accept } else { reject }",
    comment: "accept only a default from the transit",
  }),
  // From the Kubernetes node: only /32 LoadBalancer addresses from the pool.
  new routeros.RoutingFilterRule("k8s-in", {
    device,
    chain: "k8s-in",
    rule: `if (dst in ${site.loadBalancerPool} && dst-len == 32) { accept } else { reject }`,
    comment: "accept only LoadBalancer addresses",
  }),
  // To the Kubernetes node: nothing (it routes by its default gateway).
  new routeros.RoutingFilterRule("k8s-out", {
    device,
    chain: "k8s-out",
    rule: "reject",
    comment: "announce nothing to the nodes",
  }),
];

// --- BGP. On RouterOS 7.20+ sessions belong to an instance; on 7.16–7.19 they carry the router id themselves.
const instance = site.bgpInstance
  ? new routeros.BgpInstance("bgp-instance", { device, name: site.bgpInstance, as: site.as, routerId: site.routerId })
  : undefined;
const model = instance ? { instance: instance.name } : { routerId: site.routerId };

// The transit's common settings in a template: the session inherits what it leaves unset.
const transitTemplate = new routeros.BgpTemplate(
  "transit-template",
  {
    device,
    name: "transit",
    as: site.as,
    inputFilter: "transit-in",
    outputFilterChain: "transit-out",
    outputNetwork: exportedList,
    comment: "eBGP to the transit",
  },
  { dependsOn: filters },
);

new routeros.BgpSession("transit", {
  device,
  name: "transit",
  ...model,
  as: site.as,
  templates: transitTemplate.name.apply((n) => [n]),
  localRole: "ebgp",
  localAddress: transit.localAddress,
  remoteAddress: transit.remoteAddress,
  remoteAs: transit.remoteAs,
  vrf: vrf.name,
  holdTime: 90,
  comment: "eBGP over wg-transit",
});

new routeros.BgpSession(
  "k8s-node",
  {
    device,
    name: "k8s-node",
    ...model,
    as: site.as,
    localRole: "ibgp",
    localAddress: kubernetes.localAddress,
    remoteAddress: kubernetes.nodeAddress,
    remoteAs: site.as,
    inputFilter: "k8s-in",
    outputFilterChain: "k8s-out",
    comment: "LoadBalancer addresses from Kubernetes",
  },
  { dependsOn: filters },
);

/** Give this to the transit provider: the public key of our end of the tunnel. */
export const transitPublicKey = wg.observed.apply((o) => o.publicKey as string | undefined);
