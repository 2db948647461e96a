// A lab session with the controller manager, the scheduler and two kubelet nodes: kubectl apply of a
// Deployment runs real (modelled) containers; rollout status waits on the cluster's time; a new image
// rolls out; rollout undo goes back; logs come from the node; a crashing pod shows CrashLoopBackOff.
import { describe, expect, it } from 'vitest';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';
import type { TraceEvent } from '../../src/sim/index';

const deploy = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: ${image}
        readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 2 }
`;

const files = {
  'web.yaml': deploy('nginx:1.27'),
  'web-v2.yaml': deploy('nginx:1.28'),
  'crash.yaml': `apiVersion: v1
kind: Pod
metadata: { name: crash }
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, 'echo booting; exit 3']
`,
};

async function session() {
  const shell = createShell();
  const traces: TraceEvent[][] = [];
  const io: ShellIO = { print: () => {}, error: () => {}, clear: () => {} };
  await mountLabCluster({ shell, io, seed: 5, files, apply: ['web.yaml'], scheduler: true, controllers: true, nodes: 2, metrics: true, onClusterTrace: (e) => traces.push([...e]) });
  const run = async (line: string) => {
    const out: string[] = [];
    const o: ShellIO = { print: (t) => out.push(stripAnsi(t)), error: (t) => out.push(stripAnsi(t)), clear: () => {} };
    const code = await shell.execute(line, o);
    return { code, out: out.join('\n') };
  };
  return { run, traces };
}

describe('workloads on a session cluster', () => {
  it('a Deployment runs on the nodes; a new image rolls out and undo rolls back', async () => {
    const s = await session();
    const pods = await s.run('kubectl get pods -o wide');
    expect(pods.out.split('\n').filter((l) => /^web-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running/.test(l))).toHaveLength(3);
    expect(pods.out).toMatch(/node-1/);
    expect((await s.run('kubectl apply -f web-v2.yaml')).out).toBe('deployment.apps/web configured');
    const status = await s.run('kubectl rollout status deployment/web');
    expect(status.code).toBe(0);
    expect(status.out.split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    expect(status.out).toContain('Waiting for deployment "web" rollout to finish:');
    expect((await s.run('kubectl rollout history deployment/web')).out).toContain('REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>');
    expect((await s.run('kubectl rollout undo deployment/web')).out).toBe('deployment.apps/web rolled back');
    await s.run('kubectl rollout status deployment/web');
    const img = await s.run(`kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}'`);
    expect(img.out).toBe('nginx:1.27 3');
    expect(s.traces.flat().some((e) => e.component === 'deployment')).toBe(true);
  });

  it('a crashing container: CrashLoopBackOff in get pods, the previous log, and the BackOff event in describe', async () => {
    const s = await session();
    await s.run('kubectl apply -f crash.yaml');
    await s.run('sleep 60s');
    expect((await s.run('kubectl get pod crash')).out).toMatch(/crash +0\/1 +CrashLoopBackOff +\d+ \(\d+s ago\)/);
    expect((await s.run('kubectl logs crash --previous')).out).toBe('booting');
    const d = await s.run('kubectl describe pod crash');
    expect(d.out).toMatch(/Last State: +Terminated\n +Reason: +Error\n +Exit Code: +3/);
    expect(d.out).toMatch(/Warning +BackOff +.*kubelet +Back-off restarting failed container app in pod crash_default/);
  });
});

describe('a rollout that cannot finish', () => {
  it('an image that does not exist: ErrImagePull / ImagePullBackOff, and rollout status ends at the progress deadline', async () => {
    const s = await session();
    await s.run(`kubectl patch deployment web --type=json -p='[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"ngnix:1.27"}]'`);
    const status = await s.run('kubectl rollout status deployment/web');
    expect(status.code).toBe(1);
    expect(status.out.split('\n').at(-1)).toBe('error: deployment "web" exceeded its progress deadline');
    expect((await s.run('kubectl get pods')).out).toMatch(/web-[a-z0-9]+-[a-z0-9]{5} +0\/1 +(ImagePullBackOff|ErrImagePull) +0/);
    // maxUnavailable 0: the old pods keep serving.
    expect((await s.run('kubectl get deploy web')).out).toMatch(/web +3\/3 +1 +3/);
  });
});

describe('on the node', () => {
  it('ssh node-1 crictl ps lists the running containers; journalctl -u kubelet shows the sync loop in klog format', async () => {
    const s = await session();
    const ps = await s.run('ssh node-1 crictl ps');
    expect(ps.out.split('\n')[0]).toMatch(/^CONTAINER +IMAGE +CREATED +STATE +NAME +ATTEMPT +POD ID +POD/);
    expect(ps.out).toMatch(/Running +nginx +0 +[0-9a-f]{13} +web-/);
    const j = await s.run('ssh node-1 journalctl -u kubelet -n 50');
    expect(j.out).toMatch(/node-1 kubelet\[\d+\]: I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ [a-z_]+\.go:\d+\] "SyncLoop ADD" source="api"/);
    expect((await s.run('ssh node-9 crictl ps')).code).toBe(255);
  });
});
