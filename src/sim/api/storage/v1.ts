/** storage.k8s.io/v1 StorageClass as plain data (k8s.io/api/storage/v1/types.go at v0.34.0). */
import type { ObjectMeta } from '../../core/object';

export interface StorageClass {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  provisioner: string;
  /** `Immediate` when omitted. */
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  [field: string]: unknown;
}
