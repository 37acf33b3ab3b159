/**
 * Inputs shared by the RouterOS PPP client kinds (`/interface/pppoe-client`, `/interface/l2tp-client`),
 * routeros-cli.md §5.9. Defaults not given by the reference are marked [I] where they are used.
 */
import { z } from "zod";
import { freeText } from "../common";
import { routerosName } from "./fields";

/** Authentication protocols a PPP client may accept (`allow`), §5.9. */
export const pppAllow = z
  .array(z.enum(["pap", "chap", "mschap1", "mschap2"]))
  .min(1, "must allow at least one protocol")
  .transform((xs) => [...new Set(xs)].sort());

/** `use-peer-dns`: `no`, `yes`, or `exclusively` (only the peer's servers), §5.9. */
export const usePeerDns = z.enum(["no", "yes", "exclusively"]);

/** PPP user name; empty by default. */
export const pppUser = freeText.default("");

/** A `/ppp/profile` name. */
export const pppProfile = routerosName;
