import { providerStub } from "../stub";

export = providerStub("openwrt-network-rule");
