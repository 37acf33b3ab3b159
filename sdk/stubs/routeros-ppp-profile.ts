import { providerStub } from "../stub";

export = providerStub("routeros-ppp-profile");
