/** The phases of `kubeadm init` on a simulated host (v1.34): preflight to kubelet-start, then the cluster phases' seam. */
export { InitData, KubernetesDir, ManifestsDir, KubeletDir, type InitDataOptions, type ClusterPhase } from './data';
export { newInitRunner, runInit, runInitPhase, manageSkippedAddons } from './init';
export { newCertsPhase, newKubeConfigPhase } from './certs';
export { newEtcdPhase, newControlPlanePhase, controlPlaneInput } from './controlplane';
export { newKubeletStartPhase, kubeletConfiguration, kubeletFlagsEnv, getDNSIP } from './kubelet';
export { newClusterPhases } from './cluster';
export { getStaticPodSpecs, getEtcdPodSpec, getAPIServerCommand, getControllerManagerCommand, getSchedulerCommand, getEtcdCommand, getHostPathVolumes, type ControlPlaneInput } from './manifests';
export { componentPod, marshalStaticPod, argumentsToCommand, livenessProbe, readinessProbe, startupProbe, ProbePort } from './staticpod';
export { marshalYAML as marshalGoYAML, yamlScalar } from './yaml';
