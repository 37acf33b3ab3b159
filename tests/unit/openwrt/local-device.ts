/**
 * A DeviceTransport that runs the provider's scripts with the local /bin/sh in a scratch tree, so the real
 * script text is exercised: uci is the lab's stand-in (tests/lab/openwrt/uci/uci.js, run as `uci` with
 * POSIXLY_CORRECT=1), `lock` is the lab's stand-in for OpenWrt's busybox applet (pointed at this host's
 * flock), `bird` is the host's real BIRD 2 (`-p` only), `birdc` and the init.d scripts are recorders.
 * The stand-in's compiled-in default savedir is the host's absolute /tmp/.uci (not inside the root), so `uci()`
 * keeps its deltas in the device's own <root>/tmp/.uci (`-t`), removed with the root; only `adminUci()` writes to
 * the host's /tmp/.uci, for the tests of an admin's pending changes there (the provider's scripts look there:
 * provider/openwrt/uci-script.ts DEFAULT_UCI_SAVEDIR).
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type {
  DeviceSpec,
  DeviceTransport,
  ExecOptions,
  ExecResult,
  InteractiveExec,
} from "../../../provider/transport/types";
import type { OpContext } from "../../../provider/resources/kind";
import { parseUciShow, type UciShowSection } from "../../../provider/openwrt/uci-show-parser";
import { setOpenwrtSettings } from "../../../provider/openwrt/settings";
import { ReloadCoordinator } from "../../../provider/openwrt/reloads";

const REPO = path.resolve(__dirname, "../../..");
const UCI_JS = path.join(REPO, "tests/lab/openwrt/uci/uci.js");
const LAB_LOCK = path.join(REPO, "tests/lab/openwrt/rootfs/bin/lock");

export interface LocalDevice {
  root: string;
  confDir: string;
  transport: DeviceTransport & { commands: string[] };
  /** Lines of the reload/configure log, e.g. `network reload`, `birdc configure`. */
  events(): string[];
  /**
   * Runs the stand-in uci directly (for setup, out-of-band changes and inspection), in the device's confdir, with
   * its deltas in the device's own savedir <root>/tmp/.uci.
   */
  uci(args: string, stdin?: string): string;
  /**
   * Runs uci as the router's admin does, without `-t`: pending changes land in uci's compiled-in default savedir,
   * the host's /tmp/.uci. A test that uses it removes what it put there.
   */
  adminUci(args: string, stdin?: string): string;
  /** The OpContext of resource "site/lab/<name>" on this device. */
  ctx(name: string, adopt?: boolean): OpContext;
  /** The committed package as `uci show` prints it, parsed. */
  sections(pkg: string): UciShowSection[];
  /** One section of `sections(pkg)` by name. */
  section(pkg: string, name: string): UciShowSection | undefined;
  /** Commits an out-of-band change as an admin would (`uci batch` of `lines`, then `commit <pkg>`). */
  outOfBand(lines: string[], pkg: string): string;
  /** Makes `birdc configure` fail with this message (undefined: succeed). */
  failBirdc(message?: string): void;
  /** Makes `/etc/init.d/<svc> reload` fail with this message. */
  failReload(svc: string, message?: string): void;
  cleanup(): void;
}

function sh(shell: string, command: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(shell, ["-c", command], { env });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ stdout, stderr, code }));
    p.stdin.on("error", () => undefined);
    p.stdin.end(stdin ?? "");
  });
}

export interface LocalDeviceOptions {
  /**
   * Run the scripts with the host's busybox `sh` and its applets first on PATH (cp, mv, mktemp, readlink, …), as
   * on a router, instead of /bin/sh and the host's GNU tools.
   */
  busybox?: boolean;
}

export function makeLocalDevice(name = "dlink", options: LocalDeviceOptions = {}): LocalDevice {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rs-owrt-"));
  const bin = path.join(root, "bin");
  const confDir = path.join(root, "etc/config");
  for (const d of [
    bin,
    confDir,
    path.join(root, "etc/init.d"),
    path.join(root, "etc/rc.d"),
    path.join(root, "tmp"),
    path.join(root, "var/lock"),
    path.join(root, "var/run"),
  ])
    fs.mkdirSync(d, { recursive: true });
  const log = path.join(root, "events.log");
  fs.writeFileSync(log, "");
  const write = (p: string, text: string) => fs.writeFileSync(p, text, { mode: 0o755 });
  write(path.join(bin, "uci"), `#!/bin/sh\nPOSIXLY_CORRECT=1 exec node ${UCI_JS} "$@"\n`);
  write(
    path.join(bin, "lock"),
    fs.readFileSync(LAB_LOCK, "utf8").replace("FLOCK=/host/usr/bin/flock", "FLOCK=/usr/bin/flock"),
  );
  write(path.join(bin, "bird"), `#!/bin/sh\nexec /usr/sbin/bird "$@"\n`);
  write(
    path.join(bin, "birdc"),
    [
      "#!/bin/sh",
      `if [ -f ${root}/birdc.fail ]; then cat ${root}/birdc.fail; exit 1; fi`,
      `echo "birdc $*" >> ${log}`,
      `echo "Reading configuration from ${root}/etc/bird.conf"`,
      "echo Reconfigured",
    ].join("\n") + "\n",
  );
  // dnsmasq and odhcpd read /etc/config/dhcp; system and log read /etc/config/system (network-rule-dhcp-system.test.ts).
  for (const svc of ["network", "firewall", "dnsmasq", "odhcpd", "system", "log"]) {
    write(
      path.join(root, "etc/init.d", svc),
      [
        "#!/bin/sh",
        `if [ -f ${root}/${svc}.fail ]; then cat ${root}/${svc}.fail >&2; exit 1; fi`,
        `echo "${svc} $1" >> ${log}`,
      ].join("\n") + "\n",
    );
  }
  for (const pkg of ["network", "firewall"]) fs.writeFileSync(path.join(confDir, pkg), "");
  let shell = "/bin/sh";
  let pathDirs = `${bin}:${process.env.PATH}`;
  if (options.busybox) {
    const busybox = fs.realpathSync(execFileSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" }).trim());
    const bb = path.join(root, "busybox");
    fs.mkdirSync(bb);
    for (const applet of execFileSync(busybox, ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean)) {
      fs.symlinkSync(busybox, path.join(bb, applet));
    }
    shell = path.join(bb, "sh");
    pathDirs = `${bin}:${bb}:${process.env.PATH}`;
  }
  const env = { ...process.env, PATH: pathDirs, POSIXLY_CORRECT: "1" };
  const spec: DeviceSpec = { name, platform: "openwrt", host: "local", port: 22, username: "root" };
  const commands: string[] = [];

  const transport: DeviceTransport & { commands: string[] } = {
    spec,
    commands,
    exec(command: string, opts?: ExecOptions) {
      commands.push(command);
      return sh(shell, command, env, opts?.stdin);
    },
    async interactive(command: string): Promise<InteractiveExec> {
      commands.push(command);
      const p = spawn(shell, ["-c", command], { env });
      let stdout = "";
      let stderr = "";
      const waiters: Array<{ marker: string; resolve(s: string): void }> = [];
      p.stdout.on("data", (d) => {
        stdout += d;
        for (const w of [...waiters]) {
          if (stdout.includes(w.marker)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(stdout);
          }
        }
      });
      p.stderr.on("data", (d) => (stderr += d));
      p.stdin.on("error", () => undefined);
      let settle!: (r: ExecResult) => void;
      const done = new Promise<ExecResult>((resolve) => (settle = resolve));
      p.on("close", (code) => settle({ stdout, stderr, code }));
      return {
        write: (data) => p.stdin.write(data),
        end: () => p.stdin.end(),
        waitFor: (marker) =>
          stdout.includes(marker)
            ? Promise.resolve(stdout)
            : new Promise((resolve) => waiters.push({ marker, resolve })),
        done,
        // Test hook: the connection drops. As with sshd closing a session: the script reads EOF on stdin and
        // gets SIGHUP, its output goes nowhere, and the client sees the channel end at once with no exit
        // status, whatever the script's children still do (they finish and release the lock on their own).
        ...({
          kill: () => {
            settle({ stdout, stderr, code: null });
            p.stdout.removeAllListeners("data");
            p.stderr.removeAllListeners("data");
            p.stdout.resume();
            p.stderr.resume();
            p.stdin.end();
            p.kill("SIGHUP");
          },
        } as object),
      } as InteractiveExec;
    },
    stats: () => ({ handshakes: 0, execs: commands.length, bytesSent: 0 }),
    close: async () => undefined,
  };

  setOpenwrtSettings(
    {
      uci: { confDir, stateDir: path.join(root, "root/.routerstack"), tmpDir: path.join(root, "tmp") },
      birdConf: path.join(root, "etc/bird.conf"),
      birdDir: path.join(root, "etc/bird.d"),
      birdSocket: path.join(root, "var/run/bird.ctl"),
      initDir: path.join(root, "etc/init.d"),
      rcDir: path.join(root, "etc/rc.d"),
      coordinator: new ReloadCoordinator({ windowMs: 20 }),
    },
    true,
  );

  const saveDir = path.join(root, "tmp/.uci");
  const runUci = (args: string, stdin?: string) =>
    execFileSync("/bin/sh", ["-c", `uci -c ${confDir} ${args}`], { env, input: stdin ?? "", encoding: "utf8" });
  const sections = (pkg: string) => parseUciShow(runUci(`-t ${saveDir} show ${pkg}`));

  return {
    root,
    confDir,
    transport,
    events: () => fs.readFileSync(log, "utf8").split("\n").filter(Boolean),
    uci: (args, stdin) => runUci(`-t ${saveDir} ${args}`, stdin),
    adminUci: (args, stdin) => runUci(args, stdin),
    ctx: (id, adopt = false) => ({
      transport,
      device: name,
      identity: `site/lab/${id}`,
      label: `resource "site/lab/${id}" on device "${name}"`,
      adopt,
    }),
    sections,
    section: (pkg, id) => sections(pkg).find((s) => s.name === id),
    outOfBand: (lines, pkg) => runUci(`-t ${saveDir} batch`, `${lines.join("\n")}\ncommit ${pkg}\n`),
    failBirdc(message) {
      const f = path.join(root, "birdc.fail");
      if (message === undefined) fs.rmSync(f, { force: true });
      else fs.writeFileSync(f, message);
    },
    failReload(svc, message) {
      const f = path.join(root, `${svc}.fail`);
      if (message === undefined) fs.rmSync(f, { force: true });
      else fs.writeFileSync(f, message);
    },
    cleanup() {
      fs.rmSync(root, { recursive: true, force: true });
      setOpenwrtSettings({}, true);
    },
  };
}
