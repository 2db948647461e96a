// plugin/pkg/admission/storage/storageclass/setdefault/admission_test.go (TestAdmission), reduced.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/object';
import { admitDefaultStorageClass } from './default_storage_class';

const sc = (name: string, isDefault: string | undefined, created = '2026-01-01T00:00:00Z'): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, creationTimestamp: created, ...(isDefault !== undefined ? { annotations: { 'storageclass.kubernetes.io/is-default-class': isDefault } } : {}) },
});
const claim = (spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'default', ...(annotations ? { annotations } : {}) }, spec });

describe('DefaultStorageClass admission (TestAdmission)', () => {
  const cases: Array<{ name: string; claim: KubeObject; classes: KubeObject[]; want: string | null | undefined }> = [
    { name: 'no default, no modification of PVCs', claim: claim(), classes: [sc('foo', undefined), sc('bar', 'false')], want: undefined },
    { name: 'one default, modify PVC with class=nil', claim: claim(), classes: [sc('foo', undefined), sc('default1', 'true')], want: 'default1' },
    { name: 'one default, no modification of PVC with class=""', claim: claim({ storageClassName: '' }), classes: [sc('default1', 'true')], want: '' },
    { name: 'one default, no modification of PVC with class=foo', claim: claim({ storageClassName: 'foo' }), classes: [sc('default1', 'true')], want: 'foo' },
    { name: 'one default, no modification of PVC with the beta class annotation', claim: claim({}, { 'volume.beta.kubernetes.io/storage-class': 'foo' }), classes: [sc('default1', 'true')], want: undefined },
    { name: 'two defaults, the newest wins', claim: claim(), classes: [sc('default1', 'true', '2026-01-01T00:00:00Z'), sc('default2', 'true', '2026-02-01T00:00:00Z')], want: 'default2' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      admitDefaultStorageClass(c.claim, c.classes);
      expect((c.claim.spec as { storageClassName?: string }).storageClassName).toBe(c.want);
    });
  }
});
