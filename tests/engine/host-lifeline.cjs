// Preloaded into the dynamic-provider host (node --require). The engine keeps the write end of the host's
// stdin open for the host's whole life; when the engine process goes away for any reason (exit, crash,
// SIGKILL, SIGPIPE from `| head`) the pipe closes and the host exits instead of staying behind listening.
"use strict";
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.on("data", () => {});
