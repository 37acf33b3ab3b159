import { providerStub } from "../stub";

export = providerStub("openwrt-mwan3-interface");
