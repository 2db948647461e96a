/**
 * The phases of `kubeadm init` after kubelet-start. Each one needs the control plane running (an
 * API server to talk to), so each asks the data for its client first: without one it fails as
 * kubeadm fails when the API server never comes up. Their actions come from the control-plane
 * model through `InitDataOptions.clusterPhases` (next session); names, order and sub-phases are
 * upstream's now, so `--skip-phases` and `kubeadm init phase <name>` already resolve them.
 * Upstream: cmd/kubeadm/app/cmd/phases/init/{waitcontrolplane,uploadconfig,uploadcerts,markcontrolplane,
 * bootstraptoken,kubeletfinalize,addons,showjoincommand}.go (the New*Phase functions)
 */
import type { Phase } from '../../workflow/phase';
import type { InitData } from './data';

/** Gets the client (or fails with the wait-control-plane error), then runs the model's action. */
function onCluster(name: string) {
  return async (d: InitData) => {
    const client = await d.client();
    const action = d.o.clusterPhases?.[name];
    if (!action) throw new Error(`phase ${name} is not modelled yet`);
    await action(d, client);
  };
}

const leaf = (name: string, short: string, path = name): Phase<InitData> => ({ name, short, run: onCluster(path) });

const withAll = (name: string, short: string, allShort: string, subs: Array<[string, string]>): Phase<InitData> => ({
  name,
  short,
  phases: [{ name: 'all', short: allShort, runAllSiblings: true }, ...subs.map(([sub, s]) => leaf(sub, s, `${name}/${sub}`))],
});

/** upload-certs without --upload-certs only says so: it needs no cluster. */
// Upstream: phases/init/uploadcerts.go (runUploadCerts)
function runUploadCerts(d: InitData): Promise<void> | void {
  if (!d.o.uploadCerts) return d.out('[upload-certs] Skipping phase. Please see --upload-certs');
  return onCluster('upload-certs')(d);
}

export function newClusterPhases(): Phase<InitData>[] {
  return [
    leaf('wait-control-plane', 'Wait for the control plane to start'),
    withAll('upload-config', 'Upload the kubeadm and kubelet configuration to a ConfigMap', 'Upload all configuration to a config map', [
      ['kubeadm', 'Upload the kubeadm ClusterConfiguration to a ConfigMap'],
      ['kubelet', 'Upload the kubelet component config to a ConfigMap'],
    ]),
    { name: 'upload-certs', short: 'Upload certificates to kubeadm-certs', run: runUploadCerts },
    leaf('mark-control-plane', 'Mark a node as a control-plane'),
    leaf('bootstrap-token', 'Generates bootstrap tokens used to join a node to a cluster'),
    withAll('kubelet-finalize', 'Updates settings relevant to the kubelet after TLS bootstrap', 'Run all kubelet-finalize phases', [['enable-client-cert-rotation', 'Enable kubelet client certificate rotation']]),
    withAll('addon', 'Install required addons for passing conformance tests', 'Install all the addons', [
      ['coredns', 'Install the CoreDNS addon to a Kubernetes cluster'],
      ['kube-proxy', 'Install the kube-proxy addon to a Kubernetes cluster'],
    ]),
    leaf('show-join-command', 'Show the join command for control-plane and worker node'),
  ];
}
