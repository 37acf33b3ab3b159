// Test fixtures for the uci stand-in: throw-away confdir/savedir and the sample configs the
// reference measured against (openwrt-uci.md §1: network and firewall with named, anonymous and
// list sections; the firewall sample holds a defaults section, two zones, a forwarding and a rule).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runUci, UciResult } from "./index";

export const NETWORK = `
config interface 'loopback'
\toption device 'lo'
\toption proto 'static'

config globals 'globals'
\toption ula_prefix 'fd12:3456:789a::/48'

config device
\toption name 'br-lan'
\toption type 'bridge'
\tlist ports 'lan1'
\tlist ports 'lan2'

config interface 'lan'
\toption device 'br-lan'
\toption proto 'static'
\toption ip6assign '60'

config interface 'wan'
\toption device 'wan'
\toption proto 'dhcp'

config interface 'lte'
\toption proto 'qmi'
`;

export const FIREWALL = `
config defaults
\toption input 'ACCEPT'
\toption forward 'REJECT'

config zone
\toption name 'lan'
\tlist network 'lan'

config zone
\toption name 'wan'
\tlist network 'wan'
\tlist network 'wan6'
\toption masq '1'

config forwarding
\toption src 'lan'
\toption dest 'wan'

config rule
\toption name 'Allow-DHCP-Renew'
\toption proto 'udp'
`;

export interface Lab {
  root: string;
  confdir: string;
  savedir: string;
  /** in-process `uci -c confdir -t savedir …` */
  uci(args: string[], stdin?: string): UciResult;
  write(pkg: string, text: string): void;
  read(pkg: string): string;
  cleanup(): void;
}

export function makeLab(packages: Record<string, string> = { network: NETWORK, firewall: FIREWALL }): Lab {
  // Like libuci, the stand-in also replays the default savedir /tmp/.uci under -t (see
  // libuci.js Context.deltaPath), so a leftover delta there would leak into these tests.
  for (const name of Object.keys(packages)) {
    const stray = path.join("/tmp/.uci", name);
    if (fs.existsSync(stray) && fs.statSync(stray).size > 0) {
      throw new Error(`${stray} holds pending uci changes that every uci run replays; remove it to run these tests`);
    }
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "uci-lab-"));
  const confdir = path.join(root, "config");
  const savedir = path.join(root, "save");
  fs.mkdirSync(confdir);
  for (const [name, text] of Object.entries(packages))
    fs.writeFileSync(path.join(confdir, name), text, { mode: 0o644 });
  return {
    root,
    confdir,
    savedir,
    uci: (args, stdin) => runUci(["-c", confdir, "-t", savedir, ...args], { stdin }),
    write: (pkg, text) => fs.writeFileSync(path.join(confdir, pkg), text, { mode: 0o644 }),
    read: (pkg) => fs.readFileSync(path.join(confdir, pkg), "utf8"),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
