import { providerStub } from "../stub";

export = providerStub("openwrt-bgp-session");
