import { providerStub } from "../stub";

export = providerStub("routeros-raw-rule");
