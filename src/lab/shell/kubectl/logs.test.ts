// kubectl logs through the API server's pods/log proxy, with the kubelet's side played by the
// kubelet model's validateContainerLogStatus + readLogs over a fixed CRI log per container.
import { describe, expect, it } from 'vitest';
import { FakeClock, newClientset, newLabCluster, type KubeObject } from '../../../sim/index';
import { ContainerLogError, readLogs, validateContainerLogStatus } from '../../../sim/kubelet/container_logs';
import { newBadRequest } from '../../../sim/apimachinery/errors';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';
import { byLogging } from './cmd/logs';

const LOGS: Record<string, string[]> = {
  'containerd://old': ['2025-01-01T00:00:01.000000000Z stdout F starting', '2025-01-01T00:00:02.000000000Z stderr F panic: boom'],
  'containerd://new': ['2025-01-01T00:00:10.000000000Z stdout F starting', '2025-01-01T00:00:11.000000000Z stdout F listening on :8080'],
  'containerd://side': ['2025-01-01T00:00:12.000000000Z stdout F sidecar up'],
};

async function setup() {
  // The clock starts at the logs' day (moving a running cluster's clock 55 years would fire every periodic timer on the way).
  const cluster = await newLabCluster({ clock: new FakeClock(Date.parse('2025-01-01T00:01:00Z')) });
  const cs = newClientset(cluster.apiServer, { qps: -1 });
  cluster.apiServer.setKubeletConnection((node) =>
    node !== 'node-1'
      ? undefined
      : {
          async containerLogs(req) {
            const pod = (await cs.coreV1().pods(req.namespace).get(req.podName)) as KubeObject & { status?: any };
            let id: string;
            try {
              id = validateContainerLogStatus(req.podName, pod.status, req.container, req.previous);
            } catch (err) {
              if (err instanceof ContainerLogError) throw newBadRequest(err.message);
              throw err;
            }
            return readLogs(LOGS[id] ?? [], req, cluster.clock.now());
          },
        },
  );
  const shell = createShell();
  registerKubectl(shell, { transport: cluster.apiServer, clock: cluster.clock, files: new VirtualFs({ files: {} }) });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const pod = async (name: string, containers: string[], status: Record<string, unknown> | undefined, labels: Record<string, string> = { app: 'web' }) => {
    const p = (await cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: status ? 'node-1' : undefined, containers: containers.map((c) => ({ name: c, image: 'nginx' })) } } as KubeObject)) as KubeObject;
    if (status) await cs.coreV1().pods('default').updateStatus({ ...p, status } as KubeObject);
  };
  return { run, pod };
}

const crashed = { phase: 'Running', containerStatuses: [{ name: 'app', restartCount: 1, containerID: 'containerd://new', state: { running: { startedAt: '2025-01-01T00:00:10Z' } }, lastState: { terminated: { exitCode: 2, reason: 'Error', containerID: 'containerd://old' } } }] };

describe('kubectl logs', () => {
  it('prints the current attempt; -p the previous; --tail and --timestamps shape it', async () => {
    const { run, pod } = await setup();
    await pod('web', ['app'], crashed);
    expect(await run('kubectl logs web')).toEqual({ code: 0, out: 'starting\nlistening on :8080', err: '' });
    expect((await run('kubectl logs web --previous')).out).toBe('starting\npanic: boom');
    expect((await run('kubectl logs web --tail=1 --timestamps')).out).toBe('2025-01-01T00:00:11.000000000Z listening on :8080');
  });

  it("the kubelet's and API server's refusals read as on a real cluster", async () => {
    const { run, pod } = await setup();
    await pod('pulling', ['app'], { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }] });
    expect(await run('kubectl logs pulling')).toMatchObject({ code: 1, err: 'Error from server (BadRequest): container "app" in pod "pulling" is waiting to start: trying and failing to pull image' });
    expect((await run('kubectl logs pulling -p')).err).toBe('Error from server (BadRequest): previous terminated container "app" in pod "pulling" not found');
    expect((await run('kubectl logs nope')).err).toBe('error: error from server (NotFound): pods "nope" not found in namespace "default"');
    expect((await run('kubectl logs pulling -c other')).err).toBe('error: container other is not valid for pod pulling');
    expect((await run('kubectl logs')).err).toContain("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.");
  });

  it('defaults the container of a multi-container pod, and a workload picks its first pod', async () => {
    const { run, pod } = await setup();
    await pod('two', ['app', 'side'], { phase: 'Running', containerStatuses: [{ name: 'app', containerID: 'containerd://new', state: { running: {} } }, { name: 'side', containerID: 'containerd://side', state: { running: {} } }] }, { app: 'two' });
    expect(await run('kubectl logs two')).toEqual({ code: 0, out: 'starting\nlistening on :8080', err: 'Defaulted container "app" out of: app, side' });
    expect((await run('kubectl logs two -c side')).out).toBe('sidecar up');
    expect((await run('kubectl logs two --all-containers')).out).toBe('starting\nlistening on :8080\nsidecar up');
    await pod('web-b', ['app'], crashed);
    await pod('web-a', ['app'], undefined);
    expect((await run('kubectl logs -l app=web')).out).toBe('[pod/web-b/app] starting\n[pod/web-b/app] listening on :8080');
  });

  it('ByLogging puts assigned, running, ready pods first', () => {
    const p = (name: string, node: string, phase: string, ready: boolean) => ({ metadata: { name }, spec: { nodeName: node }, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
    const pods = [p('pending', 'n', 'Pending', false), p('unassigned', '', 'Pending', false), p('ready', 'n', 'Running', true), p('running', 'n', 'Running', false)];
    expect(pods.sort(byLogging).map((x) => x.metadata.name)).toEqual(['ready', 'running', 'pending', 'unassigned']);
  });
});
