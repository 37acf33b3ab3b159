import { providerStub } from "../stub";

export = providerStub("routeros-dns");
