/**
 * routerstack's test engine: stands in for the Pulumi CLI (`up`, `preview [--refresh]`, `refresh`, `destroy`)
 * by running a Pulumi program under mocks and forwarding every dynamic resource to the real
 * dynamic-provider host over gRPC (docs: /work/shared/reference/pulumi-dynamic-host.md §5, §6).
 */
export { runEngine } from "./engine";
export type { EngineOp, EngineOptions, EngineResult, EngineStep } from "./engine";
export { encryptConfigValue, setStackConfigValue, stackFilePath } from "./project";
export { livePids } from "./processes";
