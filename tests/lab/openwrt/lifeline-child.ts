/**
 * Child process of tests/lab/openwrt/lifeline.test.ts: starts a whole lab (RouterOS emulator and OpenWrt host) in
 * `process.argv[2]` under the name `process.argv[3]`, starts a background process inside the OpenWrt host as a
 * test would (detached, like the lock-out guard's revert), prints one JSON line describing what it started, and
 * then waits to be killed.
 */
import * as fs from "fs";
import * as path from "path";
import { startLab } from "../lab";

async function main(): Promise<void> {
  const [dir, name] = process.argv.slice(2);
  const lab = await startLab({ dir, name });
  const bg = await lab.dlink.exec("setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!");
  if (bg.code !== 0) throw new Error(`background process: ${bg.stderr}`);
  const rootDir = path.join(fs.realpathSync(path.join(dir, "dlink")), "root");
  process.stdout.write(JSON.stringify({ netns: lab.dlink.netns, rootDir, ready: true }) + "\n");
  setInterval(() => undefined, 1 << 30);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
