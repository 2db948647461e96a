// kubectl get/describe for HorizontalPodAutoscaler, StatefulSet, DaemonSet and Job against the API
// server model, after kubectl v0.34.0 pkg/describe/describe.go and printers.go (printHorizontalPodAutoscaler).
import { describe, expect, it } from 'vitest';
import { newClientset, newLabCluster, type KubeObject } from '../../../sim/index';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';
import { capIndexesListOrNone } from './printers/describe-workloads';

async function setup() {
  const cluster = await newLabCluster();
  const cs = newClientset(cluster.apiServer, { qps: -1 });
  const shell = createShell();
  registerKubectl(shell, { transport: cluster.apiServer, clock: cluster.clock, files: new VirtualFs({ files: {} }) });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const v2 = () => cs.restClient('autoscaling', 'v2');
  return { cluster, cs, run, v2 };
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };

describe('HorizontalPodAutoscaler', () => {
  it('get hpa: TARGETS as `cpu: current/target`, <unknown> before the controller measured', async () => {
    const h = await setup();
    await h.run('kubectl create deployment x --image=nginx');
    expect((await h.run('kubectl autoscale deployment/web --max=5 --cpu=50%')).err).toContain('not found');
    await h.cs.appsV1().deployments('default').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template } } as KubeObject);
    await h.run('kubectl autoscale deployment/web --min=2 --max=5 --cpu=50% --memory=200Mi');
    const r = await h.run('kubectl get hpa');
    expect(r.out).toBe(['NAME   REFERENCE        TARGETS                                       MINPODS   MAXPODS   REPLICAS   AGE', 'web    Deployment/web   cpu: <unknown>/50%, memory: <unknown>/200Mi   2         5         0          0s'].join('\n'));
  });

  it('describe hpa: metrics, min/max, behavior, pods, conditions, events (describeHorizontalPodAutoscalerV2)', async () => {
    const h = await setup();
    const hpa = (await h.v2()
      .post()
      .namespace('default')
      .resource('horizontalpodautoscalers')
      .body({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 1,
          maxReplicas: 10,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
        },
      })
      .do()) as KubeObject & Record<string, any>;
    await h.v2()
      .put()
      .namespace('default')
      .resource('horizontalpodautoscalers')
      .name('web')
      .subResource('status')
      .body({
        ...hpa,
        status: {
          currentReplicas: 3,
          desiredReplicas: 4,
          currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 66, averageValue: '132m' } } }],
          conditions: [
            { type: 'AbleToScale', status: 'True', lastTransitionTime: '1970-01-01T00:00:00Z', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4' },
            { type: 'ScalingActive', status: 'True', lastTransitionTime: '1970-01-01T00:00:00Z', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' },
          ],
        },
      })
      .do();
    await h.cs.coreV1().events('default').create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1' },
      involvedObject: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'default', uid: hpa.metadata.uid },
      reason: 'SuccessfulRescale',
      message: 'New size: 4; reason: cpu resource utilization (percentage of request) above target',
      type: 'Normal',
      source: { component: 'horizontal-pod-autoscaler' },
      firstTimestamp: '1970-01-01T00:00:00Z',
      lastTimestamp: '1970-01-01T00:00:00Z',
      count: 1,
    } as KubeObject);
    const r = await h.run('kubectl describe hpa web');
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        'Name:                                                  web',
        'Namespace:                                             default',
        'Labels:                                                app=web',
        'Annotations:                                           <none>',
        'CreationTimestamp:                                     Thu, 01 Jan 1970 00:00:00 +0000',
        'Reference:                                             Deployment/web',
        'Metrics:                                               ( current / target )',
        '  resource cpu on pods  (as a percentage of request):  66% (132m) / 50%',
        'Min replicas:                                          1',
        'Max replicas:                                          10',
        'Behavior:',
        // The API server defaulted scaleUp and the scaleDown select policy (autoscaling/v2 SetDefaults).
        '  Scale Up:',
        '    Stabilization Window: 0 seconds',
        '    Select Policy: Max',
        '    Policies:',
        '      - Type: Pods     Value: 4    Period: 15 seconds',
        '      - Type: Percent  Value: 100  Period: 15 seconds',
        '  Scale Down:',
        '    Stabilization Window: 300 seconds',
        '    Select Policy: Max',
        '    Policies:',
        '      - Type: Percent  Value: 100  Period: 15 seconds',
        // Lines without a tab end a tabwriter block: this one aligns on its own.
        'Deployment pods:       3 current / 4 desired',
        'Conditions:',
        '  Type           Status  Reason            Message',
        '  ----           ------  ------            -------',
        '  AbleToScale    True    SucceededRescale  the HPA controller was able to update the target scale to 4',
        '  ScalingActive  True    ValidMetricFound  the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
        'Events:',
        '  Type    Reason             Age   From                       Message',
        '  ----    ------             ----  ----                       -------',
        '  Normal  SuccessfulRescale  0s    horizontal-pod-autoscaler  New size: 4; reason: cpu resource utilization (percentage of request) above target',
      ].join('\n'),
    );
    expect((await h.run('kubectl get hpa web --no-headers')).out).toMatch(/^web\s+Deployment\/web\s+cpu: 66%\/50%\s+1\s+10\s+3\s+0s$/);
  });
});

describe('StatefulSet, DaemonSet and Job describers', () => {
  it('describe sts: replicas, update strategy, pods status, template, volume claims', async () => {
    const h = await setup();
    const sts = (await h.cs.appsV1().statefulSets('default').create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'web' } },
        template,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    } as KubeObject)) as KubeObject;
    const owner = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: sts.metadata.uid!, controller: true }];
    await h.cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-0', labels: { app: 'web' }, ownerReferences: owner }, spec: template.spec } as KubeObject);
    await h.cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'web' } }, spec: template.spec } as KubeObject);
    const r = await h.run('kubectl describe sts db');
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines.slice(0, 10)).toEqual([
      'Name:               db',
      'Namespace:          default',
      'CreationTimestamp:  Thu, 01 Jan 1970 00:00:00 +0000',
      'Selector:           app=web',
      'Labels:             <none>',
      'Annotations:        <none>',
      'Replicas:           2 desired | 0 total',
      'Update Strategy:    RollingUpdate',
      '  Partition:        1',
      'Pods Status:        0 Running / 1 Waiting / 0 Succeeded / 0 Failed',
    ]);
    expect(lines[10]).toBe('Pod Template:');
    expect(r.out).toContain(['Volume Claims:', '  Name:          data', '  StorageClass:  ', '  Labels:        <none>', '  Annotations:   <none>', '  Capacity:      1Gi', '  Access Modes:  [ReadWriteOnce]', 'Events:          <none>'].join('\n'));
  });

  it('describe ds: node selector and the scheduled counts (no tab: plain lines)', async () => {
    const h = await setup();
    await h.cs.appsV1().daemonSets('default').create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { ...template, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
    } as KubeObject);
    const lines = (await h.run('kubectl describe ds agent')).out.split('\n');
    // The count lines have no tab: each ends a tabwriter block, so Pods Status aligns with the template below.
    expect(lines.slice(0, 12)).toEqual([
      'Name:           agent',
      'Namespace:      default',
      'Selector:       app=web',
      'Node-Selector:  kubernetes.io/os=linux',
      'Labels:         <none>',
      // The API server writes the template generation (apps/v1 carries it as an annotation).
      'Annotations:    deprecated.daemonset.template.generation: 1',
      'Desired Number of Nodes Scheduled: 0',
      'Current Number of Nodes Scheduled: 0',
      'Number of Nodes Scheduled with Up-to-date Pods: 0',
      'Number of Nodes Scheduled with Available Pods: 0',
      'Number of Nodes Misscheduled: 0',
      'Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed',
    ]);
  });

  it('describe job: completions, mode, backoff limit, start/completion and duration, pods statuses', async () => {
    const h = await setup();
    const job = (await h.cs.batchV1().jobs('default').create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi' },
      spec: { completions: 3, parallelism: 2, completionMode: 'Indexed', template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } },
    } as KubeObject)) as KubeObject & Record<string, any>;
    await h.cs.batchV1().jobs('default').updateStatus({ ...job, status: { startTime: '1970-01-01T00:00:00Z', completionTime: '1970-01-01T00:01:05Z', succeeded: 3, ready: 0, completedIndexes: '0-2', conditions: [] } } as KubeObject);
    const r = await h.run('kubectl describe job pi');
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    // The server generated the selector (batch.kubernetes.io/controller-uid) and the template's labels.
    expect(lines[2]).toMatch(/^Selector: {11}batch\.kubernetes\.io\/controller-uid=[0-9a-f-]+$/);
    expect(lines.slice(5, 16)).toEqual([
      'Parallelism:        2',
      'Completions:        3',
      'Completion Mode:    Indexed',
      'Suspend:            false',
      'Backoff Limit:      6',
      'Start Time:         Thu, 01 Jan 1970 00:00:00 +0000',
      'Completed At:       Thu, 01 Jan 1970 00:01:05 +0000',
      'Duration:           65s',
      'Pods Statuses:      0 Active (0 Ready) / 3 Succeeded / 0 Failed',
      'Completed Indexes:  0-2',
      'Pod Template:',
    ]);
  });

  it('capIndexesListOrNone (TestDescribeJob completed indexes)', () => {
    expect(capIndexesListOrNone('', 50)).toBe('<none>');
    expect(capIndexesListOrNone('0-2', 50)).toBe('0-2');
    expect(capIndexesListOrNone('1,3,5,7,9', 3)).toBe('1,3,...');
  });
});
