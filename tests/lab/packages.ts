/**
 * Debian packages the lab needs, and their installation.
 *
 * DESIGN.md "The lab": `npm run lab` installs missing Debian packages when run as root, with a
 * `policy-rc.d` that stops Debian from starting BIRD (and dropbear) on the host, and otherwise exits 2
 * naming them. Package names and versions as measured in reference/openwrt-uci.md §3 (dropbear-bin, not
 * `dropbear`, whose init script we do not want) and §4 (bird2).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Executable the lab runs → the Debian package that ships it. */
const REQUIRED: ReadonlyArray<{ exe: string; pkg: string }> = [
  { exe: "dropbear", pkg: "dropbear-bin" },
  { exe: "dropbearkey", pkg: "dropbear-bin" },
  { exe: "bird", pkg: "bird2" },
  { exe: "birdc", pkg: "bird2" },
  { exe: "busybox", pkg: "busybox-static" },
  { exe: "ip", pkg: "iproute2" },
  { exe: "nft", pkg: "nftables" },
  // util-linux is essential on Debian; listed so a stripped image still gets a clear message
  // (the OpenWrt host's `lock` stand-in, `unshare` and `nsenter` come from it).
  { exe: "flock", pkg: "util-linux" },
  { exe: "unshare", pkg: "util-linux" },
  { exe: "nsenter", pkg: "util-linux" },
  { exe: "setpriv", pkg: "util-linux" },
];

/** Directories searched regardless of the caller's PATH: sbin is often missing from a non-root PATH. */
const SEARCH_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

function findExecutable(exe: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":").filter(Boolean), ...SEARCH_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, exe);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Debian packages (deduplicated, sorted) whose executables are missing on this machine. */
export function missingLabPackages(): string[] {
  const missing = new Set<string>();
  for (const { exe, pkg } of REQUIRED) if (!findExecutable(exe)) missing.add(pkg);
  return [...missing].sort();
}

const POLICY_RC_D = "/usr/sbin/policy-rc.d";
/** Exit 101 = "action forbidden" (invoke-rc.d policy interface), so postinst scripts start no daemon. */
const POLICY_RC_D_BODY =
  "#!/bin/sh\n# written by routerstack's lab installer: keep Debian from starting bird/dropbear\nexit 101\n";

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
}

/**
 * Make sure every package the lab needs is installed.
 * As root, missing packages are installed with apt-get behind a temporary policy-rc.d (the previous
 * file, if any, is restored byte for byte afterwards). Not as root, throws an error naming the missing
 * Debian packages; the lab CLI turns it into exit status 2.
 */
export async function ensureLabPackages(): Promise<void> {
  const missing = missingLabPackages();
  if (missing.length === 0) return;
  if (!isRoot()) {
    throw new Error(
      `the lab needs these Debian packages, and installing them needs root: ${missing.join(" ")} ` +
        `(run: apt-get install -y --no-install-recommends ${missing.join(" ")})`,
    );
  }
  let previous: { body: Buffer; mode: number } | undefined;
  try {
    previous = { body: fs.readFileSync(POLICY_RC_D), mode: fs.statSync(POLICY_RC_D).mode & 0o7777 };
  } catch {
    previous = undefined;
  }
  fs.writeFileSync(POLICY_RC_D, POLICY_RC_D_BODY, { mode: 0o755 });
  fs.chmodSync(POLICY_RC_D, 0o755);
  try {
    run("apt-get", ["update"]);
    run("apt-get", ["install", "-y", "--no-install-recommends", ...missing]);
  } finally {
    if (previous) {
      fs.writeFileSync(POLICY_RC_D, previous.body);
      fs.chmodSync(POLICY_RC_D, previous.mode);
    } else {
      fs.rmSync(POLICY_RC_D, { force: true });
    }
  }
  const still = missingLabPackages();
  if (still.length > 0) throw new Error(`apt-get finished but these packages are still missing: ${still.join(" ")}`);
}
