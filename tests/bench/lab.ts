/**
 * The benchmark's lab: the OpenWrt-like host (started once) and a RouterOS emulator per channel behaviour, each
 * behind its own latency proxy; the `routerstack:devices` value points at the proxies. Same parts as
 * tests/lab/lab.ts, assembled here so the emulator can be swapped per mode while the OpenWrt host keeps running,
 * and so the session limit is set explicitly (RouterOS `max-sessions` default, 20).
 */
import * as fs from "fs";
import * as path from "path";
import { ed25519KeyPair } from "../lab/keys";
import { startLatencyProxy, type LatencyProxy } from "../lab/latency-proxy";
import { startOpenWrtHost, type OpenWrtHost } from "../lab/openwrt/host";
import { startRouterOsEmulator, type RouterOsEmulator } from "../lab/routeros";
import type { Endpoint } from "./baseline";

export type ChannelMode = "per-exec" | "sequential" | "parallel";

export interface BenchLab {
  dir: string;
  key: { privateKey: string; publicKey: string; file: string };
  dlink: OpenWrtHost;
  dlinkProxy: LatencyProxy;
  dlinkDropbearLog: string;
  crs?: RouterOsEmulator;
  crsProxy?: LatencyProxy;
  mode?: ChannelMode;
  /** starts (or replaces) the RouterOS emulator in `mode` behind a new proxy */
  useMode(mode: ChannelMode): Promise<void>;
  devices(extra: { crsCommandLog: string; dlinkCommandLog: string }): Record<string, Record<string, unknown>>;
  endpoints(): Record<"crs" | "dlink", Endpoint>;
  stop(): Promise<void>;
}

export async function startBenchLab(dir: string, latencyMs: number): Promise<BenchLab> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "id_ed25519");
  const k = ed25519KeyPair();
  fs.writeFileSync(file, k.private, { mode: 0o600 });
  const key = { privateKey: k.private, publicKey: k.public.trim(), file };
  const name = `bench${process.pid % 10000}`;
  const dlink = await startOpenWrtHost({ stateDir: path.join(dir, "dlink"), name, authorizedKeys: [key.publicKey] });
  const dlinkProxy = await startLatencyProxy({ targetHost: dlink.host, targetPort: dlink.port, latencyMs });
  const knownHosts = path.join(dir, "known_hosts");

  const lab: BenchLab = {
    dir,
    key,
    dlink,
    dlinkProxy,
    dlinkDropbearLog: path.join(dir, "dlink", "host.log"),
    async useMode(mode) {
      await Promise.allSettled([lab.crsProxy?.stop(), lab.crs?.stop()]);
      lab.crs = await startRouterOsEmulator({
        port: 0,
        users: [{ name: "admin", publicKey: key.publicKey }],
        channelMode: mode,
        maxSessions: 20,
      });
      lab.crsProxy = await startLatencyProxy({ targetHost: lab.crs.host, targetPort: lab.crs.port, latencyMs });
      lab.mode = mode;
      const hp = (p: LatencyProxy) => `[${p.host}]:${p.port}`;
      fs.writeFileSync(
        knownHosts,
        [
          `${hp(lab.crsProxy)} ${lab.crs.hostPublicKey}`,
          ...dlink.hostPublicKeys.map((h) => `${hp(dlinkProxy)} ${h}`),
        ].join("\n") + "\n",
      );
    },
    devices({ crsCommandLog, dlinkCommandLog }) {
      if (!lab.crsProxy) throw new Error("useMode first");
      return {
        crs: {
          platform: "routeros",
          host: lab.crsProxy.host,
          port: lab.crsProxy.port,
          username: "admin",
          privateKeyFile: file,
          knownHostsFile: knownHosts,
          channelMode: lab.mode,
          commandLogFile: crsCommandLog,
        },
        dlink: {
          platform: "openwrt",
          host: dlinkProxy.host,
          port: dlinkProxy.port,
          username: "root",
          privateKeyFile: file,
          knownHostsFile: knownHosts,
          commandLogFile: dlinkCommandLog,
        },
      };
    },
    endpoints() {
      if (!lab.crsProxy || !lab.crs) throw new Error("useMode first");
      return {
        crs: {
          host: lab.crsProxy.host,
          port: lab.crsProxy.port,
          username: "admin",
          privateKey: key.privateKey,
          fingerprints: [lab.crs.hostKeyFingerprint],
        },
        dlink: {
          host: dlinkProxy.host,
          port: dlinkProxy.port,
          username: "root",
          privateKey: key.privateKey,
          fingerprints: dlink.hostKeyFingerprints,
        },
      };
    },
    async stop() {
      await Promise.allSettled([lab.crsProxy?.stop(), lab.crs?.stop(), dlinkProxy.stop(), dlink.stop()]);
    },
  };
  return lab;
}
