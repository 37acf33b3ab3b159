import { providerStub } from "../stub";

export = providerStub("routeros-bgp-template");
