/**
 * Reading a singleton menu (`/ip/dns`, `/system/identity`, `/system/note`): one `print` as JSON, exactly one row
 * (routeros-cli.md §2.3). Shared by the menu engine's singleton kinds and RouterOsItem.
 */
import { deviceOpError } from "../core/errors";
import type { OpContext } from "../core/kind";
import * as codec from "./codec";
import { runCommands, type StepResult } from "./envelope";
import { parseRows, ReadError, type Row } from "./read";

/**
 * The menu's one row. `check` turns a failed step into the caller's DeviceError.
 * @throws DeviceError when the exec fails, the output is unreadable or the menu has not exactly one item.
 */
export async function readSingleton(
  ctx: OpContext,
  op: string,
  menu: string,
  check: (r: StepResult) => void,
): Promise<Row> {
  let r: StepResult;
  try {
    [r] = await runCommands(ctx.transport, [codec.printJson(menu)], { readOnly: true });
  } catch (e) {
    throw deviceOpError(ctx, op, (e as Error).message);
  }
  check(r);
  let rows: Row[];
  try {
    rows = r.ok ? parseRows(r.payload) : [];
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
    throw deviceOpError(ctx, op, `unreadable device output: ${e.message}`);
  }
  if (rows.length !== 1) throw deviceOpError(ctx, op, `${menu} is not a singleton menu (${rows.length} items)`);
  return rows[0];
}
