/**
 * Builds the OpenWrt-like host's own root tree on disk (DESIGN.md "The lab").
 *
 * Layout (paths inside the lab root):
 * - /bin, /sbin, /usr/bin, /usr/sbin: busybox applet links (`busybox --list-full`), so commands behave
 *   like a router's busybox and GNU-only flags fail; plus the files of ./rootfs (the lab's stand-ins:
 *   /sbin/uci, /sbin/ifup, /sbin/ifdown, /bin/lock, /usr/sbin/bird, /usr/sbin/birdc) and links to the
 *   test machine's dropbear and nft. Mounted read-only at boot, like a router's squashfs.
 * - /host: the test machine's / (bind-mounted read-only at boot); /lib, /lib64, /usr/lib and /usr/share
 *   point into it so the dynamic loader finds the host's libraries. It is never on PATH.
 * - /etc: OpenWrt 23.05-like starting configs (./rootfs/etc), passwd/shadow, dropbear host keys,
 *   /etc/rc.d links as `/etc/init.d/<name> enable` would make them.
 * - /root (home, authorized_keys), /tmp (/var links to it, as on OpenWrt), /dev, /proc, /sys (mounted
 *   at boot).
 * - /usr/libexec/routerstack-lab: the lab's own plumbing (journal mount point, the real uci, env.sh).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const TEMPLATE_DIR = path.join(__dirname, "rootfs");
export const LAB_LIBEXEC = "usr/libexec/routerstack-lab";

/** The uci that /sbin/uci runs: the stand-in under node, or an executable (ROUTERSTACK_LAB_UCI). */
export type UciProgram = { kind: "node-script"; node: string; script: string } | { kind: "executable"; path: string };

export interface RootfsOptions {
  rootDir: string;
  authorizedKeys: string[];
  /** crypt(3) hash for root, or undefined for key-only login. */
  rootPasswordHash?: string;
  uci: UciProgram;
  /** dropbear host key files on the test machine (dropbearkey format). */
  hostKeys: { ed25519: string; rsa: string };
  /** Sourced by the stand-ins: LAB_LISTEN, LAB_DROPBEAR_FLAGS. */
  env: Record<string, string>;
}

/** /etc/rc.d as OpenWrt's `enable` creates it from each init script's START/STOP. */
const RC_D_LINKS: Record<string, string> = {
  S19firewall: "firewall",
  S20network: "network",
  K90network: "network",
  S70bird: "bird",
};

/** Paths (relative to the root) that hold executables, for copying the template with the right mode. */
function isExecutablePath(rel: string): boolean {
  return (
    /^(bin|sbin|usr\/sbin|usr\/bin)\//.test(rel) ||
    rel.startsWith("etc/init.d/") ||
    rel === "etc/rc.common" ||
    rel === `${LAB_LIBEXEC}/init`
  );
}

/** Host path as seen from inside the lab root. */
export function viaHost(p: string): string {
  return path.posix.join("/host", p);
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function symlink(target: string, at: string): void {
  fs.rmSync(at, { force: true });
  fs.symlinkSync(target, at);
}

function write(at: string, body: string, mode: number): void {
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.rmSync(at, { force: true });
  fs.writeFileSync(at, body, { mode });
  fs.chmodSync(at, mode);
}

function copyTemplate(from: string, to: string, rel = ""): void {
  for (const entry of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    const src = path.join(from, r);
    const dst = path.join(to, r);
    if (entry.isDirectory()) {
      fs.mkdirSync(dst, { recursive: true });
      copyTemplate(from, to, r);
    } else if (entry.isSymbolicLink()) {
      symlink(fs.readlinkSync(src), dst);
    } else {
      write(dst, fs.readFileSync(src, "utf8"), isExecutablePath(r) ? 0o755 : 0o644);
    }
  }
}

/** Refuses to touch a root tree that something still has mounted (only possible after a crash). */
function assertNothingMountedUnder(dir: string): void {
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n");
  for (const line of mounts) {
    const mountPoint = line.split(" ")[4];
    if (mountPoint && (mountPoint === dir || mountPoint.startsWith(dir + "/"))) {
      throw new Error(`${mountPoint} is mounted in the test process's namespace; refusing to rebuild ${dir}`);
    }
  }
}

export function buildRootfs(o: RootfsOptions): void {
  const R = o.rootDir;
  assertNothingMountedUnder(R);
  fs.rmSync(R, { recursive: true, force: true });
  for (const d of [
    "bin",
    "sbin",
    "usr/bin",
    "usr/sbin",
    `${LAB_LIBEXEC}/uci-bin`,
    `${LAB_LIBEXEC}/journal`,
    "etc/config",
    "etc/init.d",
    "etc/rc.d",
    "etc/bird.d",
    "etc/dropbear",
    "etc/uci-defaults",
    "root/.ssh",
    "dev",
    "proc",
    "sys",
    "host",
    "mnt",
    "overlay",
    "www",
  ]) {
    fs.mkdirSync(path.join(R, d), { recursive: true, mode: 0o755 });
  }
  fs.mkdirSync(path.join(R, "tmp"), { mode: 0o1777 });
  fs.chmodSync(path.join(R, "tmp"), 0o1777);
  fs.chmodSync(path.join(R, "root"), 0o700);
  fs.chmodSync(path.join(R, "root/.ssh"), 0o700);
  symlink("tmp", path.join(R, "var"));

  // Libraries of the host's binaries (node, bird, dropbear, flock) through the read-only host mount.
  symlink("/host/lib", path.join(R, "lib"));
  symlink("/host/lib64", path.join(R, "lib64"));
  symlink("/host/usr/lib", path.join(R, "usr/lib"));
  symlink("/host/usr/share", path.join(R, "usr/share"));

  // busybox and its applets, at the paths busybox itself assigns them.
  const busybox = fs.realpathSync(execFileSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" }).trim());
  symlink(viaHost(busybox), path.join(R, "bin/busybox"));
  const applets = execFileSync(busybox, ["--list-full"], { encoding: "utf8" }).split("\n");
  for (const applet of applets) {
    if (!applet.includes("/") || applet === "bin/busybox") continue;
    symlink("/bin/busybox", path.join(R, applet));
  }

  // The lab's stand-ins and the starting configuration replace the applets of the same name.
  copyTemplate(TEMPLATE_DIR, R);
  for (const [link, script] of Object.entries(RC_D_LINKS))
    symlink(`../init.d/${script}`, path.join(R, "etc/rc.d", link));
  symlink("/host/usr/sbin/dropbear", path.join(R, "usr/sbin/dropbear"));
  symlink("/host/usr/bin/dropbearkey", path.join(R, "usr/bin/dropbearkey"));
  symlink("/host/usr/sbin/nft", path.join(R, "usr/sbin/nft"));

  // The real uci, found by /sbin/uci as `uci` on PATH.
  const uciAt = path.join(R, LAB_LIBEXEC, "uci-bin/uci");
  if (o.uci.kind === "executable") {
    symlink(viaHost(o.uci.path), uciAt);
  } else {
    write(
      uciAt,
      `#!/bin/sh\n# the lab's uci stand-in, run by the test machine's node\nexec ${shellQuote(viaHost(o.uci.node))} ${shellQuote(viaHost(o.uci.script))} "$@"\n`,
      0o755,
    );
  }
  write(
    path.join(R, LAB_LIBEXEC, "env.sh"),
    "# generated at host start by tests/lab/openwrt/rootfs.ts\n" +
      Object.entries(o.env)
        .map(([k, v]) => `${k}=${shellQuote(v)}\n`)
        .join(""),
    0o644,
  );

  // Accounts: root logs in with busybox ash, as on OpenWrt.
  write(
    path.join(R, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/ash\n" +
      "daemon:*:1:1:daemon:/var:/bin/false\n" +
      "ftp:*:55:55:ftp:/home/ftp:/bin/false\n" +
      "network:*:101:101:network:/var:/bin/false\n" +
      "nobody:*:65534:65534:nobody:/var:/bin/false\n",
    0o644,
  );
  // "*" (not empty as on a fresh OpenWrt) so that without rootPassword only keys can log in.
  write(
    path.join(R, "etc/shadow"),
    `root:${o.rootPasswordHash ?? "*"}:19000:0:99999:7:::\n` +
      "daemon:*:0:0:99999:7:::\nftp:*:0:0:99999:7:::\nnetwork:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\n",
    0o600,
  );
  const keys =
    o.authorizedKeys
      .map((k) => k.trim())
      .filter(Boolean)
      .join("\n") + "\n";
  // Debian's dropbear reads ~/.ssh/authorized_keys; OpenWrt's reads /etc/dropbear/authorized_keys for root.
  write(path.join(R, "root/.ssh/authorized_keys"), keys, 0o600);
  write(path.join(R, "etc/dropbear/authorized_keys"), keys, 0o600);
  // OpenWrt's host key file names.
  for (const [type, file] of Object.entries(o.hostKeys)) {
    const at = path.join(R, `etc/dropbear/dropbear_${type}_host_key`);
    fs.copyFileSync(file, at);
    fs.chmodSync(at, 0o600);
  }
}
