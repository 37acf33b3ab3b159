import { providerStub } from "../stub";

export = providerStub("openwrt-nat-rule");
