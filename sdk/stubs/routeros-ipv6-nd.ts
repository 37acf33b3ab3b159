import { providerStub } from "../stub";

export = providerStub("routeros-ipv6-nd");
