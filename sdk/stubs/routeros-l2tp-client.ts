import { providerStub } from "../stub";

export = providerStub("routeros-l2tp-client");
