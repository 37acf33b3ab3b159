/**
 * routerstack's test engine: stands in for the Pulumi CLI (`up`, `preview [--refresh]`, `refresh`, `destroy`).
 * It runs a Pulumi program through @pulumi/pulumi's own `cmd/run` against a ResourceMonitor and Engine of
 * its own (monitor.ts), takes the registrations one at a time as the CLI's Go engine does (deployment.ts)
 * and forwards every dynamic resource to the real dynamic-provider host over gRPC (host.ts).
 * docs/engine.md maps each behaviour to the pulumi/pulumi source it follows and the test that shows it.
 */
export { EngineInterrupt, runEngine } from "./engine";
export type { EngineOp, EngineOptions, EngineResult, EngineStep } from "./engine";
export { encryptConfigValue, setStackConfigValue, stackFilePath } from "./project";
export { livePids } from "./processes";
