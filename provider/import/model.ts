/**
 * What an import produces before it becomes code: resources with their inputs as read, secrets replaced by
 * references to stack config, and notes on what was left out and why.
 */

/** A secret value's place in the program: `config.requireSecret(key)`. The value itself is never kept. */
export class SecretRef {
  /**
   * `suffix`: text the program appends to the secret (`pulumi.concat`). A file's content keeps its final newline
   * this way: `pulumi config set` drops the one a piped file ends with. `pipedFrom`: a shell command whose output
   * is the value, for the header's `… | pulumi config set --secret <key>` line (a file's content).
   */
  constructor(
    readonly key: string,
    readonly suffix = "",
    readonly pipedFrom?: string,
  ) {}
}

export type ImportValue = string | number | boolean | SecretRef | ImportValue[] | { [k: string]: ImportValue };

export interface ImportedResource {
  /** SDK namespace (`routeros` / `openwrt`) and class (`NatRule`). */
  platform: "routeros" | "openwrt";
  className: string;
  /** Pulumi resource name; unique in the program, stable across imports of the same device. */
  name: string;
  /** The kind's inputs (without `device` and `adopt`). */
  args: Record<string, ImportValue>;
  /** Where it came from, for a comment: `/ip/firewall/nat *1`, `network.lan`. */
  source: string;
}

export interface ImportResult {
  device: string;
  platform: "routeros" | "openwrt";
  resources: ImportedResource[];
  /** Objects not imported, one line each with the reason. */
  notes: string[];
}

/**
 * A resource-name fragment: lower case, runs of characters outside `[a-z0-9.]` become one `-`, at most 48
 * characters. The result fits the identity grammar's name part (`[A-Za-z0-9._-]+`, provider/routeros/identity-tag.ts).
 */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 48)
    .replace(/[-.]+$/, "");
  return s === "" ? "item" : s;
}

/** Hands out names, adding `-2`, `-3`… to repeats so two objects with the same key still get distinct names. */
export class NameBook {
  private readonly used = new Set<string>();

  take(base: string): string {
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}-${n}`;
    this.used.add(name);
    return name;
  }
}

/** The stack config key holding a secret input: `<resource name>-<field>`, kebab case. */
export function secretKey(resource: string, field: string): string {
  return `${resource}-${slug(field.replace(/([a-z0-9])([A-Z])/g, "$1-$2"))}`;
}
