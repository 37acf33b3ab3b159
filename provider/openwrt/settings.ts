/**
 * Where things live on an OpenWrt device, and the process-wide reload coordinator. Defaults are OpenWrt's own
 * paths (bird2 package: /etc/bird.conf, control socket /var/run/bird.ctl; openwrt/routing:bird2). Tests point
 * them at a scratch tree; the lab host has its own root, so it uses the defaults.
 */
import type { UciInvocation } from "./uci-script";
import { ReloadCoordinator } from "./reloads";

export interface OpenwrtSettings {
  uci: UciInvocation;
  /** Main BIRD config, owned by the BirdConfig kind. */
  birdConf: string;
  /** Directory of per-protocol files, included by the main config as `<birdDir>/*.conf`. */
  birdDir: string;
  /** BIRD control socket for `birdc -s`. */
  birdSocket: string;
  /** Executables. */
  bird: string;
  birdc: string;
  initDir: string;
  rcDir: string;
  /** Shared by every OpenWrt kind in this process, so bursts span resources. */
  coordinator: ReloadCoordinator;
}

const defaults = (): OpenwrtSettings => ({
  uci: {},
  birdConf: "/etc/bird.conf",
  birdDir: "/etc/bird.d",
  birdSocket: "/var/run/bird.ctl",
  bird: "bird",
  birdc: "birdc",
  initDir: "/etc/init.d",
  rcDir: "/etc/rc.d",
  coordinator: new ReloadCoordinator(),
});

let current: OpenwrtSettings = defaults();

/** The settings in force. */
export function openwrtSettings(): OpenwrtSettings {
  return current;
}

/** Overrides some settings (tests, lab); `reset: true` starts from the defaults. Returns the new settings. */
export function setOpenwrtSettings(patch: Partial<OpenwrtSettings>, reset = false): OpenwrtSettings {
  current = { ...(reset ? defaults() : current), ...patch };
  return current;
}
