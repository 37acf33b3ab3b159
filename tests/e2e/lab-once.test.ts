/**
 * The acceptance run of the issue "The reference failover site converges a local lab end to end":
 * `npm run lab -- --once` converges the reference topology, proves a second up is a no-op, finds and repairs one
 * out-of-band change per device, and destroys, all counted from the devices. Its last line is the JSON summary.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { labAvailable } from "./harness";

const run = labAvailable() ? it : it.skip;

run(
  "npm run lab -- --once converges, detects and repairs drift, and leaves nothing behind",
  () => {
    const root = path.resolve(__dirname, "..", "..");
    const r = spawnSync(process.execPath, ["--import", "tsx", "tests/lab/cli.ts", "--once"], {
      cwd: root,
      encoding: "utf8",
      timeout: 600_000,
    });
    const lines = r.stdout.trim().split("\n");
    const summary = JSON.parse(lines[lines.length - 1]);
    // eslint-disable-next-line no-console
    console.log(`lab --once: ${lines[lines.length - 1]}`);
    expect(r.stderr).not.toContain("FAIL:");
    expect(summary).toEqual({
      created: expect.any(Number),
      secondUpChanges: 0,
      driftDetected: 2,
      driftRestored: 2,
      leftAfterDestroy: 0,
    });
    expect(summary.created).toBeGreaterThanOrEqual(24);
    expect(r.status).toBe(0);
  },
  600_000,
);
