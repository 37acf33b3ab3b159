import { providerStub } from "../stub";

export = providerStub("routeros-netwatch");
