import { providerStub } from "../stub";

export = providerStub("routeros-system-identity");
