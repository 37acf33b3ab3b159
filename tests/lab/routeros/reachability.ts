/**
 * A minimal, honest model of whether the emulated router can be reached over SSH at its management address, so
 * that a change that cuts the management path really locks the lab out (lock-out guard tests). The emulator
 * listens on a loopback address of the host (e.g. 127.0.0.2) and is told that this is its management address;
 * a NEW connection from client address C is then accepted only when all of these hold:
 *   1. an enabled `/ip/address` item has the management address as its host part,
 *   2. on an interface that exists and is enabled (`/interface`);
 *   3. no `/ip/firewall/nat` chain `dstnat` rule redirects it elsewhere: the first enabled dstnat rule whose
 *      matchers all match (same matchers as below) decides; `dst-nat`/`netmap` to another address or port, or
 *      `redirect` to another port, takes the connection away from the SSH server; `accept` or a rule to the
 *      management address and port itself leaves it;
 *   4. the `/ip/firewall/filter` chain `input`, walked in order, does not drop it: the first enabled rule whose
 *      matchers all match a new TCP connection C → management address:port decides (`accept` lets it in; `drop`,
 *      `reject`, `tarpit` refuse it; other actions go on to the next rule); no match = accepted (RouterOS's
 *      default policy). Only src-address, dst-address (address or prefix), protocol, dst-port and in-interface
 *      are modelled; a rule with any other matcher set (lists, connection state, negations…) is treated as not
 *      matching a new connection [I: lab simplification].
 * Not modelled: routes (the lab client is always on the host itself), ARP and link state. Connections already
 * open are left alone, or with the cutEndsLiveSessions variation ended at their next exec (server.ts): a line's
 * own reply travels over its connection, so which of the two RouterOS does matters [I].
 */
import { parseIp, parsePrefix, prefixContains } from "./ipaddr";
import { menuByPath } from "./menus";
import type { RouterState } from "./state";

const MODELLED = new Set([
  "chain",
  "action",
  "src-address",
  "dst-address",
  "protocol",
  "dst-port",
  "in-interface",
  "comment",
  "disabled",
  "log",
  "log-prefix",
  "reject-with",
  "to-addresses",
  "to-ports",
]);

function addrMatches(spec: string, ip: string): boolean {
  const p = parsePrefix(spec.includes("/") ? spec : `${spec}/32`);
  const a = parsePrefix(`${ip}/32`);
  return !!p && !!a && prefixContains(p, a);
}

function portMatches(spec: string, port: number): boolean {
  return spec.split(",").some((x) => {
    const [lo, hi] = x.split("-").map(Number);
    return port >= lo && port <= (hi ?? lo);
  });
}

/** Whether a new SSH connection from `client` to `address`:`port` gets through; the reason when it does not. */
export function sshReachable(
  state: RouterState,
  address: string,
  port: number,
  client: string,
): { ok: boolean; why: string } {
  if (!parseIp(address, 4)) return { ok: true, why: "management address is not IPv4: not modelled" };
  const addr = state
    .items(menuByPath("/ip/address")!)
    .find((a) => String(a.props.address ?? "").split("/")[0] === address && a.props.disabled !== true);
  if (!addr) return { ok: false, why: `no enabled /ip/address holds ${address}` };
  const ifName = String(addr.props.interface ?? "");
  const iface = state.interfaceByName(ifName);
  if (!iface || iface.props.disabled === true)
    return { ok: false, why: `interface ${ifName} of ${address} is missing or disabled` };
  const matches = (p: Record<string, unknown>, chain: string): boolean =>
    p.chain === chain &&
    p.disabled !== true &&
    !Object.keys(p).some((k) => !MODELLED.has(k)) &&
    (p["src-address"] === undefined || addrMatches(String(p["src-address"]), client)) &&
    (p["dst-address"] === undefined || addrMatches(String(p["dst-address"]), address)) &&
    (p.protocol === undefined || p.protocol === "tcp") &&
    (p["dst-port"] === undefined || portMatches(String(p["dst-port"]), port)) &&
    (p["in-interface"] === undefined || p["in-interface"] === ifName);
  const nat = state.items(menuByPath("/ip/firewall/nat")!).find((r) => matches(r.props, "dstnat"));
  if (nat) {
    const p = nat.props;
    const action = String(p.action ?? "accept");
    const toAddr = p["to-addresses"] === undefined ? address : String(p["to-addresses"]);
    const toPort = p["to-ports"] === undefined ? port : Number(String(p["to-ports"]).split("-")[0]);
    const away =
      action === "dst-nat" || action === "netmap"
        ? toAddr !== address || toPort !== port
        : action === "redirect" && toPort !== port;
    if (away) return { ok: false, why: `redirected by a dstnat rule (${action} to ${toAddr}:${toPort})` };
  }
  for (const rule of state.items(menuByPath("/ip/firewall/filter")!)) {
    const p = rule.props;
    if (!matches(p, "input")) continue;
    const action = String(p.action ?? "accept");
    if (action === "accept") return { ok: true, why: "accepted by an input rule" };
    if (["drop", "reject", "tarpit"].includes(action))
      return { ok: false, why: `dropped by an input rule (${action})` };
  }
  return { ok: true, why: "reachable" };
}
