/**
 * What every phase of `kubeadm init` reads: the host it runs on, the loaded configuration, where
 * files go, the writers for stdout and stderr, and (for the phases after kubelet-start) a client
 * of the cluster's API server, which exists only once the control plane runs.
 * Upstream: cmd/kubeadm/app/cmd/phases/init/data.go (InitData), cmd/kubeadm/app/cmd/init.go (initData, newInitData)
 */
import type { FakeClock } from '../../../core/clock';
import type { Rng } from '../../../core/rng';
import type { TraceRecorder } from '../../../core/trace';
import type { Host } from '../../../host/host';
import { parseGoDuration } from '../../apis/duration';
import type { ClusterConfiguration, InitConfiguration } from '../../apis/types';
import type { FileWriter } from '../../certs/files';
import type { PkiEnv } from '../../certs/certs';
import type { PkiInitConfiguration } from '../../certs/config';
import type { PreflightInitConfig } from '../../preflight/lists';
import type { IgnoreSet, Writer } from '../../preflight/run';
import type { CriService } from '../../preflight/runtime';

export const KubernetesDir = '/etc/kubernetes';
export const ManifestsDir = '/etc/kubernetes/manifests';
export const KubeletDir = '/var/lib/kubelet';

/** The phases after kubelet-start act on the cluster through this seam (the control-plane model). */
export type ClusterPhase = (data: InitData, client: unknown) => void | Promise<void>;

export interface InitDataOptions {
  host: Host;
  init: InitConfiguration;
  cluster: ClusterConfiguration;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  out: Writer;
  err: Writer;
  ignorePreflightErrors?: IgnoreSet;
  /** The CRI runtime model preflight asks (else the host's image list). */
  cri?: CriService;
  /** kubeadm's pid in klog headers. */
  pid?: number;
  dryRun?: boolean;
  /** --upload-certs */
  uploadCerts?: boolean;
  /** A client of the running API server; absent until the control-plane model provides one. */
  client?: () => unknown;
  /** The actions of the phases that need the cluster, by phase name (`upload-config/kubeadm`). */
  clusterPhases?: Partial<Record<string, ClusterPhase>>;
}

export class InitData {
  readonly host: Host;
  readonly init: InitConfiguration;
  readonly cluster: ClusterConfiguration;
  readonly env: PkiEnv & { clock: FakeClock };
  readonly ignorePreflightErrors: IgnoreSet;

  constructor(readonly o: InitDataOptions) {
    this.host = o.host;
    this.init = o.init;
    this.cluster = o.cluster;
    this.env = { clock: o.clock, rng: o.rng, trace: o.trace };
    this.ignorePreflightErrors = o.ignorePreflightErrors ?? new Set();
  }

  out(line: string): void {
    this.o.out(`${line}\n`);
  }

  get files(): FileWriter {
    return this.host.fileWriter();
  }

  certificateDir(): string {
    return this.cluster.certificatesDir ?? '/etc/kubernetes/pki';
  }

  nodeName(): string {
    return this.init.nodeRegistration.name ?? this.host.name;
  }

  advertiseAddress(): string {
    return this.init.localAPIEndpoint.advertiseAddress ?? this.host.state.ip;
  }

  bindPort(): number {
    return this.init.localAPIEndpoint.bindPort ?? 6443;
  }

  kubernetesVersion(): string {
    return this.cluster.kubernetesVersion ?? 'v1.34.0';
  }

  /**
   * The API server client. Without a running control plane this fails as kubeadm's
   * wait-control-plane does when the API server never answers.
   */
  // Upstream: cmd/kubeadm/app/cmd/phases/init/waitcontrolplane.go, util/apiclient/wait.go (WaitForControlPlaneComponents)
  async client(): Promise<unknown> {
    if (this.o.client) return this.o.client();
    const url = `https://${this.advertiseAddress()}:${this.bindPort()}/livez`;
    throw new Error(`failed while waiting for the control plane to start: kube-apiserver check failed at ${url}: Get "${url}?timeout=10s": dial tcp ${this.advertiseAddress()}:${this.bindPort()}: connect: connection refused`);
  }

  /** What the certs and kubeconfig model reads. */
  pkiConfig(): PkiInitConfiguration {
    const c = this.cluster;
    return {
      nodeRegistration: { name: this.nodeName() },
      localAPIEndpoint: { advertiseAddress: this.advertiseAddress(), bindPort: this.bindPort() },
      controlPlaneEndpoint: c.controlPlaneEndpoint || undefined,
      networking: { serviceSubnet: c.networking.serviceSubnet, dnsDomain: c.networking.dnsDomain },
      apiServer: { certSANs: c.apiServer.certSANs },
      etcd: c.etcd.external ? { external: c.etcd.external } : { local: { serverCertSANs: c.etcd.local?.serverCertSANs, peerCertSANs: c.etcd.local?.peerCertSANs } },
      certificatesDir: this.certificateDir(),
      clusterName: c.clusterName,
      certificateValidityPeriodMs: c.certificateValidityPeriod ? parseGoDuration(c.certificateValidityPeriod) : undefined,
      caCertificateValidityPeriodMs: c.caCertificateValidityPeriod ? parseGoDuration(c.caCertificateValidityPeriod) : undefined,
    };
  }

  /** What preflight reads. */
  preflightConfig(): PreflightInitConfig {
    const c = this.cluster;
    const nr = this.init.nodeRegistration;
    return {
      kubernetesVersion: this.kubernetesVersion(),
      imageRepository: c.imageRepository,
      localAPIEndpoint: { advertiseAddress: this.advertiseAddress(), bindPort: this.bindPort() },
      networking: { serviceSubnet: c.networking.serviceSubnet, podSubnet: c.networking.podSubnet ?? '' },
      etcd: c.etcd.external ? { external: c.etcd.external } : { local: { dataDir: c.etcd.local?.dataDir ?? '/var/lib/etcd' } },
      nodeRegistration: {
        name: this.nodeName(),
        criSocket: nr.criSocket,
        imagePullPolicy: nr.imagePullPolicy as PreflightInitConfig['nodeRegistration']['imagePullPolicy'],
        imagePullSerial: nr.imagePullSerial,
      },
    };
  }
}
