/**
 * A lab's raft session running etcd (lab.yaml `raft: { etcd: true }`): an EtcdCluster whose
 * RaftCluster the `cluster` commands and the raft view use, with `etcdctl` talking to its members
 * and, with `apiServer`, a kube-apiserver storing in it through member 1's client, for `kubectl`.
 *
 * Time moves with `cluster run` / `sleep`, and while a request waits: etcdctl and kubectl drive
 * the session clock until their answer comes (etcdctl gives up at its command timeout), so a
 * request to a cut-off member takes the virtual seconds it takes in etcd.
 */
import { newApiServer, newEnv, newEtcdCluster, runUntilIdle, settle, type EtcdCluster, type FakeClock, type InternalRaftRequest, type RestTransport, type TraceRecorder } from '../sim/index';
import type { ClusterTarget } from './shell/cluster/index';
import { raftClusterTarget, type RaftSessionConfig, type SessionCluster } from './raft-session';
import { registerEtcdctl, type EtcdClusterClientLike, type EtcdctlCluster } from './shell/etcdctl/index';
import { registerEtcdutl } from './shell/etcdctl/snapshot';
import { DEADLINE_EXCEEDED } from './shell/etcdctl/cluster';
import { registerKubectl } from './shell/kubectl/index';
import { VirtualFs, registerFsCommands } from './shell/vfs';

/** The member whose client the API server uses (kube-apiserver --etcd-servers=http://127.0.0.1:12379). */
export const API_SERVER_MEMBER = 1;
/** Longest a kubectl request drives the clock (kube-apiserver's default --request-timeout is 60 s). */
const KUBECTL_WAIT_MS = 120_000;

/** A manifest the learner can `kubectl apply -f` (no scheduler runs: the pod stays Pending). */
export const SESSION_FILES: Record<string, string> = {
  'web-pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
`,
  // etcdctl txn < txn.txt: compares, a blank line, success requests, a blank line, failure requests.
  'txn.txt': `mod("a") > "0"

put a "overwrote-a"

put a "created-a"
put b "some extra key"
`,
};

/** Lets virtual time pass, promise continuations running between timers, until `until()` or `ms` passed. */
async function drive(clock: FakeClock, ms: number, until?: () => boolean): Promise<void> {
  const end = clock.now() + ms;
  await runUntilIdle(clock, { forMs: ms, until });
  if (!until?.() && clock.now() < end) {
    clock.setTime(end);
    await settle();
  }
}

/** Drives `clock` until `p` settles or `ms` passed; then rejects `context deadline exceeded` (the request goes on). */
export async function within<T>(clock: FakeClock, p: Promise<T>, ms: number): Promise<T> {
  let done = false;
  const watched = p.then(
    (v) => {
      done = true;
      return v;
    },
    (err: unknown) => {
      done = true;
      throw err;
    },
  );
  watched.catch(() => {});
  await drive(clock, ms, () => done);
  if (!done) throw new Error(DEADLINE_EXCEEDED);
  return watched;
}

/**
 * A transport whose requests drive the clock until answered while a kubectl command runs (the
 * session's time waits for nobody else); kubectl's background fetches for Tab completion do not
 * move time: they are answered when time next moves.
 */
function drivenTransport(api: RestTransport, clock: FakeClock, running: () => boolean): RestTransport {
  return {
    request: (req) => (running() ? within(clock, api.request(req), KUBECTL_WAIT_MS) : api.request(req)),
    watch: (req) => (running() ? within(clock, api.watch(req), KUBECTL_WAIT_MS) : api.watch(req)),
  };
}

const noEndpoints = () => Promise.reject(new Error('etcdclient: no available endpoints'));
/** A client whose endpoints no member listens on. */
const unreachable: EtcdClusterClientLike = { get: noEndpoints, put: noEndpoints, delete: noEndpoints, memberList: noEndpoints, status: noEndpoints, moveLeader: noEndpoints };

/** etcdctl's view of the cluster. */
export function etcdctlCluster(etcd: EtcdCluster): EtcdctlCluster {
  return {
    members: () => etcd.members(),
    client(endpoints) {
      // An address no member listens on is never reached; with none left the client has no endpoint up.
      const known = endpoints.filter((id) => etcd.members().includes(id));
      return known.length ? etcd.client({ endpoints: known }) : unreachable;
    },
    within: (p, ms) => within(etcd.clock, p, ms),
    now: () => etcd.clock.now(),
    snapshot(id) {
      const s = etcd.member(id)!.store.snapshot();
      return {
        format: 'kubelab-etcd-snapshot/v1',
        version: '3.6.0',
        revision: s.revision,
        keys: s.index.map((k) => ({ key: k.key, revs: k.generations.flatMap((g) => g.revs) })),
        kvs: s.kvs.map((kv) => ({ key: kv.key, value: kv.value, createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version, lease: kv.lease })),
      };
    },
  };
}

/** A new session etcd cluster, seeded as the page seeds it. */
export function newEtcdSessionCluster(seed: number, config: RaftSessionConfig, trace: TraceRecorder): EtcdCluster {
  return newEtcdCluster({ size: config.members, preVote: config.preVote, checkQuorum: config.checkQuorum, env: newEnv({ seed, trace }), onViolation: 'record' });
}

/** The session cluster of a lab with `raft: { etcd: true }` (mountRaftSession's `cluster`). */
export function etcdSessionCluster(seed: number, config: RaftSessionConfig, trace: TraceRecorder): SessionCluster & { etcd: EtcdCluster } {
  const etcd = newEtcdSessionCluster(seed, config, trace);
  const target: ClusterTarget = {
    ...raftClusterTarget(etcd.raft),
    run: (ms) => drive(etcd.clock, ms),
    // etcd's log holds InternalRaftRequests only: a proposal typed here is a put of key=value=data, with no client waiting.
    propose(data) {
      const lead = etcd.leader();
      const m = lead === undefined ? undefined : etcd.member(lead);
      if (!m) return { ok: false, error: 'etcdserver: no leader' };
      const req: InternalRaftRequest = { header: { id: m.nextId() }, put: { key: data, value: data, opts: {} } };
      const r = etcd.raft.propose(JSON.stringify(req));
      return r.ok ? { ...r, as: `etcd put ${data}=${data}` } : r;
    },
  };
  return {
    etcd,
    target,
    violations: () => etcd.raft.violations,
    commands(shell, after) {
      // After etcdctl and kubectl too, the checker reports and the view redraws: their requests moved time.
      let kubectlRunning = false;
      const reporting = (name: string) => {
        const cmd = shell.get(name)!;
        const run = cmd.run.bind(cmd);
        cmd.run = async (args, ctx) => {
          kubectlRunning = name === 'kubectl';
          try {
            return await run(args, ctx);
          } finally {
            kubectlRunning = false;
            after(ctx.io);
          }
        };
      };
      const files = new VirtualFs({ files: SESSION_FILES });
      if (!shell.has('ls')) registerFsCommands(shell, files);
      registerEtcdctl(shell, { cluster: etcdctlCluster(etcd), files });
      registerEtcdutl(shell, files);
      reporting('etcdctl');
      if (!config.apiServer) return;
      // One attempt per etcd request, as the apiserver model's test: the server's "request timed out" reaches kubectl.
      const api = newApiServer({ env: etcd.env, etcd: etcd.client({ endpoint: API_SERVER_MEMBER, maxRetries: 0 }) });
      registerKubectl(shell, { transport: drivenTransport(api, etcd.clock, () => kubectlRunning), clock: etcd.clock, files });
      reporting('kubectl');
    },
  };
}
