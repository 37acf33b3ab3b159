/**
 * `npm run lab` — starts the local lab and converges the reference topology (root Pulumi project, stack `lab`)
 * onto it through the test engine.
 *
 *   npm run lab            converge, keep the lab running, print how to point `pulumi up` at it (Ctrl-C stops it)
 *   npm run lab -- --once  the acceptance run: up; up again (no-op); one out-of-band change per device;
 *                          preview --refresh (must show exactly those two); up (restores them); destroy; stop.
 *                          Exits 0 only if every count, taken from the devices, holds. Last line: one JSON object.
 *
 * Exit status 2: a Debian package the lab needs is missing and we are not root to install it.
 */
import * as fs from "fs";
import * as path from "path";
import { ensureLabPackages } from "./packages";
import { startLab, type Lab } from "./lab";
import { diffDumps } from "./dump-diff";
import { runEngine, type EngineResult } from "../engine";

const ROOT = path.resolve(__dirname, "..", "..");
const LAB_DIR = path.join(ROOT, ".lab");
const STACK = "lab";

function say(msg: string): void {
  process.stderr.write(msg + "\n");
}

/** The running lab's devices; the same as Pulumi.lab.yaml unless another lab holds the default addresses. */
let labDevices: Record<string, unknown> | undefined;

async function engine(
  op: "up" | "preview" | "refresh" | "destroy",
  stateFile: string,
  refresh = false,
): Promise<EngineResult> {
  const r = await runEngine(op, {
    programDir: ROOT,
    stack: STACK,
    stateFile,
    refresh,
    passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "routerstack-lab",
    configOverrides: labDevices ? { "routerstack:devices": labDevices } : undefined,
  });
  say(
    `${op}${refresh ? " --refresh" : ""}: ${JSON.stringify(r.counts)}${r.drift.length ? ` drift: ${r.drift.map((d) => `${d.name}(${d.diffs.join(",")})`).join(" ")}` : ""}`,
  );
  if (!r.ok) {
    say(r.errors.join("\n"));
    throw new Error(`${op} failed`);
  }
  return r;
}

/**
 * The two out-of-band changes of the acceptance run, one on each device: on the CRS a firewall rule moved by hand
 * (the LTE tcp-reset rule to the top of the filter list: a declared-order drift), on the D-Link a managed option.
 */
async function driftBothDevices(lab: Lab): Promise<void> {
  lab.crs.outOfBand(
    `/ip/firewall/filter/move [find where comment~"/fast-fail-lte-tcp "] [find where comment~"/fast-fail-gpon-tcp "]`,
  );
  const r = await lab.dlink.exec("uci set firewall.wwan.masq6=0 && uci commit firewall");
  if (r.code !== 0) throw new Error(`out-of-band change on dlink failed: ${r.stderr}`);
}

async function once(lab: Lab, stateFile: string): Promise<Record<string, number>> {
  const failures: string[] = [];
  const before = await lab.dump();
  await engine("up", stateFile);
  const converged = await lab.dump();
  const created = diffDumps(before, converged).filter((d) => d.change === "added").length;

  const w0 = await lab.writes();
  const second = await engine("up", stateFile);
  const w1 = await lab.writes();
  const secondUpChanges = w1.crs - w0.crs + (w1.dlink - w0.dlink);
  if (secondUpChanges !== 0) failures.push(`second up wrote ${secondUpChanges} times to the devices`);
  if (second.counts.create + second.counts.update + second.counts.replace + second.counts.delete !== 0) {
    failures.push(`second up planned changes: ${JSON.stringify(second.counts)}`);
  }

  await driftBothDevices(lab);
  const drifted = await lab.dump();
  const outOfBand = diffDumps(converged, drifted);
  const preview = await engine("preview", stateFile, true);
  const driftDetected = preview.counts.update + preview.counts.replace;
  if (driftDetected !== 2 || preview.drift.length !== 2) {
    failures.push(
      `preview --refresh showed ${driftDetected} changes and ${preview.drift.length} drifted resources, expected 2 (devices changed: ${outOfBand.map((d) => d.what).join("; ")})`,
    );
  }

  await engine("up", stateFile, true);
  const restoredDump = await lab.dump();
  const stillDifferent = diffDumps(converged, restoredDump);
  // One out-of-band change per device: restored when that device's dump is back to the converged one.
  const changedDevices = new Set(outOfBand.map((d) => d.device));
  const driftRestored = [...changedDevices].filter((dev) => !stillDifferent.some((d) => d.device === dev)).length;
  if (changedDevices.size !== 2)
    failures.push(`the out-of-band changes touched ${changedDevices.size} devices, expected 2`);
  if (stillDifferent.length) failures.push(`not restored: ${stillDifferent.map((d) => d.what).join("; ")}`);

  await engine("destroy", stateFile);
  const after = await lab.dump();
  const left = diffDumps(before, after);
  if (left.length) failures.push(`left after destroy: ${left.map((d) => `${d.change} ${d.what}`).join("; ")}`);
  if (created === 0) failures.push("nothing was created on the devices");

  for (const f of failures) say(`FAIL: ${f}`);
  return {
    created,
    secondUpChanges,
    driftDetected,
    driftRestored,
    leftAfterDestroy: left.length,
    failures: failures.length,
  };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  try {
    await ensureLabPackages();
  } catch (e) {
    say((e as Error).message);
    return 2;
  }
  fs.mkdirSync(LAB_DIR, { recursive: true });
  // "site": the CRS before the reference program, which creates the PPPoE uplink and the firewall rules itself.
  const lab = await startLab({ dir: LAB_DIR, crsPort: 2201, crsStartingConfig: "site" });
  labDevices = lab.devices;
  const usual = lab.crs.port === 2201 && lab.dlink.host === "198.51.100.2" && lab.dlink.port === 22;
  if (!usual)
    say(
      `note: the lab is not at the addresses Pulumi.lab.yaml names (crs ${lab.crs.host}:${lab.crs.port}, dlink ${lab.dlink.host}:${lab.dlink.port}); the test engine is told, the Pulumi CLI would not be`,
    );
  const stop = async () => {
    await lab.stop();
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  process.once("SIGTERM", () => void stop().then(() => process.exit(143)));
  try {
    if (args.includes("--once")) {
      const stateFile = path.join(LAB_DIR, "once-state.json");
      fs.rmSync(stateFile, { force: true });
      const result = await once(lab, stateFile);
      const { failures, ...counts } = result;
      process.stdout.write(JSON.stringify(counts) + "\n");
      return failures === 0 ? 0 : 1;
    }
    // The lab devices start from their starting configuration every time, so the previous state is stale.
    const stateFile = path.join(LAB_DIR, "state.json");
    fs.rmSync(stateFile, { force: true });
    await engine("up", stateFile);
    say(`
The lab is running (Ctrl-C stops it and leaves its state in ${LAB_DIR}).
  RouterOS emulator "crs":   ssh -p ${lab.crs.port} admin@${lab.crs.host}   (key ${path.join(LAB_DIR, "id_ed25519")})
  OpenWrt-like host "dlink": ssh root@${lab.dlink.host} -p ${lab.dlink.port}
Point Pulumi at it: the stack "lab" (Pulumi.lab.yaml) already names these devices, so with the Pulumi CLI
  export PULUMI_CONFIG_PASSPHRASE=routerstack-lab; pulumi login --local; pulumi stack select --create lab; pulumi up
or with the test engine that stands in for it here:
  npx tsx tests/engine/cli.ts up --cwd . --stack lab --state ${stateFile}
`);
    await new Promise(() => undefined);
    return 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    say(`lab failed: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
