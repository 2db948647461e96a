/**
 * What the Go structs of kubeadm's scheme accept, field by field, so a parsed YAML document can be
 * decoded as kubeadm decodes it: unknown fields are what the strict json serializer reports, and a
 * wrong JSON type is what the universal decoder (encoding/json) reports, with Go's struct and type names.
 * Upstream: cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go, v1beta3/types.go, util/config/strict/strict.go
 */
import { goQuote } from '../../apimachinery/go';
import { canonicalDuration } from './duration';

/** A Go type: a scalar, a struct, a slice or a map, named as `%v` of reflect.Type prints it. */
export type GoType =
  | { k: 'string' | 'int32' | 'bool' | 'duration' | 'time' | 'token' | 'any' }
  | { k: 'struct'; name: string; fields: Record<string, Field> }
  | { k: 'list'; of: GoType }
  | { k: 'map'; of: GoType };

/** A struct field; `declaredIn` names the struct that declares it when it comes from an inline embedded one. */
export interface Field {
  type: GoType;
  declaredIn?: string;
}

const str: GoType = { k: 'string' };
const int32: GoType = { k: 'int32' };
const bool: GoType = { k: 'bool' };
const dur: GoType = { k: 'duration' };
const time: GoType = { k: 'time' };
const list = (of: GoType): GoType => ({ k: 'list', of });
const strs = list(str);

function struct(name: string, fields: Record<string, GoType | Field>): Extract<GoType, { k: 'struct' }> {
  const out: Record<string, Field> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = 'type' in v ? v : { type: v };
  return { k: 'struct', name, fields: out };
}
const from = (declaredIn: string, type: GoType): Field => ({ type, declaredIn });

/** The Go type name as the decoder prints it (`[]v1beta4.Arg`, `map[string]bool`, `int32`). */
export function goTypeName(t: GoType): string {
  switch (t.k) {
    case 'struct':
      return t.name;
    case 'list':
      return `[]${goTypeName(t.of)}`;
    case 'map':
      return `map[string]${goTypeName(t.of)}`;
    case 'duration':
      return 'v1.Duration';
    case 'time':
      return 'v1.Time';
    case 'token':
      return 'v1.BootstrapTokenString';
    case 'any':
      return 'interface {}';
    default:
      return t.k;
  }
}

/** The kinds of one API version, by kind. */
export type KindSchemes = Record<string, Extract<GoType, { k: 'struct' }>>;

function build(version: 'v1beta3' | 'v1beta4'): KindSchemes {
  const v4 = version === 'v1beta4';
  const n = (s: string) => `${version}.${s}`;
  const arg = struct(n('Arg'), { name: str, value: str });
  const args: GoType = v4 ? list(arg) : { k: 'map', of: str };
  const envVar = struct('v1.EnvVar', { name: str, value: str, valueFrom: { k: 'any' } });
  const taint = struct('v1.Taint', { key: str, value: str, effect: str, timeAdded: time });
  const token = struct('v1.BootstrapToken', { token: { k: 'token' }, description: str, ttl: dur, expires: time, usages: strs, groups: strs });
  const apiEndpoint = struct(n('APIEndpoint'), { advertiseAddress: str, bindPort: int32 });
  const nodeReg = struct(n('NodeRegistrationOptions'), {
    name: str,
    criSocket: str,
    taints: list(taint),
    kubeletExtraArgs: args,
    ignorePreflightErrors: strs,
    imagePullPolicy: str,
    ...(v4 ? { imagePullSerial: bool } : {}),
  });
  const timeouts = struct(n('Timeouts'), Object.fromEntries(['controlPlaneComponentHealthCheck', 'kubeletHealthCheck', 'kubernetesAPICall', 'etcdAPICall', 'tlsBootstrap', 'discovery', 'upgradeManifests'].map((k) => [k, dur])));
  const patches = struct(n('Patches'), { directory: str });
  const typeMeta = { apiVersion: from('v1.TypeMeta', str), kind: from('v1.TypeMeta', str) };
  const hostPath = struct(n('HostPathMount'), { name: str, hostPath: str, mountPath: str, readOnly: bool, pathType: str });
  const cpcFields = {
    extraArgs: from(n('ControlPlaneComponent'), args),
    extraVolumes: from(n('ControlPlaneComponent'), list(hostPath)),
    ...(v4 ? { extraEnvs: from(n('ControlPlaneComponent'), list(envVar)) } : {}),
  };
  const cpc = struct(n('ControlPlaneComponent'), cpcFields);
  const apiServer = struct(n('APIServer'), { ...cpcFields, certSANs: strs, ...(v4 ? {} : { timeoutForControlPlane: dur }) });
  const imageMeta = { imageRepository: from(n('ImageMeta'), str), imageTag: from(n('ImageMeta'), str) };
  const dns = struct(n('DNS'), { ...imageMeta, ...(v4 ? { disabled: bool } : {}) });
  const localEtcd = struct(n('LocalEtcd'), { ...imageMeta, dataDir: str, extraArgs: args, ...(v4 ? { extraEnvs: list(envVar) } : {}), serverCertSANs: strs, peerCertSANs: strs });
  const externalEtcd = struct(n('ExternalEtcd'), { endpoints: strs, caFile: str, certFile: str, keyFile: str });
  const etcd = struct(n('Etcd'), { local: localEtcd, external: externalEtcd });
  const networking = struct(n('Networking'), { serviceSubnet: str, podSubnet: str, dnsDomain: str });
  const init = struct(n('InitConfiguration'), {
    ...typeMeta,
    bootstrapTokens: list(token),
    ...(v4 ? { dryRun: bool } : {}),
    nodeRegistration: nodeReg,
    localAPIEndpoint: apiEndpoint,
    certificateKey: str,
    skipPhases: strs,
    patches,
    ...(v4 ? { timeouts } : {}),
  });
  const cluster = struct(n('ClusterConfiguration'), {
    ...typeMeta,
    etcd,
    networking,
    kubernetesVersion: str,
    controlPlaneEndpoint: str,
    apiServer,
    controllerManager: cpc,
    scheduler: cpc,
    dns,
    ...(v4 ? { proxy: struct(n('Proxy'), { disabled: bool }) } : {}),
    certificatesDir: str,
    imageRepository: str,
    featureGates: { k: 'map', of: bool },
    clusterName: str,
    ...(v4 ? { encryptionAlgorithm: str, certificateValidityPeriod: dur, caCertificateValidityPeriod: dur } : {}),
  });
  const discovery = struct(n('Discovery'), {
    bootstrapToken: struct(n('BootstrapTokenDiscovery'), { token: str, apiServerEndpoint: str, caCertHashes: strs, unsafeSkipCAVerification: bool }),
    file: struct(n('FileDiscovery'), { kubeConfigPath: str }),
    tlsBootstrapToken: str,
    ...(v4 ? {} : { timeout: dur }),
  });
  const join = struct(n('JoinConfiguration'), {
    ...typeMeta,
    ...(v4 ? { dryRun: bool } : {}),
    nodeRegistration: nodeReg,
    caCertPath: str,
    discovery,
    controlPlane: struct(n('JoinControlPlane'), { localAPIEndpoint: apiEndpoint, certificateKey: str }),
    skipPhases: strs,
    patches,
    ...(v4 ? { timeouts } : {}),
  });
  return { InitConfiguration: init, ClusterConfiguration: cluster, JoinConfiguration: join };
}

/** The kinds kubeadm v1.34 decodes, by group/version (ResetConfiguration and UpgradeConfiguration are not modelled). */
export const kubeadmScheme: Record<string, KindSchemes> = {
  'kubeadm.k8s.io/v1beta4': build('v1beta4'),
  'kubeadm.k8s.io/v1beta3': build('v1beta3'),
};

/** Kinds kubeadm's scheme registers but this model does not decode. */
export const unmodelledKinds = new Set(['ResetConfiguration', 'UpgradeConfiguration']);

/** Component-config groups kubeadm's componentconfigs scheme knows: documents of these groups are not "ignored". */
export const componentConfigGroups = new Set(['kubelet.config.k8s.io', 'kubeproxy.config.k8s.io']);

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string');

/**
 * Every field no struct declares, as JSON paths in document order (`networking.podCIDR`,
 * `bootstrapTokens[0].tll`), as the strict json serializer reports them.
 */
// Upstream: apimachinery pkg/runtime/serializer/json/json.go (Strict), sigs.k8s.io/json (UnmarshalStrict)
export function unknownFields(v: unknown, t: GoType, path = ''): string[] {
  if (v === null || v === undefined) return [];
  const out: string[] = [];
  if (t.k === 'list' && Array.isArray(v)) {
    v.forEach((item, i) => out.push(...unknownFields(item, t.of, `${path}[${i}]`)));
  } else if (t.k === 'map' && jsonType(v) === 'object') {
    for (const [key, item] of Object.entries(v as object)) out.push(...unknownFields(item, t.of, path ? `${path}.${key}` : key));
  } else if (t.k === 'struct' && jsonType(v) === 'object') {
    for (const [key, item] of Object.entries(v as object)) {
      const at = path ? `${path}.${key}` : key;
      const f = t.fields[key];
      if (!f) out.push(at);
      else out.push(...unknownFields(item, f.type, at));
    }
  }
  return out;
}

/**
 * Decodes `v` into the shape of `t` as encoding/json would: unknown fields dropped, durations
 * normalized (`24h` -> `24h0m0s`), and the first type mismatch thrown with Go's message
 * (`json: cannot unmarshal string into Go struct field APIEndpoint.localAPIEndpoint.bindPort of type int32`).
 */
// Upstream: encoding/json (UnmarshalTypeError), metav1.Duration.UnmarshalJSON, bootstraptoken/v1 (BootstrapTokenString.UnmarshalJSON)
export function decodeInto(v: unknown, t: GoType, at: { struct: string; path: string } = { struct: '', path: '' }): unknown {
  if (v === null || v === undefined) return v === null && (t.k === 'list' || t.k === 'map' || t.k === 'any') ? null : undefined;
  const mismatch = (value: string) => {
    const where = at.struct ? `Go struct field ${at.struct.replace(/^.*\./, '')}.${at.path}` : 'Go value';
    return new Error(`json: cannot unmarshal ${value} into ${where} of type ${goTypeName(t)}`);
  };
  const jt = jsonType(v);
  switch (t.k) {
    case 'any':
      return v;
    case 'string':
      if (jt !== 'string') throw mismatch(jt);
      return v;
    case 'bool':
      if (jt !== 'bool') throw mismatch(jt);
      return v;
    case 'int32':
      if (jt !== 'number') throw mismatch(jt);
      if (!Number.isInteger(v) || (v as number) > 2147483647 || (v as number) < -2147483648) throw mismatch(`number ${String(v)}`);
      return v;
    case 'duration':
      if (jt !== 'string') throw new Error(`json: cannot unmarshal ${jt} into Go value of type string`);
      return canonicalDuration(v as string);
    case 'time':
      if (jt !== 'string') throw new Error(`json: cannot unmarshal ${jt} into Go value of type string`);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v as string)) {
        throw new Error(`parsing time ${goQuote(v as string)} as "2006-01-02T15:04:05Z07:00": cannot parse ${goQuote(v as string)} as "2006"`);
      }
      return v;
    case 'token': {
      if (jt !== 'string') throw mismatch(jt);
      const s = (v as string).replace(/"/g, '');
      if (!/^([a-z0-9]{6})\.([a-z0-9]{16})$/.test(s)) throw new Error(`the bootstrap token ${goQuote(s)} was not of the form ${goQuote('\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z')}`);
      return s;
    }
    case 'list':
      if (jt !== 'array') throw mismatch(jt);
      return (v as unknown[]).map((item) => decodeInto(item, t.of, at));
    case 'map': {
      if (jt !== 'object') throw mismatch(jt);
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v as object)) out[k] = decodeInto(item, t.of, at);
      return out;
    }
    case 'struct': {
      if (jt !== 'object') throw mismatch(jt);
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v as object)) {
        const f = t.fields[k];
        if (!f) continue;
        const decoded = decodeInto(item, f.type, { struct: f.declaredIn ?? t.name, path: at.path ? `${at.path}.${k}` : k });
        if (decoded !== undefined) out[k] = decoded;
      }
      return out;
    }
  }
}
