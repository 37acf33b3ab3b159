// Type test (issue 13 item 8), checked by `npm run typecheck` (scripts/typecheck-programs.ts); never run.
// List inputs follow Pulumi's convention, pulumi.Input<pulumi.Input<T>[]>: a list may mix outputs and plain values.
import * as pulumi from "@pulumi/pulumi";
import { routeros } from "routerstack";

const wg = new routeros.WireguardInterface("wg", { device: "crs", name: "wg-transit", listenPort: 51820 });

// An output next to a plain string in one list.
export const vrf = new routeros.Vrf("transit", { device: "crs", name: "transit", interfaces: [wg.name, "ether5"] });

// A whole list as an output still works.
export const vrf2 = new routeros.Vrf("transit2", {
  device: "crs",
  name: "transit2",
  interfaces: pulumi.output(["ether6"]),
});

// A derived set input (BGP `afi`) takes outputs as elements too.
export const template = new routeros.BgpTemplate("t", {
  device: "crs",
  name: "t",
  as: 64512,
  afi: [pulumi.output("ip" as const)],
});

// Elements are still typed: a number is not an interface name.
// @ts-expect-error a list of strings does not take a number
export const bad = new routeros.Vrf("bad", { device: "crs", name: "bad", interfaces: [wg.name, 5] });
