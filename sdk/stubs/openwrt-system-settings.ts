import { providerStub } from "../stub";

export = providerStub("openwrt-system-settings");
