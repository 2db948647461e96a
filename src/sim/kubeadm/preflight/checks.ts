/**
 * kubeadm's preflight checks, each a `Checker` with upstream's name and its warnings and errors
 * worded as upstream words them, reading a simulated `Host` instead of the real machine. A check
 * never changes the host except ImagePull (a "mutating check", as upstream says).
 */
import type { Host } from '../../host/host';
import { ControlPlaneNumCPU, MinimumKubeletVersion } from './constants';
import { isIPv6String } from '../../netaddr/ip';
import { firstHostIP, proxyFor } from './proxy';
import type { ContainerRuntime } from './runtime';
import { compareVersions, parseSemantic, versionString } from './version';

export interface CheckResult {
  warnings: string[];
  errors: string[];
}

/** A preflight check: validates one thing about the node. */
// Upstream: cmd/kubeadm/app/preflight/checks.go (Checker)
export interface Checker {
  name(): string;
  check(): CheckResult | Promise<CheckResult>;
}

const ok = (): CheckResult => ({ warnings: [], errors: [] });
const warn = (...warnings: string[]): CheckResult => ({ warnings, errors: [] });
const fail = (...errors: string[]): CheckResult => ({ warnings: [], errors });
/** `/etc/kubernetes/manifests/x.yaml` -> `-etc-kubernetes-manifests-x.yaml` (strings.Replace(path, "/", "-")). */
const dashed = (path: string) => path.replace(/\//g, '-');

/** klog's -v=1 lines a check writes; the phase prints them when the user asked for -v. */
export type VerboseLog = (line: string) => void;

// Upstream: checks.go (ContainerRuntimeCheck)
export class ContainerRuntimeCheck implements Checker {
  constructor(private readonly runtime: ContainerRuntime) {}
  name() {
    return 'CRI';
  }
  async check() {
    try {
      await this.runtime.isRunning();
      return ok();
    } catch (err) {
      return fail((err as Error).message);
    }
  }
}

/** Go's strings.Title for a service name (`kubelet` -> `Kubelet`). */
const title = (s: string) => s.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());

// Upstream: checks.go (ServiceCheck), cmd/kubeadm/app/util/initsystem/initsystem_unix.go (SystemdInitSystem)
export class ServiceCheck implements Checker {
  constructor(
    private readonly host: Host,
    private readonly service: string,
    private readonly checkIfActive = false,
    private readonly label = '',
  ) {}
  name() {
    return this.label || `Service-${title(this.service)}`;
  }
  check() {
    if (!this.host.lookPath('systemctl')) return warn('no supported init system detected, skipping checking for services');
    const sd = this.host.systemd;
    if (!sd.exists(this.service)) return warn(`${this.service} service does not exist`);
    const result = ok();
    if (!sd.isEnabled(this.service)) result.warnings.push(`${this.service} service is not enabled, please run 'systemctl enable ${this.service}.service'`);
    if (this.checkIfActive && !sd.isActive(this.service)) result.errors.push(`${this.service} service is not active, please run 'systemctl start ${this.service}.service'`);
    return result;
  }
}

// Upstream: checks.go (FirewalldCheck)
export class FirewalldCheck implements Checker {
  constructor(
    private readonly host: Host,
    private readonly ports: number[],
  ) {}
  name() {
    return 'Firewalld';
  }
  check() {
    if (!this.host.lookPath('systemctl')) return warn('no supported init system detected, skipping checking for services');
    if (!this.host.systemd.exists('firewalld')) return ok();
    if (this.host.systemd.isActive('firewalld')) return warn(`firewalld is active, please ensure ports [${this.ports.join(' ')}] are open or your cluster may not function correctly`);
    return ok();
  }
}

// Upstream: checks.go (PortOpenCheck)
export class PortOpenCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly port: number,
    private readonly label = '',
  ) {}
  name() {
    return this.label || `Port-${this.port}`;
  }
  check() {
    return this.host.listener(this.port) ? fail(`Port ${this.port} is in use`) : ok();
  }
}

// Upstream: checks_unix.go (IsPrivilegedUserCheck)
export class IsPrivilegedUserCheck implements Checker {
  constructor(private readonly host: Host) {}
  name() {
    return 'IsPrivilegedUser';
  }
  check() {
    return this.host.state.uid !== 0 ? fail('user is not running as root') : ok();
  }
}

// Upstream: checks.go (DirAvailableCheck)
export class DirAvailableCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly path: string,
    private readonly label = '',
  ) {}
  name() {
    return this.label || `DirAvailable-${dashed(this.path)}`;
  }
  check() {
    if (!this.host.fs.exists(this.path)) return ok();
    let entries: string[];
    try {
      entries = this.host.fs.readDir(this.path);
    } catch (err) {
      return fail(`unable to check if ${this.path} is empty: ${(err as Error).message}`);
    }
    return entries.length > 0 ? fail(`${this.path} is not empty`) : ok();
  }
}

// Upstream: checks.go (FileAvailableCheck)
export class FileAvailableCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly path: string,
    private readonly label = '',
  ) {}
  name() {
    return this.label || `FileAvailable-${dashed(this.path)}`;
  }
  check() {
    return this.host.fs.exists(this.path) ? fail(`${this.path} already exists`) : ok();
  }
}

// Upstream: checks.go (FileExistingCheck)
export class FileExistingCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly path: string,
    private readonly label = '',
  ) {}
  name() {
    return this.label || `FileExisting-${dashed(this.path)}`;
  }
  check() {
    return this.host.fs.exists(this.path) ? ok() : fail(`${this.path} doesn't exist`);
  }
}

/** The first len(content) bytes of the file must equal `content`. */
// Upstream: checks.go (FileContentCheck)
export class FileContentCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly path: string,
    private readonly content: string,
    private readonly label = '',
  ) {}
  name() {
    return this.label || `FileContent-${dashed(this.path)}`;
  }
  check() {
    if (!this.host.fs.exists(this.path)) return fail(`${this.path} does not exist`);
    // A directory opens; reading zero bytes of it succeeds, reading more fails (EISDIR).
    if (this.host.fs.isDir(this.path)) return this.content.length === 0 ? ok() : fail(`${this.path} could not be read`);
    const text = this.host.fs.readFile(this.path);
    return text.slice(0, this.content.length) === this.content ? ok() : fail(`${this.path} contents are not set to ${this.content}`);
  }
}

// Upstream: checks.go (InPathCheck)
export class InPathCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly executable: string,
    private readonly mandatory: boolean,
    private readonly label = '',
    private readonly suggestion = '',
  ) {}
  name() {
    return this.label || `FileExisting-${dashed(this.executable)}`;
  }
  check() {
    if (this.host.lookPath(this.executable)) return ok();
    const message = `${this.executable} not found in system path`;
    if (this.mandatory) return fail(message);
    return warn(this.suggestion ? `${message}\nSuggestion: ${this.suggestion}` : message);
  }
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** validation.IsQualifiedName for a name without a prefix. */
// Upstream: k8s.io/apimachinery pkg/util/validation/validation.go (IsQualifiedName, RegexError)
export function isQualifiedName(name: string): string[] {
  if (name.length === 0) return ['name part must be non-empty'];
  const errs: string[] = [];
  if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return errs;
}

/** The node name must be a qualified name and resolve (net.LookupHost); both only warn. */
// Upstream: checks.go (HostnameCheck)
export class HostnameCheck implements Checker {
  constructor(
    private readonly host: Host,
    private readonly nodeName: string,
  ) {}
  name() {
    return 'Hostname';
  }
  check() {
    const warnings = isQualifiedName(this.nodeName).map((msg) => `invalid node name format ${JSON.stringify(this.nodeName)}: ${msg}`);
    if (this.host.lookupHost(this.nodeName).length === 0) {
      warnings.push(`hostname "${this.nodeName}" could not be reached`);
      warnings.push(`hostname "${this.nodeName}": lookup ${this.nodeName} on ${this.host.nameserver()}: no such host`);
    }
    return { warnings, errors: [] };
  }
}

/** A connection to the API server's address through a proxy is probably a mistake: a warning. */
// Upstream: checks.go (HTTPProxyCheck)
export class HTTPProxyCheck implements Checker {
  constructor(
    private readonly env: Readonly<Record<string, string>>,
    readonly proto: 'http' | 'https',
    readonly hostAddress: string,
  ) {}
  name() {
    return 'HTTPProxy';
  }
  check() {
    // An IPv6 address gets a port (netutils.IsIPv6String: brackets make it a plain host).
    const host = isIPv6String(this.hostAddress) ? `[${this.hostAddress}]:1234` : this.hostAddress;
    const proxy = proxyFor(this.env, this.proto, host);
    if (!proxy) return ok();
    return warn(`Connection to "${this.proto}://${host}" uses proxy "${proxy}". If that is not intended, adjust your proxy settings`);
  }
}

/** The Service and Pod ranges must not go through a proxy: the first address of the range is tried. */
// Upstream: checks.go (HTTPProxyCIDRCheck)
export class HTTPProxyCIDRCheck implements Checker {
  constructor(
    private readonly env: Readonly<Record<string, string>>,
    readonly proto: 'http' | 'https',
    readonly cidr: string,
  ) {}
  name() {
    return 'HTTPProxyCIDR';
  }
  check() {
    if (!this.cidr) return ok();
    const ip = /^[0-9a-fA-F.:]+\/\d+$/.test(this.cidr) ? firstHostIP(this.cidr) : undefined;
    if (!ip) return fail(`error parsing CIDR ${JSON.stringify(this.cidr)}: invalid CIDR address: ${this.cidr}`);
    const proxy = proxyFor(this.env, this.proto, ip.includes(':') ? `[${ip}]:1234` : `${ip}:1234`);
    if (!proxy) return ok();
    return warn(
      `connection to ${JSON.stringify(this.cidr)} uses proxy ${JSON.stringify(proxy)}. This may lead to malfunctional cluster setup. Make sure that Pod and Services IP ranges specified correctly as exceptions in proxy configuration`,
    );
  }
}

/**
 * The kernel, OS and cgroups validators of k8s.io/system-validators. Modelled: the kernel release
 * against the supported series (a warning outside them) and cgroup v1 (a warning). The
 * validators' report is printed only when they fail, which the model's nodes never do.
 */
// Upstream: checks.go (SystemVerificationCheck); k8s.io/system-validators validators/kernel_validator.go, cgroup_validator.go
export class SystemVerificationCheck implements Checker {
  constructor(private readonly host: Host) {}
  name() {
    return 'SystemVerification';
  }
  check() {
    const warnings: string[] = [];
    const release = this.host.state.kernel;
    if (!/^(5\.4|5\.10|5\.15)\.|^6\./.test(release)) {
      warnings.push(
        `kernel release ${release} is unsupported. Supported LTS versions from the 5.x series are 5.4, 5.10 and 5.15. Any 6.x version is also supported. For cgroups v2 support, the recommended version is 5.10 or newer`,
      );
    }
    if (this.host.state.cgroupVersion === 1) warnings.push('cgroups v1 support is in maintenance mode, please migrate to cgroups v2');
    return { warnings, errors: [] };
  }
}

// Upstream: checks.go (KubernetesVersionCheck)
export class KubernetesVersionCheck implements Checker {
  constructor(
    readonly kubeadmVersion: string,
    readonly kubernetesVersion: string,
  ) {}
  name() {
    return 'KubernetesVersion';
  }
  check() {
    if (this.kubeadmVersion.startsWith('v0.0.0')) return ok();
    let kadm, k8s;
    try {
      kadm = parseSemantic(this.kubeadmVersion);
    } catch (err) {
      return fail(`couldn't parse kubeadm version ${JSON.stringify(this.kubeadmVersion)}: ${(err as Error).message}`);
    }
    try {
      k8s = parseSemantic(this.kubernetesVersion);
    } catch (err) {
      return fail(`couldn't parse Kubernetes version ${JSON.stringify(this.kubernetesVersion)}: ${(err as Error).message}`);
    }
    // The first unsupported version is the next minor's very first pre-release, x.(y+1).0-0.
    const firstUnsupported = parseSemantic(`${kadm.major}.${kadm.minor + 1}.0-0`);
    if (compareVersions(k8s, firstUnsupported) >= 0) {
      return warn(`Kubernetes version is greater than kubeadm version. Please consider to upgrade kubeadm. Kubernetes version: ${versionString(k8s)}. Kubeadm version: ${kadm.major}.${kadm.minor}.x`);
    }
    return ok();
  }
}

/** utils.go GetKubeletVersion: `kubelet --version` must print `Kubernetes vX.Y.Z`. */
// Upstream: cmd/kubeadm/app/preflight/utils.go (GetKubeletVersion)
export function getKubeletVersion(host: Host) {
  const out = host.versionOutput('kubelet');
  if (out === undefined) throw new Error(`cannot execute 'kubelet --version': exec: "kubelet": executable file not found in $PATH`);
  const m = /^\s*Kubernetes v((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_.+]*)?)\s*$/.exec(out.trim());
  if (!m) throw new Error(`Unable to parse output from Kubelet: ${JSON.stringify(out.trim())}`);
  return parseSemantic(m[1]);
}

// Upstream: checks.go (KubeletVersionCheck)
export class KubeletVersionCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly kubernetesVersion: string,
    private readonly minKubeletVersion = MinimumKubeletVersion,
  ) {}
  name() {
    return 'KubeletVersion';
  }
  check() {
    let kubelet;
    try {
      kubelet = getKubeletVersion(this.host);
    } catch (err) {
      return fail(`couldn't get kubelet version: ${(err as Error).message}`);
    }
    if (compareVersions(kubelet, parseSemantic(this.minKubeletVersion)) < 0) {
      return fail(`Kubelet version "${versionString(kubelet)}" is lower than kubeadm can support. Please upgrade kubelet`);
    }
    if (this.kubernetesVersion) {
      let k8s;
      try {
        k8s = parseSemantic(this.kubernetesVersion);
      } catch (err) {
        return fail(`couldn't parse Kubernetes version ${JSON.stringify(this.kubernetesVersion)}: ${(err as Error).message}`);
      }
      if (kubelet.major > k8s.major || kubelet.minor > k8s.minor) {
        return fail(
          `the kubelet version is higher than the control plane version. This is not a supported version skew and may lead to a malfunctional cluster. Kubelet version: "${versionString(kubelet)}" Control plane version: "${versionString(k8s)}"`,
        );
      }
    }
    return ok();
  }
}

/** More than the header line in /proc/swaps means swap is on: a warning since kubeadm 1.28. */
// Upstream: checks.go (SwapCheck)
export class SwapCheck implements Checker {
  constructor(private readonly host: Host) {}
  name() {
    return 'Swap';
  }
  check() {
    let text: string;
    try {
      text = this.host.fs.readFile('/proc/swaps');
    } catch {
      return ok();
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length > 1) {
      return warn(
        'swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node',
      );
    }
    return ok();
  }
}

// Upstream: checks.go (NumCPUCheck)
export class NumCPUCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly numCPU = ControlPlaneNumCPU,
  ) {}
  name() {
    return 'NumCPU';
  }
  check() {
    const n = this.host.state.cpus;
    return n < this.numCPU ? fail(`the number of available CPUs ${n} is less than the required ${this.numCPU}`) : ok();
  }
}

/** Total RAM (sysinfo's Totalram x Unit, in MB) against the minimum. */
// Upstream: checks_linux.go (MemCheck.Check)
export class MemCheck implements Checker {
  constructor(
    private readonly host: Host,
    readonly mem: number,
  ) {}
  name() {
    return 'Mem';
  }
  check() {
    const actual = this.host.state.memoryMB;
    return actual < this.mem ? fail(`the system RAM (${actual} MB) is less than the minimum ${this.mem} MB`) : ok();
  }
}

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** Pulls the images kubeadm needs (serially by default, as imagePullSerial defaults to true). */
// Upstream: checks.go (ImagePullCheck)
export class ImagePullCheck implements Checker {
  constructor(
    private readonly runtime: ContainerRuntime,
    readonly imageList: string[],
    readonly sandboxImage: string,
    readonly imagePullPolicy: ImagePullPolicy | string,
    /** klog.Warningf lines (the sandbox image mismatch). */
    private readonly warning: (text: string) => void,
    readonly imagePullSerial = true,
  ) {}
  name() {
    return 'ImagePull';
  }
  async check() {
    const policy = this.imagePullPolicy;
    if (policy === 'Never') return ok();
    if (policy !== 'Always' && policy !== 'IfNotPresent') return fail(`unsupported pull policy ${JSON.stringify(policy)}`);
    try {
      const cri = await this.runtime.sandboxImage();
      if (cri !== this.sandboxImage) {
        this.warning(`detected that the sandbox image ${JSON.stringify(cri)} of the container runtime is inconsistent with that used by kubeadm. It is recommended to use ${JSON.stringify(this.sandboxImage)} as the CRI sandbox image.`);
      }
    } catch {
      // klog.V(4): the sandbox image could not be detected
    }
    const result = ok();
    for (const image of this.imageList) {
      try {
        if (policy === 'IfNotPresent' && (await this.runtime.imageExists(image))) continue;
        await this.runtime.pullImage(image);
      } catch (err) {
        result.errors.push(`failed to pull image ${image}: ${(err as Error).message}`);
      }
    }
    return result;
  }
}
