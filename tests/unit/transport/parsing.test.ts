/** Pure parts of the transport: pins, known_hosts, redaction, the session queue, the command-log format. */
import { createHmac, randomBytes } from "node:crypto";
import { formatCommandLogLine, lookupKnownHosts, parseHostKeyPin, redact } from "../../../provider/transport";
import { Semaphore } from "../../../provider/transport/semaphore";
import { makeKey } from "./ssh-server-fixture";

const key = makeKey();

describe("parseHostKeyPin", () => {
  it("accepts a bare fingerprint, with or without base64 padding, without a key type", () => {
    expect(parseHostKeyPin(key.fingerprint, "hostKeys[0]")).toEqual({
      fingerprint: key.fingerprint,
      source: "hostKeys[0]",
    });
    expect(parseHostKeyPin(`${key.fingerprint}=`, "x").fingerprint).toBe(key.fingerprint);
  });

  it("reads a key-type prefix (wire name or ssh-keygen label)", () => {
    expect(parseHostKeyPin(`ssh-ed25519 ${key.fingerprint}`, "x").keyType).toBe("ssh-ed25519");
    expect(parseHostKeyPin(`ED25519 ${key.fingerprint}`, "x").keyType).toBe("ssh-ed25519");
    expect(parseHostKeyPin(`ssh-rsa ${key.fingerprint}`, "x").keyType).toBe("ssh-rsa");
  });

  it("reads a full ssh-keygen -lf line, using the bits for the ECDSA curve", () => {
    expect(parseHostKeyPin(`256 ${key.fingerprint} root@crs (ED25519)`, "x")).toEqual({
      fingerprint: key.fingerprint,
      keyType: "ssh-ed25519",
      source: "x",
    });
    expect(parseHostKeyPin(`384 ${key.fingerprint} no comment (ECDSA)`, "x").keyType).toBe("ecdsa-sha2-nistp384");
    expect(parseHostKeyPin(`3072 ${key.fingerprint} (RSA)`, "x").keyType).toBe("ssh-rsa");
  });

  it("computes the fingerprint of an OpenSSH public-key line", () => {
    expect(parseHostKeyPin(`${key.public} some comment`, "x")).toEqual({
      fingerprint: key.fingerprint,
      keyType: "ssh-ed25519",
      source: "x",
    });
  });

  it.each([
    ["MD5 fingerprint", "MD5:12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0"],
    ["short digest", "SHA256:abcd"],
    ["unknown type", `ssh-foo ${key.fingerprint}`],
    ["keygen line without type", `256 ${key.fingerprint} comment`],
    ["trailing junk", `${key.fingerprint} junk`],
  ])("rejects %s, naming the source", (_what, entry) => {
    expect(() => parseHostKeyPin(entry, "hostKeys[3]")).toThrow(/hostKeys\[3\]/);
  });
});

describe("lookupKnownHosts", () => {
  const line = (hosts: string) => `${hosts} ${key.public.split(" ").slice(0, 2).join(" ")}`;

  it("matches host on port 22 and [host]:port otherwise", () => {
    const text = `# comment\n\n${line("192.0.2.1")}\n${line("[192.0.2.1]:2222")}\n`;
    expect(lookupKnownHosts(text, "kh", "192.0.2.1", 22).pins).toEqual([
      { fingerprint: key.fingerprint, keyType: "ssh-ed25519", source: "kh:3" },
    ]);
    expect(lookupKnownHosts(text, "kh", "192.0.2.1", 2222).pins.map((p) => p.source)).toEqual(["kh:4"]);
    expect(lookupKnownHosts(text, "kh", "192.0.2.2", 22).pins).toEqual([]);
  });

  it("supports comma lists, wildcards and negation", () => {
    expect(lookupKnownHosts(line("crs,192.0.2.*"), "kh", "192.0.2.9", 22).pins).toHaveLength(1);
    expect(lookupKnownHosts(line("192.0.2.*,!192.0.2.9"), "kh", "192.0.2.9", 22).pins).toHaveLength(0);
    expect(lookupKnownHosts(line("CRS.example"), "kh", "crs.example", 22).pins).toHaveLength(1);
  });

  it("supports hashed |1| entries", () => {
    const salt = randomBytes(20);
    const hashed = (name: string) =>
      `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
    expect(lookupKnownHosts(line(hashed("[198.51.100.7]:2200")), "kh", "198.51.100.7", 2200).pins).toHaveLength(1);
    expect(lookupKnownHosts(line(hashed("198.51.100.7")), "kh", "198.51.100.7", 2200).pins).toHaveLength(0);
  });

  it("collects @revoked keys and skips @cert-authority lines", () => {
    const found = lookupKnownHosts(
      `@revoked * ${key.public}\n@cert-authority 192.0.2.1 ${key.public}\n`,
      "kh",
      "192.0.2.1",
      22,
    );
    expect(found).toEqual({ pins: [], revoked: [key.fingerprint], skippedCertAuthorities: 1 });
  });

  it("skips lines with a key type that does not match the blob", () => {
    expect(lookupKnownHosts(`192.0.2.1 ssh-rsa ${key.public.split(" ")[1]}`, "kh", "192.0.2.1", 22).pins).toEqual([]);
  });
});

describe("redact", () => {
  it("replaces every occurrence of every secret, longest first", () => {
    expect(redact("a=pw b=pw c=pwpw", ["pw", "pwpw"])).toBe("a=*** b=*** c=***");
  });

  it("ignores empty and undefined secrets", () => {
    expect(redact("abc", ["", undefined])).toBe("abc");
  });

  it("also catches the RouterOS-quoted, shell-quoted and JSON spellings", () => {
    const secret = `p"a$s'w`;
    expect(redact(`password="p\\"a\\$s'w"`, [secret])).toBe(`password="***"`);
    expect(redact(`uci set x='p"a$s'\\''w'`, [secret])).toBe(`uci set x='***'`);
    expect(redact(JSON.stringify({ pw: secret }), [secret])).toBe(`{"pw":"***"}`);
  });
});

describe("Semaphore", () => {
  it("admits at most `capacity` holders, first come first served", async () => {
    const sem = new Semaphore(2);
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const all = [0, 1, 2, 3, 4].map((i) =>
      sem.acquire().then((release) => {
        order.push(i);
        releases.push(release);
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1]);
    releases[0]();
    releases[0](); // idempotent
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2]);
    sem.setCapacity(4);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(all);
    expect(sem.inUse).toBe(4);
  });
});

describe("formatCommandLogLine", () => {
  it("writes one line with redacted command and stdin, stdin byte count, duration and outcome", () => {
    const line = formatCommandLogLine(
      {
        startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
        device: "crs",
        mode: "per-exec",
        command: "set pw=hunter2",
        stdin: "x hunter2\né",
        durationMs: 12.4,
        outcome: "ok exit=0",
      },
      ["hunter2"],
    );
    expect(line).toBe(
      `2026-01-02T03:04:05.000Z crs per-exec cmd="set pw=***" stdin="x ***\\né" stdinBytes=12 ms=12 ok exit=0\n`,
    );
  });
});
