/**
 * Redaction of secrets in commands, stdin and error messages.
 */

/** Replacement written in place of every secret. */
export const REDACTED = "***";

/**
 * Spellings a secret may take once a platform codec has quoted it. The codecs live elsewhere
 * (provider/routeros, provider/openwrt), so the transport cannot know which one produced a command;
 * redacting each common escaped form as well keeps a quoted password out of the log.
 * - RouterOS double-quoted strings escape `\ " $ ?` and control characters with a backslash.
 * - POSIX shell single quotes turn `'` into `'\''`.
 * - JSON escapes `\ "` and control characters.
 */
function spellings(secret: string): string[] {
  const controlEscapes = (s: string) => s.replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  const routeros = controlEscapes(secret.replace(/[\\"$?]/g, (c) => `\\${c}`));
  const shell = secret.replace(/'/g, `'\\''`);
  const json = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, routeros, shell, json])];
}

/**
 * Returns `text` with every occurrence of every non-empty secret (and its escaped spellings, see above)
 * replaced by `***`. Longer strings are replaced first so a secret containing another is removed whole.
 * `undefined` and empty secrets are ignored.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  const needles = [
    ...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length > 0).flatMap(spellings)),
  ];
  needles.sort((a, b) => b.length - a.length);
  let out = text;
  for (const needle of needles) out = out.split(needle).join(REDACTED);
  return out;
}

/**
 * First `max` characters of the redacted text, with `…` when cut. Redacts before cutting so that a secret
 * straddling the cut cannot leak its first half.
 */
export function redactedPrefix(text: string, secrets: ReadonlyArray<string | undefined>, max = 80): string {
  const clean = redact(text, secrets).replace(/\s+/g, " ");
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
