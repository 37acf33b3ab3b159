import { providerStub } from "../stub";

export = providerStub("openwrt-dhcp-host");
