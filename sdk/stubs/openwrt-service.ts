import { providerStub } from "../stub";

export = providerStub("openwrt-service");
