// After pkg/kubelet/prober/prober_test.go (TestGetURLParts, TestGetTCPAddrParts, TestProbe) and
// pkg/probe/{http,tcp,exec}/*_test.go (v1.34).
import { describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from '../../api/core/v1';
import { FakeClock } from '../../core/clock';
import type { Probe, ProbedContainer } from './api';
import { formatURL, newRequestForHTTPGetAction, resolveContainerPort } from './probe';
import { newProber } from './prober';
import { newFakeRecorder, newFakeRunner, type FakeRunnerConfig } from './testing';

const container: ProbedContainer = { name: 'app', ports: [{ name: 'found', containerPort: 93 }, { name: 'http', containerPort: 8080 }] };

describe('URL parts and ports', () => {
  const cases: { ref: string; port: number | string; host?: string; path?: string; ok: boolean; url?: string; error?: string }[] = [
    { ref: 'TestGetURLParts', port: 80, ok: true, url: 'http://10.244.1.5:80' },
    { ref: 'TestGetURLParts', port: 'found', ok: true, url: 'http://10.244.1.5:93' },
    { ref: 'TestGetURLParts', port: 'found', host: 'hostname', path: '/path', ok: true, url: 'http://hostname:93/path' },
    { ref: 'TestGetURLParts', port: '76', ok: true, url: 'http://10.244.1.5:76' },
    { ref: 'TestGetURLParts', port: 'healthz', ok: false, error: 'strconv.Atoi: parsing "healthz": invalid syntax' },
    { ref: 'TestGetURLParts', port: -1, ok: false, error: 'invalid port number: -1' },
    { ref: 'TestGetURLParts', port: 65536, ok: false, error: 'invalid port number: 65536' },
    { ref: 'TestGetURLParts', port: 8080, path: 'healthz', ok: true, url: 'http://10.244.1.5:8080/healthz' },
  ];
  for (const tc of cases) {
    it(`${tc.ref}: port ${JSON.stringify(tc.port)} host ${tc.host ?? '(pod IP)'} path ${tc.path ?? '(none)'}`, () => {
      const req = newRequestForHTTPGetAction({ port: tc.port, host: tc.host, path: tc.path }, container, '10.244.1.5');
      if (tc.ok) expect('url' in req && req.url).toBe(tc.url);
      else expect(req).toEqual({ error: tc.error });
    });
  }

  it('TestGetTCPAddrParts: named and numeric ports resolve like the HTTP ones', () => {
    expect(resolveContainerPort('found', container)).toEqual({ port: 93 });
    expect(resolveContainerPort(8080, container)).toEqual({ port: 8080 });
    expect(resolveContainerPort('nope', container).error).toBe('strconv.Atoi: parsing "nope": invalid syntax');
  });

  it('formatURL joins an IPv6 host in brackets (net.JoinHostPort)', () => {
    expect(formatURL('https', 'fd00::1', 443, '/ready')).toBe('https://[fd00::1]:443/ready');
  });

  it('HTTP probes send the kube-probe User-Agent and Accept */* unless the probe sets them', () => {
    const req = newRequestForHTTPGetAction({ port: 80, httpHeaders: [{ name: 'Accept', value: 'application/json' }] }, container, '1.2.3.4');
    expect('headers' in req && req.headers).toEqual({ Accept: 'application/json', 'User-Agent': 'kube-probe/1.34' });
  });
});

describe('TestProbe: handler results, outputs and events', () => {
  const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [] } };
  const status: PodStatus = { phase: 'Running', podIP: '10.244.1.5' };
  type Case = { name: string; probe: Probe; runner?: FakeRunnerConfig; result: string; output?: string; error?: string; events?: string[]; stepMs?: number };
  const cases: Case[] = [
    { name: 'no handler: an error, retried', probe: {}, result: 'Failure', error: 'missing probe handler for web_default(u1):app', events: ['Unhealthy: Liveness probe errored and resulted in unknown state: missing probe handler for web_default(u1):app'] },
    { name: 'exec exit 0', probe: { exec: { command: ['cat', '/tmp/healthy'] } }, result: 'Success' },
    {
      name: 'exec exit 1: the combined output is the message',
      probe: { exec: { command: ['cat', '/tmp/healthy'] } },
      runner: { exec: () => ({ exitCode: 1, stderr: "cat: can't open '/tmp/healthy': No such file or directory" }) },
      result: 'Failure',
      output: "cat: can't open '/tmp/healthy': No such file or directory",
      events: ["Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"],
    },
    {
      name: 'exec timeout (ExecProbeTimeout)',
      probe: { exec: { command: ['sleep', '10'] }, timeoutSeconds: 1 },
      runner: { exec: () => 'hang' },
      stepMs: 1000,
      result: 'Failure',
      output: 'command "sleep 10" timed out',
    },
    { name: 'http 200', probe: { httpGet: { port: 8080, path: '/healthz' } }, result: 'Success', output: 'ok' },
    {
      name: 'http 500',
      probe: { httpGet: { port: 8080, path: '/healthz' } },
      runner: { http: () => ({ statusCode: 500, body: 'boom' }) },
      result: 'Failure',
      output: 'HTTP probe failed with statuscode: 500',
      events: ['Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500'],
    },
    {
      name: 'http 302: a warning that counts as success',
      probe: { httpGet: { port: 8080, path: '/' } },
      runner: { http: () => ({ statusCode: 302, body: 'moved' }) },
      result: 'Success',
      events: ['ProbeWarning: Liveness probe warning: Probe terminated redirects, Response body: moved'],
    },
    {
      name: 'http on a port the container does not expose: connection refused',
      probe: { httpGet: { port: 8081, path: '/healthz' } },
      runner: { listening: [8080] },
      result: 'Failure',
      output: 'Get "http://10.244.1.5:8081/healthz": dial tcp 10.244.1.5:8081: connect: connection refused',
    },
    {
      name: 'http timeout',
      probe: { httpGet: { port: 8080, path: '/healthz' }, timeoutSeconds: 1 },
      runner: { http: () => 'hang' },
      stepMs: 1000,
      result: 'Failure',
      output: 'Get "http://10.244.1.5:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    },
    { name: 'http on an unknown named port: an error', probe: { httpGet: { port: 'metrics' } }, result: 'Failure', error: 'strconv.Atoi: parsing "metrics": invalid syntax', events: ['Unhealthy: Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax'] },
    { name: 'tcp open', probe: { tcpSocket: { port: 'http' } }, runner: { listening: [8080] }, result: 'Success' },
    { name: 'tcp refused', probe: { tcpSocket: { port: 5432 } }, runner: { listening: [8080] }, result: 'Failure', output: 'dial tcp 10.244.1.5:5432: connect: connection refused' },
    {
      name: 'grpc without a health service model: Unimplemented',
      probe: { grpc: { port: 8080 } },
      result: 'Failure',
      output: 'this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health',
    },
    { name: 'grpc on a closed port', probe: { grpc: { port: 9000 } }, runner: { listening: [8080] }, result: 'Failure', output: 'timeout: failed to connect service "10.244.1.5:9000" within 1s: context deadline exceeded' },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const clock = new FakeClock();
      const runner = newFakeRunner(tc.runner);
      const recorder = newFakeRecorder();
      const prober = newProber(clock, runner, recorder);
      const c = { ...container, livenessProbe: tc.probe };
      const p = prober.probe('Liveness', pod, status, c, 'containerd://abc');
      if (tc.stepMs) {
        await Promise.resolve();
        clock.step(tc.stepMs);
      }
      const run = await p;
      expect(run.result).toBe(tc.result);
      if (tc.output !== undefined) expect(run.output).toBe(tc.output);
      expect(run.error).toBe(tc.error);
      expect(recorder.events.map((e) => `${e.reason}: ${e.message}`)).toEqual(tc.events ?? (tc.result === 'Failure' && tc.output ? [`Unhealthy: Liveness probe failed: ${tc.output}`] : []));
      expect(recorder.events.every((e) => e.type === 'Warning')).toBe(true);
    });
  }

  it('an error is retried three times (maxProbeRetries), a failure is not', async () => {
    const clock = new FakeClock();
    const runner = newFakeRunner({ exec: () => { throw new Error('container not found'); } });
    const prober = newProber(clock, runner);
    await prober.probe('Readiness', pod, status, { ...container, readinessProbe: { exec: { command: ['true'] } } }, 'containerd://abc');
    expect(runner.calls.length).toBe(3);
    runner.config.exec = () => ({ exitCode: 1 });
    runner.calls.length = 0;
    await prober.probe('Readiness', pod, status, { ...container, readinessProbe: { exec: { command: ['true'] } } }, 'containerd://abc');
    expect(runner.calls.length).toBe(1);
  });

  it('a container without that probe is a Success', async () => {
    const prober = newProber(new FakeClock(), newFakeRunner());
    expect((await prober.probe('Startup', pod, status, container, 'x')).result).toBe('Success');
  });
});
