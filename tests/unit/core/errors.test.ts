/**
 * Issue 16: one wording for a failed device operation, `<label>: <op> failed: <detail>` (provider/core/errors.ts),
 * used by every engine instead of the template each wrote by hand. Tests elsewhere match these messages, so the
 * text is pinned here byte for byte.
 */
import { asDeviceOpError, DeviceError, deviceOpError, opFailedMessage } from "../../../provider/core/errors";

const ctx = { label: 'kind "site/prod/wan1" on device "crs"' };

describe("device operation errors", () => {
  it("deviceOpError: `<label>: <op> failed: <detail>` with the device's own message", () => {
    const e = deviceOpError(
      ctx,
      "create",
      "RouterOS error: failure: already have such entry",
      "failure: already have such entry",
    );
    expect(e).toBeInstanceOf(DeviceError);
    expect(e.message).toBe(
      'kind "site/prod/wan1" on device "crs": create failed: RouterOS error: failure: already have such entry',
    );
    expect(e.deviceMessage).toBe("failure: already have such entry");
    expect(deviceOpError(ctx, "read", "x").deviceMessage).toBeUndefined();
    expect(opFailedMessage("L", "delete", "gone")).toBe("L: delete failed: gone");
  });

  it("asDeviceOpError: prefixes a lower error once, keeps one that already names the resource, carries the device's message", () => {
    const lower = new DeviceError("lock failed: busy", "busy");
    const wrapped = asDeviceOpError(ctx, "update", lower);
    expect(wrapped.message).toBe('kind "site/prod/wan1" on device "crs": update failed: lock failed: busy');
    expect(wrapped.deviceMessage).toBe("busy");
    expect(asDeviceOpError(ctx, "delete", wrapped).message).toBe(wrapped.message);
    expect(asDeviceOpError(ctx, "read", new Error("timeout")).deviceMessage).toBeUndefined();
  });
});
