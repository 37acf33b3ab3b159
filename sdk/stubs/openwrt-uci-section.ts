import { providerStub } from "../stub";

export = providerStub("openwrt-uci-section");
