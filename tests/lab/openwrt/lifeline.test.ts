/**
 * The lab leaves nothing behind when its test runner is killed (issue 14): a lab started in a child process
 * (./lifeline-child.ts) that is then killed with SIGKILL — no exit handler runs — must take every lab process
 * (BIRD, dropbear, the host's init, a detached process started inside it) and its network namespace, links and
 * claim with it. Before: BIRD and dropbear kept running and the namespace stayed until the next lab start.
 * Needs root (the OpenWrt host) and the lab lock; skips with the reason otherwise, fails under CI=true.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describeIf } from "../../preconditions";
import { linkExists, netnsExists, pidsRootedAt } from "./netns";

const CHILD = path.join(__dirname, "lifeline-child.ts");

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

describeIf(
  process.getuid?.() === 0 ? undefined : "the OpenWrt lab host needs root (network namespaces, mounts, chroot)",
  "tests/lab/openwrt/lifeline.test.ts",
)("a killed test runner leaves no lab behind", () => {
  // SIGINT goes to the whole process group, as Ctrl-C in a terminal does (the test runner and whatever it started).
  for (const sig of ["SIGKILL", "SIGTERM", "SIGINT"] as const) {
    const toGroup = sig === "SIGINT";
    it(`${sig} to the ${toGroup ? "process group" : "process"} that started the lab: no lab process, namespace, link or claim remains`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-lifeline-"));
      const name = `ll${sig.slice(3, 4).toLowerCase()}${process.pid % 1000}`;
      // node itself (tsx as a loader, not the tsx CLI, which would run the script in a grandchild).
      const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir, name], {
        stdio: ["ignore", "pipe", "pipe"],
        cwd: path.join(__dirname, "..", "..", ".."),
        detached: toGroup,
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      try {
        const ready = await until(() => out.includes('"ready":true') || child.exitCode !== null, 60_000);
        expect({ ready, err: child.exitCode !== null ? err : "" }).toEqual({ ready: true, err: "" });
        const info = JSON.parse(out.trim().split("\n").pop()!) as { netns: string; rootDir: string };
        const links = ["m", "v", "w"].map((x) => `rs${name}${x}`);
        // Running: init, BIRD, dropbear and the detached sleep live in the lab's root.
        const cmdlines = () =>
          pidsRootedAt(info.rootDir).map((p) =>
            fs.readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ").trim(),
          );
        const before = cmdlines();
        for (const what of [/bird/, /dropbear/, /^sleep 600$/])
          expect({ what: String(what), before }).toEqual({
            what: String(what),
            before: expect.arrayContaining([expect.stringMatching(what)]),
          });
        expect(netnsExists(info.netns)).toBe(true);

        if (toGroup) process.kill(-child.pid!, sig);
        else child.kill(sig);
        const gone = await until(
          () =>
            pidsRootedAt(info.rootDir).length === 0 &&
            !netnsExists(info.netns) &&
            links.every((l) => !linkExists(l)) &&
            !fs.existsSync(`/run/routerstack-lab/${info.netns}`),
          10_000,
        );
        expect({
          gone,
          processes: cmdlines(),
          netns: netnsExists(info.netns),
          links: links.filter(linkExists),
          claim: fs.existsSync(`/run/routerstack-lab/${info.netns}`),
        }).toEqual({ gone: true, processes: [], netns: false, links: [], claim: false });
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
