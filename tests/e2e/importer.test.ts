/**
 * `routerstack import` end to end (issue #7): the lab's RouterOS emulator loaded with the defconf-like starting
 * config and the OpenWrt host with its OpenWrt 23.05-like config; the CLI (the built `bin`) imports each device
 * from a stack file, the generated program typechecks against the installed SDK, and `up` on it through the test
 * engine and the real dynamic-provider host leaves both devices' dumps exactly as they were (tests/lab/dump-diff.ts)
 * with no device write; a second `up` is a no-op. The OpenWrt host's BIRD files (the starting /etc/bird.conf plus
 * two /etc/bird.d files written here by hand, one with a BGP password) are imported as RemoteFile and adopted
 * unchanged: content, mode and owner as they were, no `.routerstack-adopted` copy.
 * Needs root (the OpenWrt host); skips otherwise, fails under CI=true.
 */
import { execFile } from "child_process";
import { promisify } from "util";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labAvailable, PASSPHRASE } from "./harness";
import { startLab, type Lab, type LabDump } from "../lab/lab";
import { startRouterOsEmulator, type RouterOsEmulator } from "../lab/routeros";
import { diffDumps } from "../lab/dump-diff";
import { runEngine, type EngineResult } from "../engine";
import { typecheckProgram } from "../unit/importer/typecheck";

const run = labAvailable() ? describe : describe.skip;
const REPO = path.resolve(__dirname, "../..");
const CLI = path.join(REPO, "node_modules/routerstack/dist/provider/import/cli.js");

run("routerstack import against the lab", () => {
  let lab: Lab;
  let labDir: string;
  /** A second RouterOS router with the lab's "reference" config: a PPPoE uplink whose password is a secret. */
  let crsref: RouterOsEmulator;
  /** The imported project: under the repository's node_modules so `routerstack` resolves to the installed package. */
  let project: string;
  const programs: Record<string, string> = {};
  const measured: string[] = [];
  /** BIRD files written by hand before the import (the starting config has only /etc/bird.conf). */
  const BGP_SECRET = "lab-bgp-md5-secret";
  const BIRD_D: Record<string, { content: string; mode: number }> = {
    "/etc/bird.d/static.conf": {
      content: "# hand-written\nprotocol static hand_static {\n\tipv4;\n\troute 203.0.113.0/24 blackhole;\n}\n",
      mode: 0o640,
    },
    "/etc/bird.d/bgp.conf": {
      content: `protocol bgp hand_upstream {\n\tdisabled;\n\tlocal as 65001;\n\tneighbor 192.0.2.9 as 65002;\n\tpassword "${BGP_SECRET}";\n\tipv4 { import none; export none; };\n}\n`,
      mode: 0o600,
    },
  };
  /** What `ssh dlink cat /etc/bird.d/bgp.conf | pulumi config set --secret …` stores: the file without its final newline. */
  const dlinkSecrets = {
    "imported:dlink-file-etc-bird.d-bgp.conf-content": BIRD_D["/etc/bird.d/bgp.conf"].content.replace(/\n$/, ""),
  };
  /** Content, mode and owner of the host's BIRD files, and any adoption copy next to them. */
  function birdFiles(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const dir of ["/etc", "/etc/bird.d"]) {
      for (const f of fs.readdirSync(path.join(lab.dlink.rootDir, dir))) {
        if (!(f.includes("bird") || dir === "/etc/bird.d") || f.endsWith(".d")) continue;
        const p = path.join(lab.dlink.rootDir, dir, f);
        const st = fs.statSync(p);
        if (st.isFile())
          out[`${dir}/${f}`] = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${fs.readFileSync(p, "utf8")}`;
      }
    }
    return out;
  }

  beforeAll(async () => {
    labDir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-e2e-import-"));
    lab = await startLab({ dir: labDir, name: `imp${process.pid % 1000}`, crsStartingConfig: "defconf" });
    for (const [p, f] of Object.entries(BIRD_D)) {
      const at = path.join(lab.dlink.rootDir, p);
      fs.mkdirSync(path.dirname(at), { recursive: true });
      fs.writeFileSync(at, f.content);
      fs.chmodSync(at, f.mode);
    }
    crsref = await startRouterOsEmulator({
      port: 0,
      users: [{ name: "admin", publicKey: fs.readFileSync(path.join(labDir, "id_ed25519.pub"), "utf8").trim() }],
      startingConfig: "reference",
    });
    const knownHosts = String(lab.devices.crs.knownHostsFile);
    fs.appendFileSync(knownHosts, `[${crsref.host}]:${crsref.port} ${crsref.hostPublicKey}\n`);
    const devices = { ...lab.devices, crsref: { ...lab.devices.crs, host: crsref.host, port: crsref.port } };
    project = fs.mkdtempSync(path.join(REPO, "node_modules", ".rs-import-e2e-"));
    fs.writeFileSync(
      path.join(project, "Pulumi.yaml"),
      "name: imported\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    // JSON is YAML: the lab's device entries, absolute paths and pinned host keys included.
    fs.writeFileSync(
      path.join(project, "Pulumi.lab.yaml"),
      `config:\n  routerstack:devices: ${JSON.stringify(devices)}\n`,
    );
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "imported", private: true, main: "index.ts" }),
    );
  }, 180_000);

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`importer e2e: ${measured.join("; ")}`);
    try {
      await crsref?.stop();
      await lab?.stop();
    } finally {
      if (labDir) fs.rmSync(labDir, { recursive: true, force: true });
      if (project) fs.rmSync(project, { recursive: true, force: true });
    }
  });

  /** Runs the CLI as a user would; asynchronously, as the RouterOS emulator answers from this very process. */
  async function importDevice(device: string): Promise<string> {
    const t0 = Date.now();
    let stderr: string;
    try {
      ({ stderr } = await promisify(execFile)(
        process.execPath,
        [CLI, "import", "--device", device, "--out", `${device}.ts`],
        { cwd: project, encoding: "utf8", timeout: 120_000 },
      ));
    } catch (e) {
      throw new Error(`import ${device} failed: ${(e as { stderr?: string }).stderr ?? (e as Error).message}`, {
        cause: e,
      });
    }
    measured.push(`import ${device} ${Date.now() - t0} ms (${stderr.trim()})`);
    return fs.readFileSync(path.join(project, `${device}.ts`), "utf8");
  }

  async function up(main: string, configOverrides?: Record<string, unknown>): Promise<EngineResult> {
    fs.writeFileSync(path.join(project, "index.ts"), `import "./${main}";\n`);
    return runEngine("up", {
      programDir: project,
      stack: "lab",
      stateFile: path.join(labDir, `state-${main}.json`),
      passphrase: PASSPHRASE,
      configOverrides,
    });
  }

  async function writes(): Promise<{ crs: number; dlink: number }> {
    return lab.writes();
  }

  it("imports each device with the CLI, reading only", async () => {
    const before = await lab.dump();
    const w0 = await writes();
    programs.crs = await importDevice("crs");
    programs.dlink = await importDevice("dlink");
    if (process.env.ROUTERSTACK_IMPORT_SAVE) {
      for (const d of ["crs", "dlink"])
        fs.writeFileSync(path.join(process.env.ROUTERSTACK_IMPORT_SAVE, `${d}.ts`), programs[d]);
    }
    expect(diffDumps(before, await lab.dump())).toEqual([]);
    expect(await writes()).toEqual(w0);
    expect(programs.crs).toContain('new routeros.NatRule("crs-nat-rule-defconf-masquerade", {');
    expect(programs.dlink).toContain('new openwrt.NetworkInterface("dlink-network-lan", {');
    expect(programs.dlink).toContain("firewall.@zone[0] (zone): anonymous");
    // BIRD files: RemoteFile, content verbatim (a template literal) or, with a password, a stack secret.
    expect(programs.dlink).toContain(
      'new openwrt.RemoteFile("dlink-file-etc-bird.conf", {\n  device: "dlink",\n  path: "/etc/bird.conf",\n  content: `# /etc/bird.conf',
    );
    expect(programs.dlink).toContain(
      'new openwrt.RemoteFile("dlink-file-etc-bird.d-static.conf", {\n  device: "dlink",\n  path: "/etc/bird.d/static.conf",\n  content: `# hand-written\nprotocol static hand_static {\n',
    );
    expect(programs.dlink).toContain('  mode: "0640",');
    expect(programs.dlink).toContain(
      '  content: pulumi.concat(config.requireSecret("dlink-file-etc-bird.d-bgp.conf-content"), "\\n"),',
    );
    expect(programs.dlink).toContain(
      "//   ssh root@<router> cat '/etc/bird.d/bgp.conf' | pulumi config set --secret dlink-file-etc-bird.d-bgp.conf-content\n",
    );
    expect(programs.dlink).not.toContain(BGP_SECRET);
    expect(programs.dlink).not.toContain("BIRD file /etc/bird.conf: not imported");
  }, 240_000);

  it("the generated programs typecheck against the SDK", () => {
    for (const d of ["crs", "dlink"]) expect({ d, errors: typecheckProgram(programs[d]) }).toEqual({ d, errors: [] });
  }, 120_000);

  // Named OpenWrt sections can be adopted today: this passes now.
  it("up on the OpenWrt import changes nothing on the device; a second up is a no-op", async () => {
    const before: LabDump = await lab.dump();
    const filesBefore = birdFiles();
    expect(Object.keys(filesBefore).sort()).toEqual([
      "/etc/bird.conf",
      "/etc/bird.d/bgp.conf",
      "/etc/bird.d/static.conf",
    ]);
    const w0 = await writes();
    const first = await up("dlink", dlinkSecrets);
    expect(first.errors).toEqual([]);
    expect(first.counts.create).toBeGreaterThan(0);
    expect(diffDumps(before, await lab.dump())).toEqual([]);
    expect((await writes()).dlink).toBe(w0.dlink);
    // The BIRD files: same content, mode and owner, no adoption copy next to them; the password not in state.
    expect(birdFiles()).toEqual(filesBefore);
    expect(fs.readFileSync(path.join(labDir, "state-dlink.json"), "utf8")).not.toContain(BGP_SECRET);
    expect(first.log).not.toContain(BGP_SECRET);
    const second = await up("dlink", dlinkSecrets);
    expect(second.errors).toEqual([]);
    expect(second.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect((await writes()).dlink).toBe(w0.dlink);
    expect(birdFiles()).toEqual(filesBefore);
    measured.push(`dlink up: ${first.counts.create} adopted, 0 device writes`);
  }, 300_000);

  // The defconf masquerade is found by its natural key, which needs the adoption part of issue #7 (`naturalKey` on
  // the RouterOS kind spec): without it `adopt` finds no tagged rule and adds a second masquerade.
  it("up on the RouterOS import changes nothing on the device; a second up is a no-op", async () => {
    const before: LabDump = await lab.dump();
    const w0 = await writes();
    const first = await up("crs");
    expect(first.errors).toEqual([]);
    expect(diffDumps(before, await lab.dump())).toEqual([]);
    expect((await writes()).crs).toBe(w0.crs);
    const second = await up("crs");
    expect(second.errors).toEqual([]);
    expect(second.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect((await writes()).crs).toBe(w0.crs);
  }, 300_000);

  const PPPOE_SECRET = "lab-pppoe-secret";
  const secretConfig = { "imported:crsref-pppoe-client-pppoe-gpon-password": PPPOE_SECRET };
  /** The reference router before the first up on its import, and its write count then. */
  let crsrefBefore: Record<string, unknown[]>;
  let crsrefWrites: number;

  it("imports a router's PPPoE password as a stack secret: never in the program, the state or the engine log", async () => {
    programs.crsref = await importDevice("crsref");
    expect(programs.crsref).not.toContain(PPPOE_SECRET);
    expect(programs.crsref).toContain(
      "//   pulumi config set --secret crsref-pppoe-client-pppoe-gpon-password <value>",
    );
    expect(programs.crsref).toContain('password: config.requireSecret("crsref-pppoe-client-pppoe-gpon-password")');
    expect(typecheckProgram(programs.crsref)).toEqual([]);
    crsrefBefore = crsref.dump();
    crsrefWrites = crsref.writeLog.length;
    const r = await up("crsref", secretConfig);
    expect(r.errors).toEqual([]);
    expect(fs.readFileSync(path.join(labDir, "state-crsref.json"), "utf8")).not.toContain(PPPOE_SECRET);
    expect(r.log).not.toContain(PPPOE_SECRET);
  }, 300_000);

  // A named item (the PPPoE client) is found today, but until the adoption part of issue #7 lands `adopt` writes
  // the identity tag into its comment; with it, nothing is written.
  it("up on the reference router's import changed nothing on it; a second up is a no-op", async () => {
    const again = await up("crsref", secretConfig);
    expect(again.errors).toEqual([]);
    expect(again.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(crsref.writeLog).toHaveLength(crsrefWrites);
    expect(crsref.dump()).toEqual(crsrefBefore);
  }, 300_000);
});
