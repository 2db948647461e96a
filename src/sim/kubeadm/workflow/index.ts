/** kubeadm's composable workflows: phases, the runner, `--skip-phases`, `kubeadm init phase <name>`. */
export { Runner, RunConditionError, cleanName, type PhaseRunner, type RunnerOptions, type PhaseCommand } from './runner';
export { type Phase } from './phase';
export { PhaseError } from '../preflight/phase';
export { kubeadmWorkflowEvents, type KubeadmWorkflowEventMap, type KubeadmWorkflowTraceEvent } from './events';
