/** The slice of core/v1 container state the kubelet's status functions read (JSON field names). */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: number };
  terminated?: { exitCode: number; reason?: string; message?: string; finishedAt?: number };
}

export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastTerminationState?: ContainerState;
  /** Set once the startup probe (if any) passed; sidecars count as started only then. */
  started?: boolean;
}

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export interface SpecContainer {
  name: string;
  /** On an init container, `Always` makes it a sidecar (restartable init container). */
  restartPolicy?: 'Always';
}

export interface PodSpecForStatus {
  restartPolicy?: RestartPolicy;
  initContainers?: SpecContainer[];
  containers: SpecContainer[];
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
