/**
 * The lab's files (the editor's tabs: `main.ts` and the lab's manifests) as learner code reads
 * them: `labFile('app.yaml')` returns the tab's text as it is now, so editing a manifest changes
 * what code reads, as it changes what `kubectl apply -f` sees. `parseManifests` turns a YAML
 * stream into objects the way kubectl's reader does (documents split on `---`, empty ones skipped,
 * `kind: List` flattened), with the file, line and column of a syntax error.
 */
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { UsageError } from '../core/errors';
import type { KubeObject } from '../core/object';

let current: Readonly<Record<string, string>> | undefined;

/** Installs the files of the run (or clears them); returns the previous ones. */
export function useLabFiles(files: Record<string, string> | undefined): Readonly<Record<string, string>> | undefined {
  const previous = current;
  current = files === undefined ? undefined : Object.freeze({ ...files });
  return previous;
}

/** The names of the lab's files in this run, sorted. */
export function labFiles(): string[] {
  return Object.keys(current ?? {}).sort();
}

/** The text of one of the lab's files (a tab of the editor), e.g. `labFile('crd.yaml')`. */
export function labFile(name: string): string {
  const text = current?.[name.replace(/^\.\//, '')];
  if (text === undefined) {
    const names = labFiles();
    throw new UsageError(`labFile('${name}'): no such file in this lab (files: ${names.length ? names.join(', ') : 'none'})`);
  }
  return text;
}

/**
 * The objects of a YAML (or JSON) stream, in order. Throws a UsageError naming `source`, the
 * line and the column for a syntax error, and the document for one that is not an object with
 * apiVersion and kind.
 */
// Upstream: apimachinery pkg/util/yaml/decoder.go (YAMLOrJSONDecoder), cli-runtime resource/visitor.go (FlattenListVisitor)
export function parseManifests(text: string, source = 'manifest'): KubeObject[] {
  let docs: unknown[];
  try {
    docs = loadAll(text, undefined, { schema: CORE_SCHEMA, filename: source });
  } catch (err) {
    if (err instanceof YAMLException) {
      const { line, column } = err.mark ?? { line: 0, column: 0 };
      throw new UsageError(`${source}:${line + 1}:${column + 1}: ${err.reason}`);
    }
    throw err;
  }
  const objects: KubeObject[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    const where = `${source}: document ${i + 1}`;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${where}: not an object`);
    const obj = doc as Record<string, unknown>;
    if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') throw new UsageError(`${where}: Object 'apiVersion' is missing`);
    if (typeof obj.kind !== 'string' || obj.kind === '') throw new UsageError(`${where}: Object 'Kind' is missing`);
    if (obj.kind === 'List' || (obj.kind.endsWith('List') && Array.isArray(obj.items))) {
      for (const item of (obj.items as unknown[]) ?? []) objects.push(item as KubeObject);
    } else objects.push(obj as KubeObject);
  });
  return objects;
}
