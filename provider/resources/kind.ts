/**
 * The contract between the generic dynamic provider and a resource kind, and the stored id format of an adopted
 * resource. Both moved to provider/core (issue 16: the platform engines implement them and must not import the
 * kinds' layer); re-exported here so the kinds keep one import.
 */
export type {
  OpContext,
  Observed,
  KindDriver,
  AdoptionPreview,
  AdoptionSpec,
  ResourceKind,
  UntypedKind,
} from "../core/kind";
export { DeviceError } from "../core/errors";
export { ADOPTED_ID_MARK, splitAdoptedId, joinAdoptedId } from "../core/adopted-id";
