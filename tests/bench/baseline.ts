/**
 * The baseline a user would otherwise write: what a Pulumi program of `command` resources does — for every
 * resource and operation, one SSH connection, one command, close — at concurrency min(N, 20 or as given), with ssh2
 * directly, host keys pinned like the provider's. Commands:
 *   RouterOS  create `<menu>/add …`, no-op and refresh `<menu>/print detail where …`, update `<menu>/set [find …] …`,
 *             destroy `<menu>/remove [find …]`
 *   OpenWrt   uci sections: create `uci set … && … && uci commit <pkg>`, read `uci -q show <pkg>.<section>`,
 *             update `uci set … && uci commit <pkg>`, destroy `uci delete … && uci commit <pkg>` (no reloads,
 *             which favours the baseline); the BIRD file: `cat > file && birdc configure`, `cat file`, `rm`.
 * Connections the device refuses (RouterOS max-sessions) are retried after 50 ms and counted.
 */
import { createHash } from "crypto";
import { Client } from "ssh2";
import type { BaselineItem, BenchItem } from "./topology";

export type BaselineOp = "up" | "noop" | "refresh" | "update" | "destroy";

export interface Endpoint {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** SHA256:… fingerprints accepted */
  fingerprints: string[];
}

export interface BaselineResult {
  ms: number;
  commands: number;
  retries: number;
  /** connections refused before the handshake, per device (retried after 50 ms) */
  retriesBy: Record<"crs" | "dlink", number>;
  failures: string[];
}

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The one command line for `item` and `op`, or undefined when the op has nothing to do for it. */
export function baselineCommand(item: BaselineItem, op: BaselineOp, updating: boolean): string | undefined {
  if (item.device === "crs") {
    switch (op) {
      case "up":
        return `${item.menu}/add ${item.add}`;
      case "noop":
      case "refresh":
        return `${item.menu}/print detail where ${item.find}`;
      case "update":
        return updating && item.set ? `${item.menu}/set [find where ${item.find}] ${item.set}` : undefined;
      case "destroy":
        return `${item.menu}/remove [find where ${item.find}]`;
    }
  }
  if (item.kind === "uci") {
    const key = `${item.pkg}.${item.section}`;
    switch (op) {
      case "up":
        return [
          `uci set ${key}=${item.type}`,
          ...Object.entries(item.options).map(([k, v]) => `uci set ${key}.${k}=${sq(v)}`),
          `uci commit ${item.pkg}`,
        ].join(" && ");
      case "noop":
      case "refresh":
        return `uci -q show ${key}`;
      case "update":
        return updating
          ? `uci set ${key}.${item.update[0]}=${sq(item.update[1])} && uci commit ${item.pkg}`
          : undefined;
      case "destroy":
        return `uci delete ${key} && uci commit ${item.pkg}`;
    }
  }
  switch (op) {
    case "up":
      return `printf '%s' ${sq(item.content)} > ${item.path} && birdc configure`;
    case "noop":
    case "refresh":
      return `cat ${item.path}`;
    case "update":
      return undefined;
    case "destroy":
      return `rm -f ${item.path} && birdc configure`;
  }
}

class Refused extends Error {}

/** One connection, one exec, close (waits for the socket to close, so the session slot is really free). */
function runOnce(ep: Endpoint, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    let out = "";
    let ready = false;
    let settled = false;
    const finish = (e?: Error): void => {
      if (settled) return;
      settled = true;
      if (e) reject(e);
      else resolve(out);
    };
    c.on("ready", () => {
      ready = true;
      c.exec(command, (err, stream) => {
        if (err) {
          c.end();
          return finish(err);
        }
        stream.on("data", (d: Buffer) => (out += d.toString("utf8")));
        stream.stderr.on("data", () => undefined);
        stream.on("close", () => c.end());
      });
    });
    c.on("error", (e) => (ready ? finish(e) : finish(new Refused(e.message))));
    c.on("close", () => (ready ? finish() : finish(new Refused("closed before the handshake"))));
    c.connect({
      host: ep.host,
      port: ep.port,
      username: ep.username,
      privateKey: ep.privateKey,
      readyTimeout: 60_000,
      hostVerifier: (key: Buffer) =>
        ep.fingerprints.includes(`SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`),
    });
  });
}

/** Runs `op` over all items at concurrency min(N, `limit`). */
export async function runBaseline(
  items: BenchItem[],
  op: BaselineOp,
  endpoints: Record<"crs" | "dlink", Endpoint>,
  updating: Set<string>,
  limit = 20,
): Promise<BaselineResult> {
  const jobs: { ep: Endpoint; cmd: string; name: string; device: "crs" | "dlink" }[] = [];
  // destroy in reverse (the BGP connection before its instance), as a dependency-ordered program would
  const ordered = op === "destroy" ? [...items].reverse() : items;
  for (const it of ordered) {
    const cmd = baselineCommand(it.base, op, updating.has(it.spec.name));
    if (cmd !== undefined)
      jobs.push({ ep: endpoints[it.base.device], cmd, name: it.spec.name, device: it.base.device });
  }
  const concurrency = Math.min(items.length, limit);
  const res: BaselineResult = { ms: 0, commands: 0, retries: 0, retriesBy: { crs: 0, dlink: 0 }, failures: [] };
  let next = 0;
  // The BGP instance must exist before its connection (a dependsOn in a command-resource program): run the
  // instance alone first on up, the connection alone first on destroy.
  const first = jobs.findIndex((j) => j.name === (op === "destroy" ? "bgp-peer" : "bgp-inst"));
  const t0 = performance.now();
  const runJob = async (j: (typeof jobs)[number]): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await runOnce(j.ep, j.cmd);
        res.commands++;
        return;
      } catch (e) {
        if (e instanceof Refused && attempt < 100) {
          res.retries++;
          res.retriesBy[j.device]++;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        res.failures.push(`${j.name}: ${(e as Error).message}`);
        return;
      }
    }
  };
  if (first >= 0 && op !== "noop" && op !== "refresh") {
    await runJob(jobs[first]);
    jobs.splice(first, 1);
  }
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) await runJob(jobs[next++]);
    }),
  );
  res.ms = performance.now() - t0;
  return res;
}
