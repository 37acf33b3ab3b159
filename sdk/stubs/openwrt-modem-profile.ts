import { providerStub } from "../stub";

export = providerStub("openwrt-modem-profile");
