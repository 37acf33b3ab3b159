import { providerStub } from "../stub";

export = providerStub("openwrt-remote-file");
