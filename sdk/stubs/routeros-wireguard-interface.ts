import { providerStub } from "../stub";

export = providerStub("routeros-wireguard-interface");
