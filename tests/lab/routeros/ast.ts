/** Syntax tree of one console command line (routeros-cli.md §3, §4.2). */
import type { MenuDef, Verb } from "./menus";
import type { Value } from "./values";

/** Part of a double-quoted string: text, `$name` (§3.3) or `$[ ... ]`. */
export type QuotedPart = string | { var: string } | { sub: Stmt[] };

export type Expr =
  | { k: "lit"; v: Value; col: number }
  | { k: "qstr"; parts: QuotedPart[] }
  | { k: "var"; name: string }
  | { k: "sub"; body: Stmt[] }
  | { k: "block"; body: Stmt[] }
  | { k: "bin"; op: string; a: Expr; b: Expr }
  | { k: "not"; a: Expr }
  /** A property of the row under test inside a where-expression (§3.2). */
  | { k: "prop"; name: string };

export interface Arg {
  name: string;
  value: Expr | null;
  col: number;
}

export interface CmdStmt {
  k: "cmd";
  menu: MenuDef;
  verb: Verb;
  /** Positional slots by name (`numbers`, `value-name`, `destination`), whether given bare or as `name=`. */
  positional: Map<string, Expr>;
  named: Arg[];
  /** `!prop` on set (§3.1). */
  unsets: string[];
  flags: string[];
  where?: Expr;
  /** Source text after the verb, for the write log. */
  argText: string;
}

export type Stmt =
  | CmdStmt
  | { k: "put"; e?: Expr }
  | { k: "local"; name: string; e?: Expr }
  | { k: "assign"; name: string; e?: Expr }
  | { k: "onerror"; name: string; body: Stmt[]; handler: Stmt[] }
  | { k: "do"; body: Stmt[]; onError?: Stmt[] }
  | { k: "if"; cond: Expr; then: Stmt[]; else?: Stmt[] }
  | { k: "error"; e?: Expr }
  | { k: "serialize"; args: Arg[] }
  | { k: "typeof" | "len" | "tostr"; e?: Expr }
  | { k: "block"; body: Stmt[] }
  | { k: "expr"; e: Expr }
  | { k: "nop" };
