import { providerStub } from "../stub";

export = providerStub("routeros-address-list-entry");
