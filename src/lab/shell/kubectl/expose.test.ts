import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { newEnv, newLabCluster, runUntilIdle } from '../../../sim/index';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';

// kubectl expose against the API server model, cases after kubectl v0.34.0
// pkg/cmd/expose/expose_test.go (TestRunExposeService) and pkg/polymorphichelpers.
async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const shell = createShell();
  registerKubectl(shell, { transport: cluster.apiServer, clock: cluster.clock, files: new VirtualFs({ files: {} }) });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const p = shell.execute(line, io);
    await runUntilIdle(cluster.clock, { forMs: 5000 });
    const code = await p;
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const cs = cluster.clientset();
  const create = async (p: Promise<unknown>) => {
    await runUntilIdle(cluster.clock, { forMs: 100 });
    return p;
  };
  return { cluster, cs, run, create };
}

const svc = (name: string, labels: Record<string, string>, ports: Array<{ port: number; protocol?: string }>, selector?: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { ...(selector ? { selector } : {}), ports: ports.map((p, i) => ({ ...(ports.length > 1 ? { name: `p${i}` } : {}), ...p, targetPort: p.port })) },
});

describe('kubectl expose', () => {
  it('expose-service-from-service-no-selector-defined: the selector comes from the service exposed', async () => {
    const h = await setup();
    await h.create(h.cs.coreV1().services('default').create(svc('baz', { a: 'b' }, [{ port: 80 }], { app: 'go' })));
    const r = await h.run('kubectl expose service baz --protocol=UDP --port=14 --name=foo --labels=svc=test');
    expect(r).toMatchObject({ code: 0, out: 'service/foo exposed' });
    const foo = await h.create(h.cs.coreV1().services('default').get('foo')) as { metadata: { labels: unknown }; spec: Record<string, unknown> };
    expect(foo.metadata.labels).toEqual({ svc: 'test' });
    expect(foo.spec).toMatchObject({ selector: { app: 'go' }, ports: [{ port: 14, protocol: 'UDP', targetPort: 14 }], type: 'ClusterIP' });
  });

  it('expose-multiport-object and expose-multiprotocol-object: port-N names, each port keeps its protocol', async () => {
    const h = await setup();
    await h.create(h.cs.coreV1().services('default').create(svc('foo', { svc: 'multiport' }, [{ port: 80, protocol: 'TCP' }, { port: 8080, protocol: 'UDP' }, { port: 8081, protocol: 'UDP' }, { port: 8082, protocol: 'SCTP' }])));
    const r = await h.run('kubectl expose service foo --selector=svc=fromfoo --name=fromfoo --dry-run=client -o yaml');
    expect(r.code).toBe(0);
    const out = load(r.out) as { metadata: unknown; spec: unknown };
    expect(out.metadata).toEqual({ name: 'fromfoo', labels: { svc: 'multiport' } });
    expect(out.spec).toEqual({
      ports: [
        { name: 'port-1', port: 80, protocol: 'TCP', targetPort: 80 },
        { name: 'port-2', port: 8080, protocol: 'UDP', targetPort: 8080 },
        { name: 'port-3', port: 8081, protocol: 'UDP', targetPort: 8081 },
        { name: 'port-4', port: 8082, protocol: 'SCTP', targetPort: 8082 },
      ],
      selector: { svc: 'fromfoo' },
    });
  });

  it('a deployment: selector from matchLabels, port and protocol from the containers, one port per protocol when a port has two', async () => {
    const h = await setup();
    await h.create(h.cs.appsV1().deployments('default').create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dns', labels: { app: 'dns' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'dns' } }, template: { metadata: { labels: { app: 'dns' } }, spec: { containers: [{ name: 'c', image: 'coredns', ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }] }] } } },
    }));
    const r = await h.run('kubectl expose deploy dns --dry-run=client -o json');
    expect(JSON.parse(r.out).spec.ports).toEqual([
      { name: 'port-1-udp', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'port-1-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
    ]);
    const named = await h.run('kubectl expose deploy dns --port=80 --target-port=http --type=NodePort');
    expect(named.out).toBe('service/dns exposed');
    const got = (await h.create(h.cs.coreV1().services('default').get('dns'))) as { spec: { ports: Array<Record<string, unknown>>; selector: unknown } };
    expect(got.spec.selector).toEqual({ app: 'dns' });
    expect(got.spec.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 'http' });
    expect(got.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
  });

  it('truncate-name: the default name is cut to 63 characters', async () => {
    const h = await setup();
    const long = 'a-name-that-is-toooo-big-for-a-service-because-it-can-only-handle-63-characters';
    await h.create(h.cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: long, labels: { svc: 'frompod' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    expect((await h.run(`kubectl expose pod ${long} --port=90`)).out).toBe('service/a-name-that-is-toooo-big-for-a-service-because-it-can-only-hand exposed');
  });

  it('expose-headless-service-no-port: a headless service needs no port; any other does', async () => {
    const h = await setup();
    await h.create(h.cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'p' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    expect(await h.run('kubectl expose pod p')).toMatchObject({ code: 1, err: "error: couldn't find port via --port flag or introspection" });
    const r = await h.run('kubectl expose pod p --cluster-ip=None --name=p-headless');
    expect(r.out).toBe('service/p-headless exposed');
    const got = (await h.create(h.cs.coreV1().services('default').get('p-headless'))) as { spec: { clusterIP: string } };
    expect(got.spec.clusterIP).toBe('None');
  });

  it('the errors kubectl gives: no labels, match expressions, a kind that cannot be exposed, a bad affinity, no resource', async () => {
    const h = await setup();
    await h.create(h.cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } }));
    expect((await h.run('kubectl expose pod bare')).err).toBe("error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed");
    await h.create(h.cs.appsV1().deployments('default').create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'expr' },
      spec: { selector: { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, template: { metadata: { labels: { app: 'x', tier: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    }));
    expect((await h.run('kubectl expose deploy expr --port=80')).err).toBe(`error: couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "[{Key:tier Operator:In Values:[a b]}]" to map-based selector format`);
    await h.create(h.cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} }));
    expect((await h.run('kubectl expose node n1 --port=80')).err).toBe('error: cannot expose a Node');
    expect((await h.run('kubectl expose pod bare --selector=a=b --port=80 --session-affinity=Sticky')).err).toBe('error: unknown session affinity: Sticky');
    expect((await h.run('kubectl expose pod bare --selector=a --port=80')).err).toBe('error: unexpected label spec: a');
    expect((await h.run('kubectl expose')).err).toMatch(/^error: You must provide one or more resources by argument or filename\./);
    expect((await h.run('kubectl expose pod nope --port=80')).err).toBe('Error from server (NotFound): pods "nope" not found');
  });

  it('a port out of range is refused by the API server with its field path', async () => {
    const h = await setup();
    await h.create(h.cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w', labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    const r = await h.run('kubectl expose pod w --port=70000');
    expect(r.code).toBe(1);
    // kubectl prints each cause on its own line when there are several.
    expect(r.err).toBe('The Service "w" is invalid: \n* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
  });
});
