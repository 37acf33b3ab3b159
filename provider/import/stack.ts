/**
 * The stack file the importer reads devices from: `Pulumi.<stack>.yaml` in the project directory, key
 * `config: routerstack:devices` (README "Devices"). js-yaml is the parser @pulumi/pulumi itself depends on.
 */
import * as fs from "fs";
import * as path from "path";

type Yaml = { load(text: string): unknown };
function yaml(): Yaml {
  // Resolved from @pulumi/pulumi's own dependencies at run time, so the importer adds no YAML parser of its own.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve("js-yaml", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] })) as Yaml;
}

/** The stacks of a project directory: the `<stack>` of every `Pulumi.<stack>.yaml` (or `.yml`). */
export function stacksIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .flatMap((f) => {
      const m = /^Pulumi\.(.+)\.ya?ml$/.exec(f);
      return m ? [m[1]] : [];
    })
    .sort();
}

/** The stack to use: the one named, else the only one in `dir`; throws Error listing them otherwise. */
export function chooseStack(dir: string, named?: string): string {
  const stacks = stacksIn(dir);
  if (named !== undefined) {
    if (!stacks.includes(named))
      throw new Error(`no Pulumi.${named}.yaml in ${dir} (stacks: ${stacks.join(", ") || "none"})`);
    return named;
  }
  if (stacks.length === 1) return stacks[0];
  if (stacks.length === 0) throw new Error(`no Pulumi.<stack>.yaml in ${dir}: run in the Pulumi project directory`);
  throw new Error(`several stacks in ${dir}: ${stacks.join(", ")}; choose one with --stack <name>`);
}

/** Paths of `secure:` values inside `v` (`crs.password`). */
function securePaths(v: unknown, at: string[] = []): string[] {
  if (v === null || typeof v !== "object") return [];
  if (!Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v) return [at.join(".")];
  return Object.entries(v).flatMap(([k, x]) => securePaths(x, [...at, k]));
}

/** The `routerstack:devices` value of a stack. Throws Error naming the file when it is missing or encrypted. */
export function stackDevices(dir: string, stack: string): Record<string, unknown> {
  const file = ["yaml", "yml"].map((e) => path.join(dir, `Pulumi.${stack}.${e}`)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no Pulumi.${stack}.yaml in ${dir}`);
  const doc = (yaml().load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const devices = doc.config?.["routerstack:devices"];
  if (devices === undefined || devices === null || typeof devices !== "object") {
    throw new Error(`${path.basename(file)} has no config "routerstack:devices"`);
  }
  const secure = securePaths(devices);
  if (secure.length > 0) {
    // Decrypting needs the stack's secrets provider; the importer only reads the file.
    throw new Error(
      `${path.basename(file)}: routerstack:devices.${secure[0]} is a secure value, which the importer cannot decrypt; ` +
        `connect with a key file (privateKeyFile) for the import`,
    );
  }
  return devices as Record<string, unknown>;
}
