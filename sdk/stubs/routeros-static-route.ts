import { providerStub } from "../stub";

export = providerStub("routeros-static-route");
