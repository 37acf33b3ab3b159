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
export type Inputs<T> = { [K in keyof T]: InputOf<T[K]> };

/**
 * Pulumi's input convention: a list input takes a promise/output of a list whose elements may themselves be
 * outputs (`[wg.name, "ether5"]`), `pulumi.Input<pulumi.Input<E>[]>`; any other value `pulumi.Input<V>`.
 * Distributes over unions, so an optional list stays optional.
 */
export type InputOf<V> = V extends readonly (infer E)[] ? pulumi.Input<pulumi.Input<E>[]> : pulumi.Input<V>;

/**
 * The identity that names this object on the device and in errors: `<project>/<stack>/<name>`, so two stacks
 * can share a router without touching each other's objects (dynamic providers never see the URN).
 */
export function identityOf(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/**
 * `args` with every input named in `secretInputs` wrapped with `pulumi.secret`: Pulumi keeps a secret input
 * encrypted in state only when the program made it secret (`additionalSecretOutputs` covers outputs only,
 * pulumi/pulumi#7910), so a password passed as a plain string would otherwise sit in state in plain text.
 * Absent inputs stay absent.
 */
export function withSecretInputs<A extends object>(args: A, secretInputs: readonly string[]): A {
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const k of secretInputs) if (out[k] !== undefined) out[k] = pulumi.secret(out[k]);
  return out as A;
}

/**
 * Outputs Pulumi must encrypt: the secret hashes, the kind's secret inputs, and what an adopted object was
 * (`adoptionRecord`, `adoptedOriginal`: an adopted BIRD file's content or section's options may hold secrets;
 * provider/core/adopted-id.ts).
 */
export function secretOutputNames(secretInputs: readonly string[]): string[] {
  return ["secretHashes", "adoptionRecord", "adoptedOriginal", ...secretInputs];
}

/**
 * @typeParam O the kind's `observed` shape (`<Class>Observed` in sdk/<platform>.generated.ts, from the schema its
 *   engine fills it by, provider/resources/observed.ts).
 */
export class RouterstackResource<O extends object = Record<string, unknown>> extends pulumi.dynamic.Resource {
  /** The device's view of read-only properties (e.g. `active` for a route), typed per kind. */
  declare public readonly observed: pulumi.Output<O>;
  /**
   * Hashes of secret inputs (`hmac-sha256:<hex>`), stored as a secret, with the resource's random HMAC key under
   * `#key`; used to compare secrets and see their drift. Keep it secret: with the key a short secret is brute-forced.
   */
  declare public readonly secretHashes: pulumi.Output<Record<string, string>>;
  /**
   * With `adopt: true`, what the preview of the create found on the device: `{ found: "<id>" | false, changes:
   * { <field>: "<device> → <declared>" } }` (docs/existing-routers-adopt.md). Undefined once the resource exists.
   */
  declare public readonly adoption: pulumi.Output<
    { found: string | false; changes: Record<string, string>; error?: string } | undefined
  >;
  /** With `adopt: true`: what the adopted object was (e.g. `{ type, options }` of a uci section), secret. */
  declare public readonly adoptedOriginal: pulumi.Output<Record<string, unknown> | undefined>;
  /** With `adopt: true`: the record destroy restores from (opaque, secret; kept out of the resource id). */
  declare public readonly adoptionRecord: pulumi.Output<string | undefined>;

  /**
   * @param provider the kind's stub module (`sdk/stubs/<kind>`), whose `module.exports` is the stub object, so the
   *   serialized `__provider` is a one-line `require("routerstack/sdk/stubs/<kind>")`.
   * @param secretInputs the kind's secret inputs: wrapped with `pulumi.secret`, and their outputs are secret too.
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
      {
        ...withSecretInputs(args, secretInputs),
        identity: identityOf(name),
        observed: undefined,
        secretHashes: undefined,
        adoption: undefined,
        adoptedOriginal: undefined,
        adoptionRecord: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: secretOutputNames(secretInputs) }),
      "routerstack",
      typeName,
    );
  }
}

/** Every input is also an output, as the device holds it after the last `up` or refresh. */
export type Outputs<A> = { readonly [K in keyof A]-?: pulumi.Output<pulumi.Unwrap<A[K]>> };

export type KindClass<A, O extends object = Record<string, unknown>> = (new (
  name: string,
  args: A,
  opts?: pulumi.CustomResourceOptions,
) => RouterstackResource<O> & Outputs<A>) & {
  /** The kind's secret inputs (its `secrets`, provider/resources/<platform>/): wrapped with `pulumi.secret`. */
  readonly secretInputs: readonly string[];
};

/** The resource class of one kind: `new StaticRoute(name, args, opts)`. */
export function kindClass<A extends object, O extends object = Record<string, unknown>>(
  provider: pulumi.dynamic.ResourceProvider,
  typeName: string,
  secretInputs: readonly string[] = [],
  /** Further wrapping of inputs whose secrecy depends on their value (UciSection's `options`). */
  secretArgs: (args: A) => A = (a) => a,
): KindClass<A, O> {
  return class extends RouterstackResource<O> {
    static readonly secretInputs = secretInputs;
    constructor(name: string, args: A, opts?: pulumi.CustomResourceOptions) {
      super(provider, typeName, secretInputs, name, secretArgs(args), opts);
    }
  } as unknown as KindClass<A, O>;
}
