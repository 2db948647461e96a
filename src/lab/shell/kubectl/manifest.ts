/**
 * Reading `-f` manifests from the lab's files as kubectl's resource builder does: a file or a
 * directory of .yaml/.yml/.json files, YAML streams split on `---` lines, empty documents skipped,
 * `kind: List` flattened, apiVersion and kind checked, each object mapped to a served resource and
 * given the default namespace. YAML errors carry the line and column (js-yaml's mark) and the lines
 * around it.
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import type { VirtualFs } from '../vfs';
import { VfsError } from '../vfs';
import type { ApiResource, Discovery } from './client/discovery';
import { KubectlError, NoKindMatchError } from './client/errors';

export type Obj = Record<string, any>;

/** One object from a manifest (cli-runtime's resource.Info). */
export interface Info {
  source: string;
  object: Obj;
  resource: ApiResource;
  /** Empty for cluster-scoped resources. */
  namespace: string;
  name: string;
}

/** A document of a YAML stream and the line it starts on (1-based). */
interface Doc {
  text: string;
  line: number;
}

const STOP_VALIDATE = 'if you choose to ignore these errors, turn validation off with --validate=false';

/** Splits a YAML stream at `---` lines (kubectl's YAMLReader); a separator may carry a comment only. */
// Upstream: apimachinery pkg/util/yaml/decoder.go (YAMLReader.Read)
export function splitDocuments(text: string, source: string): Doc[] {
  const docs: Doc[] = [];
  let cur: string[] = [];
  let start = 1;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        throw new KubectlError(`error parsing ${source}: invalid Yaml document separator: ${rest}`);
      }
      docs.push({ text: cur.join('\n'), line: start });
      cur = [];
      start = i + 2;
    } else cur.push(line);
  });
  docs.push({ text: cur.join('\n'), line: start });
  return docs;
}

/** Parses one document; a syntax error names the file, line and column, then shows the lines. */
export function parseDocument(doc: Doc, source: string): unknown {
  try {
    return load(doc.text, { schema: CORE_SCHEMA, filename: source });
  } catch (err) {
    if (err instanceof YAMLException) {
      const line = (err.mark?.line ?? 0) + doc.line;
      const column = (err.mark?.column ?? 0) + 1;
      const snippet = err.mark?.snippet
        ? '\n' + err.mark.snippet.replace(/^( *)(\d+)( \|)/gm, (_m: string, sp: string, n: string, bar: string) => `${sp}${Number(n) + doc.line - 1}${bar}`)
        : '';
      throw new KubectlError(`error parsing ${source}: error converting YAML to JSON: yaml: line ${line}, column ${column}: ${err.reason}${snippet}`);
    }
    throw err;
  }
}

/** The manifest files a `-f` path names: the file, or a directory's .yaml/.yml/.json files. */
export function expandPaths(fs: VirtualFs, paths: string[], recursive: boolean): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!fs.exists(p)) throw new KubectlError(`the path "${p}" does not exist`);
    if (!fs.isDirectory(p)) {
      out.push(p);
      continue;
    }
    const walk = (dir: string) => {
      for (const name of fs.readdir(dir)) {
        const full = dir.endsWith('/') ? dir + name : `${dir}/${name}`;
        if (fs.isDirectory(full)) {
          if (recursive) walk(full);
        } else if (/\.(ya?ml|json)$/.test(name)) out.push(full);
      }
    };
    walk(p);
  }
  return out;
}

/** client-side validation kubectl always does: apiVersion and kind set and strings. */
// Upstream: kubectl pkg/validation/validation.go (getObjectKind)
function validateKind(obj: unknown): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return ['invalid object to validate'];
  const o = obj as Obj;
  const errs: string[] = [];
  if (o.apiVersion === undefined || o.apiVersion === null) errs.push('apiVersion not set');
  else if (typeof o.apiVersion !== 'string') errs.push("apiVersion isn't string type");
  if (o.kind === undefined || o.kind === null) errs.push('kind not set');
  else if (typeof o.kind !== 'string') errs.push("kind isn't string type");
  return errs;
}

/** What visiting a manifest yields: an Info, or the error for that object (kubectl continues). */
export type Visit = { info: Info; error?: undefined } | { info?: undefined; error: Error };

/**
 * Reads the `-f` paths and yields each object in order; parse errors end a file (kubectl stops
 * reading a stream at its first bad document), mapping errors skip one object.
 */
// Upstream: cli-runtime pkg/resource/visitor.go (StreamVisitor.Visit), mapper.go (infoForData)
export async function visitManifests(
  fs: VirtualFs | undefined,
  paths: string[],
  discovery: Discovery,
  namespace: string,
  explicitNamespace: boolean,
  recursive = false,
): Promise<Visit[]> {
  if (!fs) throw new KubectlError('no files in this lab: -f reads the lab\'s manifests');
  const visits: Visit[] = [];
  let files: string[];
  try {
    files = expandPaths(fs, paths, recursive);
  } catch (err) {
    return [{ error: err as Error }];
  }
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFile(file);
    } catch (err) {
      visits.push({ error: new KubectlError(err instanceof VfsError ? `open ${file}: ${VfsError.describe(err.code).toLowerCase()}` : String(err)) });
      continue;
    }
    try {
      for (const doc of splitDocuments(text, file)) {
        if (doc.text.trim() === '') continue;
        const value = parseDocument(doc, file);
        if (value === null || value === undefined) continue;
        const errs = validateKind(value);
        if (errs.length) {
          const msg = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
          throw new KubectlError(`error validating "${file}": error validating data: ${msg}; ${STOP_VALIDATE}`);
        }
        const obj = value as Obj;
        const items: Obj[] = obj.kind === 'List' || (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) ? obj.items ?? [] : [obj];
        for (const item of items) visits.push(await infoForData(item, file, discovery, namespace, explicitNamespace));
      }
    } catch (err) {
      visits.push({ error: err as Error });
    }
  }
  return visits;
}

async function infoForData(obj: Obj, source: string, discovery: Discovery, namespace: string, explicitNamespace: boolean): Promise<Visit> {
  const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
  const objNamespace = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : '';
  let resource: ApiResource;
  try {
    resource = await discovery.resourceForKind(String(obj.apiVersion ?? ''), String(obj.kind ?? ''));
  } catch (err) {
    if (err instanceof NoKindMatchError) {
      return { error: new KubectlError(`resource mapping not found for name: "${name}" namespace: "${objNamespace}" from "${source}": ${err.message}\nensure CRDs are installed first`) };
    }
    return { error: new KubectlError(`unable to recognize "${source}": ${(err as Error).message}`) };
  }
  let ns = '';
  if (resource.namespaced) {
    if (objNamespace && explicitNamespace && objNamespace !== namespace) {
      return {
        error: new KubectlError(`the namespace from the provided object "${objNamespace}" does not match the namespace "${namespace}". You must pass '--namespace=${objNamespace}' to perform this operation.`),
      };
    }
    ns = objNamespace || namespace;
    obj.metadata = { ...(obj.metadata ?? {}), namespace: ns };
  } else if (obj.metadata && 'namespace' in obj.metadata) {
    const { namespace: _drop, ...rest } = obj.metadata;
    obj.metadata = rest;
  }
  return { info: { source, object: obj, resource, namespace: ns, name } };
}
