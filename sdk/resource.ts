/**
 * Base of every routerstack resource class: adds the common inputs (`device`, `identity`, `adopt`) and the
 * options every kind needs.
 */
import * as pulumi from "@pulumi/pulumi";

/** Inputs every routerstack resource takes. */
export interface CommonArgs {
  /** Key of the router in stack config `routerstack:devices`. Changing it replaces the resource. */
  device: pulumi.Input<string>;
  /**
   * Take over an existing device object found by its natural key (docs/resources.md lists each kind's) instead of
   * failing or duplicating it; writes only what differs, and destroy restores what was there. Default false.
   */
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

export class RouterstackResource extends pulumi.dynamic.Resource {
  /** The device's view of read-only properties (e.g. `active` for a route). */
  declare public readonly observed: pulumi.Output<Record<string, unknown>>;
  /** Hashes of secret inputs, stored as a secret; used to compare secrets without storing them. */
  declare public readonly secretHashes: pulumi.Output<Record<string, string>>;
  /**
   * With `adopt: true`, what the preview of the create found on the device: `{ found: "<id>" | false, changes:
   * { <field>: "<device> → <declared>" } }` (docs/existing-routers-adopt.md). Undefined once the resource exists.
   */
  declare public readonly adoption: pulumi.Output<{ found: string | false; changes: Record<string, string>; error?: string } | undefined>;

  /**
   * @param provider the kind's stub module (`sdk/stubs/<kind>`), whose `module.exports` is the stub object, so the
   *   serialized `__provider` is a one-line `require("routerstack/sdk/stubs/<kind>")`.
   * @param secretInputs the kind's secret inputs: their outputs are secret too.
   */
  constructor(
    provider: pulumi.dynamic.ResourceProvider,
    typeName: string,
    secretInputs: readonly string[],
    name: string,
    args: object,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      provider,
      name,
      { ...args, identity: identityOf(name), observed: undefined, secretHashes: undefined, adoption: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["secretHashes", ...secretInputs] }),
      "routerstack",
      typeName,
    );
  }
}

/** Every input is also an output, as the device holds it after the last `up` or refresh. */
export type Outputs<A> = { readonly [K in keyof A]-?: pulumi.Output<pulumi.Unwrap<A[K]>> };

export type KindClass<A> = new (name: string, args: A, opts?: pulumi.CustomResourceOptions) => RouterstackResource & Outputs<A>;

/** The resource class of one kind: `new StaticRoute(name, args, opts)`. */
export function kindClass<A extends object>(provider: pulumi.dynamic.ResourceProvider, typeName: string, secretInputs: readonly string[] = []): KindClass<A> {
  return class extends RouterstackResource {
    constructor(name: string, args: A, opts?: pulumi.CustomResourceOptions) {
      super(provider, typeName, secretInputs, name, args, opts);
    }
  } as unknown as KindClass<A>;
}
