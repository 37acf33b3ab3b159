/** The input validators routerstack uses, for programs that validate their own stack config the same way. */
export {
  ipv4Address,
  ipv6Address,
  ipAddress,
  ipv4Prefix,
  ipv6Prefix,
  interfaceName,
  asNumber,
  durationSeconds,
  freeText,
} from "../provider/resources/common";
