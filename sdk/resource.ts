/**
 * Base of every routerstack resource class: adds the common inputs (`device`, `identity`, `adopt`) and the
 * options every kind needs.
 */
import * as pulumi from "@pulumi/pulumi";

/** Inputs every routerstack resource takes. */
export interface CommonArgs {
  /** Key of the router in stack config `routerstack:devices`. Changing it replaces the resource. */
  device: pulumi.Input<string>;
  /** Take over an existing device object with the same identity or natural key instead of failing. Default false. */
  adopt?: pulumi.Input<boolean>;
}

/** Each field of a kind's inputs accepts a Pulumi Input. */
export type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * The identity that names this object on the device and in errors: `<project>/<stack>/<name>`, so two stacks
 * can share a router without touching each other's objects (dynamic providers never see the URN).
 */
export function identityOf(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

export abstract class RouterstackResource extends pulumi.dynamic.Resource {
  /** The device's view of read-only properties (e.g. `active` for a route). */
  declare public readonly observed: pulumi.Output<Record<string, unknown>>;
  /** Hashes of secret inputs, stored as a secret; used to compare secrets without storing them. */
  declare public readonly secretHashes: pulumi.Output<Record<string, string>>;

  /**
   * @param provider the kind's stub module (`sdk/stubs/<kind>`), whose `module.exports` is the stub object, so the
   *   serialized `__provider` is a one-line `require("routerstack/sdk/stubs/<kind>")`.
   */
  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    typeName: string,
    name: string,
    args: object,
    opts?: pulumi.CustomResourceOptions,
    /** The kind's secret inputs: their outputs are secret too. */
    secretInputs: string[] = [],
  ) {
    super(
      provider,
      name,
      { ...args, identity: identityOf(name), observed: undefined, secretHashes: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secretHashes", ...secretInputs] }),
      "routerstack",
      typeName,
    );
  }
}
