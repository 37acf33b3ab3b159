import { providerStub } from "../stub";

export = providerStub("openwrt-firewall-forwarding");
