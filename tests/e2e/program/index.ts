/**
 * Declares the resources listed in stack config `test:resources`, so lifecycle tests can change one input
 * between runs without rewriting the program. Uses the installed package, as a user program would.
 */
import * as pulumi from "@pulumi/pulumi";
import { routeros, openwrt } from "routerstack";

interface Spec {
  platform: "routeros" | "openwrt";
  kind: string;
  name: string;
  args: Record<string, unknown>;
  /** Args passed as Pulumi secrets. */
  secretArgs?: string[];
  /** Names of resources earlier in the list this one depends on. */
  dependsOn?: string[];
  /** Pulumi resource options passed as they are */
  options?: Pick<pulumi.CustomResourceOptions, "protect" | "retainOnDelete" | "ignoreChanges" | "deleteBeforeReplace">;
}

const sdk: Record<string, Record<string, unknown>> = { routeros, openwrt };
type Ctor = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;

const made: Record<string, pulumi.Resource> = {};
for (const spec of new pulumi.Config("test").requireObject<Spec[]>("resources")) {
  const Kind = sdk[spec.platform][spec.kind] as Ctor | undefined;
  if (!Kind) throw new Error(`no ${spec.platform}.${spec.kind} in routerstack`);
  const args: Record<string, unknown> = { ...spec.args };
  for (const k of spec.secretArgs ?? []) if (args[k] !== undefined) args[k] = pulumi.secret(args[k]);
  made[spec.name] = new Kind(spec.name, args, {
    ...spec.options,
    dependsOn: (spec.dependsOn ?? []).map((n) => made[n]),
  });
}

/** What `check` found on the device for each resource with `adopt: true`, as the preview of its create shows it. */
export const adoptions = Object.fromEntries(
  Object.entries(made).map(([n, r]) => [n, (r as unknown as { adoption: pulumi.Output<unknown> }).adoption]),
);
