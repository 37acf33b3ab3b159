/**
 * The `__provider` of every routerstack resource: a few hundred bytes that `require()` the real provider module
 * at call time (DESIGN.md "Pulumi integration"). It captures only the kind's module name — no live objects, no
 * config, no secrets — so the serialized closure stays small and the installed package version runs on refresh
 * and destroy. Keep it free of `async` helpers and TypeScript-emitted runtime functions.
 */
import type * as pulumi from "@pulumi/pulumi";

export function providerStub(moduleName: string): pulumi.dynamic.ResourceProvider {
  // A require() at call time is the point of the stub: Pulumi's serializer writes it into `__provider` as is.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const target = "routerstack/provider/dynamic/" + moduleName;
  return {
    configure: (req) => require(target).configure(req),
    check: (olds, news) => require(target).check(olds, news),
    diff: (id, olds, news) => require(target).diff(id, olds, news),
    create: (inputs) => require(target).create(inputs),
    read: (id, props) => require(target).read(id, props),
    update: (id, olds, news) => require(target).update(id, olds, news),
    delete: (id, props) => require(target).delete(id, props),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
