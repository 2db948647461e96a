// kubectl autoscale against the API server model (autoscaling/v2 and v1 served): the objects it
// builds, its validation messages and its v2 -> v1 fallback, after kubectl v0.34.0
// pkg/cmd/autoscale/autoscale.go and autoscale_test.go.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resource } from '../../../sim/apimachinery/index';
import { newClientset, newLabCluster, type KubeObject } from '../../../sim/index';
import type { RestRequest } from '../../../sim/client/transport';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';
import { parseResourceInput } from './cmd/autoscale';

async function setup() {
  const cluster = await newLabCluster();
  const cs = newClientset(cluster.apiServer, { qps: -1 });
  const shell = createShell();
  const files = new VirtualFs({ files: { 'web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' } });
  const posts: Array<{ path: string; query?: Record<string, string> }> = [];
  const transport = {
    request: (req: RestRequest) => {
      if (req.verb === 'POST') posts.push({ path: req.path, query: req.query });
      return cluster.apiServer.request(req);
    },
    watch: (req: RestRequest) => cluster.apiServer.watch(req),
  };
  registerKubectl(shell, { transport, clock: cluster.clock, files });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  await cs.appsV1().deployments('default').create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  } as KubeObject);
  const hpa = async (name = 'web') => (await cs.restClient('autoscaling', 'v2').get().namespace('default').resource('horizontalpodautoscalers').name(name).do()) as Record<string, any>;
  return { cluster, cs, run, hpa, posts };
}

describe('kubectl autoscale', () => {
  it('creates an autoscaling/v2 HPA for a deployment (--cpu as a percentage)', async () => {
    const { run, hpa, posts } = await setup();
    expect(await run('kubectl autoscale deployment web --min=2 --max=5 --cpu=50%')).toEqual({ code: 0, out: 'horizontalpodautoscaler.autoscaling/web autoscaled', err: '' });
    const h = await hpa();
    expect(h.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] });
    expect(posts).toEqual([{ path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', query: { fieldManager: 'kubectl-autoscale' } }]);
  });

  it('TestCreateHorizontalPodAutoscalerV2: quantities, bare numbers, memory, --name', async () => {
    const { run, hpa } = await setup();
    expect((await run('kubectl autoscale deploy/web --max=4 --cpu=500 --memory=200Mi --name=web-hpa')).out).toBe('horizontalpodautoscaler.autoscaling/web-hpa autoscaled');
    const h = await hpa('web-hpa');
    expect(h.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
    ]);
    expect(h.spec.scaleTargetRef.name).toBe('web');
  });

  it('--dry-run=client -o yaml prints the v2 object kubectl would send (no namespace, status kept)', async () => {
    const { run } = await setup();
    const r = await run('kubectl autoscale deployment web --max=3 --cpu=80% --dry-run=client -o yaml');
    expect(r.out).toBe(
      [
        'apiVersion: autoscaling/v2',
        'kind: HorizontalPodAutoscaler',
        'metadata:',
        '  name: web',
        'spec:',
        '  maxReplicas: 3',
        '  metrics:',
        '  - resource:',
        '      name: cpu',
        '      target:',
        '        averageUtilization: 80',
        '        type: Utilization',
        '    type: Resource',
        '  scaleTargetRef:',
        '    apiVersion: apps/v1',
        '    kind: Deployment',
        '    name: web',
        'status:',
        '  currentMetrics: null',
        '  desiredReplicas: 0',
      ].join('\n'),
    );
    expect((await run('kubectl autoscale deployment web --max=3 --dry-run=client')).out).toBe('horizontalpodautoscaler.autoscaling/web created (dry run)');
    expect((await run('kubectl autoscale deployment web --max=3 --dry-run=server')).out).toBe('horizontalpodautoscaler.autoscaling/web autoscaled (server dry run)');
    expect((await run('kubectl get hpa')).out).toBe('No resources found in default namespace.');
  });

  // Upstream: autoscale_test.go (TestValidateFlags)
  it.each([
    ['--cpu=50%', 'error: required flag(s) "max" not set'],
    ['--max=0', 'error: --max=MAXPODS is required and must be at least 1, max: 0'],
    ['--max=2 --min=3', 'error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 3'],
    ['--max=2 --cpu-percent=50 --cpu=50%', "Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).\nerror: --cpu-percent and --cpu are mutually exclusive"],
    ['--max=2 --cpu=abc%', 'error: invalid percentage value: abc'],
    ['--max=2 --cpu=-5%', 'error: invalid percentage value: -5'],
    ['--max=2 --memory=lots', 'error: invalid resource memory value: lots'],
  ])('TestValidateFlags %s', async (flags, message) => {
    const { run } = await setup();
    const r = await run(`kubectl autoscale deployment web ${flags}`);
    expect(r.code).toBe(1);
    expect([r.out, r.err].filter(Boolean).join('\n')).toBe(message);
  });

  it('a pod has no scale subresource; a missing target is the server\'s NotFound; -f names the target', async () => {
    const { run, cs } = await setup();
    await cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    expect((await run('kubectl autoscale pod p --max=2')).err).toBe('error: cannot autoscale a Pod: could not find scale subresource for /v1, Resource=pods in discovery information');
    expect((await run('kubectl autoscale deployment nope --max=2')).err).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    expect((await run('kubectl autoscale -f web.yaml --max=2 --cpu=60%')).out).toBe('horizontalpodautoscaler.autoscaling/web autoscaled');
  });

  it('a second HPA of the same name: v2 fails, v1 is tried when the targets fit it (Run, canCreateHPAV1)', async () => {
    const { run } = await setup();
    expect((await run('kubectl autoscale deployment web --max=3 --cpu=50%')).code).toBe(0);
    expect((await run('kubectl autoscale deployment web --max=3 --cpu=50%')).err).toBe('Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists');
    // Without --cpu upstream's check parses an empty --cpu; with an average value v1 cannot carry it.
    expect((await run('kubectl autoscale deployment web --max=3')).err).toBe('error: failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1: empty input');
    expect((await run('kubectl autoscale deployment web --max=3 --cpu=500m')).err).toBe('error: failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1: %!w(<nil>)');
  });
});

// Upstream: autoscale_test.go (TestParseResourceInput)
describe('parseResourceInput', () => {
  it.each([
    ['70%', 'cpu', { type: 'Utilization', utilization: 70 }],
    ['500m', 'cpu', { type: 'AverageValue', quantity: '500m' }],
    ['500', 'cpu', { type: 'AverageValue', quantity: '500m' }],
    ['1.5', 'cpu', { type: 'AverageValue', quantity: '1500u' }],
    ['2Gi', 'memory', { type: 'AverageValue', quantity: '2Gi' }],
    ['512', 'memory', { type: 'AverageValue', quantity: '512Mi' }],
  ] as const)('%s (%s)', (input, res, want) => {
    expect(parseResourceInput(input, res)).toEqual(want);
  });
  it('rejects empty input and non-quantities', () => {
    expect(() => parseResourceInput('  ', 'cpu')).toThrow('empty input');
    expect(() => parseResourceInput('fast', 'cpu')).toThrow('invalid resource cpu value: fast');
  });
});

// Properties of parseResourceInput: a percentage is a utilization of that many percent; a bare
// number is that many millicores (cpu) or mebibytes (memory), in the canonical quantity form.
describe('parseResourceInput properties', () => {
  it('integers: n% -> Utilization n, n -> nm / nMi', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n) => {
        expect(parseResourceInput(`${n}%`, 'cpu')).toEqual({ type: 'Utilization', utilization: n });
        const cpu = parseResourceInput(String(n), 'cpu').quantity!;
        expect(resource.parseQuantity(cpu).cmp(resource.parseQuantity(`${n}m`))).toBe(0);
        const mem = parseResourceInput(String(n), 'memory').quantity!;
        expect(resource.parseQuantity(mem).cmp(resource.parseQuantity(`${n}Mi`))).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
