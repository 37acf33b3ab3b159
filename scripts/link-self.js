// Installs this checkout's build as node_modules/routerstack, the way npm installs the published package.
// It must be a real directory, not a symlink: Pulumi's closure serializer turns a provider object into a small
// `require("routerstack/...")` only when the module's real path lies under node_modules
// (docs/reference/pulumi-dynamic-host.md §3, case d); a symlinked package is serialized by value.
// The new copy is built beside the old one and swapped in with renames, so a program running meanwhile never
// finds a half-copied package.
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..");
const modules = path.join(root, "node_modules");
const target = path.join(modules, "routerstack");
const fresh = path.join(modules, `.routerstack-${process.pid}`);
const stale = path.join(modules, `.routerstack-old-${process.pid}`);
fs.rmSync(fresh, { recursive: true, force: true });
fs.mkdirSync(fresh, { recursive: true });
fs.copyFileSync(path.join(root, "package.json"), path.join(fresh, "package.json"));
fs.cpSync(path.join(root, "dist"), path.join(fresh, "dist"), { recursive: true });
if (fs.existsSync(target)) fs.renameSync(target, stale);
fs.renameSync(fresh, target);
fs.rmSync(stale, { recursive: true, force: true });
