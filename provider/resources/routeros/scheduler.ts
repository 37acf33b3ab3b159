/**
 * `/system/scheduler`: a job that runs a script body (or the name of a `/system/script`) at a start time and then
 * every `interval`; keyed by its unique `name`, the identity tag kept in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Scheduler. The menu is not in routeros-cli.md: property
 * names, defaults and timing are from the manual and [I] until checked on a device.
 *
 * Timing [I]: `startTime: "startup"` (the default here) runs the job 3 seconds after each boot and then every
 * `interval`; a clock time `HH:MM:SS` (with `startDate`, device local time) runs it then and every `interval`
 * after; `interval: 0` runs it once. RouterOS fills in the current date and time when `start-time` is left out,
 * which would read back as drift on every refresh, so this kind always sends one.
 */
import { z } from "zod";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { durationSeconds } from "../common";
import { disabled, routerosName, scriptText, userComment } from "./fields";
import { policySet } from "./script";
import * as derived from "./generated/scheduler";

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
/** `YYYY-MM-DD`, the form of RouterOS 7.10+ [I]. */
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique job name on the device; the natural key (a rename replaces the job). Property `name`. */
    name: routerosName,
    /** Script body, or the name of a `/system/script`, run at each event; default empty. Property `on-event`. */
    onEvent: scriptText.default(""),
    /** First run's date, `YYYY-MM-DD` [I]; only with a clock `startTime`. Property `start-date`. */
    startDate: z.string().regex(DATE, "must be a date YYYY-MM-DD").optional(),
    /** `startup` (default) or a clock time `HH:MM:SS` [I]. Property `start-time`. */
    startTime: z
      .string()
      .refine((s) => s === "startup" || CLOCK.test(s), "must be startup or a time HH:MM:SS")
      .default("startup"),
    /** Seconds between runs (`30`, `"1h"`, `"00:05:00"`); 0 = run once; default 0. Property `interval`. */
    interval: durationSeconds.default(0),
    /** What the job may do; default all policies [I]. Property `policy`. */
    policy: policySet,
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.startDate !== undefined && r.startTime === "startup") {
      ctx.addIssue({
        code: "custom",
        path: ["startDate"],
        message: "is only used with a clock startTime (HH:MM:SS), not startup",
      });
    }
  });

export type SchedulerInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-scheduler",
  docs: "https://help.mikrotik.com/docs/display/ROS/Scheduler",
  schema,
  menu: "/system/scheduler",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    onEvent: prop.text("on-event"),
    startDate: prop.text("start-date"),
    startTime: prop.text("start-time"),
    interval: prop.duration("interval"),
    policy: prop.set("policy"),
    disabled: prop.bool("disabled"),
  },
  outputs: { nextRun: "next-run", runCount: "run-count", owner: "owner" },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
