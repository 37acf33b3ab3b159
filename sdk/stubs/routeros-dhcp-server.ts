import { providerStub } from "../stub";

export = providerStub("routeros-dhcp-server");
