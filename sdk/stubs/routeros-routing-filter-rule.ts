import { providerStub } from "../stub";

export = providerStub("routeros-routing-filter-rule");
