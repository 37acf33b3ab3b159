/**
 * The local lab: a RouterOS emulator ("crs") and an OpenWrt-like host with real BIRD2 ("dlink"), plus the files
 * a Pulumi program needs to reach them: a client key, a known_hosts file pinning both host keys, and the
 * `routerstack:devices` config value. Never imports provider/ (DESIGN.md "The lab").
 */
import * as fs from "fs";
import * as path from "path";
import { ed25519KeyPair } from "./keys";
import { startRouterOsEmulator, type RouterOsEmulator, type RouterOsEmulatorOptions } from "./routeros";
import { startOpenWrtHost, type OpenWrtHost } from "./openwrt/host";

export interface Lab {
  crs: RouterOsEmulator;
  dlink: OpenWrtHost;
  dir: string;
  /** The `routerstack:devices` value pointing at this lab (paths absolute). */
  devices: Record<string, Record<string, unknown>>;
  /** Full dumps of both devices, for "what is left" comparisons. */
  dump(): Promise<LabDump>;
  /** Device-side write counts so far (RouterOS write commands + OpenWrt commits, file writes and reloads). */
  writes(): Promise<{ crs: number; dlink: number }>;
  stop(): Promise<void>;
}

export interface LabDump {
  crs: Record<string, unknown[]>;
  dlink: { uci: string; files: Record<string, string> };
}

export interface LabOptions {
  dir: string;
  /** Fixed RouterOS emulator port (the `npm run lab` stack file uses 2201); 0 = random. */
  crsPort?: number;
  routerosVersion?: RouterOsEmulatorOptions["version"];
  channelMode?: RouterOsEmulatorOptions["channelMode"];
  /** Netns/name suffix so several labs can run at once. */
  name?: string;
  /** The CRS's starting configuration (tests/lab/routeros/startingConfig.ts); default "reference". */
  crsStartingConfig?: RouterOsEmulatorOptions["startingConfig"];
}

function clientKey(dir: string): { privateKey: string; publicKey: string; file: string } {
  const file = path.join(dir, "id_ed25519");
  if (!fs.existsSync(file)) {
    const k = ed25519KeyPair();
    fs.writeFileSync(file, k.private, { mode: 0o600 });
    fs.writeFileSync(file + ".pub", k.public + "\n");
  }
  return { privateKey: fs.readFileSync(file, "utf8"), publicKey: fs.readFileSync(file + ".pub", "utf8").trim(), file };
}

export async function startLab(opts: LabOptions): Promise<Lab> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const key = clientKey(opts.dir);
  const crs = await startRouterOsEmulator({
    version: opts.routerosVersion,
    port: opts.crsPort ?? 0,
    users: [{ name: "admin", publicKey: key.publicKey }],
    channelMode: opts.channelMode,
    startingConfig: opts.crsStartingConfig,
  });
  let dlink: OpenWrtHost;
  try {
    dlink = await startOpenWrtHost({
      stateDir: path.join(opts.dir, "dlink"),
      name: opts.name ?? "dlink",
      authorizedKeys: [key.publicKey],
    });
  } catch (e) {
    await crs.stop();
    throw e;
  }
  const knownHosts = path.join(opts.dir, "known_hosts");
  const hostPort = (h: string, p: number) => (p === 22 ? h : `[${h}]:${p}`);
  fs.writeFileSync(
    knownHosts,
    [
      `${hostPort(crs.host, crs.port)} ${crs.hostPublicKey}`,
      ...dlink.hostPublicKeys.map((k) => `${hostPort(dlink.host, dlink.port)} ${k}`),
    ].join("\n") + "\n",
  );
  const devices = {
    crs: {
      platform: "routeros",
      host: crs.host,
      port: crs.port,
      username: "admin",
      privateKeyFile: key.file,
      knownHostsFile: knownHosts,
    },
    dlink: {
      platform: "openwrt",
      host: dlink.host,
      port: dlink.port,
      username: "root",
      privateKeyFile: key.file,
      knownHostsFile: knownHosts,
    },
  };
  return {
    crs,
    dlink,
    dir: opts.dir,
    devices,
    async dump() {
      const d = await dlink.dump();
      return { crs: crs.dump(), dlink: { uci: d.uci, files: d.files } };
    },
    async writes() {
      return { crs: crs.writeLog.length, dlink: (await dlink.writeEvents()).length };
    },
    async stop() {
      // Both stop whatever happens to the other; then a failure (e.g. something left behind) is the caller's.
      const failed = (await Promise.allSettled([crs.stop(), dlink.stop()])).filter((r) => r.status === "rejected");
      if (failed.length === 1) throw (failed[0] as PromiseRejectedResult).reason;
      if (failed.length > 1)
        throw new AggregateError(
          failed.map((r) => (r as PromiseRejectedResult).reason),
          "stopping the lab failed on both devices",
        );
    },
  };
}
