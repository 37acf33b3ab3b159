/**
 * A JavaScript program with `runtime.options.typescript: false` runs under bare node, without tsx (the CLI
 * then loads no ts-node either), and converges like a TypeScript one.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineOp, runEngine } from "./index";
import { isAlive, pidsIn } from "./test-fixture";

const PROGRAM_DIR = path.join(__dirname, "fixtures", "devprog", "js");
const stack = `test-js-${process.pid}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rs-engine-js-"));
const pids: number[] = [];
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(path.join(PROGRAM_DIR, `Pulumi.${stack}.yaml`), { force: true });
});

async function run(op: EngineOp) {
  const r = await runEngine(op, {
    programDir: PROGRAM_DIR,
    stack,
    stateFile: path.join(tmp, "state.json"),
    passphrase: "engine-test-passphrase",
    timeoutSeconds: 60,
    configOverrides: { "jsprog:deviceFile": path.join(tmp, "device.json") },
  });
  pids.push(...pidsIn(r.log));
  return r;
}

test("up, no-op up and destroy of a JavaScript program run without a TypeScript loader", async () => {
  const up = await run("up");
  expect(up.errors).toEqual([]);
  expect(up.counts.create).toBe(1);
  expect(up.outputs.execArgv).toEqual([]);
  expect(up.outputs.serial).toMatch(/^js\/k1@\d+$/);
  const again = await run("up");
  expect(again.errors).toEqual([]);
  expect(again.counts).toMatchObject({ create: 0, update: 0, same: 1 });
  const down = await run("destroy");
  expect(down.counts.delete).toBe(1);
  expect(JSON.parse(fs.readFileSync(path.join(tmp, "device.json"), "utf8")).entries).toEqual({});
  expect(pids.filter(isAlive)).toEqual([]);
});
