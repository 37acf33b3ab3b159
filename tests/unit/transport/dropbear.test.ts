/**
 * One round trip against a real dropbear (OpenWrt's SSH server), run on 127.0.0.1 as a child process with
 * its own host key (reference/openwrt-uci.md §3). Dropbear authenticates root from /root/.ssh, so the
 * child runs in a private mount namespace with a temporary directory bound over /root: the machine's own
 * /root is never touched. Skipped, with the reason printed, without dropbear, root or `unshare`; under CI=true that is a failure
 * (tests/preconditions.ts).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAllDevices, openDevice } from "../../../provider/transport";
import type { DeviceSpec } from "../../../provider/transport/types";
import { makeKey } from "./ssh-server-fixture";
import { describeIf } from "../../preconditions";

const DROPBEAR = "/usr/sbin/dropbear";
const DROPBEARKEY = "/usr/bin/dropbearkey";

let child: ChildProcess | undefined;
let spec: DeviceSpec;
let stderr = "";

function whyUnavailable(): string | undefined {
  if (!existsSync(DROPBEAR) || !existsSync(DROPBEARKEY))
    return `${DROPBEAR} or ${DROPBEARKEY} is not installed (Debian package dropbear-bin)`;
  if (process.getuid?.() !== 0) return "dropbear must start as root to authenticate a user";
  if (spawnSync("unshare", ["-m", "true"]).status !== 0)
    return "`unshare -m` is not permitted here (needed to give dropbear a private /root)";
  return undefined;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitForListener(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    if (child?.exitCode !== null) throw new Error(`dropbear exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dropbear did not listen on ${port}: ${stderr}`);
}

const run = describeIf(whyUnavailable(), "tests/unit/transport/dropbear.test.ts");

run("a real dropbear", () => {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "rs-dropbear-"));
    const home = join(dir, "root");
    mkdirSync(join(home, ".ssh"), { recursive: true, mode: 0o700 });
    chmodSync(home, 0o700);
    const userKey = makeKey();
    writeFileSync(join(home, ".ssh", "authorized_keys"), `${userKey.public}\n`, { mode: 0o600 });
    const hostKeyFile = join(dir, "dropbear_ed25519_host_key");
    spawnSync(DROPBEARKEY, ["-t", "ed25519", "-f", hostKeyFile], { encoding: "utf8" });
    const pubLine = spawnSync(DROPBEARKEY, ["-y", "-f", hostKeyFile], { encoding: "utf8" })
      .stdout.split("\n")
      .find((l) => l.startsWith("ssh-ed25519 "));
    if (!pubLine) throw new Error("dropbearkey -y printed no ssh-ed25519 line");
    const port = await freePort();
    child = spawn(
      "unshare",
      [
        "-m",
        "sh",
        "-c",
        `mount --bind "$1" /root && exec ${DROPBEAR} -F -E -s -p 127.0.0.1:${port} -r "$2" -P "$3"`,
        "sh",
        home,
        hostKeyFile,
        join(dir, "pid"),
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    await waitForListener(port);
    // Pinned with the public-key line dropbearkey prints, typed, so only ssh-ed25519 is negotiated.
    spec = {
      name: "dlink",
      platform: "openwrt",
      host: "127.0.0.1",
      port,
      username: "root",
      privateKey: userKey.private,
      hostKeys: [pubLine],
      timeoutSeconds: 10,
    };
  });

  afterAll(async () => {
    await closeAllDevices();
    if (child && child.exitCode === null) child.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs commands on a real dropbear: output, stderr, exit code, stdin, one connection (sequential)", async () => {
    const t = openDevice(spec);
    await expect(t.exec("echo hello; echo oops >&2; exit 7")).resolves.toEqual({
      stdout: "hello\n",
      stderr: "oops\n",
      code: 7,
    });
    await expect(t.exec("wc -c", { stdin: "z".repeat(100_000) })).resolves.toMatchObject({
      stdout: expect.stringMatching(/^\s*100000\s*$/),
      code: 0,
    });
    await expect(t.exec("printf 'é€'")).resolves.toMatchObject({ stdout: "é€" });
    const session = await t.interactive(`read a; echo "got $a"; read b; echo "got $b"`);
    session.write("one\n");
    await expect(session.waitFor("got one")).resolves.toContain("got one");
    session.write("two\n");
    session.end();
    await expect(session.done).resolves.toMatchObject({ stdout: "got one\ngot two\n", code: 0 });
    expect(t.stats()).toMatchObject({ handshakes: 1, execs: 4, mode: "sequential" });
  });

  it("rejects a wrong pin against dropbear before authentication", async () => {
    const mark = stderr.length;
    const err = await openDevice({ ...spec, hostKeys: [makeKey().fingerprint] })
      .exec("true")
      .catch((e: Error & { kind?: string }) => e);
    expect((err as { kind?: string }).kind).toBe("host-key");
    for (let i = 0; i < 40 && !stderr.slice(mark).includes("Exit before auth"); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(stderr.slice(mark)).toContain("Exit before auth");
    expect(stderr.slice(mark)).not.toMatch(/auth succeeded|Bad password|Pubkey auth/);
  });
});
