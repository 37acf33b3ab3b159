import { providerStub } from "../stub";

export = providerStub("routeros-interface-list");
