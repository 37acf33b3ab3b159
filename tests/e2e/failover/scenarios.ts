/**
 * The failover scenarios of issue 3, shared by the jest file (failover.test.ts) and `npm run bench:failover`.
 * Each asserts the routes on "core" (its kernel table and BIRD's master4) and on "lte", and a TCP exchange from the
 * client to an address reachable only through the expected uplink; each returns the seconds from the cut to the
 * route change on core and to the first successful exchange. A failed assertion throws with what was seen.
 */
import { FailoverLab, NS, TARGET, waitUntil, type BgpKnobs } from "./topology";

/** "best-only": BGP exports the LTE default only while it is best (BIRD's behaviour). "standby": BgpSession `standby`. */
export type Option = "best-only" | "standby";

export interface Timing {
  /** Seconds from the cut to the route change on core (its kernel table). */
  route?: number;
  /** Seconds from the cut to the first successful client exchange through the expected uplink. */
  exchange?: number;
  /** Seconds from the cut to the BGP session leaving / reaching Established on core, where that is the point. */
  session?: number;
}

export const GPON_NH = "198.51.100.129";
export const LTE_NH = "192.0.2.2";
const ROUTE_TIMEOUT = 30_000;

export function knobsFor(option: Option, extra: Partial<BgpKnobs> = {}): BgpKnobs {
  return { holdTime: 6, keepaliveTime: 2, standby: option === "standby", ...extra };
}

function fail(what: string, seen: Record<string, string>): never {
  throw new Error(
    `${what}\n` +
      Object.entries(seen)
        .map(([k, v]) => `--- ${k}:\n${v}`)
        .join("\n"),
  );
}

async function snapshot(lab: FailoverLab): Promise<Record<string, string>> {
  return {
    "core kernel default": await lab.kernelDefault(NS.core),
    "core master4 0.0.0.0/0": await lab.coreDefaults(),
    "core session": await lab.coreSessionState(),
    "lte kernel default": await lab.kernelDefault(lab.host.netns),
    "lte master4 0.0.0.0/0": await lab.lteDefaults(),
  };
}

/** Waits for `pred` over a snapshot-producing probe; on timeout throws with a full snapshot. */
async function expectWithin(
  lab: FailoverLab,
  what: string,
  pred: () => Promise<boolean>,
  timeoutMs = ROUTE_TIMEOUT,
): Promise<number> {
  try {
    return await waitUntil(pred, timeoutMs, what, 10);
  } catch {
    fail(`${what}: not within ${timeoutMs} ms`, await snapshot(lab));
  }
}

/** Exchanges until one succeeds through `uplink`; returns ms since `t0`. */
async function firstExchange(
  lab: FailoverLab,
  t0: number,
  uplink: "gpon" | "isp",
  timeoutMs = ROUTE_TIMEOUT,
): Promise<number> {
  const name = uplink === "gpon" ? "gpon" : "isp-lte";
  let last = "";
  while (performance.now() - t0 < timeoutMs) {
    const r = await lab.exchange(TARGET[uplink], "tcp", 250);
    if (r.ok && r.reply?.startsWith(`${name} `)) return performance.now() - t0;
    last = r.ok ? `reply ${r.reply}` : (r.error ?? "");
    if (!r.ok && r.error !== "timeout") await new Promise((res) => setTimeout(res, 10));
  }
  fail(
    `no exchange with ${TARGET[uplink]} through ${name} within ${timeoutMs} ms (last: ${last})`,
    await snapshot(lab),
  );
}

const coreDefaultVia = async (lab: FailoverLab, nh: string): Promise<boolean> =>
  (await lab.kernelDefault(NS.core)).includes(`via ${nh} `);
const coreHasNoDefault = async (lab: FailoverLab): Promise<boolean> => (await lab.kernelDefault(NS.core)) === "";
const lteDefaultVia = async (lab: FailoverLab, what: "bgp" | "wwan0"): Promise<boolean> => {
  const d = await lab.kernelDefault(lab.host.netns);
  return what === "bgp" ? d.includes("via 192.0.2.1 dev vlan6") : d.startsWith("default dev wwan0");
};
/** Does core's BIRD hold a 0.0.0.0/0 learned from lte (best or not)? */
const coreHoldsLte = async (lab: FailoverLab): Promise<boolean> => /\[lte [^\]]*\]/.test(await lab.coreDefaults());

/** Both uplinks and the session up, core on gpon, lte on the BGP default; waits for it (not timed). */
export async function settle(lab: FailoverLab, option: Option): Promise<void> {
  await lab.gpon(true);
  await lab.wwan0(true);
  await expectWithin(
    lab,
    "BGP session Established on core",
    async () => (await lab.coreSessionState()).startsWith("Established"),
    60_000,
  );
  await expectWithin(lab, "core default via gpon", () => coreDefaultVia(lab, GPON_NH));
  await expectWithin(lab, "lte default via BGP", () => lteDefaultVia(lab, "bgp"));
  if (option === "standby") await expectWithin(lab, "core holding the LTE default on standby", () => coreHoldsLte(lab));
}

/** 1. Steady state. */
export async function steadyState(lab: FailoverLab, option: Option): Promise<Timing> {
  await settle(lab, option);
  const seen = await snapshot(lab);
  const core = seen["core master4 0.0.0.0/0"];
  if (!/\[gpon_default [^\]]*\] \* \(200\)/.test(core)) fail("core's best default is not gpon_default", seen);
  if (option === "best-only" && /\[lte /.test(core))
    fail(
      "best-only: core holds an LTE default although it is not best on lte (BIRD exports only the best route)",
      seen,
    );
  if (option === "standby" && !/\[lte [^\]]*\] \(100\)/.test(core))
    fail("standby: core does not hold the LTE default at preference 100 (not best)", seen);
  if (!/\[crs [^\]]*\] \* \(100\)/.test(seen["lte master4 0.0.0.0/0"]))
    fail("lte's best default is not the one learned over iBGP", seen);
  if (!/\[lte_default [^\]]*\] \(50\)/.test(seen["lte master4 0.0.0.0/0"]))
    fail("lte does not hold its static LTE default (preference 50)", seen);
  const t0 = performance.now();
  const exchange = await firstExchange(lab, t0, "gpon");
  const udp = await lab.exchange(TARGET.gpon, "udp", 1000);
  if (!udp.ok || !udp.reply?.startsWith("gpon "))
    fail(`UDP exchange through gpon failed: ${udp.error ?? udp.reply}`, seen);
  const other = await lab.exchange(TARGET.isp, "tcp", 400);
  if (other.ok) fail(`the isp-lte target answered while gpon is up: ${other.reply}`, seen);
  return { exchange: exchange / 1000 };
}

/** 2. gpon goes down: core withdraws its default, lte's static LTE default becomes best and is announced. */
export async function gponDown(lab: FailoverLab, option: Option): Promise<Timing> {
  const t0 = performance.now();
  await lab.gpon(false);
  await expectWithin(lab, "core default via lte", () => coreDefaultVia(lab, LTE_NH));
  const route = performance.now() - t0;
  const exchange = await firstExchange(lab, t0, "isp");
  await expectWithin(lab, "lte default via wwan0", () => lteDefaultVia(lab, "wwan0"));
  const seen = await snapshot(lab);
  if (!/\[lte [^\]]*\] \* \(100\)/.test(seen["core master4 0.0.0.0/0"]))
    fail("core's best default is not the LTE one", seen);
  if (/gpon_default/.test(seen["core master4 0.0.0.0/0"])) fail("core still holds gpon_default", seen);
  if (!/\[lte_default [^\]]*\] \* \(50\)/.test(seen["lte master4 0.0.0.0/0"]))
    fail("lte's best default is not lte_default", seen);
  void option;
  return { route: route / 1000, exchange: exchange / 1000 };
}

/** 3. With gpon down, wwan0 goes down: the LTE default is withdrawn from core. */
export async function wwanDown(lab: FailoverLab, _option: Option): Promise<Timing> {
  const t0 = performance.now();
  await lab.wwan0(false);
  await expectWithin(lab, "core without a default", () => coreHasNoDefault(lab));
  const route = performance.now() - t0;
  const seen = await snapshot(lab);
  if (/0\.0\.0\.0\/0/.test(seen["core master4 0.0.0.0/0"])) fail("core's BIRD still holds a default", seen);
  if (/\[lte_default [^\]]*\] \*/.test(seen["lte master4 0.0.0.0/0"]))
    fail("lte's static LTE default is still best with wwan0 down", seen);
  for (const target of [TARGET.isp, TARGET.gpon]) {
    const r = await lab.exchange(target, "tcp", 400);
    if (r.ok) fail(`${target} answered with both uplinks down: ${r.reply}`, seen);
  }
  return { route: route / 1000 };
}

/** Between 3 and 4: wwan0 comes back (gpon still down); core's default returns via lte. Not timed as a scenario. */
export async function wwanUp(lab: FailoverLab): Promise<Timing> {
  const t0 = performance.now();
  await lab.wwan0(true);
  await expectWithin(lab, "core default via lte after wwan0 returns", () => coreDefaultVia(lab, LTE_NH));
  const route = performance.now() - t0;
  const exchange = await firstExchange(lab, t0, "isp");
  return { route: route / 1000, exchange: exchange / 1000 };
}

/** 4. gpon returns: core's default and the client's traffic return to gpon; lte goes back to the BGP default. */
export async function gponUp(lab: FailoverLab, option: Option): Promise<Timing> {
  const t0 = performance.now();
  await lab.gpon(true);
  await expectWithin(lab, "core default via gpon", () => coreDefaultVia(lab, GPON_NH));
  const route = performance.now() - t0;
  const exchange = await firstExchange(lab, t0, "gpon");
  await expectWithin(lab, "lte default via BGP", () => lteDefaultVia(lab, "bgp"));
  if (option === "best-only")
    await expectWithin(lab, "core no longer holding the LTE default", async () => !(await coreHoldsLte(lab)));
  else await expectWithin(lab, "core holding the LTE default on standby", () => coreHoldsLte(lab));
  return { route: route / 1000, exchange: exchange / 1000 };
}

/**
 * 5. Silent failure: BIRD on lte is frozen (SIGSTOP), so the session is blackholed without a TCP reset. Run with gpon
 * down, so core's default is the LTE one and its loss is the route change. Core notices after the hold time (or BFD's
 * detection time), withdraws the LTE default and is left without one. Then lte resumes and the session is reset.
 */
export async function silentFailure(lab: FailoverLab, option: Option, bfd = false): Promise<Timing> {
  await lab.gpon(false);
  await expectWithin(lab, "core default via lte", () => coreDefaultVia(lab, LTE_NH));
  if (bfd) {
    await expectWithin(lab, "BFD session Up on core", async () =>
      /192\.0\.2\.2\s+vlan6\s+Up\s/.test(await lab.coreBirdc("show bfd sessions")),
    );
    await expectWithin(lab, "BFD session Up on lte", async () =>
      /192\.0\.2\.1\s+vlan6\s+Up\s/.test(await lab.lteBirdc("show bfd sessions")),
    );
  }
  const pid = await lab.ltePid();
  const t0 = performance.now();
  process.kill(pid, "SIGSTOP");
  let session: number;
  let route: number;
  try {
    await expectWithin(
      lab,
      "core's session leaving Established",
      async () => !(await lab.coreSessionState()).startsWith("Established"),
    );
    session = performance.now() - t0;
    await expectWithin(lab, "core without a default", () => coreHasNoDefault(lab));
    route = performance.now() - t0;
  } finally {
    process.kill(pid, "SIGCONT");
  }
  // lte's BIRD now sees the session it thinks is up torn down; restart it there rather than wait out BIRD's
  // `error wait time` (60 s by default).
  await lab.lteBirdc("restart crs");
  await expectWithin(
    lab,
    "session re-established",
    async () => (await lab.coreSessionState()).startsWith("Established"),
    60_000,
  );
  await expectWithin(lab, "core default via lte again", () => coreDefaultVia(lab, LTE_NH));
  await settle(lab, option);
  return { session: session / 1000, route: route / 1000 };
}

/**
 * 6. BIRD restarts on lte (`/etc/init.d/bird restart`), with gpon down so core depends on it: the session
 * re-establishes, core's LTE default returns and the client's traffic flows again through isp-lte.
 */
export async function lteBirdRestart(lab: FailoverLab, option: Option): Promise<Timing> {
  await lab.gpon(false);
  await expectWithin(lab, "core default via lte", () => coreDefaultVia(lab, LTE_NH));
  const before = await lab.coreSession();
  const t0 = performance.now();
  await lab.restartLteBird();
  await expectWithin(
    lab,
    "session re-established",
    async () => {
      const s = await lab.coreSession();
      return s.state.startsWith("Established") && s.since !== before.since;
    },
    60_000,
  );
  const session = performance.now() - t0;
  await expectWithin(lab, "core default via lte again", () => coreDefaultVia(lab, LTE_NH));
  const route = performance.now() - t0;
  const exchange = await firstExchange(lab, t0, "isp");
  await settle(lab, option);
  return { session: session / 1000, route: route / 1000, exchange: exchange / 1000 };
}
