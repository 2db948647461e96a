/**
 * What a fresh Debian 12 node holds after `apt-get install containerd kubelet kubeadm kubectl`
 * (the pkgs.k8s.io v1.34 packages): the unit files and the kubeadm drop-in, containerd's config,
 * the empty /etc/kubernetes/manifests and /var/lib/kubelet the kubelet package creates, and the
 * network and /proc files preflight reads. The texts are the packages' files reduced to the lines
 * that take effect.
 */
import type { UnitFile } from './systemd';

/** Debian's merged /usr: /lib, /bin and /sbin are links into /usr; /var/run links to /run. */
export const LINKS: ReadonlyArray<[link: string, target: string]> = [
  ['/bin', 'usr/bin'],
  ['/sbin', 'usr/sbin'],
  ['/lib', 'usr/lib'],
  ['/var/run', '/run'],
];

export const DIRS = [
  '/etc/kubernetes/manifests',
  '/etc/containerd',
  '/etc/default',
  '/etc/sysctl.d',
  '/etc/modules-load.d',
  '/usr/bin',
  '/usr/sbin',
  '/usr/lib/systemd/system/kubelet.service.d',
  '/etc/systemd/system',
  '/var/lib/kubelet',
  '/var/lib/containerd',
  '/var/log/pods',
  '/run/containerd',
  '/root',
  '/tmp',
  '/proc/sys/net/ipv4',
  '/proc/sys/net/ipv6/conf/default',
  '/opt/cni/bin',
  '/etc/cni/net.d',
];

/** Executables in $PATH and where they live: kubeadm's InPathCheck list, the packages' binaries, the shell's tools. */
export const EXECUTABLES: Record<string, string> = {
  kubelet: '/usr/bin/kubelet',
  kubeadm: '/usr/bin/kubeadm',
  kubectl: '/usr/bin/kubectl',
  crictl: '/usr/bin/crictl',
  containerd: '/usr/bin/containerd',
  runc: '/usr/sbin/runc',
  ip: '/usr/sbin/ip',
  iptables: '/usr/sbin/iptables',
  mount: '/usr/bin/mount',
  nsenter: '/usr/bin/nsenter',
  ebtables: '/usr/sbin/ebtables',
  ethtool: '/usr/sbin/ethtool',
  socat: '/usr/bin/socat',
  tc: '/usr/sbin/tc',
  touch: '/usr/bin/touch',
  conntrack: '/usr/sbin/conntrack',
  modprobe: '/usr/sbin/modprobe',
  swapoff: '/usr/sbin/swapoff',
  systemctl: '/usr/bin/systemctl',
};

/** $PATH of a root shell on Debian. */
export const PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export const KUBELET_UNIT = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

/** The kubeadm package's drop-in: where the kubelet's flags come from once kubeadm has written them. */
export const KUBEADM_DROPIN = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

export const CONTAINERD_UNIT = `[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
After=network.target local-fs.target

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
`;

/** containerd 1.7's config (version 2): the CRI plugin's sandbox image and runc's cgroup driver. */
export function containerdConfig(sandboxImage: string, disableCri = false): string {
  return `version = 2
${disableCri ? 'disabled_plugins = ["cri"]\n' : ''}
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true
`;
}

export const UNIT_FILES: Record<string, UnitFile> = {
  'kubelet.service': {
    name: 'kubelet.service',
    description: 'kubelet: The Kubernetes Node Agent',
    fragmentPath: '/lib/systemd/system/kubelet.service',
    dropIns: { dir: '/usr/lib/systemd/system/kubelet.service.d', files: ['10-kubeadm.conf'] },
    documentation: ['https://kubernetes.io/docs/'],
    execStart: '/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS',
    restart: 'always',
    restartSec: 10,
    vendorPreset: 'enabled',
    memoryMB: 41.6,
    tasks: 13,
  },
  'containerd.service': {
    name: 'containerd.service',
    description: 'containerd container runtime',
    fragmentPath: '/lib/systemd/system/containerd.service',
    documentation: ['https://containerd.io'],
    execStart: '/usr/bin/containerd',
    restart: 'always',
    restartSec: 5,
    vendorPreset: 'enabled',
    memoryMB: 38.2,
    tasks: 9,
  },
  'firewalld.service': {
    name: 'firewalld.service',
    description: 'firewalld - dynamic firewall daemon',
    fragmentPath: '/lib/systemd/system/firewalld.service',
    documentation: ['man:firewalld(1)'],
    execStart: '/usr/sbin/firewalld --nofork --nopid',
    restart: 'no',
    restartSec: 0,
    vendorPreset: 'enabled',
    memoryMB: 28.4,
    tasks: 2,
  },
};

/** Where each unit's file lies on disk (the /usr side of the merged /lib). */
export const UNIT_PATHS: Record<string, { path: string; text: string }> = {
  'kubelet.service': { path: '/usr/lib/systemd/system/kubelet.service', text: KUBELET_UNIT },
  'containerd.service': { path: '/usr/lib/systemd/system/containerd.service', text: CONTAINERD_UNIT },
  'firewalld.service': { path: '/usr/lib/systemd/system/firewalld.service', text: '[Unit]\nDescription=firewalld - dynamic firewall daemon\n\n[Service]\nExecStart=/usr/sbin/firewalld --nofork --nopid\n' },
};

export const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;

/** /etc/hosts as the Debian installer writes it: the hostname on 127.0.1.1. */
export function etcHosts(name: string, resolvable: boolean): string {
  return `127.0.0.1\tlocalhost\n${resolvable ? `127.0.1.1\t${name}\n` : ''}\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n`;
}

/** /proc/swaps: the header, then one row per active swap area (Linux mm/swapfile.c swap_show). */
// Upstream: linux mm/swapfile.c (swap_show)
export function procSwaps(areas: ReadonlyArray<{ device: string; sizeKB: number }>): string {
  const rows = areas.map((a) => `${a.device}${' '.repeat(Math.max(1, 40 - a.device.length))}partition\t${a.sizeKB}\t\t0\t\t-2\n`);
  return `Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n${rows.join('')}`;
}
