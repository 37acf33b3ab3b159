/**
 * Pulumi project and stack files: `Pulumi.yaml` (name, runtime, main) and `Pulumi.<stack>.yaml`
 * (`encryptionsalt`, `config`), and the stack config as the language host hands it to a program
 * (`PULUMI_CONFIG`: namespaced keys, every value a string, structured values JSON-encoded;
 * `PULUMI_CONFIG_SECRET_KEYS`: the keys holding a `secure:` value anywhere inside).
 */
import * as fs from "fs";
import * as path from "path";
import { crypterFromEncryptionSalt, newEncryptionSalt, SymmetricCrypter } from "./crypto";

interface Yaml {
  load(text: string): unknown;
  dump(value: unknown, opts?: { lineWidth?: number; noRefs?: boolean }): string;
}
// js-yaml is a dependency of @pulumi/pulumi (which reads stack settings with it); resolve it from
// there rather than relying on hoisting.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path resolved at run time, not a static import
const yaml: Yaml = require(require.resolve("js-yaml", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }));

export interface ProjectInfo {
  dir: string;
  name: string;
  /** absolute path of the program entry: `main` from Pulumi.yaml, else index.ts, else index.js */
  main: string;
  /** `runtime.options.typescript` (default true): false makes the CLI run the program without ts-node */
  typescript: boolean;
  /** `runtime.options.tsconfig`: the tsconfig ts-node uses */
  tsconfig?: string;
  /** `runtime.options.nodeargs`: extra node arguments */
  nodeargs: string[];
}

export interface StackConfig {
  stackFile: string;
  encryptionSalt?: string;
  /** namespaced key -> Pulumi config string (objects JSON-encoded), secrets decrypted */
  values: Record<string, string>;
  secretKeys: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function loadProject(programDir: string): ProjectInfo {
  const dir = path.resolve(programDir);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no Pulumi.yaml in ${dir}`);
  const doc = yaml.load(fs.readFileSync(file, "utf8"));
  if (!isObj(doc) || typeof doc.name !== "string") throw new Error(`${file}: missing project name`);
  const runtime = isObj(doc.runtime) ? doc.runtime.name : doc.runtime;
  const options = isObj(doc.runtime) && isObj(doc.runtime.options) ? doc.runtime.options : {};
  if (runtime !== "nodejs") throw new Error(`${file}: runtime must be nodejs, got ${JSON.stringify(runtime)}`);
  let main: string | undefined;
  if (typeof doc.main === "string") {
    const m = path.resolve(dir, doc.main);
    // `main` may name a directory (Node resolves its index/package.json main), as with the real host.
    main = fs.existsSync(m) && fs.statSync(m).isDirectory() ? resolveEntryIn(m) : m;
  } else {
    main = resolveEntryIn(dir);
  }
  if (!main || !fs.existsSync(main)) throw new Error(`${dir}: no program entry (main, index.ts or index.js)`);
  return {
    dir,
    name: doc.name,
    main,
    typescript: options.typescript !== false,
    tsconfig: typeof options.tsconfig === "string" ? options.tsconfig : undefined,
    nodeargs: typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [],
  };
}

function resolveEntryIn(dir: string): string | undefined {
  return ["index.ts", "index.js"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
}

export function stackFilePath(programDir: string, stack: string): string {
  return path.join(path.resolve(programDir), `Pulumi.${stack}.yaml`);
}

function readStackDoc(stackFile: string): Obj {
  if (!fs.existsSync(stackFile)) return {};
  const doc = yaml.load(fs.readFileSync(stackFile, "utf8"));
  if (doc === undefined || doc === null) return {};
  if (!isObj(doc)) throw new Error(`${stackFile}: not a mapping`);
  return doc;
}

/** The stack file's `encryptionsalt`, if any. */
export function readEncryptionSalt(stackFile: string): string | undefined {
  const doc = readStackDoc(stackFile);
  return typeof doc.encryptionsalt === "string" ? doc.encryptionsalt : undefined;
}

/** Does a config value contain a `secure:` leaf anywhere? */
function hasSecure(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasSecure);
  if (isObj(v))
    return (Object.keys(v).length === 1 && typeof v.secure === "string") || Object.values(v).some(hasSecure);
  return false;
}

function decryptLeaves(v: unknown, crypter: SymmetricCrypter, where: string): unknown {
  if (Array.isArray(v)) return v.map((x, i) => decryptLeaves(x, crypter, `${where}[${i}]`));
  if (isObj(v)) {
    if (Object.keys(v).length === 1 && typeof v.secure === "string") {
      try {
        return crypter.decrypt(v.secure);
      } catch (e) {
        throw new Error(`config ${where}: cannot decrypt secure value (${(e as Error).message})`, { cause: e });
      }
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decryptLeaves(x, crypter, `${where}.${k}`)]));
  }
  return v;
}

/** Pulumi's string form of a config value: scalars as text, objects and arrays as JSON. */
export function configString(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "";
  return JSON.stringify(v);
}

export function namespacedKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Reads `Pulumi.<stack>.yaml`, decrypting `secure:` leaves with the passphrase (required only when
 * some exist), and applies `overrides` (plain values, not written anywhere).
 */
export function loadStackConfig(
  project: ProjectInfo,
  stack: string,
  passphrase: string | undefined,
  overrides: Record<string, unknown> = {},
): StackConfig {
  const stackFile = stackFilePath(project.dir, stack);
  const doc = readStackDoc(stackFile);
  const encryptionSalt = typeof doc.encryptionsalt === "string" ? doc.encryptionsalt : undefined;
  const raw = isObj(doc.config) ? doc.config : {};
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  let crypter: SymmetricCrypter | undefined;
  for (const [k, v] of Object.entries(raw)) {
    const key = namespacedKey(k, project.name);
    let plain = v;
    if (hasSecure(v)) {
      if (!crypter) crypter = stackCrypter(stackFile, encryptionSalt, passphrase);
      plain = decryptLeaves(v, crypter, key);
      secretKeys.push(key);
    }
    values[key] = configString(plain);
  }
  for (const [k, v] of Object.entries(overrides)) {
    const key = namespacedKey(k, project.name);
    values[key] = configString(v);
    const i = secretKeys.indexOf(key);
    if (i >= 0) secretKeys.splice(i, 1);
  }
  return { stackFile, encryptionSalt, values, secretKeys };
}

function stackCrypter(stackFile: string, salt: string | undefined, passphrase: string | undefined): SymmetricCrypter {
  if (!salt) throw new Error(`${stackFile}: secure values but no encryptionsalt`);
  if (passphrase === undefined) throw new Error("passphrase required (set PULUMI_CONFIG_PASSPHRASE)");
  return crypterFromEncryptionSalt(passphrase, salt);
}

/**
 * The stack's crypter, creating `encryptionsalt` in the stack file if missing (as the CLI does on the
 * first secret). The salt line is inserted at the top so the rest of the file keeps its text.
 */
export function ensureStackCrypter(stackFile: string, passphrase: string): SymmetricCrypter {
  const doc = readStackDoc(stackFile);
  if (typeof doc.encryptionsalt === "string") return crypterFromEncryptionSalt(passphrase, doc.encryptionsalt);
  const { encryptionSalt, crypter } = newEncryptionSalt(passphrase);
  const old = fs.existsSync(stackFile) ? fs.readFileSync(stackFile, "utf8") : "";
  writeFileAtomic(stackFile, `encryptionsalt: ${encryptionSalt}\n${old}`);
  return crypter;
}

/** `pulumi config set --secret`'s ciphertext for `plaintext` (returns "v1:..."). */
export function encryptConfigValue(plaintext: string, stackFile: string, passphrase: string): string {
  return ensureStackCrypter(stackFile, passphrase).encrypt(plaintext);
}

/**
 * `pulumi config set [--secret] <key> <value>`: writes one top-level key into the stack file
 * (the file is re-serialized, so comments are lost).
 */
export function setStackConfigValue(
  stackFile: string,
  key: string,
  value: string,
  secret: boolean,
  passphrase?: string,
): void {
  let stored: unknown = value;
  if (secret) {
    if (passphrase === undefined) throw new Error("passphrase required (set PULUMI_CONFIG_PASSPHRASE)");
    stored = { secure: encryptConfigValue(value, stackFile, passphrase) };
  }
  const doc = readStackDoc(stackFile);
  const config = isObj(doc.config) ? doc.config : {};
  config[key] = stored;
  doc.config = config;
  writeFileAtomic(stackFile, yaml.dump(doc, { lineWidth: -1, noRefs: true }));
}

/** temp file in the same directory + rename, so readers never see a half-written file */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
