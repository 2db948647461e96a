// Mutants of the probes lab: readiness and liveness mixed up or aimed at the wrong thing, each
// caught on the real (modelled) kubelet with a message that says what happened to which pod; and
// a different correct answer (exec readiness, TCP liveness) that passes.
import { describe, expect, it } from 'vitest';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';
import { labClusterLog, labManifests, readLab } from '../../src/lab/node/labs';
import { defineMutants } from './mutants';
import { runInHost } from './run-host';

const lab = 'probes';
const WEB_READY = "readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 2, failureThreshold: 1 },";
const WEB_LIVE = "livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 },";
const API_LIVE = "livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 3, periodSeconds: 3 },";

const liveOnReady = {
  name: 'web liveness on /ready: a drained pod is restarted',
  lab,
  from: WEB_LIVE,
  to: "livenessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 2, failureThreshold: 1 },",
  fails: ['readinessTakesOutOfRotation', 'livenessRestartsHungProcess'],
};

defineMutants([
  {
    name: 'web readiness on / (always 200): a drained pod keeps its traffic',
    lab,
    from: "path: '/ready', port: 80 }, periodSeconds: 2",
    to: "path: '/', port: 80 }, periodSeconds: 2",
    fails: ['readinessTakesOutOfRotation'],
    passes: ['livenessRestartsHungProcess'],
  },
  liveOnReady,
  {
    name: 'no readiness probe on web',
    lab,
    from: WEB_READY,
    to: '',
    fails: ['readinessTakesOutOfRotation'],
  },
  {
    name: 'api liveness on /started (always 200): the hung process keeps running',
    lab,
    from: API_LIVE,
    to: "livenessProbe: { httpGet: { path: '/started', port: 8080 }, periodSeconds: 3 },",
    fails: ['livenessRestartsHungProcess'],
    passes: ['readinessTakesOutOfRotation'],
  },
  {
    name: 'api gets a readiness probe instead of a liveness probe',
    lab,
    from: API_LIVE,
    to: "livenessProbe: { tcpSocket: { port: 8080 } }, readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 3 },",
    fails: ['livenessRestartsHungProcess'],
  },
  {
    name: 'also correct: an exec readiness probe on the file and a TCP liveness probe',
    lab,
    from: `${WEB_READY}\n    // Step 2: restarted only if nginx itself stops answering.\n    ${WEB_LIVE}`,
    to: "readinessProbe: { exec: { command: ['cat', '/usr/share/nginx/html/ready'] }, periodSeconds: 5 },\n    livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 10, failureThreshold: 3 },",
    fails: [],
    passes: ['readinessTakesOutOfRotation', 'livenessRestartsHungProcess'],
  },
]);

it('a restarted web pod is named, with the Killing event that restarted it', async () => {
  const l = readLab(lab);
  const code = l.solution.replace(liveOnReady.from, liveOnReady.to);
  const out = await runInHost(code, { labId: lab, mode: 'check', seed: 1, files: labManifests(l), cluster: await labClusterLog(l, 1) });
  const msg = out.checks.find((c) => c.name === 'readinessTakesOutOfRotation')?.message ?? '';
  expect(msg).toMatch(/^pod web-[a-z0-9]+-[a-z0-9]{5} was restarted \(RESTARTS \d+; Killing: Container nginx failed liveness probe, will be restarted/);
  expect(msg).toContain('not restart it');
});

describe('probes in the terminal (controller manager, scheduler, two nodes)', () => {
  it('web.yaml runs: two web pods and the api pod Running; agnhost liveness without a probe is never restarted', async () => {
    const l = readLab(lab);
    const shell = createShell();
    const lines: string[] = [];
    const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
    await mountLabCluster({ shell, io, seed: 1, files: labManifests(l), apply: ['web.yaml'], scheduler: true, controllers: true, nodes: 2 });
    const run = async (line: string) => {
      lines.length = 0;
      await shell.execute(line, io);
      return lines.join('\n');
    };
    await run('sleep 60s');
    const pods = await run('kubectl get pods');
    expect(pods.split('\n').filter((x) => /^web-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 /.test(x))).toHaveLength(2);
    expect(pods).toMatch(/\napi-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 /);
  });
});
