/**
 * What the kubelet reads from the node's disk at start, as kubeadm left it: the
 * KubeletConfiguration (/var/lib/kubelet/config.yaml), the flags of kubeadm-flags.env (the
 * systemd drop-in passes $KUBELET_KUBEADM_ARGS), and the API server named in
 * /etc/kubernetes/kubelet.conf. Zero durations (`0s`, as kubeadm writes them) mean the default.
 * Upstream: cmd/kubelet/app/server.go (NewKubeletCommand: loadConfigFile, the flags), pkg/kubelet/apis/config/v1beta1/defaults.go
 */
import { load } from 'js-yaml';
import type { HostFS } from '../host/fs';

export const KubeletConfigFile = '/var/lib/kubelet/config.yaml';
export const KubeadmFlagsFile = '/var/lib/kubelet/kubeadm-flags.env';
export const KubeletKubeconfig = '/etc/kubernetes/kubelet.conf';
export const BootstrapKubeconfig = '/etc/kubernetes/bootstrap-kubelet.conf';

export interface KubeletFiles {
  staticPodPath?: string;
  clusterDNS: string[];
  clusterDomain?: string;
  /** fileCheckFrequency in ms (undefined: the 20 s default). */
  fileCheckFrequencyMs?: number;
  /** syncFrequency in ms (undefined: the 1 min default). */
  syncFrequencyMs?: number;
  /** The flags of kubeadm-flags.env (`pod-infra-container-image`, `hostname-override`, `node-ip`). */
  flags: Record<string, string>;
  /** The kubeconfig's `server:`, or undefined when there is none (standalone). */
  server?: string;
}

/** A Go duration of the config (`20s`, `1m0s`, `0s`) in ms; zero or absent is undefined (defaulted). */
function durationMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  let ms = 0;
  for (const [, n, unit] of v.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) ms += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms']!;
  return ms > 0 ? ms : undefined;
}

/** `KUBELET_KUBEADM_ARGS="--a=b --c=d"` -> { a: 'b', c: 'd' }. */
export function parseFlagsEnv(text: string): Record<string, string> {
  const m = /^KUBELET_KUBEADM_ARGS=(?:"([^"]*)"|(\S*))/m.exec(text);
  const out: Record<string, string> = {};
  for (const arg of (m?.[1] ?? m?.[2] ?? '').split(/\s+/)) {
    const f = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (f) out[f[1]] = f[2] ?? 'true';
  }
  return out;
}

/** The current context's cluster server of a kubeconfig (the first cluster when no context matches). */
export function kubeconfigServer(text: string): string | undefined {
  const kc = load(text) as { clusters?: Array<{ name?: string; cluster?: { server?: string } }>; contexts?: Array<{ name?: string; context?: { cluster?: string } }>; 'current-context'?: string } | undefined;
  const ctx = kc?.contexts?.find((c) => c.name === kc['current-context'])?.context?.cluster;
  return (kc?.clusters?.find((c) => c.name === ctx) ?? kc?.clusters?.[0])?.cluster?.server;
}

/** Reads the three files; throws the YAML error of a malformed config (the kubelet exits with it). */
// Upstream: cmd/kubelet/app/server.go (loadConfigFile), kubelet.go (kubeconfig: --kubeconfig, else --bootstrap-kubeconfig)
export function readKubeletFiles(fs: HostFS): KubeletFiles {
  const cfg = (load(fs.readFile(KubeletConfigFile)) ?? {}) as Record<string, unknown>;
  const flagsText = fs.tryReadFile(KubeadmFlagsFile);
  const kubeconfig = fs.tryReadFile(KubeletKubeconfig) ?? fs.tryReadFile(BootstrapKubeconfig);
  return {
    staticPodPath: typeof cfg.staticPodPath === 'string' && cfg.staticPodPath ? cfg.staticPodPath : undefined,
    clusterDNS: Array.isArray(cfg.clusterDNS) ? cfg.clusterDNS.map(String) : [],
    clusterDomain: typeof cfg.clusterDomain === 'string' ? cfg.clusterDomain : undefined,
    fileCheckFrequencyMs: durationMs(cfg.fileCheckFrequency),
    syncFrequencyMs: durationMs(cfg.syncFrequency),
    flags: flagsText ? parseFlagsEnv(flagsText) : {},
    server: kubeconfig ? kubeconfigServer(kubeconfig) : undefined,
  };
}
