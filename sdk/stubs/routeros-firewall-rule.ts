import { providerStub } from "../stub";

export = providerStub("routeros-firewall-rule");
