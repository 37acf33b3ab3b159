/**
 * `/interface/bridge/vlan`: which bridge ports carry which VLANs, tagged or untagged (bridge VLAN filtering),
 * found by the identity tag in `comment`; with `adopt: true` an existing entry is found by its `bridge` and
 * `vlanIds`. Docs: https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching (section "Bridge VLAN
 * Filtering"). Property names from RouterOS's own schema (provider/routeros/catalogue.generated.ts). The entries
 * take effect only on a bridge with `vlanFiltering` (routeros.Bridge); ports' untagged VLAN is their `pvid`.
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop, type PropMapping } from "../../routeros/property-types";
import { listValue } from "../../routeros/read";
import { disabled, userComment } from "./fields";
import * as derived from "./generated/bridge-vlan";

/** A set of interface names, sorted (RouterOS keeps no meaningful order). */
const ports = z
  .array(interfaceName)
  .transform((xs) => [...new Set(xs)].sort())
  .optional();

/** `vlan-ids` as numbers, sorted numerically both ways (check's output must parse again, so no numbers-as-text). */
const vlanIdSet: PropMapping<number[]> = {
  prop: "vlan-ids",
  type: {
    encode: (p, v) => ({ kind: "value", prop: p, value: v }),
    clear: (p) => ({ kind: "unset", prop: p }),
    decode: (raw) =>
      listValue(raw)
        ?.map(Number)
        .sort((a, b) => a - b),
  },
};

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** The bridge (must exist), e.g. `bridge`. Property `bridge`. */
    bridge: interfaceName,
    /** VLAN ids, 1..4094, at least one; a set (sorted, duplicates dropped). Property `vlan-ids`. */
    vlanIds: z
      .array(z.number().int().min(1).max(4094))
      .min(1, "must have at least one VLAN id")
      .transform((xs) => [...new Set(xs)].sort((a, b) => a - b)),
    /** Ports (and the bridge itself, for the CPU) that carry these VLANs tagged; a set. Property `tagged`. */
    tagged: ports,
    /** Ports that carry these VLANs untagged (usually set through the port's `pvid`); a set. Property `untagged`. */
    untagged: ports,
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const p of v.tagged ?? [])
      if ((v.untagged ?? []).includes(p))
        ctx.addIssue({
          code: "custom",
          path: ["untagged"],
          message: `${p} is also tagged: a port is one or the other`,
        });
  });

export type BridgeVlanInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-bridge-vlan",
  docs: "https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching",
  schema,
  menu: "/interface/bridge/vlan",
  identity: { by: "comment" },
  naturalKey: ["bridge", "vlanIds"],
  commentField: "comment",
  props: {
    ...derived.props,
    bridge: prop.text("bridge"),
    vlanIds: vlanIdSet,
    tagged: prop.set("tagged"),
    untagged: prop.set("untagged"),
    disabled: prop.bool("disabled"),
  },
  outputs: { currentTagged: "current-tagged", currentUntagged: "current-untagged" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
