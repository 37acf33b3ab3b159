/**
 * Generated benchmark topologies: N resources split over the RouterOS lab device ("crs", ceil(N/2)) and the
 * OpenWrt lab host ("dlink", floor(N/2)).
 *   crs:   one BGP instance + one BGP connection, then static routes and dst-nat rules (2 routes : 1 rule)
 *   dlink: one BIRD BGP session (/etc/bird.d), then uci sections alternating `network` routes and `firewall`
 *          redirects (two packages, so refresh cost can be told apart from N)
 * The update step changes one non-identity input on 10% of N (at least 1), taken from the routes, NAT rules and
 * uci sections of both devices in turn. Addresses are documentation prefixes (DESIGN.md "The lab").
 */
import type { ResourceSpec } from "../e2e/harness";

export interface BenchItem {
  spec: ResourceSpec;
  /** what the baseline script does for this resource (see baseline.ts) */
  base: BaselineItem;
}

export type BaselineItem =
  | { device: "crs"; menu: string; find: string; add: string; set: string }
  | {
      device: "dlink";
      kind: "uci";
      pkg: string;
      section: string;
      type: string;
      options: Record<string, string>;
      update: [string, string];
    }
  | { device: "dlink"; kind: "file"; path: string; content: string };

const crs = { device: "crs" };
const dlink = { device: "dlink" };

function ip(base: string, i: number): string {
  // 198.51.100.0/24 then 203.0.113.0/24, hosts 1..250 each (N up to ~1000 per kind)
  const nets = [base, "203.0.113", "192.0.2"];
  return `${nets[Math.floor(i / 250) % nets.length]}.${(i % 250) + 1}`;
}

export function topology(n: number): BenchItem[] {
  const nCrs = Math.ceil(n / 2);
  const nDlink = n - nCrs;
  const items: BenchItem[] = [];
  const routes: BenchItem[] = [];
  const nats: BenchItem[] = [];
  const uci: BenchItem[] = [];

  // --- RouterOS
  if (nCrs >= 1) {
    items.push({
      spec: {
        platform: "routeros",
        kind: "BgpInstance",
        name: "bgp-inst",
        args: { ...crs, name: "bench", as: 65000, routerId: "192.0.2.1" },
      },
      base: {
        device: "crs",
        menu: "/routing/bgp/instance",
        find: `name="bench"`,
        add: `name=bench as=65000 router-id=192.0.2.1`,
        set: "",
      },
    });
  }
  if (nCrs >= 2) {
    items.push({
      spec: {
        platform: "routeros",
        kind: "BgpSession",
        name: "bgp-peer",
        dependsOn: ["bgp-inst"],
        args: {
          ...crs,
          name: "bench-peer",
          instance: "bench",
          as: 65000,
          remoteAddress: "192.0.2.2",
          remoteAs: 65000,
          localRole: "ibgp",
          holdTime: 30,
          keepaliveTime: 10,
        },
      },
      base: {
        device: "crs",
        menu: "/routing/bgp/connection",
        find: `name="bench-peer"`,
        add: `name=bench-peer instance=bench as=65000 remote.address=192.0.2.2 remote.as=65000 local.role=ibgp hold-time=30s keepalive-time=10s`,
        set: "",
      },
    });
  }
  for (let i = 0; i < nCrs - 2; i++) {
    if (i % 3 !== 2) {
      const r = routes.length;
      const dst = `${ip("198.51.100", r)}/32`;
      routes.push({
        spec: {
          platform: "routeros",
          kind: "StaticRoute",
          name: `route-${r}`,
          args: { ...crs, dstAddress: dst, gateway: "pppoe-gpon", distance: 1 },
        },
        base: {
          device: "crs",
          menu: "/ip/route",
          find: `comment="bench-route-${r}"`,
          add: `dst-address=${dst} gateway=pppoe-gpon distance=1 comment="bench-route-${r}"`,
          set: "distance=2",
        },
      });
    } else {
      const k = nats.length;
      const dst = ip("198.51.100", k);
      nats.push({
        spec: {
          platform: "routeros",
          kind: "NatRule",
          name: `nat-${k}`,
          args: {
            ...crs,
            chain: "dstnat",
            action: "dst-nat",
            protocol: "tcp",
            dstAddress: dst,
            toAddresses: "192.0.2.10",
            toPorts: String(8000 + k),
          },
        },
        base: {
          device: "crs",
          menu: "/ip/firewall/nat",
          find: `comment="bench-nat-${k}"`,
          add: `chain=dstnat action=dst-nat protocol=tcp dst-address=${dst} to-addresses=192.0.2.10 to-ports=${8000 + k} comment="bench-nat-${k}"`,
          set: `to-ports=${18000 + k}`,
        },
      });
    }
  }

  // --- OpenWrt
  if (nDlink >= 1) {
    const content =
      "protocol bgp bench_peer {\n\tlocal as 65000;\n\tneighbor 192.0.2.1 as 65000;\n\tipv4 {\n\t\timport all;\n\t\texport none;\n\t};\n}\n";
    items.push({
      spec: {
        platform: "openwrt",
        kind: "BgpSession",
        name: "bird-peer",
        args: {
          ...dlink,
          name: "bench_peer",
          localAs: 65000,
          neighborAddress: "192.0.2.1",
          neighborAs: 65000,
          ipv4: { import: "all", export: "none" },
        },
      },
      base: { device: "dlink", kind: "file", path: "/etc/bird.d/bench_peer.conf", content },
    });
  }
  for (let i = 0; i < nDlink - 1; i++) {
    if (i % 2 === 0) {
      const section = `bench_route_${i}`;
      const options = {
        interface: "lan",
        target: ip("198.51.100", i),
        netmask: "255.255.255.255",
        gateway: "192.0.2.1",
        metric: "10",
      };
      uci.push({
        spec: {
          platform: "openwrt",
          kind: "UciSection",
          name: `uci-route-${i}`,
          args: { ...dlink, package: "network", name: section, type: "route", options },
        },
        base: {
          device: "dlink",
          kind: "uci",
          pkg: "network",
          section,
          type: "route",
          options,
          update: ["metric", "20"],
        },
      });
    } else {
      const section = `bench_redirect_${i}`;
      const options = {
        name: `bench-${i}`,
        src: "wan",
        proto: "tcp",
        src_dport: String(10000 + i),
        dest_ip: "192.0.2.10",
        dest_port: "80",
        target: "DNAT",
      };
      uci.push({
        spec: {
          platform: "openwrt",
          kind: "UciSection",
          name: `uci-redirect-${i}`,
          args: { ...dlink, package: "firewall", name: section, type: "redirect", options },
        },
        base: {
          device: "dlink",
          kind: "uci",
          pkg: "firewall",
          section,
          type: "redirect",
          options,
          update: ["dest_port", "8080"],
        },
      });
    }
  }
  items.push(...routes, ...nats, ...uci);
  return items;
}

/** Names of the resources the update step changes: 10% of N (≥ 1), alternating devices. */
export function updateSet(items: BenchItem[]): Set<string> {
  const n = items.length;
  const want = Math.max(1, Math.round(n / 10));
  const crsPool = items.filter((i) => i.spec.kind === "StaticRoute" || i.spec.kind === "NatRule");
  const dlinkPool = items.filter((i) => i.spec.kind === "UciSection");
  const out = new Set<string>();
  for (let k = 0; out.size < want && (k < crsPool.length || k < dlinkPool.length); k++) {
    if (k < crsPool.length && out.size < want) out.add(crsPool[k].spec.name);
    if (k < dlinkPool.length && out.size < want) out.add(dlinkPool[k].spec.name);
  }
  return out;
}

/** The specs with the update applied to the named resources. */
export function updated(items: BenchItem[], names: Set<string>): ResourceSpec[] {
  return items.map(({ spec }) => {
    if (!names.has(spec.name)) return spec;
    const a = spec.args;
    if (spec.kind === "StaticRoute") return { ...spec, args: { ...a, distance: 2 } };
    if (spec.kind === "NatRule") return { ...spec, args: { ...a, toPorts: String(10000 + Number(a.toPorts)) } };
    if (spec.kind === "UciSection") {
      const o = a.options as Record<string, string>;
      const opts = "metric" in o ? { ...o, metric: "20" } : { ...o, dest_port: "8080" };
      return { ...spec, args: { ...a, options: opts } };
    }
    return spec;
  });
}
