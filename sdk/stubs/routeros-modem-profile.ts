import { providerStub } from "../stub";

export = providerStub("routeros-modem-profile");
