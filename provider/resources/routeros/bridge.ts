/**
 * `/interface/bridge`: a software bridge (the CRS's `bridge` carrying the LAN ports and `vlan6`), keyed by its unique
 * interface `name`; the identity tag is kept in `comment`. Docs:
 * https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching. Property names from RouterOS's own schema
 * (provider/routeros/catalogue.generated.ts); defaults from the manual's property table. Interface names are
 * unique across all interface menus.
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, userComment } from "./fields";
import * as derived from "./generated/bridge";

/** `frame-types` of bridges and bridge ports (manual: "Bridge VLAN Filtering"). */
export const FRAME_TYPES = ["admit-all", "admit-only-untagged-and-priority-tagged", "admit-only-vlan-tagged"] as const;

/** A unicast MAC address `AA:BB:CC:DD:EE:FF`, normalised to upper case as RouterOS prints it. */
export const macAddress = z
  .string()
  .regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/, "must be a MAC address such as 02:00:00:00:00:01")
  .transform((s) => s.toUpperCase());

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique interface name, e.g. `bridge`; the natural key (a rename replaces the bridge). Property `name`. */
    name: interfaceName,
    /** Spanning tree protocol: `none`, `rstp`, `stp` or `mstp`; default `rstp`. Property `protocol-mode`. */
    protocolMode: z.enum(["none", "rstp", "stp", "mstp"]).default("rstp"),
    /**
     * VLAN-aware bridging (`/interface/bridge/vlan` entries and port `pvid` take effect); default false.
     * Turning it on can cut access through the bridge until the VLAN table is right. Property `vlan-filtering`.
     */
    vlanFiltering: z.boolean().default(false),
    /** VLAN id of the bridge's own (CPU) port for untagged traffic, 1..4094; default 1. Property `pvid`. */
    pvid: z.number().int().min(1).max(4094).default(1),
    /** Which frames the bridge's CPU port admits with `vlanFiltering`; default `admit-all`. Property `frame-types`. */
    frameTypes: z.enum(FRAME_TYPES).default("admit-all"),
    /**
     * Drop frames of VLANs the CPU port is not a member of (with `vlanFiltering`). Default true (RouterOS 7
     * manual; [I] on versions before 7.x where it was `no`). Property `ingress-filtering`.
     */
    ingressFiltering: z.boolean().default(true),
    /** IGMP/MLD snooping; default false. Property `igmp-snooping`. */
    igmpSnooping: z.boolean().default(false),
    /**
     * Take the bridge MAC from the first port (true, default) or use `adminMac` (false). A stable `adminMac`
     * keeps DHCP leases across port changes. Property `auto-mac`.
     */
    autoMac: z.boolean().default(true),
    /** Static bridge MAC, used when `autoMac` is false; default none. Property `admin-mac`. */
    adminMac: macAddress.optional(),
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.adminMac !== undefined && b.autoMac)
      ctx.addIssue({ code: "custom", path: ["adminMac"], message: "is only used with autoMac: false" });
  });

export type BridgeInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-bridge",
  docs: "https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching",
  schema,
  menu: "/interface/bridge",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    protocolMode: prop.text("protocol-mode"),
    vlanFiltering: prop.bool("vlan-filtering"),
    pvid: prop.int("pvid"),
    frameTypes: prop.text("frame-types"),
    ingressFiltering: prop.bool("ingress-filtering"),
    igmpSnooping: prop.bool("igmp-snooping"),
    autoMac: prop.bool("auto-mac"),
    adminMac: prop.text("admin-mac"),
    disabled: prop.bool("disabled"),
  },
  outputs: { running: "running", macAddress: "mac-address" },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
