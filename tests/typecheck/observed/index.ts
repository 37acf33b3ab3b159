// Type test (issue 13 item 8), checked by `npm run typecheck` (scripts/typecheck-programs.ts); never run.
// `observed` is typed per kind, from the schema of what its engine puts there (provider/resources/observed.ts).
import * as pulumi from "@pulumi/pulumi";
import { openwrt, routeros } from "routerstack";

const wg = new routeros.WireguardInterface("wg", { device: "crs", name: "wg-transit", listenPort: 51820 });
const route = new routeros.StaticRoute("r", { device: "crs", dstAddress: "0.0.0.0/0", gateway: "192.0.2.1" });
const dns = new routeros.Dns("dns", { device: "crs", servers: ["192.0.2.53"] });
const zone = new openwrt.FirewallZone("z", { device: "dlink", name: "wan" });
const svc = new openwrt.Service("s", { device: "dlink", name: "dnsmasq" });

// A kind's own outputs, as RouterOS prints them (text, number, boolean or list), absent when not printed.
export const publicKey: pulumi.Output<string | number | boolean | string[] | undefined> = wg.observed.apply(
  (o) => o.publicKey,
);
export const active = route.observed.apply((o) => o.active);
// Every menu item has its RouterOS `.id`; a uci section kind says where the section is.
export const id: pulumi.Output<string> = route.observed[".id"];
export const section: pulumi.Output<string> = zone.observed.section;
export const running: pulumi.Output<boolean> = svc.observed.running;
// The named type of each class's observed is exported with it.
export const typed: pulumi.Output<routeros.StaticRouteObserved> = route.observed;

// A field the kind does not output is an error: a route has no `publicKey`.
// @ts-expect-error StaticRoute's observed has no publicKey
export const bad = route.observed.publicKey;
// A singleton menu (/ip/dns) has no `.id`.
// @ts-expect-error Dns's observed has no .id
export const badId = dns.observed[".id"];
// @ts-expect-error a service's `running` is a boolean, not text
export const badType: pulumi.Output<string> = svc.observed.running;
