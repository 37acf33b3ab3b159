/** The transport's contracts live in the bottom layer (core/device.ts); re-exported for the transport's users. */
export * from "../core/device";
