import { describe, expect, it } from 'vitest';
import { eventSource, eventText } from '../../catalogs';
import type { KubeObject } from '../../core/object';
import { newDaemonSet, newNode, setup } from './testing';

const taint = (key: string, effect: 'NoSchedule' | 'NoExecute', value?: string) => ({ key, effect, ...(value ? { value } : {}) });

describe('DaemonSet controller on the API server (pkg/controller/daemon/daemon_controller_test.go)', () => {
  it('TestSimpleDaemonSetLaunchesPods: one pod per node, pinned by node affinity, with the daemon tolerations', async () => {
    const h = await setup(['node-0', 'node-1', 'node-2', 'node-3', 'node-4'].map((n) => newNode(n)));
    await h.dss.create(newDaemonSet('foo') as unknown as KubeObject);
    await h.run();
    const pods = await h.livePods();
    expect(pods).toHaveLength(5);
    expect(await h.podNodes()).toEqual(['node-0', 'node-1', 'node-2', 'node-3', 'node-4']);
    const ds = await h.getDs('foo');
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^foo-[a-z0-9]{5}$/);
      expect(p.spec.nodeName).toBeUndefined(); // the scheduler binds it (TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods)
      expect(p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [h.nodeOf(p)] }] }]);
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.metadata.labels?.['controller-revision-hash']).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
      expect(p.spec.tolerations?.map((t) => `${t.key}:${t.effect}`)).toEqual([
        'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule',
        'node.kubernetes.io/unschedulable:NoSchedule',
      ]);
    }
    const created = await h.events('SuccessfulCreate');
    expect(created.map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    expect(ds.status).toEqual({ desiredNumberScheduled: 5, currentNumberScheduled: 5, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 5, numberUnavailable: 5, observedGeneration: 1 });
    // The kubelet's part: the pods run and turn Ready.
    await h.makeReady();
    await h.run();
    expect((await h.getDs('foo')).status).toMatchObject({ numberReady: 5, numberAvailable: 5 });
    expect((await h.getDs('foo')).status?.numberUnavailable).toBeUndefined();
    const sync = h.trace.events.filter((e) => e.component === 'daemonset' && e.type === 'daemonset.sync').pop()!;
    expect(eventText(sync)).toBe('sync default/foo: 0 created, 0 deleted; desired 5, current 5, ready 5, up-to-date 5');
    expect(eventSource(sync)?.href).toContain('v1.34.0/pkg/controller/daemon/daemon_controller.go');
  });

  it('TestTaintedNodeDaemonDoesNotLaunchIntolerantPods / TestTaintedNodeDaemonLaunchesToleratePods', async () => {
    const h = await setup([newNode('tainted', { taints: [taint('dedicated', 'NoSchedule', 'gpu')] }), newNode('plain')]);
    await h.dss.create(newDaemonSet('intolerant') as unknown as KubeObject);
    const tolerant = newDaemonSet('tolerant');
    tolerant.spec.template.spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }];
    await h.dss.create(tolerant as unknown as KubeObject);
    await h.run();
    const byDs = (name: string) => h.livePods().then((ps) => ps.filter((p) => p.metadata.labels?.name === name).map(h.nodeOf).sort());
    expect(await byDs('intolerant')).toEqual(['plain']);
    expect(await byDs('tolerant')).toEqual(['plain', 'tainted']);
  });

  it('TestNotReadyNodeDaemonLaunchesPod, TestUnreachableNodeDaemonLaunchesPod, TestNodeDaemonLaunchesToleratePod: the daemon tolerations', async () => {
    const h = await setup([
      newNode('not-ready', { taints: [taint('node.kubernetes.io/not-ready', 'NoExecute')] }),
      newNode('unreachable', { taints: [taint('node.kubernetes.io/unreachable', 'NoExecute')] }),
      newNode('cordoned', { unschedulable: true, taints: [taint('node.kubernetes.io/unschedulable', 'NoSchedule')] }),
      newNode('disk', { taints: [taint('node.kubernetes.io/disk-pressure', 'NoSchedule')] }),
      newNode('no-network', { taints: [taint('node.kubernetes.io/network-unavailable', 'NoSchedule')] }),
    ]);
    await h.dss.create(newDaemonSet('foo') as unknown as KubeObject);
    await h.run();
    // network-unavailable is tolerated only by hostNetwork daemons (TestNetworkUnavailableNodeDaemonLaunchesPod).
    expect(await h.podNodes()).toEqual(['cordoned', 'disk', 'not-ready', 'unreachable']);
  });

  it('TestSelectorDaemonLaunchesPods, TestSelectorDaemonDeletesUnselectedPods: nodeSelector, then a label change', async () => {
    const h = await setup([newNode('a', { labels: { disk: 'ssd' } }), newNode('b'), newNode('c', { labels: { disk: 'ssd' } })]);
    const ds = newDaemonSet('foo');
    ds.spec.template.spec.nodeSelector = { disk: 'ssd' };
    await h.dss.create(ds as unknown as KubeObject);
    await h.run();
    expect(await h.podNodes()).toEqual(['a', 'c']);
    // Node c loses its label: its daemon pod is deleted; b gains it: a pod is created.
    await h.cs.coreV1().nodes().patch('c', 'application/merge-patch+json', { metadata: { labels: { disk: null } } });
    await h.cs.coreV1().nodes().patch('b', 'application/merge-patch+json', { metadata: { labels: { disk: 'ssd' } } });
    await h.run();
    expect(await h.podNodes()).toEqual(['a', 'b']);
    expect((await h.events('SuccessfulDelete')).map((e) => e.message)).toHaveLength(1);
    expect((await h.getDs('foo')).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0 });
  });

  it('TestNodeAffinityDaemonLaunchesPods: required node affinity in the template', async () => {
    const h = await setup([newNode('a', { labels: { zone: 'z1' } }), newNode('b', { labels: { zone: 'z2' } })]);
    const ds = newDaemonSet('foo');
    ds.spec.template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] }] } } };
    await h.dss.create(ds as unknown as KubeObject);
    await h.run();
    expect(await h.podNodes()).toEqual(['b']);
    // The created pod's affinity is replaced by the node-name term.
    const [pod] = await h.livePods();
    expect(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }]);
  });

  it('TestDaemonKillFailedPods: a failed pod is deleted (FailedDaemonPod) and replaced, with backoff the second time', async () => {
    const h = await setup([newNode('a')]);
    await h.dss.create(newDaemonSet('foo') as unknown as KubeObject);
    await h.run();
    const [first] = await h.livePods();
    await h.setStatus(first.metadata.name ?? '', { phase: 'Failed' });
    await h.run(500);
    let events = await h.events('FailedDaemonPod');
    expect(events.map((e) => [e.type, e.message])).toEqual([['Warning', `Found failed daemon pod default/${first.metadata.name} on node a, will try to kill it`]]);
    const pods = await h.livePods();
    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.name).not.toBe(first.metadata.name);
    // The replacement fails at once: now the deletion waits for the backoff (1 s, then 2 s, ...).
    await h.setStatus(pods[0].metadata.name ?? '', { phase: 'Failed' });
    await h.run(500);
    events = await h.events('FailedDaemonPod');
    expect(events).toHaveLength(1);
    expect((await h.livePods())[0].metadata.name).toBe(pods[0].metadata.name);
    await h.run(5000);
    expect(await h.events('FailedDaemonPod')).toHaveLength(2);
    expect((await h.livePods())[0].metadata.name).not.toBe(pods[0].metadata.name);
  });

  it('TestDeleteNoDaemonPod-style: a node that gets a NoExecute taint loses its daemon pod; NoSchedule alone keeps it', async () => {
    const h = await setup([newNode('a'), newNode('b')]);
    await h.dss.create(newDaemonSet('foo') as unknown as KubeObject);
    await h.run();
    await h.cs.coreV1().nodes().patch('a', 'application/merge-patch+json', { spec: { taints: [taint('maintenance', 'NoSchedule')] } });
    await h.run();
    expect(await h.podNodes()).toEqual(['a', 'b']);
    expect((await h.getDs('foo')).status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 });
    await h.cs.coreV1().nodes().patch('a', 'application/merge-patch+json', { spec: { taints: [taint('maintenance', 'NoExecute')] } });
    await h.run();
    expect(await h.podNodes()).toEqual(['b']);
  });

  it('adopts a matching orphan, then replaces it as out of date and not available (controller_ref_manager ClaimPods; update.go rollingUpdate)', async () => {
    const h = await setup([newNode('a')]);
    await h.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { name: 'foo' } }, spec: { nodeName: 'a', containers: [{ name: 'c', image: 'foo/bar' }] } } as unknown as KubeObject);
    await h.dss.create(newDaemonSet('foo') as unknown as KubeObject);
    await h.run();
    // No pod was created beside it at first (the orphan stands for node a); it carries no revision
    // hash and is not available, so the rolling update deletes it and the manage loop replaces it.
    expect((await h.events('SuccessfulDelete')).map((e) => e.message)).toEqual(['Deleted pod: orphan']);
    // Bound to a node, the pod terminates gracefully: no replacement while it is still there.
    expect(await h.livePods()).toHaveLength(0);
    expect((await h.listPods()).map((p) => p.metadata.name)).toEqual(['orphan']);
    await h.forceDelete('orphan'); // the kubelet's part: the containers stopped
    await h.run();
    const pods = await h.livePods();
    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.labels?.['controller-revision-hash']).toBeDefined();
    expect(h.trace.events.filter((e) => e.type === 'daemonset.rollingUpdate').map((e) => (e as unknown as { deleting: number }).deleting)).toEqual([1]);
  });

  it('warns SelectingAll for a stored DaemonSet with an empty selector is impossible: the API refuses it (ValidateDaemonSetSpec)', async () => {
    const h = await setup([newNode('a')]);
    const ds = newDaemonSet('foo', { selector: {} });
    await expect(h.dss.create(ds as unknown as KubeObject)).rejects.toMatchObject({ status: { code: 422 } });
  });

  it('the same seed gives the same pods, events and trace (determinism)', async () => {
    const once = async () => {
      const h = await setup(['a', 'b', 'c'].map((n) => newNode(n)), 21);
      await h.dss.create(newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }) as unknown as KubeObject);
      await h.run();
      await h.makeReady();
      await h.updateDs('foo', (cur: any) => { cur.spec.template.spec.containers[0].image = 'foo/v2'; });
      for (let i = 0; i < 3; i++) {
        await h.run();
        await h.makeReady();
      }
      const trace = h.trace.events.filter((e) => e.component === 'daemonset').map((e) => JSON.stringify(e));
      return { pods: (await h.livePods()).map((p) => p.metadata.name), events: (await h.events()).map((e) => `${e.reason}:${e.message}`).sort(), trace };
    };
    const [a, b] = [await once(), await once()];
    expect(a.trace.length).toBeGreaterThan(3);
    expect(b).toEqual(a);
  });
});
