import { providerStub } from "../stub";

export = providerStub("routeros-routing-table");
