/**
 * Trace events of kubeadm's workflows: each phase as it starts, ends, fails or is skipped, so a
 * timeline can show `kubeadm init` phase by phase (the files each phase writes are the host's
 * `host.file` events in between).
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

const TAG = 'v1.34.0';

export type KubeadmWorkflowEventMap = {
  /** `outcome`: start, done, failed (with the wrapped error) or skipped (by --skip-phases, a filter or its condition). */
  'kubeadm.phase': { workflow: string; phase: string; outcome: 'start' | 'done' | 'failed' | 'skipped'; error: string };
};

export type KubeadmWorkflowTraceEvent = AnyEventOf<KubeadmWorkflowEventMap>;

export const kubeadmWorkflowEvents = defineEvents<KubeadmWorkflowEventMap>(
  'kubeadm-workflow',
  { name: 'kubernetes', tag: TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${TAG}/` },
  {
    'kubeadm.phase': {
      text: (e) => `kubeadm ${e.workflow}: phase ${e.phase} ${e.outcome}${e.error ? `: ${e.error}` : ''}`,
      source: { file: 'cmd/kubeadm/app/cmd/phases/workflow/runner.go', symbol: 'Runner.Run' },
    },
  },
);
