/** A machine: host + containerd + the kubelet under systemd, on a network of machines (issue 14). See README.md. */
export { Machine, newMachine, type MachineOptions, type ControlPlaneHooks, type ControlPlaneHook, type ControlPlaneHookResult, type KubeletProcess } from './machine';
export { Network, newNetwork, DialTimeoutError, type NetTarget } from './network';
export { newDialTransport, parseServer, urlError, type DialTransportOptions } from './transport';
export { readKubeletFiles, parseFlagsEnv, kubeconfigServer, KubeletConfigFile, KubeadmFlagsFile, KubeletKubeconfig, BootstrapKubeconfig, type KubeletFiles } from './kubelet_files';
export { machineEvents, type MachineEventMap, type MachineTraceEvent } from './events';
