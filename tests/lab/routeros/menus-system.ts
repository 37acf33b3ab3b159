/**
 * `/system/script` and `/system/scheduler`. Neither menu is in routeros-cli.md: every property, default and
 * enum below follows the RouterOS manual pages (https://help.mikrotik.com/docs/display/ROS/Scripting,
 * https://help.mikrotik.com/docs/display/ROS/Scheduler) and is [I] until checked on a device.
 *
 * The scheduler really runs jobs: see scheduler.ts (which job is due when, and the clock it reads).
 */
import type { MenuDef, Verb } from "./menus";
import type { PropDef } from "./props";

/** The policies of RouterOS 7 scripts and jobs [I: list from the manual's "Scripting" page]. */
export const POLICIES = ["ftp", "reboot", "read", "write", "policy", "test", "password", "sniff", "sensitive", "romon"];

const LIST_VERBS: Verb[] = ["add", "set", "unset", "remove", "get", "find", "print", "enable", "disable"];
const s = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "string" }, ...extra });
// Default: every policy, as `add` without `policy=` gives on RouterOS 7 [I].
const policy: PropDef = { name: "policy", type: { kind: "enumList", values: POLICIES }, default: [...POLICIES] };

export const SYSTEM_MENUS: MenuDef[] = [
  {
    path: "/system/script",
    idSpace: "/system/script",
    named: true,
    // No `disable`/`enable`: scripts have no `disabled` property [I].
    verbs: ["add", "set", "unset", "remove", "get", "find", "print"],
    props: [
      s("name", { required: true, summary: true }),
      s("source", { default: "" }),
      policy,
      { name: "dont-require-permissions", type: { kind: "bool" }, default: false },
      s("comment", { summary: true }),
      { name: "owner", type: { kind: "string" }, readOnly: true },
      { name: "run-count", type: { kind: "int", min: 0, max: Number.MAX_SAFE_INTEGER }, readOnly: true },
    ],
  },
  {
    path: "/system/scheduler",
    idSpace: "/system/scheduler",
    named: true,
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      s("on-event", { default: "" }),
      // `YYYY-MM-DD` (7.10+ form [I]); left out = the date the job was added [I].
      s("start-date"),
      // `HH:MM:SS` or `startup` [I]; left out = the time the job was added [I].
      s("start-time"),
      // 0 = run once at start-date/start-time (or once at startup) [I].
      { name: "interval", type: { kind: "duration" }, default: 0 },
      policy,
      s("comment", { summary: true }),
      { name: "disabled", type: { kind: "bool" }, default: false },
      { name: "owner", type: { kind: "string" }, readOnly: true },
      { name: "run-count", type: { kind: "int", min: 0, max: Number.MAX_SAFE_INTEGER }, readOnly: true },
      { name: "next-run", type: { kind: "string" }, readOnly: true },
    ],
  },
];
