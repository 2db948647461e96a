/**
 * Checks of the endpointslice-packing lab. Each runs the EndpointSlice reconciler of the model
 * (k8s.io/endpointslice reconciler.go v0.34.0) through a seeded sequence of pod sets on a fresh
 * API server, and before each sync asks the learner's pack() what that sync will leave, given the
 * slices the API server holds (so one wrong sync does not spoil the next). Compared: the slice
 * sizes per port (Go's map order makes which new endpoint lands where random upstream; the sizes
 * are not), the created / updated / deleted counts, and that no endpoint moved that could stay.
 */
import { check, exportedFunction } from '../../src/lab/checks';
import { newEndpointSliceReconciler, newEnv, newLabCluster, rngFromSeed, type Clientset, type EndpointSlice, type KubeObject, type Pod, type Rng, type Service } from '../../src/sim/index';
import type { Expect } from '../../src/lab/check-core';

interface SliceView { name: string; port: number; pods: string[] }
interface Member { pod: string; port: number }
interface Packing { slices: SliceView[]; created: number; updated: number; deleted: number }
type Pack = (existing: SliceView[], members: Member[], max: number) => Packing;
interface Prediction { sizes?: unknown; created?: unknown; updated?: unknown; deleted?: unknown }

const service: Service = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'web-uid' },
  spec: { clusterIP: '10.96.0.50', ipFamilies: ['IPv4'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] },
};

/** A ready pod `web-<i>` whose container names `port` http. */
export function webPod(i: number, port: number): Pod {
  const ip = `10.244.${Math.floor(i / 200)}.${10 + (i % 200)}`;
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'agnhost', ports: [{ name: 'http', containerPort: port }] }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

const portOf = (p: Pod) => p.spec.containers[0].ports?.[0].containerPort ?? 0;
const view = (s: EndpointSlice): SliceView => ({ name: s.metadata.name ?? '', port: s.ports?.[0]?.port ?? 0, pods: s.endpoints.map((e) => e.targetRef?.name ?? '') });
const sizesByPort = (slices: SliceView[]) => {
  const out: Record<number, number[]> = {};
  for (const s of slices) (out[s.port] ??= []).push(s.pods.length);
  for (const k of Object.keys(out)) out[Number(k)].sort((a, b) => b - a);
  return out;
};

/**
 * A seeded sequence of pod sets: a start, then scale-ups, scale-downs of random pods, rolling
 * replacements (some go, as many come) and, with `ports`, a new port for all pods or some.
 */
export function sequence(rng: Rng, max: number, ports: boolean): { label: string; pods: Pod[] }[] {
  let next = 0;
  let port = 8080;
  let pods = Array.from({ length: 2 * max + rng.int(2 * max) }, () => webPod(next++, port));
  const out = [{ label: `${pods.length} pods`, pods }];
  const ops = ports ? ['up', 'down', 'roll', 'portAll', 'portSome'] : ['up', 'down', 'roll'];
  for (let step = 0; step < 6; step++) {
    // With ports, one partial port change and one rollout come early in every sequence.
    const op = ports && step === 1 ? 'portSome' : ports && step === 2 ? 'roll' : ops[rng.int(ops.length)];
    const without = (k: number) => {
      const gone = new Set<number>();
      while (gone.size < k) gone.add(rng.int(pods.length));
      return pods.filter((_, i) => !gone.has(i));
    };
    if (op === 'up') {
      const k = 1 + rng.int(2 * max);
      pods = [...pods, ...Array.from({ length: k }, () => webPod(next++, port))];
      out.push({ label: `${k} pods join`, pods });
    } else if (op === 'down') {
      const k = 1 + rng.int(Math.max(1, pods.length - 1));
      pods = without(Math.min(k, pods.length - 1));
      out.push({ label: `${k} random pods go`, pods });
    } else if (op === 'roll') {
      const k = 1 + rng.int(Math.min(pods.length, max + 1));
      pods = [...without(k), ...Array.from({ length: k }, () => webPod(next++, port))];
      out.push({ label: `${k} pods replaced by new ones`, pods });
    } else {
      port += 1000;
      // Some or all pods replaced by pods of a new image whose `http` is another number.
      const some = op === 'portSome';
      pods = pods.map((p) => (!some || rng.int(2) === 0 ? webPod(Number(p.metadata.name!.slice(4)), port) : p));
      out.push({ label: some ? `some pods now name ${port} http` : `every pod now names ${port} http`, pods });
    }
  }
  return out;
}

const listWeb = async (client: Clientset) => (await client.discoveryV1().endpointSlices('default').list({ labelSelector: 'kubernetes.io/service-name=web' })).items as unknown as EndpointSlice[];

async function freshClient(seed: number): Promise<Clientset> {
  const cluster = await newLabCluster({ env: newEnv({ seed }) });
  const client = cluster.clientset({ qps: -1 });
  await client.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject).catch(() => undefined);
  return client;
}

/** Runs the sequence through the reconciler, holding the learner's pack() against each sync. */
async function holdAgainstReconciler(pack: Pack, seed: number, ports: boolean, expect: Expect): Promise<void> {
  const rng = rngFromSeed(`${seed}/endpointslice-packing/${ports}`);
  const max = 3 + rng.int(6);
  const client = await freshClient(seed);
  const reconciler = newEndpointSliceReconciler({ client, maxEndpointsPerSlice: max });
  const list = () => listWeb(client);
  const history: string[] = [];
  for (const { label, pods } of sequence(rng, max, ports)) {
    const before = await list();
    const existing = before.map(view);
    const members = pods.map((p) => ({ pod: p.metadata.name ?? '', port: portOf(p) }));
    const yours = pack(structuredClone(existing), structuredClone(members), max);
    const r = await reconciler.reconcile(service, pods, before);
    const after = (await list()).map(view);
    history.push(label);
    const where = `seed ${seed}, maxEndpointsPerSlice ${max}, after: ${history.join(' → ')}`;
    expect(yours && Array.isArray(yours.slices), `pack() returns { slices, created, updated, deleted } (${where})`).to.equal(true);
    expect(sizesByPort(yours.slices), `slice sizes per port, largest first (${where}); had ${JSON.stringify(sizesByPort(existing))}`).to.deep.equal(sizesByPort(after));
    expect({ created: yours.created, updated: yours.updated, deleted: yours.deleted }, `writes of the sync (${where})`).to.deep.equal({ created: r.created.length, updated: r.updated.length, deleted: r.deleted.length });
    // An endpoint that stays, on the same port, stays in its slice.
    const home = new Map(yours.slices.flatMap((s) => s.pods.map((p) => [`${p}:${s.port}`, s.name] as const)));
    for (const s of existing) {
      for (const p of s.pods) {
        if (!members.some((m) => m.pod === p && m.port === s.port)) continue;
        expect(home.get(`${p}:${s.port}`), `the slice holding ${p}, which was in ${s.name} and stays (${where})`).to.equal(s.name);
      }
    }
  }
}

export const predictsTheSlices = check(
  'predictions name the slices and writes of each of the five syncs',
  async ({ learner, expect }) => {
    const predictions = (learner.predictions ?? {}) as Record<string, Prediction>;
    const client = await freshClient(1);
    const reconciler = newEndpointSliceReconciler({ client, maxEndpointsPerSlice: 5 });
    const range = (from: number, to: number, port = 8080) => Array.from({ length: to - from }, (_, k) => webPod(from + k, port));
    const stages: [string, Pod[]][] = [
      ['create12', range(0, 12)],
      ['scaleTo14', range(0, 14)],
      ['scaleTo9', range(0, 9)],
      ['scaleTo17', [...range(0, 9), ...range(14, 22)]],
      ['portTo9090', [...range(0, 9, 9090), ...range(14, 22, 9090)]],
    ];
    for (const [stage, pods] of stages) {
      const before = await listWeb(client);
      const r = await reconciler.reconcile(service, pods, before);
      const after = await listWeb(client);
      const got = { sizes: after.map((s) => s.endpoints.length).sort((a, b) => b - a), created: r.created.length, updated: r.updated.length, deleted: r.deleted.length };
      const p = predictions[stage] ?? {};
      expect({ sizes: p.sizes, created: p.created, updated: p.updated, deleted: p.deleted }, `predictions.${stage}`).to.deep.equal(got);
    }
  },
  { hint: 'Go stage by stage and ask of each slice: does it keep all its endpoints, some, or none? Only then place the new ones.' },
);

export const packsLikeTheReconciler = check(
  'pack() leaves the slices and writes the reconciler does, over scale-ups, scale-downs and rollouts',
  async ({ learner, seeds, expect }) => {
    const pack = exportedFunction<Pack>(learner, 'pack');
    for (const seed of seeds) await holdAgainstReconciler(pack, seed, false, expect);
  },
  { hint: 'Three phases in order: keep what stays (and sort slices into unchanged / update / delete), fill the updated slices fullest first, then new full slices and, for a remainder under max, the unchanged slice it brings closest to full.' },
);

export const portMappingsPackApart = check(
  'pack() packs each port mapping apart and pairs creates with deletes, as finalize does',
  async ({ learner, seeds, expect }) => {
    const pack = exportedFunction<Pack>(learner, 'pack');
    for (const seed of seeds) await holdAgainstReconciler(pack, seed, true, expect);
  },
  { hint: 'Group pods by their port and pack each group against the existing slices of that port only. A port no pod uses any more loses its slices; then each created slice can take the name of one being deleted.' },
);
