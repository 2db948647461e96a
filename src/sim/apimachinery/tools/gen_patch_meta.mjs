#!/usr/bin/env node
// Generates ../patch_meta.generated.ts: the Go struct types that the strategic merge patch walks
// (apimachinery pkg/util/strategicpatch PatchMetaFromStruct over reflect.Type), read from the Go
// sources of k8s.io/api, k8s.io/apimachinery and k8s.io/apiextensions-apiserver at v0.34.0.
// For every struct reachable from the root kinds it records each JSON field: its type (struct,
// slice, map, pointer or a scalar) and its `patchStrategy` / `patchMergeKey` struct tags.
//
//   node src/sim/apimachinery/tools/gen_patch_meta.mjs [--mirrors /work/.mirror]
//
// The mirrors are bare clones (the `fetch` tool's /work/.mirror/<owner>+<name>/repo); files are
// read with `git show v0.34.0:<path>`, so no checkout is needed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TAG = 'v0.34.0';
const args = process.argv.slice(2);
const mirrors = args.includes('--mirrors') ? args[args.indexOf('--mirrors') + 1] : '/work/.mirror';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'patch_meta.generated.ts');

/** Go packages: our short name, the repo, the files, and the import aliases used for it elsewhere. */
const PACKAGES = [
  { pkg: 'core/v1', repo: 'kubernetes+api', files: ['core/v1/types.go'] },
  { pkg: 'apps/v1', repo: 'kubernetes+api', files: ['apps/v1/types.go'] },
  { pkg: 'discovery/v1', repo: 'kubernetes+api', files: ['discovery/v1/types.go'] },
  { pkg: 'coordination/v1', repo: 'kubernetes+api', files: ['coordination/v1/types.go'] },
  { pkg: 'events/v1', repo: 'kubernetes+api', files: ['events/v1/types.go'] },
  { pkg: 'batch/v1', repo: 'kubernetes+api', files: ['batch/v1/types.go'] },
  { pkg: 'autoscaling/v1', repo: 'kubernetes+api', files: ['autoscaling/v1/types.go'] },
  { pkg: 'autoscaling/v2', repo: 'kubernetes+api', files: ['autoscaling/v2/types.go'] },
  { pkg: 'meta/v1', repo: 'kubernetes+apimachinery', files: ['pkg/apis/meta/v1/types.go', 'pkg/apis/meta/v1/time.go', 'pkg/apis/meta/v1/micro_time.go', 'pkg/apis/meta/v1/duration.go'] },
  { pkg: 'intstr', repo: 'kubernetes+apimachinery', files: ['pkg/util/intstr/intstr.go'] },
  { pkg: 'resource', repo: 'kubernetes+apimachinery', files: ['pkg/api/resource/quantity.go'] },
  { pkg: 'runtime', repo: 'kubernetes+apimachinery', files: ['pkg/runtime/types.go'] },
  { pkg: 'types', repo: 'kubernetes+apimachinery', files: ['pkg/types/uid.go', 'pkg/types/nodename.go'] },
  { pkg: 'apiextensions/v1', repo: 'kubernetes+apiextensions-apiserver', files: ['pkg/apis/apiextensions/v1/types.go', 'pkg/apis/apiextensions/v1/types_jsonschema.go'] },
];
/** Import aliases -> our package names. */
const ALIASES = {
  metav1: 'meta/v1', v1: 'core/v1', corev1: 'core/v1', intstr: 'intstr', resource: 'resource', runtime: 'runtime', types: 'types',
};
/** Types whose JSON form is a scalar or opaque (custom MarshalJSON): never walked as structs. */
const OPAQUE = new Set([
  'meta/v1.Time', 'meta/v1.MicroTime', 'meta/v1.Duration', 'meta/v1.FieldsV1', 'intstr.IntOrString', 'resource.Quantity',
  'runtime.RawExtension', 'apiextensions/v1.JSON', 'apiextensions/v1.JSONSchemaPropsOrArray',
  'apiextensions/v1.JSONSchemaPropsOrBool', 'apiextensions/v1.JSONSchemaPropsOrStringArray',
]);
/** The kinds the labs use: the roots of the walk. */
const ROOTS = [
  'core/v1.Pod', 'core/v1.Node', 'core/v1.Namespace', 'core/v1.ConfigMap', 'core/v1.Secret', 'core/v1.Service',
  'core/v1.Endpoints', 'core/v1.Event', 'core/v1.ServiceAccount', 'core/v1.PersistentVolumeClaim', 'core/v1.ReplicationController',
  'apps/v1.Deployment', 'apps/v1.ReplicaSet', 'apps/v1.StatefulSet', 'apps/v1.DaemonSet', 'apps/v1.ControllerRevision',
  'discovery/v1.EndpointSlice', 'coordination/v1.Lease', 'events/v1.Event', 'apiextensions/v1.CustomResourceDefinition',
  'batch/v1.Job', 'autoscaling/v1.HorizontalPodAutoscaler', 'autoscaling/v2.HorizontalPodAutoscaler',
];
const BUILTIN = new Set(['string', 'bool', 'byte', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64', 'rune']);

function gitShow(repo, path) {
  return execFileSync('git', ['-C', join(mirrors, repo, 'repo'), 'show', `${TAG}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Drops Go comments (line and block), keeping struct tags (inside backquotes) intact. */
function stripComments(src) {
  let out = '';
  let i = 0;
  let inTag = false;
  let inStr = false;
  while (i < src.length) {
    const c = src[i];
    if (inTag) {
      out += c;
      if (c === '`') inTag = false;
      i++;
    } else if (inStr) {
      out += c;
      if (c === '\\') {
        out += src[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') inStr = false;
      i++;
    } else if (c === '`') {
      inTag = true;
      out += c;
      i++;
    } else if (c === '"') {
      inStr = true;
      out += c;
      i++;
    } else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      const skipped = src.slice(i, end + 2);
      out += skipped.replace(/[^\n]/g, '');
      i = end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Go declarations: structs (fields) and named non-struct types (underlying type expression). */
const structs = new Map(); // 'pkg.Name' -> [{ goName, type, tags, embedded }]
const named = new Map(); // 'pkg.Name' -> type expression (already qualified)

function qualify(expr, pkg) {
  expr = expr.trim();
  if (expr.startsWith('*')) return '*' + qualify(expr.slice(1), pkg);
  if (expr.startsWith('[]')) return '[]' + qualify(expr.slice(2), pkg);
  const m = /^map\[([^\]]+)\](.+)$/.exec(expr);
  if (m) return `map[${qualify(m[1], pkg)}]${qualify(m[2], pkg)}`;
  if (BUILTIN.has(expr) || expr === 'interface{}' || expr === 'any') return expr;
  const dot = expr.indexOf('.');
  if (dot > 0) {
    const alias = expr.slice(0, dot);
    const target = ALIASES[alias] ?? alias;
    return `${target}.${expr.slice(dot + 1)}`;
  }
  return `${pkg}.${expr}`;
}

for (const { pkg, repo, files } of PACKAGES) {
  for (const file of files) {
    const lines = stripComments(gitShow(repo, file)).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      let m = /^type (\w+) struct ?\{\s*\}?\s*$/.exec(line);
      if (m) {
        const fields = [];
        const name = `${pkg}.${m[1]}`;
        if (!line.trim().endsWith('}')) {
          for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
            const l = lines[i].replace(/\/\/.*$/, '').trim();
            if (!l) continue;
            const tagM = /`([^`]*)`/.exec(l);
            const tags = {};
            if (tagM) for (const t of tagM[1].matchAll(/(\w+):"([^"]*)"/g)) tags[t[1]] = t[2];
            const body = l.replace(/`[^`]*`/, '').trim();
            const parts = body.split(/\s+/);
            if (parts.length === 1) fields.push({ goName: parts[0].replace(/^\*/, '').split('.').pop(), type: qualify(parts[0], pkg), tags, embedded: true });
            else fields.push({ goName: parts[0].replace(/,$/, ''), type: qualify(parts.slice(1).join(' '), pkg), tags, embedded: false });
          }
        }
        structs.set(name, fields);
        continue;
      }
      m = /^type (\w+) (?:= )?(.+?)\s*(?:\/\/.*)?$/.exec(line);
      if (m && !m[2].startsWith('struct') && !m[2].startsWith('interface') && !m[2].startsWith('func') && !m[2].startsWith('(')) {
        named.set(`${pkg}.${m[1]}`, qualify(m[2], pkg));
      }
    }
  }
}

/** Resolves a qualified type expression to our compact encoding. */
function encode(expr, want) {
  if (expr.startsWith('*')) return '*' + encode(expr.slice(1), want);
  if (expr.startsWith('[]')) return expr === '[]byte' ? 'string' : '[]' + encode(expr.slice(2), want);
  const m = /^map\[([^\]]+)\](.+)$/.exec(expr);
  if (m) return 'map:' + encode(m[2], want);
  if (BUILTIN.has(expr)) return expr === 'bool' ? 'bool' : expr.startsWith('float') ? 'float64' : expr === 'string' ? 'string' : 'int64';
  if (expr === 'interface{}' || expr === 'any') return 'interface';
  if (OPAQUE.has(expr)) return 'opaque:' + expr;
  if (structs.has(expr)) {
    want.add(expr);
    return expr;
  }
  if (named.has(expr)) return encode(named.get(expr), want);
  throw new Error(`gen_patch_meta: unknown type ${expr}`);
}

/** The JSON fields of a struct, embedded (inline) structs promoted, as encoding/json sees them. */
function jsonFields(name, want) {
  const out = [];
  for (const f of structs.get(name)) {
    const json = f.tags.json;
    if (json === '-') continue;
    const [jsonName, ...opts] = (json ?? '').split(',');
    const type = f.type.replace(/^\*/, '');
    if (f.embedded && jsonName === '' && structs.has(type)) {
      for (const pf of jsonFields(type, want)) if (!out.some((o) => o.name === pf.name)) out.push({ ...pf, promoted: true });
      continue;
    }
    const entry = { name: jsonName || f.goName, type: encode(f.type, want), strategy: f.tags.patchStrategy, mergeKey: f.tags.patchMergeKey };
    void opts;
    const existing = out.findIndex((o) => o.name === entry.name);
    if (existing >= 0 && out[existing].promoted) out.splice(existing, 1);
    if (existing < 0 || out[existing]?.promoted) out.push(entry);
  }
  return out;
}

const want = new Set(ROOTS);
const done = new Map();
const queue = [...ROOTS];
while (queue.length) {
  const name = queue.shift();
  if (done.has(name)) continue;
  if (!structs.has(name)) throw new Error(`gen_patch_meta: no struct ${name}`);
  const before = new Set(want);
  const fields = jsonFields(name, want);
  done.set(name, fields);
  for (const w of want) if (!before.has(w) && !done.has(w)) queue.push(w);
}

const names = [...done.keys()].sort();
let text = `// Generated by tools/gen_patch_meta.mjs from the Go sources at ${TAG} (k8s.io/api, k8s.io/apimachinery,
// k8s.io/apiextensions-apiserver). Do not edit: change the generator and run it again.
//
// Each struct maps a JSON field name to [type, patchStrategy?, patchMergeKey?]. Types: a struct name
// ('core/v1.PodSpec'), '[]T' (slice), '*T' (pointer), 'map:T' (map with string keys), 'opaque:<name>'
// (a struct with its own JSON form, such as resource.Quantity or metav1.Time), or a scalar
// ('string', 'int64', 'float64', 'bool', 'interface').
// Upstream: k8s.io/api ${TAG} (the patchStrategy / patchMergeKey struct tags)

/** A field: its type, then its patchStrategy and patchMergeKey struct tags when set. */
export type PatchMetaField = readonly [type: string, patchStrategy?: string, patchMergeKey?: string];

/** Go structs by package-qualified name: their JSON fields in declaration order. */
export const STRUCTS: Readonly<Record<string, Readonly<Record<string, PatchMetaField>>>> = {\n`;
for (const n of names) {
  text += `  '${n}': {`;
  const parts = done.get(n).map((f) => {
    const tuple = [f.type];
    if (f.strategy || f.mergeKey) tuple.push(f.strategy ?? '');
    if (f.mergeKey) tuple.push(f.mergeKey);
    const key = /^[A-Za-z_$][\w$]*$/.test(f.name) ? f.name : `'${f.name}'`;
    return ` ${key}: [${tuple.map((t) => `'${t}'`).join(', ')}]`;
  });
  text += parts.join(',') + (parts.length ? ' ' : '') + '},\n';
}
text += '};\n';
writeFileSync(OUT, text);
console.log(`wrote ${OUT}: ${names.length} structs, ${text.length} bytes`);
