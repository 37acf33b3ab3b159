/**
 * SSH transport of routerstack: `openDevice(spec)` gives a DeviceTransport (types.ts) over ssh2.
 */
export * from "./types";
export { openDevice, closeAllDevices } from "./registry";
export type { TransportOptions } from "./options";
export type { Timers } from "./timers";
export { systemTimers } from "./timers";
export { setTransportLogger, type TransportLogger, type TransportLogLevel } from "./logger";
export { redact, REDACTED } from "./redact";
export { fingerprintOfKeyBlob } from "./host-key-types";
export { parseHostKeyPin, type HostKeyPin } from "./pins";
export { lookupKnownHosts, knownHostsName } from "./known-hosts";
export { formatCommandLogLine } from "./command-log";
export { DEFAULT_MAX_SESSIONS, DEFAULT_TIMEOUT_SECONDS } from "./device";
