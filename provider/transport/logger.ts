/**
 * Where the transport reports things an operator should see (host-key opt-outs, channel-mode fallbacks).
 * Never receives secrets: callers pass only device names, addresses, fingerprints and redacted commands.
 */

export type TransportLogLevel = "info" | "warn";
export type TransportLogger = (level: TransportLogLevel, message: string) => void;

/** Default: one line on stderr, prefixed so it can be told apart from Pulumi's own output. */
export const stderrLogger: TransportLogger = (level, message) => {
  process.stderr.write(`routerstack transport ${level}: ${message}\n`);
};

let current: TransportLogger = stderrLogger;

/**
 * Replaces the transport logger; `undefined` restores the default (stderr).
 * Returns the logger that was in place, so callers (tests) can restore it.
 */
export function setTransportLogger(fn: TransportLogger | undefined): TransportLogger {
  const previous = current;
  current = fn ?? stderrLogger;
  return previous;
}

/** Writes through the current logger; a throwing logger must not break an SSH operation. */
export function transportLog(level: TransportLogLevel, message: string): void {
  try {
    current(level, message);
  } catch {
    // Logging is best effort by design.
  }
}
