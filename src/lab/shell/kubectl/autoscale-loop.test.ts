// The autoscaling loop seen from kubectl: `kubectl autoscale` creates the HPA, metrics-server
// serves the pods' CPU, the HorizontalController (src/sim/controllers/podautoscaler) rescales the
// Deployment, and `kubectl get hpa`, `describe hpa` and `top pod` show each step.
import { describe, expect, it } from 'vitest';
import { loadProfile, newHorizontalController, newLabCluster, newMetricsServer } from '../../../sim/index';
import { runUntilIdle, runUntilSettled } from '../../../sim/core/drive';
import { rngFromSeed } from '../../../sim/core/rng';
import { newWorkload } from '../../../sim/controllers/podautoscaler/testing/workload';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';

describe('kubectl over the autoscaling loop', () => {
  it('autoscale, then get / describe hpa and top pod follow the controller', async () => {
    const cluster = await newLabCluster();
    const { clock } = cluster;
    const cs = cluster.clientset({ qps: -1 });
    const shell = createShell();
    registerKubectl(shell, { transport: cluster.apiServer, clock, files: new VirtualFs({ files: {} }) });
    const run = async (line: string) => {
      const out: string[] = [];
      const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => out.push(stripAnsi(s)), clear: () => {} };
      await shell.execute(line, io);
      return out.join('\n');
    };
    // One pod requesting 200m; the load is 300m in all: 150% of the request.
    const web = await newWorkload(cs, clock, { namespace: 'default', name: 'web', replicas: 1, cpuRequestMilli: 200 });
    const ms = newMetricsServer({ client: cs, clock, source: loadProfile({ selector: 'app=web', totalCpuMilli: () => 300 }) });
    ms.register(cluster.apiServer);
    await runUntilSettled(clock, ms.start());
    const hpa = newHorizontalController({ client: cs, clock, rng: rngFromSeed(1) });
    await runUntilSettled(clock, hpa.run());

    expect(await run('kubectl autoscale deployment web --min=1 --max=5 --cpu=50%')).toBe('horizontalpodautoscaler.autoscaling/web autoscaled');
    expect((await run('kubectl get hpa --no-headers')).split(/\s{2,}/).slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', '5', '0']);

    // The first reconcile comes one sync period (15 s) after the HPA appeared.
    await runUntilIdle(clock, { forMs: 16_000 });
    expect((await run('kubectl top pod --no-headers')).split(/\s+/).slice(0, 3)).toEqual(['web-0', '300m', '64Mi']);
    expect((await run('kubectl get hpa --no-headers')).split(/\s{2,}/).slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: 150%/50%', '1', '5', '1']);
    const described = await run('kubectl describe hpa web');
    expect(described).toMatch(/resource cpu on pods {2}\(as a percentage of request\): {2}150% \(300m\) \/ 50%/);
    expect(described).toMatch(/Deployment pods: +1 current \/ 3 desired/);
    expect(described).toMatch(/Normal {2}SuccessfulRescale {2}\d+s +horizontal-pod-autoscaler {2}New size: 3; reason: cpu resource utilization \(percentage of request\) above target/);

    // The Deployment's pods follow (the stand-in for the ReplicaSet controller): 100m each, 50%.
    expect(await web.sync()).toBe(3);
    await runUntilIdle(clock, { forMs: 45_000 });
    expect((await run('kubectl top pod --no-headers')).split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['web-0 100m', 'web-1 100m', 'web-2 100m']);
    expect((await run('kubectl get hpa --no-headers')).split(/\s{2,}/).slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: 50%/50%', '1', '5', '3']);
    ms.stop();
    hpa.stop();
  });
});
