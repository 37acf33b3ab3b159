import { providerStub } from "../stub";

export = providerStub("routeros-bridge-port");
