/**
 * OpenWrt RemoteFile and Service (issue 6) against the local device stand-in (local-device.ts: the provider's real
 * scripts under the host's busybox sh in a scratch tree): create → a second apply changes nothing → an
 * out-of-band change is seen by read → update restores → delete leaves the tree as it was; adoption and restore;
 * secrecy of file content; reloads tied to `reloadOn`, coalesced; bad input refused by `check` naming the field
 * with no device I/O.
 * The `demo` init script below is a stand-in for an rc.common service, written from the managing_services page
 * (enable/disable make /etc/rc.d/S<START>/K<STOP> links, enabled tests the S link); its `running` action stands
 * for the procd helper of the same name [I].
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import type { OpContext } from "../../../provider/resources/kind";
import { kind as remoteFile, schema as fileSchema } from "../../../provider/resources/openwrt/remote-file";
import { kind as service, schema as serviceSchema } from "../../../provider/resources/openwrt/service";
import type { RemoteFileInputs } from "../../../provider/openwrt/remote-file-driver";
import type { ServiceInputs } from "../../../provider/openwrt/service-driver";
import { CANARY, SEED, hostileString } from "../fuzz/hostile";
import { makeLocalDevice, type LocalDevice } from "./local-device";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice("dlink", { busybox: true });
});
afterEach(() => dev.cleanup());

const ctx = (name: string, adopt = false): OpContext => dev.ctx(name, adopt);
const file = (raw: Record<string, unknown>) => fileSchema.parse(raw) as RemoteFileInputs;
const svc = (raw: Record<string, unknown>) => serviceSchema.parse(raw) as ServiceInputs;
const at = (p: string) => path.join(dev.root, p);
const modeOf = (p: string) => (fs.statSync(p).mode & 0o7777).toString(8).padStart(4, "0");
/** Every path under the root with its content or link target and mode: "the device" for before/after checks. */
function tree(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dev.root, p);
      if (rel === "busybox" || rel === "events.log") continue;
      if (e.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) walk(p);
      else out[rel] = `${modeOf(p)} ${fs.statSync(p).uid}:${fs.statSync(p).gid} ${fs.readFileSync(p, "utf8")}`;
    }
  };
  walk(dev.root);
  return out;
}
const writes = (from: number) =>
  dev.transport.commands.slice(from).filter((c) => /mktemp|chown|chmod|mv -f|rm -f|cp -p/.test(c));

describe("RemoteFile", () => {
  const keys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample admin@lab\n";

  it("create → no-op second apply → drift seen → update restores → delete leaves nothing", async () => {
    const p = at("etc/dropbear/authorized_keys");
    const before = tree();
    const inputs = file({ path: p, content: keys, mode: "0600" });
    const r = await remoteFile.driver.create(ctx("keys"), inputs);
    expect(r.id).toBe(`file:${p}`);
    expect(fs.readFileSync(p, "utf8")).toBe(keys);
    expect(modeOf(p)).toBe("0600");
    expect(r.observed.inputs).toEqual(inputs);

    const n = dev.transport.commands.length;
    expect((await remoteFile.driver.read(ctx("keys"), r.id, inputs))?.observed.inputs).toEqual(inputs);
    await remoteFile.driver.update(ctx("keys"), r.id, inputs, inputs);
    expect(writes(n)).toEqual([]);

    fs.writeFileSync(p, "edited by hand\n");
    fs.chmodSync(p, 0o644);
    const drift = await remoteFile.driver.read(ctx("keys"), r.id, inputs);
    expect(drift?.observed.inputs).toEqual({ ...inputs, content: "edited by hand\n", mode: "0644" });
    const u = await remoteFile.driver.update(ctx("keys"), r.id, inputs, inputs);
    expect(u.observed.inputs).toEqual(inputs);
    expect([fs.readFileSync(p, "utf8"), modeOf(p)]).toEqual([keys, "0600"]);

    await remoteFile.driver.delete(ctx("keys"), r.id, inputs);
    expect(await remoteFile.driver.read(ctx("keys"), r.id, inputs)).toBeUndefined();
    // Only the directory the write created remains (mkdir -p); no temp file, no file.
    expect(tree()).toEqual(before);
    expect(fs.readdirSync(path.dirname(p))).toEqual([]);
  });

  it("mode accepts octal text or the number and normalises it; owner is set with the content and read back", async () => {
    expect([
      file({ path: "/x", content: "", mode: "755" }).mode,
      file({ path: "/x", content: "", mode: 0o640 }).mode,
      file({ path: "/x", content: "", mode: "0o4755" }).mode,
      file({ path: "/x", content: "" }).mode,
    ]).toEqual(["0755", "0640", "4755", "0600"]); // 0600 by default: the content is a secret (issue 14)
    const p = at("etc/bird/secret.conf");
    const inputs = file({ path: p, content: 'password "x";\n', mode: 0o640, owner: "nobody:nogroup" });
    const r = await remoteFile.driver.create(ctx("owned"), inputs);
    expect([fs.statSync(p).uid, fs.statSync(p).gid, modeOf(p)]).toEqual([65534, 65534, "0640"]);
    expect(r.observed.inputs).toEqual(inputs);
    fs.chownSync(p, 1, 1);
    expect((await remoteFile.driver.read(ctx("owned"), r.id, inputs))?.observed.inputs.owner).toBe("daemon:daemon");
    const userOnly = file({ path: p, content: inputs.content, mode: "0640", owner: "nobody" });
    const u = await remoteFile.driver.update(ctx("owned"), r.id, inputs, userOnly);
    expect(u.observed.inputs).toEqual(userOnly);
    expect(fs.statSync(p).uid).toBe(65534);
  });

  it("an existing file is refused without adopt (untouched); adopted, its original comes back on destroy", async () => {
    const p = at("etc/banner");
    fs.writeFileSync(p, "original banner\n", { mode: 0o640 });
    fs.chmodSync(p, 0o640);
    const before = tree();
    const inputs = file({ path: p, content: "managed banner\n" });
    const n = dev.transport.commands.length;
    await expect(remoteFile.driver.create(ctx("banner"), inputs)).rejects.toThrow(
      /resource "site\/lab\/banner" on device "dlink": create failed: .*etc\/banner already exists; set adopt: true/,
    );
    expect(writes(n)).toEqual([]);
    expect(tree()).toEqual(before);

    const r = await remoteFile.driver.create(ctx("banner", true), inputs);
    expect(r.id).toBe(`file:${p}#adopted`);
    expect([fs.readFileSync(p, "utf8"), modeOf(p)]).toEqual(["managed banner\n", "0600"]);
    // An interrupted adopt retried: the kept original is not overwritten by our own content.
    await remoteFile.driver.create(ctx("banner", true), inputs);
    await remoteFile.driver.delete(ctx("banner", true), r.id, inputs);
    expect(tree()).toEqual(before);
  });

  it("adopting a file as it is writes nothing, records it in the id only, and destroy leaves the file", async () => {
    const p = at("etc/bird.d/static.conf");
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, "protocol static s1 { ipv4; }\n");
    fs.chmodSync(p, 0o640);
    fs.chownSync(p, 65534, 65534);
    const before = tree();
    const inputs = file({ path: p, content: "protocol static s1 { ipv4; }\n", mode: "0640", owner: "nobody:nogroup" });
    const n = dev.transport.commands.length;
    const r = await remoteFile.driver.create(ctx("static", true), inputs);
    expect(r.id).toBe(`file:${p}#adopted-unchanged`);
    expect(r.id).not.toContain("protocol");
    expect(r.observed).toEqual({ inputs, outputs: { adopted: true } });
    // A second apply and a refresh: still nothing written, no copy made.
    expect((await remoteFile.driver.read(ctx("static", true), r.id, inputs))?.observed.inputs).toEqual(inputs);
    await remoteFile.driver.update(ctx("static", true), r.id, inputs, inputs);
    expect(writes(n)).toEqual([]);
    expect(tree()).toEqual(before);
    // Destroy: no copy to put back (only the conditional rename runs), the file stays as it is.
    await remoteFile.driver.delete(ctx("static", true), r.id, inputs);
    expect(tree()).toEqual(before);
  });

  it("adopted unchanged: the first update that writes copies the original from the old declared values; destroy restores it", async () => {
    const p = at("etc/bird.conf");
    const original = 'router id 192.0.2.2;\ninclude "/etc/bird.d/*.conf";\n';
    fs.writeFileSync(p, original);
    fs.chmodSync(p, 0o640);
    fs.chownSync(p, 65534, 65534);
    const before = tree();
    // Owner not declared: the copy takes the file's owner from the device.
    const adopted = file({ path: p, content: original, mode: "0640" });
    const r = await remoteFile.driver.create(ctx("main", true), adopted);
    expect(r.id).toBe(`file:${p}#adopted-unchanged`);
    // A local edit after adoption is not what the copy holds: it is written from olds, not from the device.
    fs.writeFileSync(p, "edited by hand\n");
    const changed = file({ path: p, content: "router id 192.0.2.3;\n", mode: "0644" });
    const n = dev.transport.commands.length;
    const u = await remoteFile.driver.update(ctx("main", true), r.id, adopted, changed);
    expect(u.observed.inputs).toEqual(changed);
    expect(writes(n).length).toBeGreaterThan(0);
    const copy = at("etc/.bird.conf.routerstack-adopted");
    expect(tree()["etc/.bird.conf.routerstack-adopted"]).toBe(before["etc/bird.conf"]);
    expect(dev.transport.commands.filter((c) => c.includes("192.0.2"))).toEqual([]);
    // A later update keeps the first copy.
    const again = file({ path: p, content: "router id 192.0.2.4;\n", mode: "0644" });
    await remoteFile.driver.update(ctx("main", true), r.id, changed, again);
    expect(fs.readFileSync(copy, "utf8")).toBe(original);
    await remoteFile.driver.delete(ctx("main", true), r.id, again);
    expect(tree()).toEqual(before);
  });

  it("an interrupted adopt or first update is safe: an existing copy is the original and is never overwritten", async () => {
    const p = at("etc/banner");
    fs.writeFileSync(p, "original banner\n");
    fs.chmodSync(p, 0o600);
    const before = tree();
    const inputs = file({ path: p, content: "managed banner\n" });
    // An adopt of a differing file whose reply was lost: the copy is made and the file written…
    await remoteFile.driver.create(ctx("banner", true), inputs);
    // …so the retry finds the file as declared and adopts it unchanged; the copy stays and destroy restores it.
    const retry = await remoteFile.driver.create(ctx("banner", true), inputs);
    expect(retry.id).toBe(`file:${p}#adopted-unchanged`);
    expect(fs.readFileSync(at("etc/.banner.routerstack-adopted"), "utf8")).toBe("original banner\n");
    const next = file({ path: p, content: "managed banner v2\n" });
    await remoteFile.driver.update(ctx("banner", true), retry.id, inputs, next);
    expect(fs.readFileSync(at("etc/.banner.routerstack-adopted"), "utf8")).toBe("original banner\n");
    await remoteFile.driver.delete(ctx("banner", true), retry.id, next);
    expect(tree()).toEqual(before);

    // A first update whose copy was made but whose write failed: the retry keeps the copy.
    fs.writeFileSync(p, "kept\n");
    fs.chmodSync(p, 0o644);
    const kept = file({ path: p, content: "kept\n", mode: "0644" });
    const r = await remoteFile.driver.create(ctx("banner2", true), kept);
    expect(r.id).toBe(`file:${p}#adopted-unchanged`);
    const beforeUpdate = tree();
    // The copy the interrupted update made (from olds, "kept"); the retry's olds are the same, but even other
    // olds do not overwrite it.
    fs.writeFileSync(at("etc/.banner.routerstack-adopted"), "kept\n");
    fs.chmodSync(at("etc/.banner.routerstack-adopted"), 0o644);
    const v2 = file({ path: p, content: "v2\n" });
    await remoteFile.driver.update(ctx("banner2", true), r.id, { ...kept, content: "something else\n" }, v2);
    expect(fs.readFileSync(at("etc/.banner.routerstack-adopted"), "utf8")).toBe("kept\n");
    await remoteFile.driver.delete(ctx("banner2", true), r.id, v2);
    expect(tree()).toEqual(beforeUpdate);
  });

  it("content is secret: declared secret, sent on stdin only, never in a command line or an error", async () => {
    expect(remoteFile.secrets).toEqual(["content"]);
    const secret = "PrivateKey = sEcReT-wg-key/+=\n";
    const blocker = at("etc/wireguard");
    fs.writeFileSync(blocker, "a file where a directory is needed");
    const inputs = file({ path: `${blocker}/wg0.key`, content: secret, mode: "0600" });
    const err = await remoteFile.driver.create(ctx("wg"), inputs).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /resource "site\/lab\/wg" on device "dlink": create failed: write of .*wg0.key/,
    );
    expect((err as Error).message).not.toContain("sEcReT");
    fs.rmSync(blocker);
    await remoteFile.driver.create(ctx("wg"), inputs);
    expect(fs.readFileSync(`${blocker}/wg0.key`, "utf8")).toBe(secret);
    expect(dev.transport.commands.filter((c) => c.includes("sEcReT"))).toEqual([]);
  });

  it("generated hostile contents and file names are stored byte for byte and never execute", async () => {
    const dir = at("etc/fuzz");
    let k = 0;
    for (const s of fc.sample(hostileString({ maxLong: 2000 }), { seed: SEED + 70, numRuns: 60 })) {
      // eslint-disable-next-line no-control-regex
      const content = s.replace(/\u0000/g, "");
      // eslint-disable-next-line no-control-regex
      const name = `f${k++}-${s.replace(/[\u0000-\u001f\u007f/]/g, "").slice(0, 40)}`;
      const check = fileSchema.safeParse({ path: `${dir}/${name}`, content });
      if (name === "." || !check.success) continue;
      const inputs = check.data as RemoteFileInputs;
      const r = await remoteFile.driver.create(ctx(`f${k}`), inputs);
      expect({ name, content: fs.readFileSync(`${dir}/${name}`, "utf8") }).toEqual({ name, content });
      expect(r.observed.inputs.content).toBe(content);
    }
    expect(fs.readdirSync(dir).length).toBeGreaterThan(40);
    // `touch PWNED` and friends ran nowhere: not in the tree, not in the working directory.
    expect(Object.keys(tree()).filter((p) => p.includes(CANARY) && !p.startsWith("etc/fuzz/"))).toEqual([]);
    expect(fs.existsSync(CANARY)).toBe(false);
  });
});

describe("Service", () => {
  function installDemo(opts: { enabled?: boolean; running?: boolean } = {}) {
    const r = dev.root;
    fs.writeFileSync(
      at("etc/init.d/demo"),
      [
        "#!/bin/sh",
        'case "$1" in',
        `  enable) rm -f ${r}/etc/rc.d/S??demo ${r}/etc/rc.d/K??demo; ln -s ../init.d/demo ${r}/etc/rc.d/S50demo; ln -s ../init.d/demo ${r}/etc/rc.d/K10demo ;;`,
        `  disable) rm -f ${r}/etc/rc.d/S??demo ${r}/etc/rc.d/K??demo ;;`,
        `  enabled) [ -x ${r}/etc/rc.d/S50demo ] ;;`,
        `  start) touch ${r}/var/run/demo.running; echo "demo start" >> ${r}/events.log ;;`,
        `  stop) rm -f ${r}/var/run/demo.running; echo "demo stop" >> ${r}/events.log ;;`,
        `  running) [ -f ${r}/var/run/demo.running ] ;;`,
        `  reload) if [ -f ${r}/demo.fail ]; then cat ${r}/demo.fail >&2; exit 1; fi; echo "demo reload" >> ${r}/events.log ;;`,
        "  *) exit 1 ;;",
        "esac",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    if (opts.enabled) fs.symlinkSync("../init.d/demo", at("etc/rc.d/S50demo"));
    if (opts.running) fs.writeFileSync(at("var/run/demo.running"), "");
  }
  const actions = (from: number) =>
    dev.transport.commands.slice(from).filter((c) => / (enable|disable|start|stop|reload)$/.test(c));

  it("create → no-op second apply → drift seen → update restores → delete puts back the state before", async () => {
    installDemo();
    const before = tree();
    const inputs = svc({ name: "demo", running: true });
    const r = await service.driver.create(ctx("demo"), inputs);
    expect(r.observed.inputs).toEqual({ name: "demo", enabled: true, running: true, reloadOn: [] });
    expect(fs.readlinkSync(at("etc/rc.d/S50demo"))).toBe("../init.d/demo");
    expect(fs.existsSync(at("var/run/demo.running"))).toBe(true);
    expect(dev.events()).toEqual(["demo start"]);

    const n = dev.transport.commands.length;
    expect((await service.driver.read(ctx("demo"), r.id, inputs))?.observed.inputs).toEqual(inputs);
    await service.driver.update(ctx("demo"), r.id, inputs, inputs);
    expect(actions(n)).toEqual([]);

    fs.rmSync(at("etc/rc.d/S50demo"));
    fs.rmSync(at("var/run/demo.running"));
    expect((await service.driver.read(ctx("demo"), r.id, inputs))?.observed.inputs).toEqual({
      ...inputs,
      enabled: false,
      running: false,
    });
    const u = await service.driver.update(ctx("demo"), r.id, inputs, inputs);
    expect(u.observed.inputs).toEqual(inputs);

    await service.driver.delete(ctx("demo"), r.id, inputs);
    expect(tree()).toEqual(before);
    expect(dev.events()).toEqual(["demo start", "demo start", "demo stop"]);
  });

  it("`running` unset is not managed: a running, enabled service is only disabled, and re-enabled on destroy", async () => {
    installDemo({ enabled: true, running: true });
    const before = tree();
    const inputs = svc({ name: "demo", enabled: false });
    const r = await service.driver.create(ctx("demo"), inputs);
    expect(r.observed.inputs).toEqual({ name: "demo", enabled: false, reloadOn: [] });
    expect(fs.existsSync(at("etc/rc.d/S50demo"))).toBe(false);
    expect(fs.existsSync(at("var/run/demo.running"))).toBe(true);
    await service.driver.delete(ctx("demo"), r.id, inputs);
    // `enable` also makes the K link the stand-in's STOP asks for, as rc.common does.
    expect(tree()).toEqual({ ...before, "etc/rc.d/K10demo": "-> ../init.d/demo" });
    expect(dev.events()).toEqual([]);
  });

  it("reloadOn: a changed value reloads once per burst; unchanged values, or a stopped service, do not", async () => {
    installDemo({ enabled: true, running: true });
    const a = svc({ name: "demo", reloadOn: ["sha256:1"] });
    // Already running and tied to something: the create reloads it (its files may just have been written).
    const r = await service.driver.create(ctx("demo"), a);
    expect(dev.events()).toEqual(["demo reload"]);
    await service.driver.update(ctx("demo"), r.id, a, a);
    expect(dev.events()).toEqual(["demo reload"]);

    // Two resources tied to the same service change in one burst: one reload.
    const b = svc({ name: "demo", reloadOn: ["sha256:2"] });
    const c = svc({ name: "demo", reloadOn: ["sha256:3"] });
    await Promise.all([
      service.driver.update(ctx("demo"), r.id, a, b),
      service.driver.update(ctx("demo2"), r.id, a, c),
    ]);
    expect(dev.events()).toEqual(["demo reload", "demo reload"]);

    const stopped = svc({ name: "demo", running: false, reloadOn: ["sha256:4"] });
    await service.driver.update(ctx("demo"), r.id, b, stopped);
    expect(dev.events()).toEqual(["demo reload", "demo reload", "demo stop"]);
  });

  it("a failing reload fails the update with the script's message; a missing script fails create naming it", async () => {
    installDemo({ enabled: true, running: true });
    const a = svc({ name: "demo", reloadOn: [] });
    const r = await service.driver.create(ctx("demo"), a);
    fs.writeFileSync(at("demo.fail"), "demo: config error on line 3");
    await expect(service.driver.update(ctx("demo"), r.id, a, svc({ name: "demo", reloadOn: ["x"] }))).rejects.toThrow(
      /resource "site\/lab\/demo" on device "dlink": update failed: reload of demo .*config error on line 3/,
    );
    const n = dev.transport.commands.length;
    await expect(service.driver.create(ctx("nope"), svc({ name: "nope" }))).rejects.toThrow(
      /create failed: .*init.d\/nope does not exist/,
    );
    expect(actions(n)).toEqual([]);
  });
});

const BAD: [string, typeof remoteFile | typeof service, Record<string, unknown>, string, RegExp][] = [
  ["relative path", remoteFile, { path: "etc/banner", content: "" }, "path", /absolute/],
  ["path with ..", remoteFile, { path: "/etc/../root/x", content: "" }, "path", /\.\./],
  ["path with a newline", remoteFile, { path: "/etc/a\nb", content: "" }, "path", /control/],
  ["path of a directory", remoteFile, { path: "/etc/", content: "" }, "path", /file path/],
  ["content with NUL", remoteFile, { path: "/etc/x", content: "a\u0000b" }, "content", /NUL/],
  ["content too big", remoteFile, { path: "/etc/x", content: "x".repeat(300 * 1024) }, "content", /bytes/],
  ["content missing", remoteFile, { path: "/etc/x" }, "content", /string|expected/i],
  ["mode 0999", remoteFile, { path: "/etc/x", content: "", mode: "0999" }, "mode", /file mode/],
  ["mode too large", remoteFile, { path: "/etc/x", content: "", mode: 0o17777 }, "mode", /0o7777/],
  ["mode negative", remoteFile, { path: "/etc/x", content: "", mode: -1 }, "mode", /file mode/],
  ["owner with a space", remoteFile, { path: "/etc/x", content: "", owner: "root root" }, "owner", /user:group/],
  ["owner injection", remoteFile, { path: "/etc/x", content: "", owner: "root;touch PWNED" }, "owner", /user:group/],
  ["file unknown input", remoteFile, { path: "/etc/x", content: "", secret: true }, "secret", /unknown property/],
  ["service name with a slash", service, { name: "../bin/sh" }, "name", /init script name/],
  ["service name empty", service, { name: "" }, "name", /init script name/],
  ["service running as text", service, { name: "demo", running: "yes" }, "running", /boolean/],
  ["service reloadOn not a list", service, { name: "demo", reloadOn: "x" }, "reloadOn", /array|expected/i],
];

describe("bad input is rejected by check, naming the field, with no device I/O", () => {
  let transportFor: jest.SpyInstance;
  beforeAll(() => {
    transportFor = jest.spyOn(devices, "transportFor").mockImplementation(() => {
      throw new Error("check must not reach a device");
    });
  });
  afterAll(() => transportFor.mockRestore());

  it.each(BAD)("%s", async (_label, kind, raw, field, reason) => {
    const r = await makeProvider(kind as typeof remoteFile).check(
      {},
      { device: "dlink", identity: "site/lab/bad", ...raw },
    );
    expect(r.failures.map((f) => f.property)).toContain(field);
    expect(r.failures.find((f) => f.property === field)?.reason).toMatch(reason);
    expect(transportFor).not.toHaveBeenCalled();
  });
});
