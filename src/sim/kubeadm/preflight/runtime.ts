/**
 * What kubeadm asks of the container runtime during preflight, after
 * cmd/kubeadm/app/util/runtime (CRIRuntime): connect to the CRI socket, ask whether the runtime
 * is ready, read its sandbox image, and check or pull images. Over a `Host` it dials the socket
 * on the host's file system, so a stopped containerd (no socket) or one whose CRI plugin is
 * disabled fails with the gRPC texts kubeadm prints; a node's CRI runtime model
 * (`FakeContainerRuntime`) can be plugged in for status and images, otherwise the host's image
 * list serves.
 */
import type { Host } from '../../host/host';

export interface ContainerRuntime {
  /** Dials the CRI endpoint and validates the runtime API; throws kubeadm's error text. */
  connect(): Promise<void>;
  /** Throws when the runtime's RuntimeReady condition is false or it does not answer. */
  isRunning(): Promise<void>;
  sandboxImage(): Promise<string>;
  imageExists(image: string): Promise<boolean>;
  pullImage(image: string): Promise<void>;
}

/** The parts of a CRI runtime model preflight uses (FakeContainerRuntime has them). */
export interface CriService {
  status(): Promise<{ conditions: { type: string; status: boolean; reason: string; message: string }[] }>;
  imageStatus(image: string): Promise<unknown>;
  pullImage(image: string): Promise<string>;
}

/** NewContainerRuntime(criSocket) over a host. */
// Upstream: cmd/kubeadm/app/util/runtime/runtime.go (NewContainerRuntime, CRIRuntime)
export function newContainerRuntime(host: Host, criSocket: string, cri?: CriService): ContainerRuntime {
  const path = criSocket.replace(/^unix:\/\//, '');
  let connected = false;
  // Upstream: k8s.io/cri-client pkg/remote_runtime.go (NewRemoteRuntimeService: validateServiceConnection)
  const dial = (): string | undefined => {
    let reason: string | undefined;
    try {
      if (host.fs.stat(path).type !== 'socket') reason = 'connect: connection refused';
    } catch {
      reason = 'connect: no such file or directory';
    }
    const prefix = `validate service connection: validate CRI v1 runtime API for endpoint ${JSON.stringify(criSocket)}: rpc error:`;
    if (reason) return `${prefix} code = Unavailable desc = connection error: desc = ${JSON.stringify(`transport: Error while dialing: dial unix ${path}: ${reason}`)}`;
    if (!host.criEnabled()) return `${prefix} code = Unimplemented desc = unknown service runtime.v1.RuntimeService`;
    return undefined;
  };
  const must = () => {
    const err = dial();
    if (err) throw new Error(err);
  };
  return {
    async connect() {
      const err = dial();
      if (err) throw new Error(`failed to create new CRI runtime service: ${err}`);
      connected = true;
    },
    async isRunning() {
      if (!connected) throw new Error('container runtime is not running: no connection');
      try {
        must();
      } catch (err) {
        throw new Error(`container runtime is not running: ${(err as Error).message}`);
      }
      const ready = cri ? (await cri.status()).conditions.find((c) => c.type === 'RuntimeReady') : undefined;
      if (ready && !ready.status) throw new Error(`container runtime condition "RuntimeReady" is not true. reason: ${ready.reason}, message: ${ready.message}`);
    },
    async sandboxImage() {
      must();
      const image = host.sandboxImage();
      if (!image) throw new Error('the runtime did not report a sandbox image');
      return image;
    },
    async imageExists(image) {
      must();
      return cri ? (await cri.imageStatus(image)) !== undefined : host.state.images.includes(image);
    },
    async pullImage(image) {
      must();
      if (cri) await cri.pullImage(image);
      else if (!host.state.images.includes(image)) host.state.images.push(image);
    },
  };
}
