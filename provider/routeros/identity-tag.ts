/**
 * The managed-object tag kept in a RouterOS `comment` (DESIGN "Device rules"; routeros-cli.md §3.4).
 *
 * Grammar of a managed item's device comment (exact):
 *
 *   comment  = "rs:" identity [ " " user ]
 *   identity = part "/" part "/" part        ; `<project>/<stack>/<name>`
 *   part     = 1*( ALPHA / DIGIT / "." / "_" / "-" )
 *   user     = the user's own comment: non-empty, no leading or trailing whitespace
 *
 * The identity contains no space, so the first space ends it and everything after that one space is the user's
 * comment, whatever it contains (even another `rs:`). The only ambiguities would be an empty user comment
 * (`rs:x/y/z ` vs `rs:x/y/z`) and surrounding whitespace that RouterOS might trim [I]; `userCommentProblem`
 * rejects both, and an empty comment is spelled by leaving it unset.
 */
import { IDENTITY_PATTERN } from "../core/identity";
import { regexPrefix, type Where } from "./codec";

export const TAG_PREFIX = "rs:";

const IDENTITY = IDENTITY_PATTERN;

/** True when `s` is an identity of the grammar above. */
export function isIdentity(s: string): boolean {
  return IDENTITY.test(s);
}

/** Parsed device comment of a managed item. */
export interface Tag {
  identity: string;
  /** The user's own comment, `undefined` when none. */
  userComment?: string;
}

/** Why `c` cannot be a user comment next to the tag, or `undefined` when it can. */
export function userCommentProblem(c: string): string | undefined {
  if (c === "") return "must not be empty (leave it unset instead)";
  if (c.trim() !== c) return "must not start or end with whitespace";
  return undefined;
}

/** Builds the device comment. Throws Error for an identity outside the grammar or an unusable user comment. */
export function encodeTag(tag: Tag): string {
  if (!IDENTITY.test(tag.identity))
    throw new Error(`identity ${JSON.stringify(tag.identity)} is not <project>/<stack>/<name>`);
  if (tag.userComment === undefined) return TAG_PREFIX + tag.identity;
  const problem = userCommentProblem(tag.userComment);
  if (problem) throw new Error(`comment ${problem}`);
  return `${TAG_PREFIX}${tag.identity} ${tag.userComment}`;
}

/** Parses a device comment; `undefined` when it is not a managed tag. */
export function decodeTag(comment: string | undefined): Tag | undefined {
  if (comment === undefined || !comment.startsWith(TAG_PREFIX)) return undefined;
  const rest = comment.slice(TAG_PREFIX.length);
  const sp = rest.indexOf(" ");
  const identity = sp < 0 ? rest : rest.slice(0, sp);
  if (!IDENTITY.test(identity)) return undefined;
  const user = sp < 0 ? undefined : rest.slice(sp + 1);
  return { identity, userComment: user === "" ? undefined : user };
}

/**
 * A `where` filter that selects the items tagged with `identity` and possibly a few others sharing the prefix
 * (`a/b/c` also matches `a/b/cd`); callers keep only rows whose `decodeTag(comment).identity` is exact. A prefix
 * regex avoids relying on alternation support in RouterOS' regex engine.
 */
export function tagFilter(identity: string): Where {
  return { op: "regex", prop: "comment", pattern: regexPrefix(TAG_PREFIX + identity) };
}

/**
 * A `where` filter that selects exactly the items tagged with `identity` (`rs:<identity>`, or it followed by a space
 * and a user comment), for device-side conditions that cannot be checked by `decodeTag` afterwards. An `||` of
 * two terms, not a regex alternation (see tagFilter).
 */
export function exactTagFilter(identity: string): Where {
  const tag = TAG_PREFIX + identity;
  return {
    op: "or",
    terms: [
      { op: "eq", prop: "comment", value: tag },
      { op: "regex", prop: "comment", pattern: regexPrefix(tag + " ") },
    ],
  };
}
