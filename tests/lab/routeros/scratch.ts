import { createRouterOsCli } from "./index";
const c = createRouterOsCli();
const lines = [
  ':put [/system/resource/get version]',
  ':put [/ip/route/add dst-address=0.0.0.0/0 gateway=198.51.100.1 distance=1 check-gateway=ping comment="iac:wan1-default"]',
  '/ip/route/add dst-address=0.0.0.0/0 gateway=203.0.113.1 distance=2 comment="iac:wan2-default"',
  '/ip/route/set [find where comment="iac:wan2-default"] distance=3',
  ':put [/ip/route/find where comment~"^iac:"]',
  ':put [:serialize to=json options=json.no-string-conversion [/ip/route/print detail as-value where comment~"^iac:"]]',
  ':put [:serialize to=json options=json.no-string-conversion [/ip/route/print detail as-value]]',
  '/ip/address/add address=10.9.9.1/24 interface=nonexistent',
  ':put "IAC-BEGIN"; :onerror e in={ /ip/address/add address=10.9.9.1/24 interface=nonexistent } do={ :put ("IAC-ERR " . $e) }; :put "IAC-END"',
  '/system note set note= show-at-login=yes',
  '/ip/address/add address=10.9.9.1/24 interface=ether1 bogus=1',
  ':put [/ip/address/print as-value]',
  '/ip/firewall/filter/print',
  '/system/resource/print',
  ':put [:serialize to=json [/system/resource/print as-value]]',
];
for (const l of lines) console.log(JSON.stringify(l), "=>", JSON.stringify(c.run(l)));
