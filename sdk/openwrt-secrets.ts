/**
 * OpenWrt inputs made secret by their value rather than by name (the kind registry's `sdkSecretArgs`,
 * provider/resources/registry.ts); sdk/openwrt.generated.ts passes them to `kindClass`.
 */
import * as pulumi from "@pulumi/pulumi";
import { isConventionalSecretOption } from "../provider/resources/secret-names";
import type { UciSectionArgs } from "./openwrt.generated";

/**
 * A UciSection's args with `options` made a Pulumi secret when one of its options is secret (by convention,
 * provider/resources/secret-names.ts, or named in `secretOptions`): uci options are one input, so the whole map
 * is encrypted in state rather than a wifi `key` kept in plain text.
 */
export function uciSectionSecrets(args: UciSectionArgs): UciSectionArgs {
  if (args.options === undefined) return args;
  const options = pulumi.all([args.options, args.secretOptions ?? []]).apply(([o, extra]) => {
    const names = Object.keys(o ?? {});
    return names.some((n) => isConventionalSecretOption(n) || (extra as string[]).includes(n))
      ? pulumi.secret(o)
      : pulumi.output(o);
  });
  return { ...args, options: options as UciSectionArgs["options"] };
}
