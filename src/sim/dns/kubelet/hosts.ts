/**
 * The /etc/hosts file the kubelet mounts into every container of a pod, and the hostname and
 * domain it derives from the pod. Upstream: kubernetes v1.34 pkg/kubelet/kubelet_pods.go
 * (makeHostsMount, ensureHostsFile, managedHostsFileContent, nodeHostsFileContent,
 * hostsEntriesFromHostAliases, truncatePodHostnameIfNeeded, GeneratePodHostNameAndDomain).
 */
import type { Pod } from '../../api/core/v1';
import { isDNS1123Label } from '../../apimachinery/validation';

export const managedHostsHeader = '# Kubernetes-managed hosts file.\n';
export const managedHostsHeaderWithHostNetwork = '# Kubernetes-managed hosts file (host network).\n';

/** A Debian-style node /etc/hosts, what a host-network pod starts from unless one is given. */
export const defaultNodeHostsFile = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n';

/**
 * The pod's hostname (its name, or `spec.hostname`, cut to 63 characters) and domain
 * (`<subdomain>.<namespace>.svc.<cluster domain>` when `spec.subdomain` is set).
 * Upstream: kubelet_pods.go (Kubelet.GeneratePodHostNameAndDomain)
 */
export function generatePodHostNameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; hostDomain: string } {
  let hostname = pod.metadata.name ?? '';
  const specHostname = pod.spec.hostname ?? '';
  if (specHostname.length > 0) {
    const msgs = isDNS1123Label(specHostname);
    if (msgs.length !== 0) throw new Error(`pod Hostname ${JSON.stringify(specHostname)} is not a valid DNS label: ${msgs.join(';')}`);
    hostname = specHostname;
  }
  hostname = truncatePodHostnameIfNeeded(pod.metadata.name ?? '', hostname);
  let hostDomain = '';
  const subdomain = pod.spec.subdomain ?? '';
  if (subdomain.length > 0) {
    const msgs = isDNS1123Label(subdomain);
    if (msgs.length !== 0) throw new Error(`pod Subdomain ${JSON.stringify(subdomain)} is not a valid DNS label: ${msgs.join(';')}`);
    hostDomain = `${subdomain}.${pod.metadata.namespace ?? ''}.svc.${clusterDomain}`;
  }
  return { hostname, hostDomain };
}

/** Upstream: kubelet_pods.go (truncatePodHostnameIfNeeded) */
export function truncatePodHostnameIfNeeded(podName: string, hostname: string): string {
  const hostnameMaxLen = 63;
  if (hostname.length <= hostnameMaxLen) return hostname;
  const truncated = hostname.slice(0, hostnameMaxLen).replace(/[-.]+$/, '');
  if (truncated.length === 0) throw new Error(`hostname for pod ${JSON.stringify(podName)} was invalid: ${JSON.stringify(hostname)}`);
  return truncated;
}

/** One line per alias entry, its hostnames tab-separated. Upstream: kubelet_pods.go (hostsEntriesFromHostAliases) */
export function hostsEntriesFromHostAliases(hostAliases: Pod['spec']['hostAliases'] = []): string {
  if (hostAliases.length === 0) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of hostAliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}

/** Upstream: kubelet_pods.go (managedHostsFileContent) */
export function managedHostsFileContent(hostIPs: readonly string[], hostName: string, hostDomainName: string, hostAliases: Pod['spec']['hostAliases'] = []): string {
  let out = managedHostsHeader;
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of hostIPs) out += hostDomainName.length > 0 ? `${ip}\t${hostName}.${hostDomainName}\t${hostName}\n` : `${ip}\t${hostName}\n`;
  return out + hostsEntriesFromHostAliases(hostAliases);
}

/** Upstream: kubelet_pods.go (nodeHostsFileContent) */
export function nodeHostsFileContent(nodeHostsFile: string, hostAliases: Pod['spec']['hostAliases'] = []): string {
  return managedHostsHeaderWithHostNetwork + nodeHostsFile + hostsEntriesFromHostAliases(hostAliases);
}

export interface PodHostsFileOptions {
  clusterDomain?: string;
  /** The node's /etc/hosts, copied for host-network pods. */
  nodeHostsFile?: string;
  /** The pod's IPs; defaults to `status.podIPs`, then `status.podIP`. */
  podIPs?: string[];
}

/**
 * The /etc/hosts a container of the pod sees: the node's file for host-network pods, the managed
 * file otherwise, hostAliases appended to either. The kubelet mounts it only once the pod has an
 * IP; `undefined` when it has none. Upstream: kubelet_pods.go (makeMounts, ensureHostsFile)
 */
export function podHostsFile(pod: Pod, opts: PodHostsFileOptions = {}): string | undefined {
  const podIPs = opts.podIPs ?? pod.status?.podIPs?.map((p) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
  if (podIPs.length === 0) return undefined;
  const { hostname, hostDomain } = generatePodHostNameAndDomain(pod, opts.clusterDomain ?? 'cluster.local');
  if (pod.spec.hostNetwork) return nodeHostsFileContent(opts.nodeHostsFile ?? defaultNodeHostsFile, pod.spec.hostAliases);
  return managedHostsFileContent(podIPs, hostname, hostDomain, pod.spec.hostAliases);
}

/**
 * The kernel hostname: the FQDN when setHostnameAsFQDN and a domain are set, else the short name.
 * Upstream: pkg/kubelet/util/util.go (GetNodenameForKernel)
 */
export function nodenameForKernel(hostname: string, hostDomainName: string, setHostnameAsFQDN: boolean | undefined): string {
  const kernelHostnameMaxLen = 64;
  if (setHostnameAsFQDN && hostDomainName.length > 0) {
    const fqdn = `${hostname}.${hostDomainName}`;
    if (fqdn.length > kernelHostnameMaxLen) throw new Error(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${kernelHostnameMaxLen} characters is the max, ${fqdn.length} characters requested)`);
    return fqdn;
  }
  return hostname;
}
