/**
 * `npm run bench:failover`: the failover scenarios of tests/e2e/failover/ (real BIRD2 in network namespaces, the lte
 * host converged by routerstack through the test engine), each run RUNS times per option ("best-only": BIRD exports
 * the LTE default only while it is best; "standby": BgpSession's `standby`). Prints, per scenario and option, the
 * median seconds from the cut to the route change on "core" (its kernel table), to the first successful client
 * exchange through the expected uplink, and (5, 6) to the BGP session state change on core; then one JSON line.
 * Needs root (exits 2 without). Knobs: hold 6 s / keepalive 2 s, BFD 100 ms × 3, as in the jest file.
 */
import { FailoverLab } from "../e2e/failover/topology";
import * as S from "../e2e/failover/scenarios";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HOLD = { holdTime: 6, keepaliveTime: 2 };
const BFD = { bfd: true, bfdIntervalMs: 100, bfdMultiplier: 3 };

type Key = "route" | "exchange" | "session";
const samples = new Map<string, Record<Key, number[]>>();

function add(scenario: string, option: S.Option, t: S.Timing): void {
  const k = `${scenario}\t${option}`;
  const s = samples.get(k) ?? { route: [], exchange: [], session: [] };
  for (const key of ["route", "exchange", "session"] as const) if (t[key] !== undefined) s[key].push(t[key]!);
  samples.set(k, s);
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    process.stderr.write("bench:failover needs root (network namespaces, mounts, BIRD installing routes)\n");
    process.exit(2);
  }
  const lab = new FailoverLab();
  try {
    await lab.start();
    for (const option of ["best-only", "standby"] as const) {
      process.stderr.write(`${option}: converging\n`);
      await lab.converge(S.knobsFor(option, HOLD));
      await lab.reconfigureCore({});
      for (let i = 0; i < RUNS; i++) {
        process.stderr.write(`${option}: scenarios 1-4, run ${i + 1}/${RUNS}\n`);
        add("1 steady state", option, await S.steadyState(lab, option));
        add("2 gpon down", option, await S.gponDown(lab, option));
        add("3 wwan0 down (gpon down)", option, await S.wwanDown(lab, option));
        add("  wwan0 back (gpon down)", option, await S.wwanUp(lab));
        add("4 gpon returns", option, await S.gponUp(lab, option));
      }
      for (let i = 0; i < RUNS; i++) {
        process.stderr.write(`${option}: scenario 5 (hold time), run ${i + 1}/${RUNS}\n`);
        add("5 silent, hold 6 s", option, await S.silentFailure(lab, option));
      }
      for (let i = 0; i < RUNS; i++) {
        process.stderr.write(`${option}: scenario 6, run ${i + 1}/${RUNS}\n`);
        add("6 lte BIRD restart", option, await S.lteBirdRestart(lab, option));
      }
      await lab.converge(S.knobsFor(option, { ...HOLD, ...BFD }));
      await lab.reconfigureCore(BFD);
      await S.settle(lab, option);
      for (let i = 0; i < RUNS; i++) {
        process.stderr.write(`${option}: scenario 5 (BFD), run ${i + 1}/${RUNS}\n`);
        add("5 silent, BFD 100ms x3", option, await S.silentFailure(lab, option, true));
      }
    }
    await lab.destroy();
  } finally {
    await lab.stop();
  }

  const fmt = (n?: number): string => (n === undefined ? "-" : n.toFixed(3)).padStart(8);
  const rows = [...samples.entries()].sort(([a], [b]) => a.replace(/^ +/, "").localeCompare(b.replace(/^ +/, "")));
  const out: Record<string, Record<string, number | undefined>> = {};
  console.log(`median of ${RUNS} runs, seconds from the cut`);
  console.log(
    `${"scenario".padEnd(28)} ${"option".padEnd(10)} ${"route".padStart(8)} ${"exchange".padStart(8)} ${"session".padStart(8)}`,
  );
  for (const [k, s] of rows) {
    const [scenario, option] = k.split("\t");
    const m = { route: median(s.route), exchange: median(s.exchange), session: median(s.session) };
    out[`${scenario.trim()} / ${option}`] = m;
    console.log(`${scenario.padEnd(28)} ${option.padEnd(10)} ${fmt(m.route)} ${fmt(m.exchange)} ${fmt(m.session)}`);
  }
  console.log(JSON.stringify({ runs: RUNS, medians: out }));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
