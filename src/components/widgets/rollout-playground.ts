/**
 * The live part of <RolloutPlayground>: a RollingUpdate of one old and one new ReplicaSet, stepped
 * with the Deployment controller's own code (src/sim/controllers/deployment: resolveFenceposts,
 * reconcileNewReplicaSet, reconcileOldReplicaSets, which call NewRSNewReplicas and the scale-down
 * helpers) over an in-memory ReplicaSet store. One controller sync makes one move, as upstream's
 * rolloutRolling does: scale the new ReplicaSet up if it can, else scale old ones down. Between
 * syncs the ReplicaSet controller and the kubelet are reduced to one rule: a scale-down removes old
 * pods at once, new pods become available in the next "pods Ready" step (or never, for a template
 * that crash-loops). No randomness: the same inputs give the same steps.
 */
import { invalid, newPath } from '../../sim/apimachinery/field';
import { isValidPercent, validateNonnegativeField } from '../../sim/apimachinery/validation';
import { FakeClock } from '../../sim/core/clock';
import { deepCopy } from '../../sim/core/object';
import { EventEmitter } from '../../sim/core/events';
import type { Clientset } from '../../sim/client/clientset';
import type { DcContext } from '../../sim/controllers/deployment/context';
import { deploymentEvents } from '../../sim/controllers/deployment/events';
import { resolveFenceposts } from '../../sim/controllers/deployment/fenceposts';
import { reconcileNewReplicaSet, reconcileOldReplicaSets } from '../../sim/controllers/deployment/rolling';
import type { Deployment, IntOrString, ReplicaSet } from '../../sim/controllers/deployment/types';

export interface RolloutInput {
  replicas: number;
  /** As written in the manifest: "1", "25%". */
  maxSurge: string;
  maxUnavailable: string;
  /** False: the new template crash-loops, its pods never become available. */
  newPodsBecomeReady: boolean;
}

export interface Side {
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

export interface RolloutRow {
  /** Who moved: a controller sync, or the pods (ReplicaSet controller + kubelet). */
  actor: 'start' | 'controller' | 'pods';
  /** The controller's ScalingReplicaSet Event text, or what the pods did. */
  what: string;
  old: Side;
  new: Side;
}

export interface RolloutPlan {
  /** The manifest's values resolved against replicas (ResolveFenceposts). */
  surge: number;
  unavailable: number;
  rows: RolloutRow[];
  /** complete: old at 0, new all available; stuck: nothing can move (the progress deadline will say so). */
  outcome: 'complete' | 'stuck';
  /** A value the API server or intstr refuses: its message, and no rows. */
  error?: string;
}

export const DEFAULT_ROLLOUT: RolloutInput = { replicas: 4, maxSurge: '1', maxUnavailable: '1', newPodsBecomeReady: true };

const MAX_ROWS = 200;

/** "3" is an int, "25%" a string, as a YAML scalar becomes an IntOrString. */
export function parseIntOrString(raw: string): IntOrString {
  const s = raw.trim();
  return /^-?[0-9]+$/.test(s) ? Number(s) : s;
}

/** Go's getIntOrPercentValue: the number, with a trailing % stripped; undefined if it does not parse. */
function intOrPercentValue(v: IntOrString): number | undefined {
  if (typeof v === 'number') return v;
  const m = /^(-?[0-9]+)%?$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/**
 * What the API server's validation refuses of the two values, in kubectl's words: not a percent,
 * negative, both 0, maxUnavailable above 100%.
 * Upstream: pkg/apis/apps/validation/validation.go (ValidateRollingUpdateDeployment, ValidatePositiveIntOrPercent, IsNotMoreThan100Percent)
 */
export function validateFenceposts(maxSurge: IntOrString, maxUnavailable: IntOrString): string | undefined {
  const p = newPath('spec', 'strategy', 'rollingUpdate');
  const errs: string[] = [];
  for (const [name, v] of [['maxUnavailable', maxUnavailable], ['maxSurge', maxSurge]] as const) {
    if (typeof v === 'string') errs.push(...isValidPercent(v).map((msg) => invalid(p.child(name), v, msg).message));
    else errs.push(...validateNonnegativeField(v, p.child(name)).map((e) => e.message));
  }
  if (intOrPercentValue(maxUnavailable) === 0 && intOrPercentValue(maxSurge) === 0) errs.push(invalid(p.child('maxUnavailable'), maxUnavailable, 'may not be 0 when `maxSurge` is 0').message);
  if (typeof maxUnavailable === 'string' && (intOrPercentValue(maxUnavailable) ?? 0) > 100) errs.push(invalid(p.child('maxUnavailable'), maxUnavailable, 'must not be greater than 100%').message);
  if (errs.length === 0) return undefined;
  return `The Deployment "web" is invalid: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`;
}

function deployment(input: RolloutInput, maxSurge: IntOrString, maxUnavailable: IntOrString): Deployment {
  const labels = { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
}

function replicaSet(d: Deployment, name: string, replicas: number, createdAt: string): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: createdAt },
    spec: { replicas, selector: deepCopy(d.spec.selector), template: deepCopy(d.spec.template) },
    status: { replicas, availableReplicas: replicas },
  };
}

/**
 * The Deployment controller's receiver over a map of ReplicaSets: updates land in the map, the
 * controller's Events are collected (Go: a fake clientset and a FakeRecorder).
 */
function memoryContext(store: Map<string, ReplicaSet>, recorded: string[]): DcContext {
  const clock = new FakeClock(0);
  const replicaSets = {
    update: async (obj: ReplicaSet) => {
      const prev = store.get(obj.metadata.name ?? '');
      const next = { ...deepCopy(obj), status: deepCopy(prev?.status ?? {}) };
      store.set(obj.metadata.name ?? '', next);
      return deepCopy(next);
    },
  };
  const client = { appsV1: () => ({ replicaSets: () => replicaSets }) } as unknown as Clientset;
  return {
    client,
    clock,
    recorder: { event: async (_obj, _type, _reason, message) => void recorded.push(message) },
    events: new EventEmitter(deploymentEvents, { clock, trace: undefined }, {}),
    cachedReplicaSet: () => undefined,
    enqueueRateLimited: () => undefined,
    enqueueAfter: () => undefined,
    tracedConditions: new Map(),
  };
}

const side = (rs: ReplicaSet): Side => ({ replicas: rs.spec.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 });

/** Steps the rollout until it completes or nothing can move. */
export async function planRollout(input: RolloutInput): Promise<RolloutPlan> {
  const maxSurge = parseIntOrString(input.maxSurge);
  const maxUnavailable = parseIntOrString(input.maxUnavailable);
  const refused = validateFenceposts(maxSurge, maxUnavailable);
  let fence: { surge: number; unavailable: number };
  try {
    if (refused) throw new Error(refused);
    fence = resolveFenceposts(maxSurge, maxUnavailable, input.replicas);
  } catch (e) {
    return { surge: 0, unavailable: 0, rows: [], outcome: 'stuck', error: e instanceof Error ? e.message : String(e) };
  }
  const d = deployment(input, maxSurge, maxUnavailable);
  const store = new Map<string, ReplicaSet>([
    ['web-old', replicaSet(d, 'web-old', input.replicas, '2026-01-01T00:00:00Z')],
    ['web-new', replicaSet(d, 'web-new', 0, '2026-01-01T00:10:00Z')],
  ]);
  const recorded: string[] = [];
  const dc = memoryContext(store, recorded);
  const oldRS = () => store.get('web-old')!;
  const newRS = () => store.get('web-new')!;
  const row = (actor: RolloutRow['actor'], what: string): RolloutRow => ({ actor, what, old: side(oldRS()), new: side(newRS()) });
  const rows: RolloutRow[] = [row('start', `new template: ReplicaSet web-new created with 0 replicas; web-old has ${input.replicas}`)];

  while (rows.length < MAX_ROWS) {
    // One sync of rolloutRolling: scale up if we can, else scale down.
    recorded.length = 0;
    const all = () => [oldRS(), newRS()];
    const moved = (await reconcileNewReplicaSet(dc, all(), newRS(), d)) || (await reconcileOldReplicaSets(dc, all(), [oldRS()], newRS(), d));
    await Promise.resolve();
    if (moved) {
      // The ReplicaSet controller deletes the surplus old pods at once: they stop being available.
      const old = oldRS();
      old.status = { replicas: old.spec.replicas, availableReplicas: Math.min(old.status?.availableReplicas ?? 0, old.spec.replicas ?? 0) };
      const created = newRS();
      created.status = { replicas: created.spec.replicas, availableReplicas: created.status?.availableReplicas ?? 0 };
      rows.push(row('controller', recorded.join('; ')));
      continue;
    }
    const n = newRS();
    const waiting = (n.spec.replicas ?? 0) - (n.status?.availableReplicas ?? 0);
    if (waiting > 0 && input.newPodsBecomeReady) {
      n.status = { replicas: n.spec.replicas, availableReplicas: n.spec.replicas };
      rows.push(row('pods', `${waiting} new pod${waiting === 1 ? '' : 's'} Ready and available`));
      continue;
    }
    const complete = (oldRS().spec.replicas ?? 0) === 0 && waiting === 0;
    return { ...fence, rows, outcome: complete ? 'complete' : 'stuck' };
  }
  return { ...fence, rows, outcome: 'stuck' };
}

/** One row in words, for the live region and the table. */
export function describeRow(r: RolloutRow, plan: Pick<RolloutPlan, 'surge' | 'unavailable'>, replicas: number): string {
  const total = r.old.replicas + r.new.replicas;
  const available = r.old.available + r.new.available;
  const bounds = `${total} of at most ${replicas + plan.surge} pods, ${available} available of at least ${replicas - Math.min(plan.unavailable, replicas)}`;
  return `old ${r.old.replicas} (${r.old.available} available), new ${r.new.replicas} (${r.new.available} available): ${bounds}`;
}

function cell(tag: 'td' | 'th', text: string): HTMLElement {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
}

function bar(r: RolloutRow, max: number): HTMLElement {
  const wrap = document.createElement('span');
  wrap.className = 'kl-rp-bar';
  wrap.setAttribute('aria-hidden', 'true');
  const seg = (cls: string, n: number) => {
    if (n <= 0) return;
    const s = document.createElement('span');
    s.className = cls;
    s.style.width = `${(100 * n) / max}%`;
    wrap.append(s);
  };
  seg('kl-rp-old', r.old.available);
  seg('kl-rp-old is-pending', r.old.replicas - r.old.available);
  seg('kl-rp-new', r.new.available);
  seg('kl-rp-new is-pending', r.new.replicas - r.new.available);
  return wrap;
}

export function mount(root: HTMLElement): void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const replicas = q<HTMLInputElement>('input[data-replicas]');
  const surge = q<HTMLInputElement>('input[data-surge]');
  const unavailable = q<HTMLInputElement>('input[data-unavailable]');
  const ready = q<HTMLInputElement>('input[data-ready]');
  const stepBtn = q<HTMLButtonElement>('button[data-step]');
  const allBtn = q<HTMLButtonElement>('button[data-all]');
  const resetBtn = q<HTMLButtonElement>('button[data-reset]');
  const body = q<HTMLTableSectionElement>('tbody[data-rows]');
  const said = q<HTMLElement>('[data-said]');
  const fence = q<HTMLElement>('[data-fence]');
  let plan: RolloutPlan | undefined;
  let shown = 0;
  let generation = 0;

  const input = (): RolloutInput => ({
    replicas: Math.max(1, Math.min(20, Math.trunc(Number(replicas.value)) || 1)),
    maxSurge: surge.value,
    maxUnavailable: unavailable.value,
    newPodsBecomeReady: ready.checked,
  });

  const render = () => {
    if (!plan) return;
    const n = input().replicas;
    if (plan.error) {
      body.replaceChildren();
      fence.textContent = 'The API server refuses this Deployment.';
      said.textContent = plan.error;
      stepBtn.disabled = allBtn.disabled = true;
      return;
    }
    fence.textContent = `maxSurge ${input().maxSurge.trim()} → ${plan.surge} (rounded up), maxUnavailable ${input().maxUnavailable.trim()} → ${plan.unavailable} (rounded down): between ${n - Math.min(plan.unavailable, n)} available and ${n + plan.surge} pods.`;
    const max = Math.max(n + plan.surge, 1);
    body.replaceChildren(
      ...plan.rows.slice(0, shown).map((r, i) => {
        const tr = document.createElement('tr');
        const barCell = cell('td', '');
        barCell.append(bar(r, max));
        tr.append(cell('td', String(i)), cell('td', r.actor), cell('td', `${r.old.replicas} / ${r.old.available}`), cell('td', `${r.new.replicas} / ${r.new.available}`), barCell, cell('td', r.what));
        return tr;
      }),
    );
    const last = plan.rows[shown - 1];
    const end = shown >= plan.rows.length;
    stepBtn.disabled = allBtn.disabled = end;
    const outcome = !end ? '' : plan.outcome === 'complete' ? ' Rollout complete.' : ' Stuck: nothing can move; after progressDeadlineSeconds the Deployment says ProgressDeadlineExceeded, and the old pods keep serving.';
    said.textContent = `Step ${shown - 1}: ${last.what}. ${describeRow(last, plan, n)}.${outcome}`;
  };

  const replan = async () => {
    const mine = ++generation;
    const next = await planRollout(input());
    if (mine !== generation) return;
    plan = next;
    shown = 1;
    render();
  };

  stepBtn.addEventListener('click', () => {
    shown = Math.min(shown + 1, plan?.rows.length ?? 0);
    render();
  });
  allBtn.addEventListener('click', () => {
    shown = plan?.rows.length ?? 0;
    render();
  });
  resetBtn.addEventListener('click', () => void replan());
  for (const i of [replicas, surge, unavailable, ready]) i.addEventListener('change', () => void replan());
  for (const c of [replicas, surge, unavailable, ready, stepBtn, allBtn, resetBtn]) c.disabled = false;
  root.querySelector('[data-status]')?.replaceChildren('Live: change a value, then step.');
  root.removeAttribute('data-kl-pending');
  void replan();
}
