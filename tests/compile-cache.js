/**
 * jest globalSetup: one Node compile cache (NODE_COMPILE_CACHE, Node 22.1+) for every process the suite starts.
 * Each test-engine run starts two Node processes, the program under @pulumi/pulumi's `cmd/run` and the
 * dynamic-provider host, and each compiles @pulumi/pulumi and routerstack afresh: about 1 s of a 2–3 s run on
 * the 2-core machine. With the cache, later processes reuse V8's compiled code; what they run is unchanged. A user
 * can set the same variable for `pulumi up`. Kept when the caller already set one; Node 20 ignores the variable.
 * https://nodejs.org/api/module.html#module-compile-cache
 */
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function setup() {
  if (process.env.NODE_COMPILE_CACHE) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "routerstack-compile-cache-"));
  process.env.NODE_COMPILE_CACHE = dir;
  process.env.ROUTERSTACK_OWN_COMPILE_CACHE = dir;
};

module.exports.teardown = async function teardown() {
  const dir = process.env.ROUTERSTACK_OWN_COMPILE_CACHE;
  if (dir && dir === process.env.NODE_COMPILE_CACHE) fs.rmSync(dir, { recursive: true, force: true });
};
