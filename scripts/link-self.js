// Makes `require("routerstack/...")` resolve to this checkout's build, as an installed package would.
// The dynamic-provider host evaluates `__provider` stubs that require "routerstack/provider/dynamic/<kind>"
// from the program's directory, so the package must be resolvable from the repository root.
const fs = require("fs");
const path = require("path");
const link = path.join(__dirname, "..", "node_modules", "routerstack");
try { fs.rmSync(link, { recursive: true, force: true }); } catch {}
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.symlinkSync("..", link, "dir");
