#!/usr/bin/env node
/**
 * `routerstack kinds --json`: every typed kind, its menus and the device property names it accepts (kinds.ts).
 *
 * `routerstack import --device <key> [--stack <name>] [--out <file>]`: reads one device declared in the stack's
 * `routerstack:devices` and writes a Pulumi program (TypeScript) that adopts what it holds, so that the first
 * `pulumi up` changes nothing. Connects with the provider's own transport and device parsing
 * (provider/dynamic/devices.ts): host keys are pinned as configured. Exit codes: 0 done, 1 failed, 2 usage.
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { setDevicesConfig, deviceSpec, transportFor } from "../dynamic/devices";
import { closeAllDevices } from "../transport";
import { renderProgram } from "./codegen";
import type { ImportResult } from "./model";
import { importOpenWrt } from "./openwrt";
import { importRouterOs } from "./routeros";
import { kindListing } from "./kinds";
import { chooseStack, stackDevices } from "./stack";

const USAGE =
  "usage: routerstack import --device <stack config key> [--stack <name>] [--out <file>]\n" +
  "       routerstack kinds --json";

/** Imports device `key` of stack `stack` from project directory `dir`; resolves to the program text. */
export async function importDevice(opts: {
  dir: string;
  device: string;
  stack?: string;
}): Promise<{ program: string; result: ImportResult }> {
  const stack = chooseStack(opts.dir, opts.stack);
  setDevicesConfig(stackDevices(opts.dir, stack));
  const spec = deviceSpec(opts.device);
  const transport = transportFor(opts.device, spec.platform);
  const result =
    spec.platform === "routeros"
      ? await importRouterOs(transport, opts.device)
      : await importOpenWrt(transport, opts.device);
  const program = renderProgram([result], { command: `routerstack import --device ${opts.device} --stack ${stack}` });
  return { program, result };
}

export async function main(argv: string[]): Promise<number> {
  let values: { device?: string; stack?: string; out?: string; help?: boolean; json?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        device: { type: "string" },
        stack: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
        json: { type: "boolean" },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (positionals[0] === "kinds" && positionals.length === 1 && values.json && !values.device) {
    // Every typed kind, its menus and the device properties it accepts (per RouterOS version; OpenWrt: any).
    process.stdout.write(JSON.stringify(kindListing(), null, 2) + "\n");
    return 0;
  }
  if (positionals[0] !== "import" || positionals.length !== 1 || !values.device) {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  try {
    const { program, result } = await importDevice({ dir: process.cwd(), device: values.device, stack: values.stack });
    if (values.out) fs.writeFileSync(values.out, program);
    else process.stdout.write(program);
    process.stderr.write(
      `routerstack import: ${result.resources.length} resource(s) from ${result.device}, ${result.notes.length} note(s) on what was left out\n`,
    );
    return 0;
  } catch (e) {
    process.stderr.write(`routerstack import: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await closeAllDevices();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`routerstack import: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
