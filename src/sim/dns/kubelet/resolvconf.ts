/**
 * The DNS settings the kubelet hands the runtime for a pod, and the resolv.conf the runtime
 * writes from them. Upstream: kubernetes v1.34 pkg/kubelet/network/dns/dns.go (Configurer);
 * containerd internal/cri/server/podsandbox (parseDNSOptions) for the file text.
 */
import type { Pod, PodDNSConfig } from '../../api/core/v1';
import { MaxDNSNameservers, MaxDNSSearchListChars, MaxDNSSearchPaths } from '../validation';

/** runtimeapi.DNSConfig: what the kubelet passes to the runtime in the sandbox config. */
export interface DNSConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** An event the kubelet records, as client-go's FakeRecorder prints it: `Warning <reason> <message>`. */
export interface DNSEvent {
  /** `Pod` for events on the pod, `Node` for events on the node object. */
  involvedObject: 'Pod' | 'Node';
  type: 'Warning';
  reason: 'DNSConfigForming' | 'MissingClusterDNS' | 'CheckLimitsForResolvConf';
  message: string;
}

export interface ConfigurerOptions {
  /** `--cluster-dns`; empty means the kubelet was started without one. */
  clusterDNS?: string[];
  /** `--cluster-domain`; `''` leaves search paths alone. */
  clusterDomain?: string;
  /** `--resolv-conf`: the path of the host file; `''` disables inheriting it. */
  resolverConfig?: string;
  /** The text of the host file at `resolverConfig`. */
  hostResolvConf?: string;
  /** The node's IPs (only read when `resolverConfig` is `''`). */
  nodeIPs?: string[];
}

/** What the kubelet would pass to the runtime, and the events it records on the way. */
export interface PodDNSResult {
  config: DNSConfig;
  events: DNSEvent[];
  /** The resolv.conf text the runtime writes into the sandbox. */
  resolvConf: string;
}

/** dns.go's default options for ClusterFirst pods. */
export const defaultDNSOptions = ['ndots:5'];

/** DNS1123SubdomainMaxLength: glibc 2.28 aborts on longer search paths, so the kubelet drops them. */
const DNS1123SubdomainMaxLength = 253;

export type PodDNSType = 'podDNSCluster' | 'podDNSHost' | 'podDNSNone';

/**
 * A resolv.conf parsed as the kubelet parses it: nameservers accumulate, the last `search` and
 * `options` lines win, a trailing dot on a search domain is dropped.
 * Upstream: dns.go (parseResolvConf)
 */
export function parseResolvConf(text: string): { nameservers: string[]; searches: string[]; options: string[]; errors: string[] } {
  const nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  const errors: string[] = [];
  for (const raw of text.split('\n')) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver') {
      if (fields.length >= 2) nameservers.push(fields[1]);
      else errors.push('nameserver list is empty ');
    }
    if (fields[0] === 'search') searches = fields.slice(1).map((s) => (s.endsWith('.') ? s.slice(0, -1) : s));
    if (fields[0] === 'options') options = fields.slice(1);
  }
  return { nameservers, searches, options, errors };
}

/** Upstream: dns.go (omitDuplicates) */
export function omitDuplicates(strs: readonly string[]): string[] {
  return [...new Set(strs)];
}

/**
 * Which base settings a pod starts from. ClusterFirst on the host network falls back to the
 * host's settings; only ClusterFirstWithHostNet keeps cluster DNS there.
 * Upstream: dns.go (getPodDNSType)
 */
export function getPodDNSType(pod: Pod): { type: PodDNSType; error?: string } {
  // The kubelet only sees pods the API server defaulted (SetDefaults_PodSpec: ClusterFirst).
  const policy = pod.spec.dnsPolicy === undefined ? 'ClusterFirst' : pod.spec.dnsPolicy;
  switch (policy) {
    case 'None':
      return { type: 'podDNSNone' };
    case 'ClusterFirstWithHostNet':
      return { type: 'podDNSCluster' };
    case 'ClusterFirst':
      if (!pod.spec.hostNetwork) return { type: 'podDNSCluster' };
      return { type: 'podDNSHost' };
    case 'Default':
      return { type: 'podDNSHost' };
  }
  return { type: 'podDNSCluster', error: `invalid DNSPolicy=${String(policy ?? '')}` };
}

/**
 * Options merged by name, the pod's entries overriding the base. Upstream iterates a Go map, so
 * its order is random; we keep first-seen order (see README, divergences).
 * Upstream: dns.go (mergeDNSOptions)
 */
export function mergeDNSOptions(existing: readonly string[], dnsConfigOptions: PodDNSConfig['options'] = []): string[] {
  const merged = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(':');
    if (i !== -1) merged.set(op.slice(0, i), op.slice(i + 1));
    else merged.set(op, '');
  }
  for (const op of dnsConfigOptions) merged.set(op.name, op.value ?? '');
  return [...merged].map(([name, value]) => (value !== '' ? `${name}:${value}` : name));
}

/** Upstream: dns.go (appendDNSConfig) */
export function appendDNSConfig(existing: DNSConfig, dnsConfig: PodDNSConfig): DNSConfig {
  return {
    servers: omitDuplicates([...existing.servers, ...(dnsConfig.nameservers ?? [])]),
    searches: omitDuplicates([...existing.searches, ...(dnsConfig.searches ?? [])]),
    options: mergeDNSOptions(existing.options, dnsConfig.options),
  };
}

/**
 * The kubelet's DNS configurer (`--cluster-dns`, `--cluster-domain`, `--resolv-conf`).
 * Upstream: dns.go (Configurer, NewConfigurer)
 */
export class Configurer {
  readonly clusterDNS: string[];
  readonly clusterDomain: string;
  readonly resolverConfig: string;
  readonly hostResolvConf: string;
  readonly nodeIPs: string[];
  /** Events recorded so far, oldest first. */
  readonly events: DNSEvent[] = [];

  constructor(opts: ConfigurerOptions = {}) {
    this.clusterDNS = opts.clusterDNS ?? [];
    this.clusterDomain = opts.clusterDomain ?? '';
    this.resolverConfig = opts.resolverConfig ?? '/etc/resolv.conf';
    this.hostResolvConf = opts.hostResolvConf ?? '';
    this.nodeIPs = opts.nodeIPs ?? [];
  }

  private record(involvedObject: DNSEvent['involvedObject'], reason: DNSEvent['reason'], message: string): void {
    this.events.push({ involvedObject, type: 'Warning', reason, message });
  }

  /**
   * Cuts the search list to 32 paths, drops paths over 253 characters, then drops paths from the
   * end until the line fits 2048 characters; one event says what was applied.
   * Upstream: dns.go (Configurer.formDNSSearchFitsLimits)
   */
  formDNSSearchFitsLimits(composedSearch: readonly string[]): string[] {
    let limitsExceeded = false;
    let search = [...composedSearch];
    if (search.length > MaxDNSSearchPaths) {
      search = search.slice(0, MaxDNSSearchPaths);
      limitsExceeded = true;
    }
    const kept = search.filter((s) => s.length <= DNS1123SubdomainMaxLength);
    if (kept.length !== search.length) limitsExceeded = true;
    search = kept;
    const lineLen = search.join(' ').length;
    if (lineLen > MaxDNSSearchListChars) {
      let cutNum = 0;
      let cutLen = 0;
      for (let i = search.length - 1; i >= 0; i--) {
        cutLen += search[i].length + 1;
        cutNum++;
        if (lineLen - cutLen <= MaxDNSSearchListChars) break;
      }
      search = search.slice(0, search.length - cutNum);
      limitsExceeded = true;
    }
    if (limitsExceeded) {
      this.record('Pod', 'DNSConfigForming', `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${search.join(' ')}`);
    }
    return search;
  }

  /** Upstream: dns.go (Configurer.formDNSNameserversFitsLimits) */
  formDNSNameserversFitsLimits(nameservers: readonly string[]): string[] {
    if (nameservers.length <= MaxDNSNameservers) return [...nameservers];
    const applied = nameservers.slice(0, MaxDNSNameservers);
    this.record('Pod', 'DNSConfigForming', `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${applied.join(' ')}`);
    return applied;
  }

  /** `<ns>.svc.<domain> svc.<domain> <domain>` before the host's search paths. Upstream: dns.go (generateSearchesForDNSClusterFirst) */
  generateSearchesForDNSClusterFirst(hostSearch: readonly string[], pod: Pod): string[] {
    if (this.clusterDomain === '') return [...hostSearch];
    const ns = pod.metadata.namespace ?? '';
    return omitDuplicates([`${ns}.svc.${this.clusterDomain}`, `svc.${this.clusterDomain}`, this.clusterDomain, ...hostSearch]);
  }

  /** Upstream: dns.go (Configurer.getHostDNSConfig) */
  getHostDNSConfig(): DNSConfig {
    if (this.resolverConfig === '') return { servers: [], searches: [], options: [] };
    const parsed = parseResolvConf(this.hostResolvConf);
    if (parsed.errors.length > 0) throw new Error(parsed.errors.length === 1 ? parsed.errors[0] : `[${parsed.errors.join(', ')}]`);
    return { servers: parsed.nameservers, searches: parsed.searches, options: parsed.options };
  }

  /**
   * The warnings the kubelet raises at start-up about the host file, on the Node.
   * Upstream: dns.go (Configurer.CheckLimitsForResolvConf)
   */
  checkLimitsForResolvConf(): void {
    const parsed = parseResolvConf(this.hostResolvConf);
    if (parsed.errors.length > 0) {
      this.record('Node', 'CheckLimitsForResolvConf', parsed.errors[0]);
      return;
    }
    const hostSearch = parsed.searches;
    let domainCountLimit = MaxDNSSearchPaths;
    if (this.clusterDomain !== '') domainCountLimit -= 3;
    if (hostSearch.length > domainCountLimit) {
      this.record('Node', 'CheckLimitsForResolvConf', `Resolv.conf file '${this.resolverConfig}' contains search line consisting of more than ${domainCountLimit} domains!`);
      return;
    }
    if (hostSearch.some((s) => s.length > DNS1123SubdomainMaxLength)) {
      this.record('Node', 'CheckLimitsForResolvConf', `Resolv.conf file ${JSON.stringify(this.resolverConfig)} contains a search path which length is more than allowed ${DNS1123SubdomainMaxLength} chars!`);
      return;
    }
    if (hostSearch.join(' ').length > MaxDNSSearchListChars) {
      this.record('Node', 'CheckLimitsForResolvConf', `Resolv.conf file '${this.resolverConfig}' contains search line which length is more than allowed ${MaxDNSSearchListChars} chars!`);
    }
  }

  /**
   * The DNS settings for a pod: the base its policy picks, the pod's dnsConfig appended, then
   * the nameserver and search limits. Upstream: dns.go (Configurer.GetPodDNS)
   */
  getPodDNS(pod: Pod): DNSConfig {
    let dnsConfig = this.getHostDNSConfig();
    const { type } = getPodDNSType(pod);
    let dnsType = type;
    if (dnsType === 'podDNSNone') {
      dnsConfig = { servers: [], searches: [], options: [] };
    } else if (dnsType === 'podDNSCluster') {
      if (this.clusterDNS.length !== 0) {
        dnsConfig = {
          servers: [...this.clusterDNS],
          searches: this.generateSearchesForDNSClusterFirst(dnsConfig.searches, pod),
          options: [...defaultDNSOptions],
        };
      } else {
        const nodeErrorMsg = `kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`;
        this.record('Node', 'MissingClusterDNS', nodeErrorMsg);
        this.record('Pod', 'MissingClusterDNS', `pod: ${JSON.stringify(podFormat(pod))}. ${nodeErrorMsg}`);
        dnsType = 'podDNSHost';
      }
    }
    if (dnsType === 'podDNSHost' && this.resolverConfig === '') {
      const servers = this.nodeIPs.map((ip) => (ip.includes(':') ? '::1' : '127.0.0.1'));
      dnsConfig = { ...dnsConfig, servers: servers.length > 0 ? servers : ['127.0.0.1'], searches: ['.'] };
    }
    if (pod.spec.dnsConfig) dnsConfig = appendDNSConfig(dnsConfig, pod.spec.dnsConfig);
    return {
      servers: this.formDNSNameserversFitsLimits(dnsConfig.servers),
      searches: this.formDNSSearchFitsLimits(dnsConfig.searches),
      options: dnsConfig.options,
    };
  }
}

/** `name_namespace(uid)`. Upstream: pkg/kubelet/util/format/pod.go (Pod) */
function podFormat(pod: Pod): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}

/**
 * The resolv.conf the runtime writes: search, nameservers, options, each line only when it has
 * entries; with none at all, containerd copies the host's file.
 * Upstream: containerd internal/cri/server/podsandbox/helpers_linux.go (parseDNSOptions)
 */
export function formatResolvConf(config: DNSConfig, hostResolvConf = ''): string {
  let out = '';
  if (config.searches.length > 0) out += `search ${config.searches.join(' ')}\n`;
  if (config.servers.length > 0) out += `nameserver ${config.servers.join('\nnameserver ')}\n`;
  if (config.options.length > 0) out += `options ${config.options.join(' ')}\n`;
  return out === '' ? hostResolvConf : out;
}

/** Options of `podResolvConf`; the defaults are a kubeadm cluster's. */
export interface PodResolvConfOptions extends ConfigurerOptions {}

/**
 * The /etc/resolv.conf a pod sees, with the events the kubelet records on the way.
 * Defaults: `--cluster-domain=cluster.local`, `--cluster-dns=10.96.0.10`, host file
 * `/etc/resolv.conf` as given in `hostResolvConf`.
 */
export function podResolvConf(pod: Pod, opts: PodResolvConfOptions = {}): PodDNSResult {
  const c = new Configurer({ clusterDomain: 'cluster.local', clusterDNS: ['10.96.0.10'], ...opts });
  const config = c.getPodDNS(pod);
  return { config, events: c.events, resolvConf: formatResolvConf(config, c.hostResolvConf) };
}

/** An event as client-go's FakeRecorder prints it. */
export function formatDNSEvent(e: DNSEvent): string {
  return `${e.type} ${e.reason} ${e.message}`;
}
