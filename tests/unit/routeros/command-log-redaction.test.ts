/**
 * Issue 14 (Medium): the RouterOS command log must redact secrets in the spelling the codec gives them on the
 * command line — once quoted (`pa$sw?rd` → `pa\$sw?rd`, `s3cr€t` → `s3cr\E2\82\ACt`, codec.ts quote) and twice
 * quoted (inside the lock-out guard's scheduler `on-event`, itself a quoted string). And the guard's undo script
 * must not carry a secret property's old value at all: `/system/scheduler on-event` is readable without the
 * `sensitive` policy.
 */
import * as codec from "../../../provider/routeros/codec";
import { runCommands } from "../../../provider/routeros/envelope";
import { undoCommands, type GuardedChange } from "../../../provider/routeros/lockout-guard";
import { prop } from "../../../provider/routeros/property-types";
import { formatCommandLogLine } from "../../../provider/transport/command-log";
import type { DeviceTransport, ExecOptions } from "../../../provider/transport/types";

const SECRETS = ["pa$sw?rd-71", "s3cr€t-82", 'q"uo\\te-93', "tab\tnl\n-04"];

/** A transport that answers nothing useful and records each exec as the command log would write it. */
function recorder(): { transport: DeviceTransport; lines: string[] } {
  const lines: string[] = [];
  const transport = {
    spec: { name: "crs", platform: "routeros", host: "x", port: 22, username: "admin" },
    async exec(command: string, opts?: ExecOptions) {
      lines.push(
        formatCommandLogLine(
          { startedAt: 0, device: "crs", mode: "per-exec", command, durationMs: 0, outcome: "ok" },
          opts?.secrets ?? [],
        ),
      );
      return { stdout: "", stderr: "", code: 0 };
    },
  } as unknown as DeviceTransport;
  return { transport, lines };
}

/** The unique tail of a secret: found whatever happened to its quote characters. */
const token = (s: string) => s.slice(-3);

describe("RouterOS command-log redaction uses the codec's own quoting", () => {
  it("redacts a secret quoted once on a command line", async () => {
    const { transport, lines } = recorder();
    for (const s of SECRETS) {
      await runCommands(
        transport,
        [codec.set("/interface/pppoe-client", "*1", [{ kind: "value", prop: "password", value: s }])],
        { secrets: [s] },
      );
    }
    expect(lines).toHaveLength(SECRETS.length);
    lines.forEach((l, k) => {
      expect(l).toContain('password=\\"***\\"'); // JSON-quoted in the log line
      expect([SECRETS[k], l.includes(token(SECRETS[k]))]).toEqual([SECRETS[k], false]);
    });
    expect(lines.join("")).not.toContain("\\\\E2\\\\82\\\\AC");
  });

  it("redacts a secret quoted twice (a command inside a scheduler on-event)", async () => {
    const { transport, lines } = recorder();
    for (const s of SECRETS) {
      const inner = codec.scriptBody([
        codec.set("/interface/pppoe-client", "*1", [{ kind: "value", prop: "password", value: s }]),
      ]);
      await runCommands(
        transport,
        [
          codec.add("/system/scheduler", [
            { kind: "value", prop: "name", value: "rs-guard-x" },
            { kind: "value", prop: "on-event", value: inner },
          ]),
        ],
        { secrets: [s] },
      );
    }
    lines.forEach((l, k) => expect([SECRETS[k], l.includes(token(SECRETS[k]))]).toEqual([SECRETS[k], false]));
  });
});

describe("the lock-out guard's undo script holds no secret", () => {
  const props = {
    user: prop.text("user"),
    password: prop.text("password"),
    interface: prop.text("interface"),
  } as GuardedChange["props"];
  const OLD = "old-pa$s€-55";

  it("a set that changes a secret and other properties restores the others, not the secret", () => {
    const undo = undoCommands({
      menu: "/interface/pppoe-client",
      verb: "set",
      props,
      secretProps: ["password"],
      before: { ".id": "*1", user: "u1", password: OLD, interface: "ether1" },
      args: [
        { kind: "value", prop: "user", value: "u2" },
        { kind: "value", prop: "password", value: "new-pw" },
      ],
    });
    const text = codec.scriptBody(undo);
    expect(text).toContain('user="u1"');
    expect(text).not.toContain("password");
    expect(text).not.toContain("-55");
  });

  it("a removed item is added back without its secret", () => {
    const undo = undoCommands({
      menu: "/interface/pppoe-client",
      verb: "remove",
      props,
      secretProps: ["password"],
      before: { ".id": "*1", user: "u1", password: OLD, interface: "ether1" },
    });
    const text = codec.scriptBody(undo);
    expect(text).toContain('interface="ether1"');
    expect(text).not.toContain("password");
    expect(text).not.toContain("-55");
  });
});
