import { providerStub } from "../stub";

export = providerStub("routeros-nat-rule");
