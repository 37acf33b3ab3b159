import { providerStub } from "../stub";

export = providerStub("routeros-ip-pool");
