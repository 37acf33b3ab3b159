/**
 * The engine's JSON state file:
 * `{version: 1, secretsProvider?: {type: "passphrase", state: {salt}}, resources: StateResource[], outputs}`.
 * In memory secrets are `{sig, value}`; on disk every one is `{sig, ciphertext}` encrypted with the stack's
 * passphrase key (Pulumi's checkpoint format), so no secret is ever written in plain text.
 */
import * as fs from "fs";
import type { SymmetricCrypter } from "./crypto";
import { writeFileAtomic } from "./project";
import { containsSecret, decryptSecrets, encryptSecrets, hasCiphertext, Props } from "./properties";

export interface ResourceOptionsState {
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  additionalSecretOutputs?: string[];
  /** URN of the resource whose deletion also removes this one: its own delete is skipped then */
  deletedWith?: string;
}

export interface StateResource {
  urn: string;
  type: string;
  name: string;
  id: string;
  inputs: Props;
  outputs: Props;
  /** URNs this resource depends on (dependsOn and input dependencies) */
  deps: string[];
  parent?: string;
  options: ResourceOptionsState;
  /**
   * `customTimeouts` in seconds, kept as the CLI keeps them in state: a later delete (the resource removed
   * from the program, destroy, the old half of a replacement) sends the stored delete timeout (step.go:687-699)
   */
  customTimeouts?: { create: number; update: number; delete: number };
  /** old half of a create-before-delete replacement whose delete has not run yet (Pulumi's `delete: true`) */
  pendingDelete?: boolean;
  /** deleted on the device by a delete-before-replace whose create has not succeeded yet */
  pendingReplacement?: boolean;
}

export interface StateFile {
  version: 1;
  secretsProvider?: { type: "passphrase"; state: { salt: string } };
  resources: StateResource[];
  outputs?: Props;
}

export function emptyState(): StateFile {
  return { version: 1, resources: [] };
}

/** Reads the state file (missing = empty). `crypter` is called only if the file holds ciphertexts. */
export function readState(file: string, crypter: (salt: string | undefined) => SymmetricCrypter): StateFile {
  if (!fs.existsSync(file)) return emptyState();
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
  if (raw.version !== 1 || !Array.isArray(raw.resources)) throw new Error(`${file}: not a version 1 state file`);
  if (!hasCiphertext(raw)) return raw;
  let c: SymmetricCrypter | undefined;
  const get = () => (c ??= crypter(raw.secretsProvider?.state.salt));
  return {
    ...raw,
    resources: raw.resources.map((r) => decryptSecrets(r, get) as StateResource),
    outputs: raw.outputs === undefined ? undefined : (decryptSecrets(raw.outputs, get) as Props),
  };
}

/** Writes atomically (temp + rename). `crypter` is called only if something is secret. */
export function writeState(
  file: string,
  state: StateFile,
  crypter: () => { crypter: SymmetricCrypter; salt: string },
): void {
  let out: StateFile = { version: 1, resources: state.resources, outputs: state.outputs };
  if (containsSecret(state)) {
    let c: { crypter: SymmetricCrypter; salt: string } | undefined;
    const get = () => (c ??= crypter()).crypter;
    out = {
      version: 1,
      resources: state.resources.map((r) => encryptSecrets(r, get) as StateResource),
      outputs: state.outputs === undefined ? undefined : (encryptSecrets(state.outputs, get) as Props),
    };
    if (c)
      out = {
        version: 1,
        secretsProvider: { type: "passphrase", state: { salt: c.salt } },
        resources: out.resources,
        outputs: out.outputs,
      };
  }
  writeFileAtomic(file, JSON.stringify(out, null, 2) + "\n");
}
