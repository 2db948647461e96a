import { describe, expect, it } from 'vitest';
import { makeSet, setupStatefulSetCluster, wwwClaim } from './testing';

describe('StatefulSet controller on the API server (pkg/controller/statefulset)', () => {
  it('creates web-0, web-1, web-2 in order, each after the previous is Running and Ready (TestStatefulSetControl CreatesPods)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ volumeClaimTemplates: [wwwClaim as never] }));
    await h.run();
    expect(await h.podNames()).toEqual(['web-0']);
    const [p0] = await h.pods();
    expect(p0.spec.hostname).toBe('web-0');
    expect(p0.spec.subdomain).toBe('nginx');
    expect(p0.metadata.labels).toMatchObject({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(p0.metadata.labels!['controller-revision-hash']).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(p0.spec.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
    await h.kubelet();
    await h.run();
    expect(await h.podNames()).toEqual(['web-0', 'web-1']);
    await h.kubelet();
    await h.run();
    await h.kubelet();
    await h.run();
    expect(await h.podNames()).toEqual(['web-0', 'web-1', 'web-2']);
    const set = await h.getSet();
    expect(set.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 1, collisionCount: 0 });
    expect(set.status!.currentRevision).toBe(set.status!.updateRevision);
    const ev = await h.events();
    expect(ev).toContain('Normal SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success');
    expect(ev).toContain('Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful');
  });
});
