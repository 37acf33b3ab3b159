import { providerStub } from "../stub";

export = providerStub("openwrt-bird-config");
