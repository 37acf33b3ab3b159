/**
 * Emulator menus for the "simple kinds" of issue 6: `/ppp/profile`, `/interface/list` and
 * `/interface/list/member`. routeros-cli.md does not describe these menus: every property, default and
 * built-in below follows MikroTik's docs (PPP AAA, Interface Lists pages) from memory and is [I] until
 * captured from a CHR. Only type imports from ./menus, so that menus.ts can spread this array without a
 * circular import at load time.
 */
import type { MenuDef, Verb } from "./menus";
import type { PropDef } from "./props";

const s = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "string" }, ...extra });
const en = (name: string, values: string[], extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: { kind: "enum", values },
  ...extra,
});

const comment = s("comment", { summary: true });
const LIST_VERBS: Verb[] = ["add", "set", "unset", "remove", "get", "find", "print", "enable", "disable"];

/** `yes|no|default` tri-states of the PPP profile; `default` = take the value of the service's default profile [I]. */
const TRI = ["yes", "no", "default"];

export const MISC_MENUS: MenuDef[] = [
  {
    // PPP AAA "User Profiles" [I]. Built-ins `default` and `default-encryption` (flag `*`) are inserted by the
    // starting config and cannot be removed. No `disabled` property on profiles [I].
    path: "/ppp/profile",
    idSpace: "/ppp/profile",
    named: true,
    verbs: ["add", "set", "unset", "remove", "get", "find", "print"],
    props: [
      s("name", { required: true, summary: true }),
      // An IP address or an /ip/pool name [I]; kept as text (the lab has no pools).
      s("local-address", { summary: true }),
      s("remote-address", { summary: true }),
      s("on-up", { default: "" }),
      s("on-down", { default: "" }),
      en("use-encryption", ["yes", "no", "required", "default"], { default: "default" }),
      en("change-tcp-mss", TRI, { default: "default" }),
      en("only-one", TRI, { default: "default" }),
      en("use-compression", TRI, { default: "default" }),
      en("use-mpls", TRI, { default: "default" }),
      en("use-upnp", TRI, { default: "default" }),
      // Comma list of addresses [I]; kept as text.
      s("dns-server"),
      s("interface-list"),
      s("address-list"),
      comment,
      { name: "default", type: { kind: "bool" }, readOnly: true },
    ],
  },
  {
    // Interface Lists [I]: predefined `all`, `none`, `dynamic`, `static` are built in (flag `*`); defconf adds
    // `LAN` and `WAN` as ordinary lists with comment `defconf`.
    path: "/interface/list",
    idSpace: "/interface/list",
    named: true,
    verbs: ["add", "set", "unset", "remove", "get", "find", "print"],
    props: [
      s("name", { required: true, summary: true }),
      { name: "include", type: { kind: "refList", menu: "/interface/list" } },
      { name: "exclude", type: { kind: "refList", menu: "/interface/list" } },
      comment,
      { name: "builtin", type: { kind: "bool" }, readOnly: true },
      { name: "dynamic", type: { kind: "bool" }, readOnly: true },
    ],
  },
  {
    // Statically configured members [I]; a duplicate list+interface is refused like other duplicates (§4.1).
    path: "/interface/list/member",
    idSpace: "/interface/list/member",
    verbs: LIST_VERBS,
    props: [
      { name: "list", type: { kind: "ref", menu: "/interface/list" }, required: true, summary: true },
      { name: "interface", type: { kind: "interface" }, required: true, summary: true },
      comment,
      { name: "disabled", type: { kind: "bool" }, default: false },
      { name: "dynamic", type: { kind: "bool" }, readOnly: true },
    ],
  },
];

/** Lines of the defconf interface lists [I: defconf names them `LAN` and `WAN`, comment `defconf`]. */
export const DEFCONF_LISTS = [
  "/interface/list/add name=WAN comment=defconf",
  "/interface/list/add name=LAN comment=defconf",
];

/** Built-in items of these menus: path → name → stored props. */
export const MISC_BUILTINS: [string, Record<string, string>][] = [
  // `default-encryption` differs from `default` by use-encryption=yes; both change the MSS [I].
  ["/ppp/profile", { name: "default", "change-tcp-mss": "yes" }],
  ["/ppp/profile", { name: "default-encryption", "change-tcp-mss": "yes", "use-encryption": "yes" }],
  ["/interface/list", { name: "all" }],
  ["/interface/list", { name: "none" }],
  ["/interface/list", { name: "dynamic" }],
  ["/interface/list", { name: "static" }],
];
