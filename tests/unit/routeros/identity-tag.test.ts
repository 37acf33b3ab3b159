import fc from "fast-check";
import { decodeTag, encodeTag, tagFilter, userCommentProblem } from "../../../provider/routeros/identity-tag";
import { userComment } from "../../../provider/resources/routeros/fields";

describe("identity tag in comment: rs:<identity>[ <user comment>]", () => {
  it("encodes with and without the user's comment", () => {
    expect(encodeTag({ identity: "site/prod/wan1" })).toBe("rs:site/prod/wan1");
    expect(encodeTag({ identity: "site/prod/wan1", userComment: "rs:looks like a tag" })).toBe(
      "rs:site/prod/wan1 rs:looks like a tag",
    );
  });

  it("decodes only managed comments", () => {
    expect(decodeTag("defconf")).toBeUndefined();
    expect(decodeTag("rs:not-an-identity")).toBeUndefined();
    expect(decodeTag(undefined)).toBeUndefined();
    expect(decodeTag("rs:a/b/c  two spaces")).toEqual({ identity: "a/b/c", userComment: " two spaces" });
  });

  it("round-trips every identity and every acceptable user comment", () => {
    const part = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
    const identity = fc.tuple(part, part, part).map((p) => p.join("/"));
    const comment = fc.option(
      fc.string({ minLength: 1 }).filter((c) => userCommentProblem(c) === undefined),
      { nil: undefined },
    );
    fc.assert(
      fc.property(identity, comment, (id, c) => {
        const tag = { identity: id, userComment: c };
        expect(decodeTag(encodeTag(tag))).toEqual(tag);
      }),
    );
  });

  it("rejects user comments that would be ambiguous next to the tag", () => {
    expect(() => encodeTag({ identity: "a/b/c", userComment: "" })).toThrow(/empty/);
    expect(() => encodeTag({ identity: "a/b/c", userComment: " x" })).toThrow(/whitespace/);
    expect(() => encodeTag({ identity: "a b/c/d" })).toThrow(/not <project>\/<stack>\/<name>/);
    expect(userComment.safeParse("x ").success).toBe(false);
    expect(userComment.safeParse("défaut; [x] $y").success).toBe(true);
  });

  it("the device filter is a prefix regex; exact identity is checked on the rows", () => {
    expect(tagFilter("site.a/prod/wan1")).toEqual({ op: "regex", prop: "comment", pattern: "^rs:site[.]a/prod/wan1" });
  });
});
