/**
 * Read coalescing and write batching per device (issue 4), through the real scripts on a local device: counts
 * come from the commands the transport ran and the files the device holds.
 */
import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { kind as uciSection, type UciSectionInputs } from "../../../provider/resources/openwrt/uci-section";
import type { OpContext } from "../../../provider/resources/kind";
import type { ExecResult, InteractiveExec } from "../../../provider/transport/types";
import { deriveSectionName } from "../../../provider/openwrt/section-engine";
import { openwrtSettings } from "../../../provider/openwrt/settings";
import { runUciTransactionJobs } from "../../../provider/openwrt/uci-transaction";
import { ownershipDir } from "../../../provider/openwrt/uci-script";
import { parseUciShow } from "../../../provider/openwrt/uci-show-parser";
import { makeLocalDevice, type LocalDevice } from "./local-device";

const N = 50;
let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
});
afterEach(() => dev.cleanup());

const ctx = (name: string, adopt = false): OpContext => dev.ctx(name, adopt);
const rule = (i: number, port = 10000 + i, pkg = "firewall"): UciSectionInputs =>
  uciSection.schema.parse({
    package: pkg,
    type: "rule",
    options: { name: `rule-${i}`, src: "wan", dest_port: String(port), target: "ACCEPT" },
  });

/** What the transport ran since `from`: transactions (lock + batch), reads (no lock), reloads, anything else. */
function ran(from = 0) {
  const cmds = dev.transport.commands.slice(from);
  const transactions = cmds.filter((c) => c.includes("| rs_uci batch")).length;
  const reads = cmds.filter((c) => c.includes("rs_stage") && !c.includes("| rs_uci batch")).length;
  const reloads = cmds.filter((c) => / reload$/.test(c)).length;
  return { total: cmds.length, transactions, reads, reloads };
}

/** Committed sections of `pkg` by name (the device's own uci, not the provider's reader). */
function committed(pkg = "firewall") {
  return new Map(parseUciShow(dev.uci(`show ${pkg}`)).map((s) => [s.name, s]));
}

describe("read coalescing", () => {
  it(`${N} concurrent section reads are one exec, and each caller gets its own section`, async () => {
    const made = await Promise.all(
      Array.from({ length: N }, (_, i) => uciSection.driver.create(ctx(`r${i}`), rule(i))),
    );
    const from = dev.transport.commands.length;
    const seen = await Promise.all(made.map((m, i) => uciSection.driver.read(ctx(`r${i}`), m.id, rule(i))));
    expect(ran(from)).toEqual({ total: 1, transactions: 0, reads: 1, reloads: 0 });
    seen.forEach((s, i) => {
      expect(s?.id).toBe(`firewall.${deriveSectionName(`site/lab/r${i}`)}`);
      expect(s?.observed.inputs.options.dest_port).toBe(String(10000 + i));
    });
  });

  it("reads of several packages share the exec; a section that is gone reads as undefined", async () => {
    const fw = await uciSection.driver.create(ctx("fw"), rule(1));
    const nw = await uciSection.driver.create(
      ctx("nw"),
      uciSection.schema.parse({
        package: "network",
        type: "route",
        options: { interface: "lan", target: "203.0.113.0/24" },
      }),
    );
    const from = dev.transport.commands.length;
    const [a, b, gone] = await Promise.all([
      uciSection.driver.read(ctx("fw"), fw.id, rule(1)),
      uciSection.driver.read(ctx("nw"), nw.id, rule(1)),
      uciSection.driver.read(ctx("gone"), "network.rs_gone_00000000", rule(1)),
    ]);
    expect(ran(from)).toEqual({ total: 1, transactions: 0, reads: 1, reloads: 0 });
    expect(a?.observed.outputs).toMatchObject({ package: "firewall", type: "rule" });
    expect(b?.observed.outputs).toMatchObject({ package: "network", type: "route" });
    expect(gone).toBeUndefined();
  });

  it("reads arriving while a read is in flight wait and then share ONE exec", async () => {
    const { id } = await uciSection.driver.create(ctx("x"), rule(1));
    // Hold the first read's exec until released, and send more reads spread over several windows meanwhile.
    const exec = dev.transport.exec.bind(dev.transport);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first = true;
    dev.transport.exec = async (command, opts) => {
      if (first) {
        first = false;
        await held;
      }
      return exec(command, opts);
    };
    const from = dev.transport.commands.length;
    const reads: Array<Promise<unknown>> = [uciSection.driver.read(ctx("x"), id, rule(1))];
    for (let k = 0; k < 10; k++) {
      await new Promise((r) => setTimeout(r, 15));
      reads.push(uciSection.driver.read(ctx("x"), id, rule(1)));
    }
    release();
    const results = await Promise.all(reads);
    expect(results.every((r) => (r as { id: string }).id === id)).toBe(true);
    // the held first read, then everything that piled up behind it
    expect(ran(from).reads).toBe(2);
  });

  it("a package uci cannot show fails its own readers only", async () => {
    const { id } = await uciSection.driver.create(ctx("ok"), rule(1));
    fs.writeFileSync(path.join(dev.confDir, "broken"), "config x 'a'\n\toption y 'unterminated\n");
    const [ok, bad] = await Promise.allSettled([
      uciSection.driver.read(ctx("ok"), id, rule(1)),
      uciSection.driver.read(ctx("bad"), "broken.a", rule(1, 1, "broken")),
    ]);
    expect(ok.status).toBe("fulfilled");
    expect(bad.status).toBe("rejected");
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(
      /reading uci broken on device "dlink" failed: uci show broken failed \(rc 1\)/,
    );
  });
});

describe("write batching", () => {
  it(`${N} concurrent creates are ONE transaction and one reload; every section lands exactly once`, async () => {
    const made = await Promise.all(
      Array.from({ length: N }, (_, i) => uciSection.driver.create(ctx(`r${i}`), rule(i))),
    );
    expect(ran()).toEqual({ total: 2, transactions: 1, reads: 0, reloads: 1 });
    // dropbear (OpenWrt's SSH server) refuses exec commands over 9000 bytes: the script must not grow with N
    expect(Math.max(...dev.transport.commands.map((c) => Buffer.byteLength(c)))).toBeLessThan(9000);
    expect(dev.events()).toEqual(["firewall reload"]);
    const shown = committed();
    expect(shown.size).toBe(N);
    made.forEach((m, i) => {
      const s = shown.get(deriveSectionName(`site/lab/r${i}`));
      expect(s?.options).toEqual({ name: `rule-${i}`, src: "wan", dest_port: String(10000 + i), target: "ACCEPT" });
      expect(m.observed.inputs).toEqual(rule(i));
      expect(m.observed.outputs.adopted).toBe(false);
    });
    // each rule name once in the file: nothing applied twice
    const file = fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8");
    for (let i = 0; i < N; i++) expect(file.split(`option name 'rule-${i}'\n`).length - 1).toBe(1);
    // updates and deletes batch the same way; a no-op update writes nothing
    const before = fs.statSync(path.join(dev.confDir, "firewall")).ino;
    await Promise.all(made.map((m, i) => uciSection.driver.update(ctx(`r${i}`), m.id, rule(i), rule(i))));
    expect(fs.statSync(path.join(dev.confDir, "firewall")).ino).toBe(before);
    let from = dev.transport.commands.length;
    await Promise.all(made.map((m, i) => uciSection.driver.update(ctx(`r${i}`), m.id, rule(i), rule(i, 20000 + i))));
    expect(ran(from)).toMatchObject({ transactions: 1, reloads: 1 });
    expect([...committed().values()].map((s) => s.options.dest_port).sort()).toEqual(
      Array.from({ length: N }, (_, i) => String(20000 + i)).sort(),
    );
    from = dev.transport.commands.length;
    await Promise.all(made.map((m, i) => uciSection.driver.delete(ctx(`r${i}`), m.id, rule(i, 20000 + i))));
    expect(ran(from)).toMatchObject({ transactions: 1, reloads: 1 });
    expect(committed().size).toBe(0);
  });

  it("a job whose section already exists fails alone, naming itself; the others of the batch land", async () => {
    dev.uci(
      "batch",
      `set firewall.${deriveSectionName("site/lab/r7")}=rule\nset firewall.${deriveSectionName("site/lab/r7")}.name='admin'\ncommit firewall\n`,
    );
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => uciSection.driver.create(ctx(`r${i}`), rule(i))),
    );
    expect(ran().transactions).toBe(1);
    results.forEach((r, i) => {
      if (i === 7) {
        expect(r.status).toBe("rejected");
        expect(String((r as PromiseRejectedResult).reason)).toMatch(
          /^DeviceError: resource "site\/lab\/r7" on device "dlink": create failed: uci section firewall\.rs_r7_[0-9a-f]{8} already exists \(type rule\); set adopt: true/,
        );
      } else expect(r.status).toBe("fulfilled");
    });
    const shown = committed();
    expect(shown.size).toBe(10);
    expect(shown.get(deriveSectionName("site/lab/r7"))?.options).toEqual({ name: "admin" });
  });

  it("two jobs on the same section never share a transaction: the later one plans against the earlier one's result", async () => {
    const named = (port: number) =>
      uciSection.schema.parse({
        package: "firewall",
        name: "shared",
        type: "rule",
        options: { name: "shared", dest_port: String(port) },
      });
    const [a, b, c] = await Promise.allSettled([
      uciSection.driver.create(ctx("a"), named(1)),
      uciSection.driver.create(ctx("b"), named(2)),
      uciSection.driver.create(ctx("c"), rule(3)),
    ]);
    expect(a.status).toBe("fulfilled");
    expect(c.status).toBe("fulfilled");
    // as if run one after the other: b finds a's section and, without adopt, refuses it
    expect(String((b as PromiseRejectedResult).reason)).toMatch(
      /resource "site\/lab\/b" on device "dlink": create failed: uci section firewall\.shared already exists/,
    );
    expect(ran().transactions).toBe(2);
    expect(committed().get("shared")?.options.dest_port).toBe("1");
    // with adopt the later one takes the earlier one's section over and records what it found
    const [d, e] = await Promise.all([
      uciSection.driver.update(ctx("a"), (a as PromiseFulfilledResult<{ id: string }>).value.id, named(1), named(5)),
      uciSection.driver.create(ctx("e", true), named(6)),
    ]);
    expect(d.observed.inputs.options.dest_port).toBe("5");
    expect(e.observed.outputs.adoptedOriginal).toEqual({ type: "rule", options: { name: "shared", dest_port: "5" } });
    expect(committed().get("shared")?.options.dest_port).toBe("6");
  });

  it("a job whose read-back is wrong is dropped with its own error and the rest commit in the same exec", async () => {
    const s = openwrtSettings().uci;
    const outcomes = await runUciTransactionJobs(
      dev.transport,
      [
        {
          packages: ["network"],
          label: "job a",
          plan: () => [{ op: "set-section", package: "network", section: "a", type: "interface" }],
        },
        // `set` of an option of a missing section fails inside the batch, which still exits 0 (openwrt-uci.md §2.8); the job's
        // first command works, and must not be committed with the others
        {
          packages: ["network"],
          label: "job bad",
          plan: () => [
            { op: "set-section", package: "network", section: "half", type: "interface" },
            { op: "set", package: "network", section: "nosuch", option: "proto", value: "dhcp" },
          ],
        },
        {
          packages: ["firewall"],
          label: "job c",
          plan: () => [{ op: "set-section", package: "firewall", section: "c", type: "zone" }],
        },
      ],
      s,
    );
    expect(outcomes.map((o) => o.status)).toEqual(["done", "failed", "done"]);
    expect(String((outcomes[1] as { error: Error }).error.message)).toMatch(
      /^job bad: reverted, the read-back does not show the intended change: network\.nosuch is missing after the batch; uci said \(for the whole batch of 3 writes\): uci: Invalid argument/,
    );
    expect(
      outcomes
        .filter((o) => o.status === "done")
        .map((o) => (o as { result: { committed: boolean } }).result.committed),
    ).toEqual([true, true]);
    expect(ran()).toMatchObject({ total: 1, transactions: 1 });
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe("\nconfig interface 'a'\n\n");
    expect(fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8")).toBe("\nconfig zone 'c'\n\n");
    expect(fs.readdirSync(path.join(dev.root, "tmp"))).toEqual([]);
  });

  it("the retry round works with busybox sh as on a router", async () => {
    dev.cleanup();
    dev = makeLocalDevice("dlink", { busybox: true });
    const outcomes = await runUciTransactionJobs(
      dev.transport,
      [
        {
          packages: ["network"],
          plan: () => [
            { op: "set-section", package: "network", section: "half", type: "interface" },
            { op: "set", package: "network", section: "nosuch", option: "proto", value: "dhcp" },
          ],
        },
        {
          packages: ["network"],
          plan: () => [{ op: "set-section", package: "network", section: "b", type: "interface" }],
        },
      ],
      openwrtSettings().uci,
    );
    expect(outcomes.map((o) => o.status)).toEqual(["failed", "done"]);
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe("\nconfig interface 'b'\n\n");
  });

  it("a package whose commit fails fails its own jobs; jobs of the other packages land", async () => {
    // network is a dangling symlink into a missing directory: `readlink -f` fails, so its install does
    fs.rmSync(path.join(dev.confDir, "network"));
    fs.symlinkSync(path.join(dev.root, "missing/dir/network"), path.join(dev.confDir, "network"));
    const results = await Promise.allSettled([
      uciSection.driver.create(
        ctx("n"),
        uciSection.schema.parse({ package: "network", type: "route", options: { target: "203.0.113.0/24" } }),
      ),
      uciSection.driver.create(ctx("f"), rule(1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(
      /resource "site\/lab\/n" on device "dlink": create: uci commit failed for network/,
    );
    expect(ran().transactions).toBe(1);
    expect(committed().size).toBe(1);
    expect(dev.events()).toEqual(["firewall reload"]);
  });

  it("a cut before the decision fails every job of the batch with its own name and applies none; the retry lands each once", async () => {
    const interactive = dev.transport.interactive.bind(dev.transport);
    let cut = true;
    dev.transport.interactive = async (command, opts) => {
      const ix = await interactive(command, opts);
      if (!cut) return ix;
      cut = false;
      // the connection drops as the batch (the second write, after the ownership record names) is sent: the
      // script is killed (SIGHUP), the batch never arrives
      let writes = 0;
      return {
        ...ix,
        write: (data: string) => (++writes === 2 ? (ix as unknown as { kill(): void }).kill() : ix.write(data)),
      };
    };
    const first = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => uciSection.driver.create(ctx(`r${i}`), rule(i))),
    );
    first.forEach((r, i) => {
      expect(r.status).toBe("rejected");
      expect(String((r as PromiseRejectedResult).reason)).toContain(
        `resource "site/lab/r${i}" on device "dlink": create: the transaction script ended before "verify 1"`,
      );
    });
    expect(committed().size).toBe(0);
    const again = await Promise.all(
      Array.from({ length: 10 }, (_, i) => uciSection.driver.create(ctx(`r${i}`), rule(i))),
    );
    expect(again.every((r) => r.observed.outputs.adopted === false)).toBe(true);
    expect(committed().size).toBe(10);
    expect(ran().transactions).toBe(2);
  });

  it("a batch whose reply is lost after the commit: the retried creates recognise their own sections by the ownership records", async () => {
    const interactive = dev.transport.interactive.bind(dev.transport);
    let lose = true;
    dev.transport.interactive = async (command, opts) => {
      const ix = await interactive(command, opts);
      if (!lose) return ix;
      lose = false;
      const lost = (r: ExecResult): ExecResult => ({
        ...r,
        stdout: r.stdout.slice(0, r.stdout.indexOf(":committed@@")),
        code: null,
      });
      const wrapped: InteractiveExec = {
        ...ix,
        waitFor: (m) =>
          m.includes(":done@@") ? ix.done.then(() => Promise.reject(new Error("connection lost"))) : ix.waitFor(m),
        done: ix.done.then(lost),
      };
      return wrapped;
    };
    const first = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => uciSection.driver.create(ctx(`r${i}`), rule(i))),
    );
    expect(first.every((r) => r.status === "rejected")).toBe(true);
    expect(committed().size).toBe(10); // the commit ran
    expect(fs.readdirSync(ownershipDir(openwrtSettings().uci)).length).toBe(10);
    const again = await Promise.all(
      Array.from({ length: 10 }, (_, i) => uciSection.driver.create(ctx(`r${i}`), rule(i))),
    );
    expect(again.map((r) => r.observed.outputs.adopted)).toEqual(Array(10).fill(false));
    expect(committed().size).toBe(10);
  });
});

/** The admin's pending changes in /tmp/.uci (see uci-transaction.test.ts for why they live there). */
describe("a batch keeps the admin's pending changes pending", () => {
  const SAVEDIR = "/tmp/.uci";
  let pkg: string;
  let createdSavedir = false;
  beforeEach(() => {
    pkg = `rstest_${randomBytes(6).toString("hex")}`;
    if (!fs.existsSync(SAVEDIR)) {
      fs.mkdirSync(SAVEDIR, { mode: 0o755 });
      createdSavedir = true;
    }
    fs.writeFileSync(path.join(dev.confDir, pkg), "\nconfig interface 'lan'\n\toption proto 'dhcp'\n\n");
    dev.adminUci("batch", `set ${pkg}.lan.proto='static'\nset ${pkg}.adm=interface\n`);
  });
  afterEach(() => {
    fs.rmSync(path.join(SAVEDIR, pkg), { force: true });
    if (createdSavedir && fs.readdirSync(SAVEDIR).length === 0) fs.rmdirSync(SAVEDIR);
    createdSavedir = false;
  });

  it("20 creates in one transaction commit only their own sections", async () => {
    const delta = fs.readFileSync(path.join(SAVEDIR, pkg));
    const sec = (i: number) =>
      uciSection.schema.parse({ package: pkg, type: "interface", options: { proto: "none", metric: String(i) } });
    await Promise.all(Array.from({ length: 20 }, (_, i) => uciSection.driver.create(ctx(`i${i}`), sec(i))));
    expect(ran().transactions).toBe(1);
    const file = fs.readFileSync(path.join(dev.confDir, pkg), "utf8");
    expect(file).toContain("config interface 'lan'\n\toption proto 'dhcp'\n");
    expect(file).not.toContain("static");
    expect(file).not.toContain("'adm'");
    expect(file.split("config interface").length - 1).toBe(21);
    expect(fs.readFileSync(path.join(SAVEDIR, pkg))).toEqual(delta);
    expect(dev.adminUci(`changes ${pkg}`)).toBe(`${pkg}.lan.proto='static'\n${pkg}.adm='interface'\n`);
  });
});
