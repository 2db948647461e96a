/**
 * Loading `kubeadm init --config` and `kubeadm join --config` files as kubeadm v1.34 does: split
 * the stream on `---` (apimachinery's YAMLReader), read each document's apiVersion and kind,
 * refuse duplicate kinds and removed API versions, warn for the deprecated v1beta3, check the
 * fields strictly (a warning for init and join, an error for `kubeadm config validate`), decode,
 * default, set the machine's dynamic defaults, and validate.
 *
 * Errors carry kubeadm's message; a YAML syntax error also carries where it is in the file
 * (kubeadm itself reports only the line within the document, and not the file's name).
 * Upstream: cmd/kubeadm/app/util/config/initconfiguration.go (BytesToInitConfiguration,
 * documentMapToInitConfiguration), joinconfiguration.go (documentMapToJoinConfiguration),
 * common.go (validateSupportedVersion, ValidateConfig), util/config/strict/strict.go
 * (VerifyUnmarshalStrict), cmd/kubeadm/app/util/marshal.go (SplitConfigDocuments),
 * apimachinery pkg/util/yaml/decoder.go (YAMLReader), pkg/runtime/serializer/yaml/meta.go (Interpret)
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { toAggregate, type ErrorList } from '../../apimachinery/field';
import { compareGoStrings, goQuote } from '../../apimachinery/go';
import { setDefaultsClusterConfiguration, setDefaultsInitConfiguration, setDefaultsJoinConfiguration } from './defaults';
import { setInitDynamicDefaults, setJoinDynamicDefaults, type MachineFacts } from './dynamic';
import { componentConfigGroups, decodeInto, kubeadmScheme, unknownFields, unmodelledKinds } from './scheme';
import { ClusterConfigurationKind, InitConfigurationKind, JoinConfigurationKind, SchemeGroupVersion, type Arg, type ClusterConfiguration, type InitConfiguration, type JoinConfiguration } from './types';
import { validateInitConfiguration, validateJoinConfiguration } from './validation';

/** kubeadm's exit codes (util/error.go). */
export const DefaultErrorExitCode = 1;
export const ValidationExitCode = 3;

/** Where kubeadm's scheme was created, as Go's runtime.NewScheme names it in errors. */
export const KubeadmSchemeName = 'k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31';

/** A configuration that kubeadm refuses, with its message and the exit code kubeadm would use. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly exitCode = DefaultErrorExitCode,
    /** For a YAML syntax error: the file and the 1-based line and column in it. */
    readonly position?: { file: string; line: number; column: number },
    /** The field errors behind a validation failure. */
    readonly fieldErrors: ErrorList = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A document's GroupVersionKind. */
export interface GVK {
  group: string;
  version: string;
  kind: string;
}

/** `group/version, Kind=kind` (Go: GroupVersionKind.String). */
export function gvkString(g: GVK): string {
  return `${g.group}/${g.version}, Kind=${g.kind}`;
}

/** `schema.GroupVersionKind{Group:"...", Version:"...", Kind:"..."}` (Go: %#v). */
function gvkGoSyntax(g: GVK): string {
  return `schema.GroupVersionKind{Group:${goQuote(g.group)}, Version:${goQuote(g.version)}, Kind:${goQuote(g.kind)}}`;
}

const groupVersion = (g: GVK) => (g.group ? `${g.group}/${g.version}` : g.version);

/** One document of the stream, decoded as plain data. */
export interface ConfigDocument {
  gvk: GVK;
  /** The parsed YAML. */
  object: Record<string, unknown>;
  /** 1-based line of the file where the document starts. */
  startLine: number;
}

/**
 * The documents of a stream by kind, in file order. Throws for a bad separator, bad YAML, a
 * document without apiVersion or kind, and (aggregated) kinds given twice.
 * Upstream: cmd/kubeadm/app/util/marshal.go (SplitConfigDocuments)
 */
export function splitConfigDocuments(text: string, file = 'config.yaml'): ConfigDocument[] {
  const docs: ConfigDocument[] = [];
  const seenKinds = new Set<string>();
  const dupErrors: string[] = [];
  for (const chunk of yamlChunks(text)) {
    const obj = interpret(chunk.text, chunk.startLine, file);
    const gvk = gvkOf(obj);
    if (!gvk.group || !gvk.version || !gvk.kind) {
      throw new ConfigError(`invalid configuration for GroupVersionKind ${gvkString(gvk)}: kind and apiVersion is mandatory information that must be specified`);
    }
    if (seenKinds.has(gvk.kind)) {
      dupErrors.push(`invalid configuration: kind ${goQuote(gvk.kind)} is specified twice in YAML file`);
      continue;
    }
    seenKinds.add(gvk.kind);
    docs.push({ gvk, object: obj, startLine: chunk.startLine });
  }
  if (dupErrors.length === 1) throw new ConfigError(dupErrors[0]);
  if (dupErrors.length > 1) throw new ConfigError(`[${[...new Set(dupErrors)].join(', ')}]`);
  return docs;
}

/** Documents as YAMLReader returns them: split at lines starting `---` (only spaces or a comment may follow). */
// Upstream: apimachinery pkg/util/yaml/decoder.go (YAMLReader.Read)
function yamlChunks(text: string): Array<{ text: string; startLine: number }> {
  const lines = text.split(/(?<=\n)/);
  const chunks: Array<{ text: string; startLine: number }> = [];
  let buf = '';
  let start = 1;
  lines.forEach((line, i) => {
    if (line.startsWith('---')) {
      const trimmed = line.slice(3).trim();
      if (trimmed.length > 0 && trimmed[0] !== '#') throw new ConfigError(`invalid Yaml document separator: ${trimmed}`);
      if (buf.length !== 0) chunks.push({ text: buf, startLine: start });
      buf = '';
      start = i + 2;
      return;
    }
    buf += line;
  });
  if (buf.length !== 0) chunks.push({ text: buf, startLine: start });
  return chunks;
}

/** The document's YAML as data. Upstream: serializer/yaml/meta.go (SimpleMetaFactory.Interpret) + sigs.k8s.io/yaml */
function interpret(chunk: string, startLine: number, file: string): Record<string, unknown> {
  const prefix = 'could not interpret GroupVersionKind; unmarshal error: ';
  let parsed: unknown;
  try {
    // json: a key given twice keeps its last value, as go-yaml's non-strict Unmarshal does.
    parsed = load(chunk, { schema: CORE_SCHEMA, json: true });
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    const line = (err.mark?.line ?? 0) + 1;
    const column = (err.mark?.column ?? 0) + 1;
    // Go's yaml names the line within the document; the position keeps the file's line and the column.
    throw new ConfigError(`${prefix}error converting YAML to JSON: yaml: line ${line}: ${err.reason}`, DefaultErrorExitCode, { file, line: startLine + line - 1, column });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    const t = Array.isArray(parsed) ? 'array' : typeof parsed === 'number' ? 'number' : typeof parsed === 'boolean' ? 'bool' : 'string';
    throw new ConfigError(`${prefix}error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${t} into Go value of type runtime.TypeMeta`);
  }
  const obj = parsed as Record<string, unknown>;
  for (const key of ['apiVersion', 'kind']) {
    const v = obj[key];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      const t = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'number' ? 'number' : 'bool';
      throw new ConfigError(`${prefix}error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${t} into Go struct field TypeMeta.${key} of type string`);
    }
  }
  return obj;
}

/** Upstream: apimachinery schema.ParseGroupVersion */
function gvkOf(obj: Record<string, unknown>): GVK {
  const apiVersion = (obj.apiVersion as string | undefined) ?? '';
  const kind = (obj.kind as string | undefined) ?? '';
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '', kind };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion, kind };
  if (parts.length === 2) return { group: parts[0], version: parts[1], kind };
  throw new ConfigError(`unexpected GroupVersion string: ${apiVersion}`);
}

/** Options of a load. */
export interface LoadOptions {
  /** The file's name, for positions in errors. */
  file?: string;
  /** The machine's hostname, default address and randomness (dynamic defaults). */
  machine: MachineFacts;
  /** Strict-decoding problems are errors instead of warnings (`kubeadm config validate`). */
  strictErrors?: boolean;
  /** Don't warn for deprecated API versions (`kubeadm config migrate`). */
  allowDeprecated?: boolean;
}

/** A loaded `kubeadm init` configuration: both halves, defaulted and validated, and the warnings kubeadm logged. */
export interface LoadedInitConfiguration {
  initConfiguration: InitConfiguration;
  clusterConfiguration: ClusterConfiguration;
  /** Documents of component-config groups (KubeletConfiguration, KubeProxyConfiguration), as given. */
  componentConfigs: ConfigDocument[];
  /** klog warnings, in order, without klog's header. */
  warnings: string[];
}

export interface LoadedJoinConfiguration {
  joinConfiguration: JoinConfiguration;
  warnings: string[];
}

const OldKnownAPIVersions: Record<string, string> = {
  'kubeadm.k8s.io/v1alpha1': 'v1.11',
  'kubeadm.k8s.io/v1alpha2': 'v1.12',
  'kubeadm.k8s.io/v1alpha3': 'v1.14',
  'kubeadm.k8s.io/v1beta1': 'v1.15',
  'kubeadm.k8s.io/v1beta2': 'v1.22',
};
const DeprecatedAPIVersions = new Set(['kubeadm.k8s.io/v1beta3']);

/** Upstream: util/config/common.go (validateSupportedVersion) */
export function validateSupportedVersion(gvk: GVK, allowDeprecated: boolean, warn: (msg: string) => void): void {
  const gv = groupVersion(gvk);
  const old = OldKnownAPIVersions[gv];
  if (old) {
    throw new ConfigError(
      `your configuration file uses an old API spec: ${goQuote(gv)} (kind: ${goQuote(gvk.kind)}). Please use kubeadm ${old} instead and run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`,
    );
  }
  if (DeprecatedAPIVersions.has(gv) && !allowDeprecated) {
    warn(`your configuration file uses a deprecated API spec: ${goQuote(gv)} (kind: ${goQuote(gvk.kind)}). Please use 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`);
  }
}

/**
 * The strict check of one document: undefined when clean, else the message (kubeadm logs it as a
 * warning for init and join). Upstream: util/config/strict/strict.go (VerifyUnmarshalStrict over
 * the json serializer with Strict: true; runtime.strictDecodingError)
 */
export function verifyUnmarshalStrict(doc: ConfigDocument): string | undefined {
  const scheme = kubeadmScheme[groupVersion(doc.gvk)]?.[doc.gvk.kind];
  if (!scheme) {
    // The component configs are registered, but their fields are not modelled.
    if (componentConfigGroups.has(doc.gvk.group)) return undefined;
    if (kubeadmScheme[groupVersion(doc.gvk)] && unmodelledKinds.has(doc.gvk.kind)) return undefined;
    return `unknown configuration ${gvkGoSyntax(doc.gvk)}`;
  }
  const unknown = unknownFields(doc.object, scheme);
  if (unknown.length === 0) return undefined;
  return `error unmarshaling configuration ${gvkGoSyntax(doc.gvk)}: strict decoding error: ${unknown.map((f) => `unknown field ${goQuote(f)}`).join(', ')}`;
}

/**
 * Decodes one kubeadm document into the v1beta4 shape (converting v1beta3), and the v1beta3
 * ClusterConfiguration's apiServer.timeoutForControlPlane, which v1beta4 keeps in InitConfiguration.
 * Upstream: runtime.DecodeInto with kubeadm's UniversalDecoder
 */
function decodeKubeadm<T>(doc: ConfigDocument): { obj: T; controlPlaneTimeout?: string } {
  const gv = groupVersion(doc.gvk);
  const scheme = kubeadmScheme[gv]?.[doc.gvk.kind];
  if (!scheme) throw new ConfigError(`no kind ${goQuote(doc.gvk.kind)} is registered for version ${goQuote(gv)} in scheme ${goQuote(KubeadmSchemeName)}`);
  let decoded: Record<string, unknown>;
  try {
    decoded = decodeInto(doc.object, scheme) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const controlPlaneTimeout = gv === 'kubeadm.k8s.io/v1beta3' ? convertV1beta3(decoded) : undefined;
  decoded.apiVersion = SchemeGroupVersion;
  decoded.kind = doc.gvk.kind;
  return { obj: decoded as T, controlPlaneTimeout };
}

/**
 * v1beta3 -> v1beta4: extra-argument maps become lists sorted by name, and the two timeouts move
 * to `timeouts`. Upstream: apis/kubeadm/v1beta3/conversion.go (convertToArgs and the timeouts)
 */
function convertV1beta3(obj: Record<string, unknown>): string | undefined {
  const toArgs = (m: unknown): Arg[] | undefined => {
    if (!m || typeof m !== 'object') return undefined;
    return Object.entries(m as Record<string, string>)
      .map(([name, value]) => ({ name, value }))
      .sort((a, b) => compareGoStrings(a.name, b.name) || compareGoStrings(a.value, b.value));
  };
  const fix = (o: Record<string, unknown> | undefined, key: string) => {
    if (o && o[key] !== undefined) o[key] = toArgs(o[key]);
  };
  const nr = obj.nodeRegistration as Record<string, unknown> | undefined;
  fix(nr, 'kubeletExtraArgs');
  for (const c of ['apiServer', 'controllerManager', 'scheduler']) fix(obj[c] as Record<string, unknown> | undefined, 'extraArgs');
  fix((obj.etcd as { local?: Record<string, unknown> } | undefined)?.local, 'extraArgs');
  const discovery = obj.discovery as Record<string, unknown> | undefined;
  if (discovery?.timeout !== undefined) {
    obj.timeouts = { ...(obj.timeouts as object), discovery: discovery.timeout };
    delete discovery.timeout;
  }
  const apiServer = obj.apiServer as Record<string, unknown> | undefined;
  const controlPlaneTimeout = apiServer?.timeoutForControlPlane as string | undefined;
  if (apiServer) delete apiServer.timeoutForControlPlane;
  return controlPlaneTimeout;
}

/**
 * `kubeadm init --config`: the file's InitConfiguration and ClusterConfiguration (either may be
 * missing, not both), defaulted, dynamically defaulted and validated.
 * Upstream: util/config/initconfiguration.go (BytesToInitConfiguration, documentMapToInitConfiguration)
 */
export function bytesToInitConfiguration(text: string, opts: LoadOptions): LoadedInitConfiguration {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const docs = sortByGVK(splitConfigDocuments(text, opts.file));
  let init: InitConfiguration | undefined;
  let cluster: ClusterConfiguration | undefined;
  let controlPlaneTimeout: string | undefined;
  const componentConfigs: ConfigDocument[] = [];
  for (const doc of docs) {
    validateSupportedVersion(doc.gvk, opts.allowDeprecated ?? false, warn);
    strictCheck(doc, opts.strictErrors ?? false, warn);
    if (doc.gvk.kind === InitConfigurationKind) {
      init = decodeKubeadm<InitConfiguration>(doc).obj;
      setDefaultsInitConfiguration(init);
      continue;
    }
    if (doc.gvk.kind === ClusterConfigurationKind) {
      ({ obj: cluster, controlPlaneTimeout } = decodeKubeadm<ClusterConfiguration>(doc));
      setDefaultsClusterConfiguration(cluster);
      continue;
    }
    if (componentConfigGroups.has(doc.gvk.group)) componentConfigs.push(doc);
    else warn(`[config] WARNING: Ignored configuration document with GroupVersionKind ${gvkString(doc.gvk)}\n`);
  }
  if (!init && !cluster) throw new ConfigError('no InitConfiguration or ClusterConfiguration kind was found in the configuration file');
  if (!init) {
    init = { apiVersion: SchemeGroupVersion, kind: 'InitConfiguration', nodeRegistration: {}, localAPIEndpoint: {} };
    setDefaultsInitConfiguration(init);
  }
  if (!cluster) {
    cluster = { apiVersion: SchemeGroupVersion, kind: 'ClusterConfiguration' } as ClusterConfiguration;
    setDefaultsClusterConfiguration(cluster);
  }
  if (controlPlaneTimeout !== undefined) init.timeouts = { ...init.timeouts, controlPlaneComponentHealthCheck: controlPlaneTimeout };
  try {
    setInitDynamicDefaults(init, cluster, opts.machine, warn);
  } catch (err) {
    throw err instanceof ConfigError ? err : new ConfigError((err as Error).message);
  }
  const errs = validateInitConfiguration(init, cluster);
  if (errs.length) throw new ConfigError(toAggregate(errs)!.message, ValidationExitCode, undefined, errs);
  return { initConfiguration: init, clusterConfiguration: cluster, componentConfigs, warnings };
}

/**
 * `kubeadm join --config`: the file's JoinConfiguration, defaulted, dynamically defaulted and validated.
 * Upstream: util/config/joinconfiguration.go (documentMapToJoinConfiguration)
 */
export function bytesToJoinConfiguration(text: string, opts: LoadOptions): LoadedJoinConfiguration {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  let join: JoinConfiguration | undefined;
  for (const doc of sortByGVK(splitConfigDocuments(text, opts.file))) {
    // Only JoinConfiguration is of interest; other documents are skipped without a word.
    if (doc.gvk.kind !== JoinConfigurationKind) continue;
    validateSupportedVersion(doc.gvk, opts.allowDeprecated ?? false, warn);
    strictCheck(doc, opts.strictErrors ?? false, warn);
    join = decodeKubeadm<JoinConfiguration>(doc).obj;
  }
  if (!join) throw new ConfigError(`no ${JoinConfigurationKind} found in the supplied config`);
  setDefaultsJoinConfiguration(join);
  try {
    setJoinDynamicDefaults(join, opts.machine, warn);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const errs = validateJoinConfiguration(join);
  if (errs.length) throw new ConfigError(toAggregate(errs)!.message, ValidationExitCode, undefined, errs);
  return { joinConfiguration: join, warnings };
}

/**
 * `kubeadm config validate --config`: unknown APIs and unknown fields are errors here.
 * Upstream: util/config/common.go (ValidateConfig)
 */
export function validateConfig(text: string, opts: Omit<LoadOptions, 'strictErrors' | 'allowDeprecated'>): string[] {
  const docs = splitConfigDocuments(text, opts.file);
  const unknown = docs.filter((d) => !OldKnownAPIVersions[groupVersion(d.gvk)] && !kubeadmScheme[groupVersion(d.gvk)]?.[d.gvk.kind] && !componentConfigGroups.has(d.gvk.group));
  if (unknown.length) {
    throw new ConfigError(`unknown configuration APIs: []schema.GroupVersionKind{${unknown.map((d) => gvkGoSyntax(d.gvk)).join(', ')}}`);
  }
  const kinds = new Set(docs.map((d) => d.gvk.kind));
  const warnings: string[] = [];
  if (kinds.has(InitConfigurationKind) || kinds.has(ClusterConfigurationKind)) warnings.push(...bytesToInitConfiguration(text, { ...opts, strictErrors: true, allowDeprecated: true }).warnings);
  if (kinds.has(JoinConfigurationKind)) warnings.push(...bytesToJoinConfiguration(text, { ...opts, strictErrors: true, allowDeprecated: true }).warnings);
  return warnings;
}

function strictCheck(doc: ConfigDocument, strictErrors: boolean, warn: (m: string) => void): void {
  const problem = verifyUnmarshalStrict(doc);
  if (!problem) return;
  if (strictErrors) throw new ConfigError(problem);
  warn(problem);
}

/** documentMapToInitConfiguration walks the GVKs sorted by their String(), so ClusterConfiguration comes first. */
function sortByGVK(docs: ConfigDocument[]): ConfigDocument[] {
  return [...docs].sort((a, b) => compareGoStrings(gvkString(a.gvk), gvkString(b.gvk)));
}
