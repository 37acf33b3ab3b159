/**
 * AddressListEntry (`/ip/firewall/address-list`) against the lab's in-process CLI emulator (tests/lab/routeros,
 * written from routeros-cli.md) on every emulated version: the shared lifecycle (create → no-op → drift →
 * update/unset → renumber → delete) for addresses, ranges and DNS names, and bad input rejected by `check` with the
 * field named and no device I/O.
 */
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as addressList } from "../../../provider/resources/routeros/address-list-entry";
import { badInputs, lifecycle } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

describe.each(VERSIONS)("emulator %s: routeros-address-list-entry", (v) => {
  lifecycle({
    kind: addressList,
    menu: "/ip/firewall/address-list",
    newDevice: () => emulator(v),
    inputs: { list: "exported", address: "203.0.113.0/24", comment: "allocated prefix" },
    update: { list: "exported", address: "203.0.113.0/25", disabled: true },
    unsetField: "comment",
    drift: { args: [{ kind: "value", prop: "address", value: "198.51.100.7" }], expect: { address: "198.51.100.7" } },
  });
});

describe.each(VERSIONS)("emulator %s: routeros-address-list-entry (range, DNS name)", (v) => {
  lifecycle({
    kind: addressList,
    menu: "/ip/firewall/address-list",
    newDevice: () => emulator(v),
    inputs: { list: "probes", address: "192.0.2.10-192.0.2.20" },
    update: { list: "probes-2", address: "one.one.one.one", comment: "resolved by RouterOS" },
    drift: { args: [{ kind: "value", prop: "list", value: "other" }], expect: { list: "other" } },
  });
});

/** Bad input: `check` names the field and gives the reason; it never asks for a device transport. */
const BAD: [string, UntypedKind, Record<string, unknown>, string, RegExp][] = [
  ["address with host bits", addressList, { list: "x", address: "192.0.2.1/24" }, "address", /no host bits/],
  ["address range reversed", addressList, { list: "x", address: "192.0.2.9-192.0.2.1" }, "address", /lower/],
  ["address 192.0.2.256", addressList, { list: "x", address: "192.0.2.256" }, "address", /IPv4 address/],
  [
    "address-list timeout",
    addressList,
    { list: "x", address: "192.0.2.1", timeout: "5m" },
    "timeout",
    /unknown property/,
  ],
];

badInputs(BAD);
