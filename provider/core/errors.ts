/**
 * The errors every platform raises. A device operation's error names the resource, the operation and the device's
 * own message (DESIGN "Errors name the device, the resource, the operation and the device's own message"):
 * `<label>: <op> failed: <detail>`, `<label>` being OpContext.label (`<kind> "<identity>" on device "<device>"`).
 */

/** Error raised by drivers and engines; the message already names device, resource and operation. */
export class DeviceError extends Error {
  constructor(
    message: string,
    /** The device's own message, verbatim (secrets redacted). */
    readonly deviceMessage?: string,
  ) {
    super(message);
    this.name = "DeviceError";
  }
}

/** `<label>: <op> failed: <detail>`: the one wording of a failed operation. */
export function opFailedMessage(label: string, op: string, detail: string): string {
  return `${label}: ${op} failed: ${detail}`;
}

/**
 * The DeviceError of a failed operation: `<ctx.label>: <op> failed: <detail>`, with the device's own message
 * (secrets redacted) when there is one.
 */
export function deviceOpError(ctx: { label: string }, op: string, detail: string, deviceMessage?: string): DeviceError {
  return new DeviceError(opFailedMessage(ctx.label, op, detail), deviceMessage);
}

/**
 * A caught error as a DeviceError of the operation: a message that already names the resource (`ctx.label`, an
 * error raised further down by this same operation) is kept as it is, any other is prefixed like deviceOpError; the
 * device's own message is carried over.
 */
export function asDeviceOpError(ctx: { label: string }, op: string, e: unknown): DeviceError {
  const m = (e as Error).message;
  return new DeviceError(
    m.includes(ctx.label) ? m : opFailedMessage(ctx.label, op, m),
    (e as DeviceError).deviceMessage,
  );
}
