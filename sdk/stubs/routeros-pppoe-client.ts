import { providerStub } from "../stub";

export = providerStub("routeros-pppoe-client");
