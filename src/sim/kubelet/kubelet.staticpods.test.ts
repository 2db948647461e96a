/**
 * Static pods end to end on a real API server: the kubelet runs the manifests of its static pod
 * path with no API object, creates a mirror pod once its Node exists (owned by the Node), writes
 * the static pod's status to the mirror, re-creates a deleted mirror without restarting the
 * containers, and stops the pod and deletes the mirror when the manifest goes. After the kubelet's
 * SyncPod mirror branch and HandlePodCleanups (pkg/kubelet/kubelet.go, kubelet_pods.go v1.34).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import type { KubeObject } from '../core/object';
import { memoryManifestFs } from './testing/manifest_fs';
import { newKubeletHarness } from './testing/fixtures';

const manifest = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: kube-scheduler
  namespace: kube-system
  labels: {component: kube-scheduler, tier: control-plane}
spec:
  hostNetwork: true
  priorityClassName: system-node-critical
  containers:
  - name: kube-scheduler
    image: ${image}
    command: [kube-scheduler, --leader-elect=true]
`;

describe('static pods', () => {
  it('runs a manifest, mirrors it once the Node exists, survives a mirror deletion, and stops when the file goes', async () => {
    const fs = memoryManifestFs({ '/etc/kubernetes/manifests/kube-scheduler.yaml': manifest('registry.k8s.io/kube-scheduler:v1.34.0') });
    const h = await newKubeletHarness(11, { staticPodPath: '/etc/kubernetes/manifests', manifestFs: fs });
    h.runtime.setImages(['registry.k8s.io/kube-scheduler:v1.34.0', 'registry.k8s.io/kube-scheduler:v1.34.1']);
    const pods = h.client.coreV1().pods('kube-system');
    const mirror = async () => ((await pods.list()).items as unknown as Pod[]).find((p) => p.metadata.name === 'kube-scheduler-node-1');

    // Running in the runtime with no Node object and so no mirror pod.
    expect(await h.until(() => [...h.runtime.containers.values()].some((c) => c.metadata.name === 'kube-scheduler' && c.state === 'CONTAINER_RUNNING'), 10_000)).toBe(true);
    expect(await mirror()).toBeUndefined();
    expect(h.kubelet.journal.lines.some((l) => l.includes('"SyncLoop ADD" source="file" pods=["kube-system/kube-scheduler-node-1"]'))).toBe(true);

    // The Node registers: the next sync creates the mirror, owned by the Node, with the static pod's hash.
    const node = (await h.client.coreV1().nodes().create({ metadata: { name: 'node-1' } } as unknown as KubeObject)) as KubeObject;
    expect(await h.until(async () => (await mirror())?.status?.phase === 'Running', 90_000)).toBe(true);
    const m1 = (await mirror())!;
    const staticPod = h.kubelet.staticPodByFullName('kube-system/kube-scheduler-node-1')!;
    expect(m1.metadata.uid).not.toBe(staticPod.metadata.uid);
    expect(m1.metadata.annotations).toMatchObject({ 'kubernetes.io/config.mirror': staticPod.metadata.uid, 'kubernetes.io/config.hash': staticPod.metadata.uid, 'kubernetes.io/config.source': 'file' });
    expect(m1.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: node.metadata.uid, controller: true }]);
    expect(m1.spec.serviceAccountName).toBeUndefined();
    const containerId = [...h.runtime.containers.values()].find((c) => c.state === 'CONTAINER_RUNNING')!.id;

    // kubectl delete on the mirror: a new mirror comes back, the container never restarts.
    await pods.delete('kube-scheduler-node-1');
    expect(await h.until(async () => { const m = await mirror(); return !!m && m.metadata.uid !== m1.metadata.uid && !m.metadata.deletionTimestamp; }, 60_000)).toBe(true);
    const running = [...h.runtime.containers.values()].filter((c) => c.state === 'CONTAINER_RUNNING');
    expect(running.map((c) => c.id)).toEqual([containerId]);

    // The manifest goes: the static pod stops and housekeeping deletes its orphaned mirror.
    delete fs.files['/etc/kubernetes/manifests/kube-scheduler.yaml'];
    h.kubelet.fileSource!.notify();
    expect(await h.until(async () => (await mirror()) === undefined, 60_000)).toBe(true);
    expect(await h.until(() => ![...h.runtime.containers.values()].some((c) => c.state === 'CONTAINER_RUNNING'), 60_000)).toBe(true);
    h.kubelet.stop();
  });

  it('an edited manifest is a new static pod: the old containers stop, the new image runs, the mirror is replaced', async () => {
    const fs = memoryManifestFs({ '/etc/kubernetes/manifests/kube-scheduler.yaml': manifest('registry.k8s.io/kube-scheduler:v1.34.0') });
    const h = await newKubeletHarness(12, { staticPodPath: '/etc/kubernetes/manifests', manifestFs: fs });
    h.runtime.setImages(['registry.k8s.io/kube-scheduler:v1.34.0', 'registry.k8s.io/kube-scheduler:v1.34.1']);
    await h.client.coreV1().nodes().create({ metadata: { name: 'node-1' } } as unknown as KubeObject);
    const pods = h.client.coreV1().pods('kube-system');
    const mirror = async () => ((await pods.list()).items as unknown as Pod[]).find((p) => p.metadata.name === 'kube-scheduler-node-1');
    expect(await h.until(async () => (await mirror())?.status?.phase === 'Running', 60_000)).toBe(true);
    const before = (await mirror())!;

    // What `kubeadm upgrade apply` does: rewrite the manifest; the kubelet sees it within fileCheckFrequency.
    fs.files['/etc/kubernetes/manifests/kube-scheduler.yaml'] = manifest('registry.k8s.io/kube-scheduler:v1.34.1');
    expect(await h.until(async () => { const m = await mirror(); return m?.spec.containers[0].image === 'registry.k8s.io/kube-scheduler:v1.34.1' && m.status?.phase === 'Running'; }, 90_000)).toBe(true);
    const after = (await mirror())!;
    expect(after.metadata.annotations?.['kubernetes.io/config.hash']).not.toBe(before.metadata.annotations?.['kubernetes.io/config.hash']);
    const images = [...h.runtime.containers.values()].filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.image.image);
    expect(images).toEqual(['registry.k8s.io/kube-scheduler:v1.34.1']);
    h.kubelet.stop();
  });
});
