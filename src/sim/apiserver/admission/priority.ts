/**
 * The Priority admission plugin: on pod create it resolves spec.priorityClassName to
 * spec.priority and spec.preemptionPolicy (the globalDefault class, or 0 and PreemptLowerPriority,
 * when no name is given), on pod update it keeps them, and on PriorityClass create / update it
 * keeps a second globalDefault class out.
 * Upstream: kubernetes plugin/pkg/admission/priority/admission.go (Plugin.admitPod,
 * Plugin.validatePriorityClass, getDefaultPriorityClass, getDefaultPriority)
 */
import type { KubeObject } from '../../core/object';
import { newForbidden } from '../../apimachinery/errors';

const podsResource = { group: '', resource: 'pods' };
const priorityClassesResource = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };

const valueOf = (pc: KubeObject): number => (typeof pc.value === 'number' ? pc.value : 0);

/** The globalDefault class; with several (a race), the one with the lowest value. */
// Upstream: admission.go (getDefaultPriorityClass)
export function defaultPriorityClass(classes: readonly KubeObject[]): KubeObject | undefined {
  let found: KubeObject | undefined;
  for (const pc of classes) if (pc.globalDefault === true && (!found || valueOf(found) > valueOf(pc))) found = pc;
  return found;
}

/**
 * Sets a new pod's priority, class name and preemption policy from its class (`classes`: every
 * PriorityClass, as the plugin's lister holds them). Throws 403 Forbidden for a missing class or a
 * pod that asks for a different priority or policy than its class gives.
 */
// Upstream: admission.go (Plugin.admitPod, the Create branch)
export function admitPodPriority(pod: KubeObject, classes: readonly KubeObject[]): void {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const forbidden = (msg: string) => newForbidden(podsResource, pod.metadata.name ?? '', new Error(msg));
  let priority: number;
  let preemptionPolicy: unknown;
  const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  if (className === '') {
    const dpc = defaultPriorityClass(classes);
    if (dpc) {
      spec.priorityClassName = dpc.metadata.name ?? '';
      priority = valueOf(dpc);
      preemptionPolicy = dpc.preemptionPolicy;
    } else {
      spec.priorityClassName = '';
      priority = 0;
      preemptionPolicy = 'PreemptLowerPriority';
    }
  } else {
    const pc = classes.find((c) => c.metadata.name === className);
    if (!pc) throw forbidden(`no PriorityClass with name ${className} was found`);
    priority = valueOf(pc);
    preemptionPolicy = pc.preemptionPolicy;
  }
  if (typeof spec.priority === 'number' && spec.priority !== priority) {
    throw forbidden(`the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (preemptionPolicy !== undefined && preemptionPolicy !== null) {
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== preemptionPolicy) {
      throw forbidden(`the string value of PreemptionPolicy (${String(spec.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed ${String(preemptionPolicy)} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
  // An empty class name stays out of the stored pod (omitempty).
  if (spec.priorityClassName === '') delete spec.priorityClassName;
  pod.spec = spec;
}

/** On pod update, keeps the priority and policy admission set on create when the new object leaves them out. */
// Upstream: admission.go (Plugin.admitPod, the Update branch)
export function admitPodPriorityUpdate(pod: KubeObject, old: KubeObject): void {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const oldSpec = (old.spec ?? {}) as Record<string, unknown>;
  if ((spec.priority === undefined || spec.priority === null) && oldSpec.priority !== undefined) spec.priority = oldSpec.priority;
  if ((spec.preemptionPolicy === undefined || spec.preemptionPolicy === null) && oldSpec.preemptionPolicy !== undefined) spec.preemptionPolicy = oldSpec.preemptionPolicy;
  pod.spec = spec;
}

/** Refuses a second globalDefault class (`classes`: the classes stored now). */
// Upstream: admission.go (Plugin.validatePriorityClass)
export function validatePriorityClassAdmission(pc: KubeObject, classes: readonly KubeObject[], operation: 'CREATE' | 'UPDATE'): void {
  if (pc.globalDefault !== true) return;
  const dpc = defaultPriorityClass(classes);
  if (!dpc) return;
  if (operation === 'CREATE' || dpc.metadata.name !== pc.metadata.name) {
    throw newForbidden(priorityClassesResource, pc.metadata.name ?? '', new Error(`PriorityClass ${dpc.metadata.name ?? ''} is already marked as default. Only one default can exist`));
  }
}
