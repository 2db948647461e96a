/**
 * `kubeadm config print init-defaults` and `join-defaults` as kubeadm v1.34 prints them, and the
 * YAML writer behind them: sigs.k8s.io/yaml turns the JSON into YAML with go-yaml v2, so keys come
 * out sorted, sequences sit at their parent's indentation, empty structs print `{}` and a nil
 * `taints` prints `null`.
 * Upstream: cmd/kubeadm/app/cmd/config.go (getDefaultInitConfigBytes, getDefaultNodeConfigBytes,
 * runConfigPrintActionDefaults), util/config/initconfiguration.go (DefaultedStaticInitConfiguration,
 * PlaceholderToken), util/config/common.go (MarshalKubeadmConfigObject), sigs.k8s.io/yaml (JSONToYAML)
 */
import { compareGoStrings } from '../../apimachinery/go';
import { CurrentKubernetesVersion, DefaultCRISocket, setDefaultsClusterConfiguration, setDefaultsInitConfiguration, setDefaultsJoinConfiguration } from './defaults';
import { ClusterConfigurationKind, InitConfigurationKind, JoinConfigurationKind, SchemeGroupVersion, type ClusterConfiguration, type InitConfiguration, type JoinConfiguration } from './types';

/** The token `print init-defaults` shows, so the output is the same on every run. */
export const PlaceholderToken = 'abcdef.0123456789abcdef';

/** go-yaml v2's plain scalars that would read back as something other than a string. */
const NEEDS_QUOTES = /^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$/;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  const s = String(v);
  const plain = !NEEDS_QUOTES.test(s) && !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/[\s]$/.test(s) && !/: |\s#|[\n\t]/.test(s);
  return plain ? s : JSON.stringify(s);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** YAML for a JSON value as sigs.k8s.io/yaml writes it (keys sorted; `undefined` fields omitted). */
// Upstream: sigs.k8s.io/yaml (JSONToYAML) over gopkg.in/yaml.v2 (Marshal)
export function marshalYAML(v: unknown): string {
  return lines(v, '').join('\n') + '\n';
}

function lines(v: unknown, indent: string): string[] {
  if (isMap(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort(compareGoStrings);
    if (keys.length === 0) return [`${indent}{}`];
    const out: string[] = [];
    for (const k of keys) out.push(...entry(`${indent}${scalar(k)}:`, v[k], indent));
    return out;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${indent}[]`];
    const out: string[] = [];
    for (const item of v) {
      if (isMap(item) && Object.keys(item).some((k) => item[k] !== undefined)) {
        const inner = lines(item, `${indent}  `);
        out.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
      } else if (Array.isArray(item) && item.length > 0) {
        const inner = lines(item, `${indent}  `);
        out.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
      } else {
        out.push(`${indent}- ${isMap(item) ? '{}' : Array.isArray(item) ? '[]' : scalar(item)}`);
      }
    }
    return out;
  }
  return [`${indent}${scalar(v)}`];
}

function entry(head: string, value: unknown, indent: string): string[] {
  if (isMap(value) && Object.keys(value).some((k) => value[k] !== undefined)) return [head, ...lines(value, `${indent}  `)];
  if (Array.isArray(value) && value.length > 0) return [head, ...lines(value, indent)];
  return [`${head} ${isMap(value) ? '{}' : Array.isArray(value) ? '[]' : scalar(value)}`];
}

/** The static defaults `print init-defaults` shows. Upstream: initconfiguration.go (DefaultedStaticInitConfiguration) */
export function defaultedStaticInitConfiguration(): { init: InitConfiguration; cluster: ClusterConfiguration } {
  const init: InitConfiguration = {
    apiVersion: SchemeGroupVersion,
    kind: InitConfigurationKind,
    localAPIEndpoint: { advertiseAddress: '1.2.3.4' },
    bootstrapTokens: [{ token: PlaceholderToken }],
    nodeRegistration: { criSocket: DefaultCRISocket, name: 'node' },
  };
  setDefaultsInitConfiguration(init);
  // Go's Version.String() has no leading "v".
  const cluster = { apiVersion: SchemeGroupVersion, kind: ClusterConfigurationKind, kubernetesVersion: CurrentKubernetesVersion.slice(1) } as ClusterConfiguration;
  setDefaultsClusterConfiguration(cluster);
  return { init, cluster };
}

/** JSON as Go marshals the typed struct: `taints` has no omitempty, so an unset list is `null`. */
function withNilTaints<T extends { nodeRegistration: { taints?: unknown } }>(obj: T): T {
  return { ...obj, nodeRegistration: { ...obj.nodeRegistration, taints: obj.nodeRegistration.taints ?? null } };
}

/** `kubeadm config print init-defaults`. Upstream: cmd/config.go (getDefaultInitConfigBytes) */
export function printInitDefaults(): string {
  const { init, cluster } = defaultedStaticInitConfiguration();
  return marshalInitConfiguration(init, cluster);
}

/** InitConfiguration, `---`, ClusterConfiguration. Upstream: initconfiguration.go (MarshalInitConfigurationToBytes) */
export function marshalInitConfiguration(init: InitConfiguration, cluster: ClusterConfiguration): string {
  return `${marshalYAML(withNilTaints(init))}---\n${marshalYAML(cluster)}`;
}

/**
 * `kubeadm config print join-defaults`: the placeholder token against `kube-apiserver:6443`,
 * CA verification skipped (only so the defaults validate), and the node named after the host.
 * Upstream: cmd/config.go (getDefaultNodeConfigBytes)
 */
export function printJoinDefaults(hostname = 'node'): string {
  const join: JoinConfiguration = {
    apiVersion: SchemeGroupVersion,
    kind: JoinConfigurationKind,
    discovery: { bootstrapToken: { token: PlaceholderToken, apiServerEndpoint: 'kube-apiserver:6443', unsafeSkipCAVerification: true } },
    nodeRegistration: { criSocket: DefaultCRISocket, name: hostname.toLowerCase() },
  };
  setDefaultsJoinConfiguration(join);
  return marshalYAML(withNilTaints(join));
}
