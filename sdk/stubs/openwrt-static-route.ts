import { providerStub } from "../stub";

export = providerStub("openwrt-static-route");
