/**
 * The core/v1 shapes this model reads and writes that src/sim/api/core/v1.ts does not type (a
 * Pod's containers and volumes pass their other fields through untouched): k8s.io/api/core/v1
 * types.go at v0.34.0.
 */
import type { ObjectMeta } from '../core/object';

/** core/v1 ServiceAccount: only the fields the admission plugin and the token issuer read. */
export interface ServiceAccount {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  /** Unset: the pod decides; unset on both: mount (the plugin's backwards-compatible default). */
  automountServiceAccountToken?: boolean;
  secrets?: { name: string }[];
  imagePullSecrets?: { name: string }[];
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
}

export interface KeyToPath {
  key: string;
  path: string;
}

/** One source of a projected volume: exactly one member is set. */
export interface VolumeProjection {
  serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string };
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items: { path: string; fieldRef?: { apiVersion?: string; fieldPath: string } }[] };
  secret?: { name: string; items?: KeyToPath[] };
}

export interface ProjectedVolumeSource {
  sources: VolumeProjection[];
  /** The file mode, as a decimal number in JSON (0644 is 420). */
  defaultMode?: number;
}
