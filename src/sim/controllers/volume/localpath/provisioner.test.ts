// The PV local-path-provisioner builds (provisioner.go Provision) and kind's default class.
import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from '../../../api/core/v1';
import { defaultStorageClass, newLocalPathVolume, volumeDir } from './provisioner';

const pvc: PersistentVolumeClaim = { metadata: { name: 'data-web-0', namespace: 'default', uid: 'u-1', resourceVersion: '7' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' } };

describe('local-path provisioner', () => {
  it("kind's standard class: default, rancher.io/local-path, WaitForFirstConsumer, Delete", () => {
    const sc = defaultStorageClass();
    expect(sc.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect([sc.provisioner, sc.volumeBindingMode, sc.reclaimPolicy]).toEqual(['rancher.io/local-path', 'WaitForFirstConsumer', 'Delete']);
  });

  it('a hostPath PV under /var/local-path-provisioner, pinned to the selected node, bound to the claim', () => {
    const pv = newLocalPathVolume(pvc, defaultStorageClass(), 'node-2');
    expect(pv.metadata.name).toBe('pvc-u-1');
    expect(volumeDir('pvc-u-1', pvc)).toBe('/var/local-path-provisioner/pvc-u-1_default_data-web-0');
    expect(pv.spec.hostPath).toEqual({ path: '/var/local-path-provisioner/pvc-u-1_default_data-web-0', type: 'DirectoryOrCreate' });
    expect(pv.spec.nodeAffinity).toEqual({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-2'] }] }] } });
    expect(pv.spec.claimRef).toMatchObject({ namespace: 'default', name: 'data-web-0', uid: 'u-1' });
    expect([pv.spec.capacity, pv.spec.accessModes, pv.spec.persistentVolumeReclaimPolicy, pv.spec.storageClassName]).toEqual([{ storage: '1Gi' }, ['ReadWriteOnce'], 'Delete', 'standard']);
    expect(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('rancher.io/local-path');
  });
});
