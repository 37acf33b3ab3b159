// Installs this checkout's build as node_modules/routerstack, the way npm installs the published package.
// It must be a real directory, not a symlink: Pulumi's closure serializer turns a provider object into a small
// `require("routerstack/...")` only when the module's real path lies under node_modules
// (../shared/reference/pulumi-dynamic-host.md §3, case d); a symlinked package is serialized by value.
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..");
const target = path.join(root, "node_modules", "routerstack");
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
fs.copyFileSync(path.join(root, "package.json"), path.join(target, "package.json"));
fs.cpSync(path.join(root, "dist"), path.join(target, "dist"), { recursive: true });
