import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../api/core/v1';
import { ControllerName, LabelServiceName, type Endpoint, type EndpointSlice } from '../../api/discovery/v1';
import type { Node } from '../../api/core/v1';
import { newEndpointSliceReconciler, Reconciler } from './reconciler';
import { TopologyCache } from './topologycache/topologycache';
import { IsHeadlessService, newEndpointSlice, placeholderSliceEqual, podToEndpoint } from './utils';
import { createEndpointSlices, fetchEndpointSlices, lengths, newEmptyEndpointSlice, newPod, newReconciler, newServiceAndEndpointMeta, newTestClient, node } from './testing/fixtures';

const ns = 'test';
const node1 = node('node-1');
const podsOf = (n: number, readyIf: (i: number) => boolean = (i) => i % 3 !== 0) => Array.from({ length: n }, (_, i) => newPod(i, ns, readyIf(i)));
const frozen = (xs: EndpointSlice[]) => JSON.stringify(xs);

describe('reconciler (k8s.io/endpointslice reconciler.go)', () => {
  it('the DESIGN contract: newEndpointSliceReconciler({ client, maxEndpointsPerSlice }).reconcile(service, pods, slices) returns its writes', async () => {
    const client = await newTestClient();
    const [svc] = newServiceAndEndpointMeta('foo', ns);
    const r = newEndpointSliceReconciler({ client, maxEndpointsPerSlice: 3 });
    const first = await r.reconcile(svc, podsOf(7, () => true), []);
    expect(first.created.map((s) => s.endpoints.length)).toEqual([3, 3, 1]);
    expect(first.created.every((s) => /^foo-[a-z0-9]{5}$/.test(s.metadata.name!))).toBe(true);
    // Two more pods fit the slice with one: one update, no create.
    const second = await r.reconcile(svc, podsOf(9, () => true), await fetchEndpointSlices(client, ns));
    expect([second.created.length, second.updated.map((s) => s.endpoints.length), second.deleted.length]).toEqual([0, [3], 0]);
    // Scale to zero: every slice goes but one, which stays as the placeholder.
    const third = await r.reconcile(svc, [], await fetchEndpointSlices(client, ns));
    expect([third.created.length, third.updated.length, third.deleted.length]).toEqual([0, 1, 2]);
    expect((await fetchEndpointSlices(client, ns)).map((s) => s.endpoints.length)).toEqual([0]);
  });

  it('a Service without pods gets one placeholder slice, named by the API server from `<service>-`', async () => {
    // ref: 'TestReconcileEmpty'
    const client = await newTestClient();
    const [svc] = newServiceAndEndpointMeta('foo', ns);
    const r = newReconciler(client, [node1]);
    const res = await r.reconcile(svc, [], []);
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([1, 0, 0]);
    const slices = await fetchEndpointSlices(client, ns);
    expect(slices).toHaveLength(1);
    expect(slices[0].metadata.name).toMatch(/^foo-[a-z0-9]{5}$/);
    expect(slices[0].metadata.labels?.[LabelServiceName]).toBe('foo');
    expect(slices[0].ports).toEqual([]);
    expect(slices[0].endpoints).toEqual([]);
    expect(slices[0].metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'foo', uid: 'test-foo', controller: true, blockOwnerDeletion: true }]);
    expect(r.endpointSliceTracker.generationsForSlice(slices[0])?.get(slices[0].metadata.uid!)).toBe(1);
  });

  describe('one pod, per Service shape', () => {
    const [base] = newServiceAndEndpointMeta('foo', ns);
    const svc = (f: (s: Service) => void) => {
      const s = structuredClone(base);
      f(s);
      return s;
    };
    const pod1: Pod = newPod(1, ns, true);
    pod1.status!.podIPs = [{ ip: '1.2.3.4' }, { ip: '1234::5678:0000:0000:9abc:def0' }];
    pod1.spec.hostname = 'example-hostname';
    const zoned = node('node-1', { 'topology.kubernetes.io/zone': 'us-central1-a', 'topology.kubernetes.io/region': 'us-central1' });
    const ep = (address: string): Endpoint => ({
      addresses: [address],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: ns, name: 'pod1' },
      nodeName: 'node-1',
      zone: 'us-central1-a',
    });
    const v4 = ep('1.2.3.4');
    const v6 = ep('1234::5678:0:0:9abc:def0');
    const plain = { [ControllerName.length ? 'endpointslice.kubernetes.io/managed-by' : '']: ControllerName, [LabelServiceName]: 'foo' };
    const headless = { ...plain, [IsHeadlessService]: '' };
    const cases: { ref: string; service: Service; want: Record<string, Endpoint>; labels: Record<string, string> }[] = [
      { ref: 'TestReconcile1Pod/no-family-service', service: svc((s) => { s.spec.clusterIP = '10.0.0.10'; delete s.spec.ipFamilies; }), want: { IPv4: v4 }, labels: plain },
      { ref: 'TestReconcile1Pod/ipv4', service: svc(() => {}), want: { IPv4: v4 }, labels: headless },
      { ref: 'TestReconcile1Pod/ipv4-clusterip', service: svc((s) => { s.spec.clusterIP = '1.1.1.1'; }), want: { IPv4: v4 }, labels: plain },
      { ref: 'TestReconcile1Pod/ipv4-labels', service: svc((s) => { s.metadata.labels = { foo: 'bar' }; }), want: { IPv4: v4 }, labels: { foo: 'bar', ...headless } },
      { ref: 'TestReconcile1Pod/ipv4-bad-labels', service: svc((s) => { s.metadata.labels = { [LabelServiceName]: 'bad', 'endpointslice.kubernetes.io/managed-by': 'actor', [IsHeadlessService]: 'invalid' }; }), want: { IPv4: v4 }, labels: headless },
      { ref: 'TestReconcile1Pod/ipv6', service: svc((s) => { s.spec.ipFamilies = ['IPv6']; }), want: { IPv6: v6 }, labels: headless },
      { ref: 'TestReconcile1Pod/ipv6-clusterip', service: svc((s) => { s.spec.clusterIP = '1234::5678:0000:0000:9abc:def1'; s.spec.ipFamilies = ['IPv6']; }), want: { IPv6: v6 }, labels: plain },
      { ref: 'TestReconcile1Pod/dualstack-service', service: svc((s) => { s.spec.ipFamilies = ['IPv4', 'IPv6']; s.spec.clusterIP = '10.0.0.10'; s.spec.clusterIPs = ['10.0.0.10', '2000::1']; }), want: { IPv4: v4, IPv6: v6 }, labels: plain },
    ];
    for (const c of cases) {
      it(c.ref, async () => {
        const client = await newTestClient();
        const r = newReconciler(client, [zoned]);
        const trigger = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
        const res = await r.reconcile(c.service, [pod1], [], trigger);
        expect(res.created).toHaveLength(Object.keys(c.want).length);
        const slices = await fetchEndpointSlices(client, ns);
        expect(slices).toHaveLength(Object.keys(c.want).length);
        for (const s of slices) {
          expect(s.metadata.name!.startsWith('foo')).toBe(true);
          expect(s.metadata.labels).toEqual(c.labels);
          expect(s.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBe('2026-01-02T03:04:05.678Z');
          expect(s.endpoints).toEqual([c.want[s.addressType]]);
          expect(r.endpointSliceTracker.generationsForSlice(s)?.get(s.metadata.uid!)).toBe(1);
        }
      });
    }
  });

  describe('an existing placeholder is kept, replaced or updated', () => {
    const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
    const different = newEmptyEndpointSlice(1, ns, meta, svc);
    different.metadata.labels = { bar: 'baz' };
    const cases = [
      { ref: 'TestReconcile1EndpointSlice/No existing placeholder', existing: undefined, want: [1, 0, 0] },
      { ref: "TestReconcile1EndpointSlice/Existing placeholder that's the same", existing: newEndpointSlice(svc, { ports: [], addressType: 'IPv4' }, ControllerName), want: [0, 0, 0] },
      // The differing slice is deleted and a placeholder created: finalize turns the pair into one update.
      { ref: "TestReconcile1EndpointSlice/Existing placeholder that's different", existing: different, want: [0, 1, 0] },
    ];
    for (const c of cases) {
      it(c.ref, async () => {
        const client = await newTestClient();
        const existing = c.existing ? await createEndpointSlices(client, ns, [c.existing]) : [];
        const res = await newReconciler(client, [node1]).reconcile(svc, [], existing);
        expect([res.created.length, res.updated.length, res.deleted.length]).toEqual(c.want);
        const slices = await fetchEndpointSlices(client, ns);
        expect(slices).toHaveLength(1);
        expect(slices[0].endpoints).toEqual([]);
        expect(slices[0].metadata.labels?.[LabelServiceName]).toBe('foo');
      });
    }
  });

  describe('placeholderSliceCompare', () => {
    const s = (o: Partial<EndpointSlice> & { metadata?: EndpointSlice['metadata'] }) => ({ metadata: {}, endpoints: [], ...o }) as EndpointSlice;
    const cases: { ref: string; x?: EndpointSlice; y?: EndpointSlice; want: boolean }[] = [
      { ref: 'TestPlaceHolderSliceCompare/Both nil', want: true },
      { ref: 'TestPlaceHolderSliceCompare/Y is nil', x: s({}), want: false },
      { ref: 'TestPlaceHolderSliceCompare/X is nil', y: s({}), want: false },
      { ref: 'TestPlaceHolderSliceCompare/Both are empty and non-nil', x: s({}), y: s({}), want: true },
      { ref: 'TestPlaceHolderSliceCompare/Only ObjectMeta.Name has diff', x: s({ metadata: { name: 'foo' } }), y: s({ metadata: { name: 'bar' } }), want: true },
      { ref: 'TestPlaceHolderSliceCompare/Only ObjectMeta.Labels has diff', x: s({ metadata: { labels: { foo: 'true' } } }), y: s({ metadata: { labels: { bar: 'true' } } }), want: false },
      { ref: 'TestPlaceHolderSliceCompare/Creation time is different', x: s({ metadata: { creationTimestamp: '1970-01-01T00:00:01Z' } }), y: s({ metadata: { creationTimestamp: '1970-01-01T00:00:02Z' } }), want: true },
      { ref: 'TestPlaceHolderSliceCompare/Different except for ObjectMeta', x: s({ addressType: 'IPv4' }), y: s({ addressType: 'IPv6' }), want: false },
    ];
    for (const c of cases) it(c.ref, () => expect(placeholderSliceEqual(c.x, c.y)).toBe(c.want));
  });

  it('publishNotReadyAddresses makes every endpoint ready', async () => {
    // ref: 'TestReconcile1EndpointSlicePublishNotReadyAddresses'
    const client = await newTestClient();
    const [svc] = newServiceAndEndpointMeta('foo', ns);
    svc.spec.publishNotReadyAddresses = true;
    const res = await newReconciler(client, [node1]).reconcile(svc, podsOf(50), []);
    expect(res.created).toHaveLength(1);
    const slices = await fetchEndpointSlices(client, ns);
    expect(lengths(slices)).toEqual([50]);
    expect(slices[0].endpoints.every((e) => e.conditions?.ready === true)).toBe(true);
    // Serving still tells the pod's readiness.
    expect(slices[0].endpoints.filter((e) => e.conditions?.serving === false)).toHaveLength(17);
  });

  it('250 pods and no slices: three creates, two of them full', async () => {
    // ref: 'TestReconcileManyPods'
    const client = await newTestClient();
    const [svc] = newServiceAndEndpointMeta('foo', ns);
    const res = await newReconciler(client, [node1]).reconcile(svc, podsOf(250), []);
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([3, 0, 0]);
    expect(lengths(await fetchEndpointSlices(client, ns))).toEqual([50, 100, 100]);
  });

  /** Upstream's two preexisting slices holding every 4th pod from 1 and from 3. */
  async function preexisting(client: Awaited<ReturnType<typeof newTestClient>>, svc: Service, meta: ReturnType<typeof newServiceAndEndpointMeta>[1], pods: Pod[]) {
    const s1 = newEmptyEndpointSlice(1, ns, meta, svc);
    for (let i = 1; i < pods.length - 4; i += 4) s1.endpoints.push(podToEndpoint(pods[i], node('x'), svc, 'IPv4'));
    const s2 = newEmptyEndpointSlice(2, ns, meta, svc);
    for (let i = 3; i < pods.length - 4; i += 4) s2.endpoints.push(podToEndpoint(pods[i], node('x'), svc, 'IPv4'));
    return createEndpointSlices(client, ns, [s1, s2]);
  }

  it('127 to add beside slices of 62 and 61: one new full slice, and 27 into the slice they bring closest to full', async () => {
    // ref: 'TestReconcileEndpointSlicesSomePreexisting'
    const client = await newTestClient();
    const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
    const pods = podsOf(250);
    const existing = await preexisting(client, svc, meta, pods);
    const before = frozen(existing);
    const res = await newReconciler(client, [node1]).reconcile(svc, pods, existing);
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([1, 1, 0]);
    expect(lengths(await fetchEndpointSlices(client, ns))).toEqual([61, 89, 100]);
    expect(frozen(existing)).toBe(before); // the cached slices are not mutated
  });

  it('152 to add beside slices of 74 and 74: two creates rather than two updates and a create', async () => {
    // ref: 'TestReconcileEndpointSlicesSomePreexistingWorseAllocation'
    const client = await newTestClient();
    const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
    const pods = podsOf(300);
    const existing = await preexisting(client, svc, meta, pods);
    const res = await newReconciler(client, [node1]).reconcile(svc, pods, existing);
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([2, 0, 0]);
    expect(lengths(await fetchEndpointSlices(client, ns))).toEqual([52, 74, 74, 100]);
  });

  it('a target port change updates every slice in place', async () => {
    // ref: 'TestReconcileEndpointSlicesUpdating'
    const client = await newTestClient();
    const [svc] = newServiceAndEndpointMeta('foo', ns);
    const pods = podsOf(250);
    const r = newReconciler(client, [node1]);
    await r.reconcile(svc, pods, []);
    const slices = await fetchEndpointSlices(client, ns);
    svc.spec.ports![0].targetPort = 81;
    const res = await r.reconcile(svc, pods, slices);
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([0, 3, 0]);
    const after = await fetchEndpointSlices(client, ns);
    expect(lengths(after)).toEqual([50, 100, 100]);
    expect(after.every((s) => s.ports?.[0].port === 81)).toBe(true);
  });

  it("the Service's labels reach every slice by update", async () => {
    // ref: 'TestReconcileEndpointSlicesServicesLabelsUpdating'
    const client = await newTestClient();
    const [svc] = newServiceAndEndpointMeta('foo', ns);
    const pods = podsOf(250);
    const r = newReconciler(client, [node1]);
    await r.reconcile(svc, pods, []);
    svc.metadata.labels = { foo: 'bar' };
    const res = await r.reconcile(svc, pods, await fetchEndpointSlices(client, ns));
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([0, 3, 0]);
    const after = await fetchEndpointSlices(client, ns);
    expect(lengths(after)).toEqual([50, 100, 100]);
    expect(after.every((s) => s.metadata.labels?.foo === 'bar')).toBe(true);
  });

  it('reserved labels on the Service change nothing', async () => {
    // ref: 'TestReconcileEndpointSlicesServicesReservedLabels'
    const client = await newTestClient();
    const [svc] = newServiceAndEndpointMeta('foo', ns);
    const pods = podsOf(250);
    const r = newReconciler(client, [node1]);
    await r.reconcile(svc, pods, []);
    svc.metadata.labels = { [LabelServiceName]: 'bad', 'endpointslice.kubernetes.io/managed-by': 'actor', [IsHeadlessService]: 'invalid' };
    const res = await r.reconcile(svc, pods, await fetchEndpointSlices(client, ns));
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([0, 0, 0]);
  });

  it('ten slices of 30: no writes while all is well; a port change repacks them into three full slices and deletes seven', async () => {
    // ref: 'TestReconcileEndpointSlicesRecycling'
    const client = await newTestClient();
    const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
    const pods = podsOf(300);
    const fresh: EndpointSlice[] = [];
    pods.forEach((p, i) => {
      if (i % 30 === 0) fresh.push(newEmptyEndpointSlice(i / 30, ns, meta, svc));
      fresh[Math.floor(i / 30)].endpoints.push(podToEndpoint(p, node('x'), svc, 'IPv4'));
    });
    const existing = await createEndpointSlices(client, ns, fresh);
    const before = frozen(existing);
    const r = newReconciler(client, [node1]);
    let res = await r.reconcile(svc, pods, existing);
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([0, 0, 0]);
    svc.spec.ports![0].targetPort = 81;
    res = await r.reconcile(svc, pods, existing);
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([0, 3, 7]);
    expect(lengths(await fetchEndpointSlices(client, ns))).toEqual([100, 100, 100]);
    expect(frozen(existing)).toBe(before);
  });

  it('new endpoints go to the fuller of the slices already being updated', async () => {
    // ref: 'TestReconcileEndpointSlicesUpdatePacking'
    const client = await newTestClient();
    const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
    const pods: Pod[] = [];
    const s1 = newEmptyEndpointSlice(1, ns, meta, svc);
    for (let i = 0; i < 80; i++) {
      pods.push(newPod(i, ns, true));
      s1.endpoints.push(podToEndpoint(pods.at(-1)!, node('x'), svc, 'IPv4'));
    }
    const s2 = newEmptyEndpointSlice(2, ns, meta, svc);
    for (let i = 100; i < 120; i++) {
      pods.push(newPod(i, ns, true));
      s2.endpoints.push(podToEndpoint(pods.at(-1)!, node('x'), svc, 'IPv4'));
    }
    const existing = await createEndpointSlices(client, ns, [s1, s2]);
    pods.forEach((p, i) => {
      if (i % 10 === 0) p.status!.conditions = [{ type: 'Ready', status: 'False' }];
    });
    for (let i = 200; i < 215; i++) pods.push(newPod(i, ns, true));
    const res = await newReconciler(client, [node1]).reconcile(svc, pods, existing);
    expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([0, 2, 0]);
    expect(lengths(await fetchEndpointSlices(client, ns))).toEqual([20, 95]);
  });

  it('slices of the deprecated IP address type are replaced by IPv4 slices, perfectly packed', async () => {
    // ref: 'TestReconcileEndpointSlicesReplaceDeprecated'
    const client = await newTestClient();
    const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
    const bare: Service = { metadata: {}, spec: {} };
    const pods: Pod[] = [];
    const s1 = newEmptyEndpointSlice(1, ns, meta, svc);
    for (let i = 0; i < 80; i++) {
      pods.push(newPod(i, ns, true));
      s1.endpoints.push(podToEndpoint(pods.at(-1)!, node('x'), bare, 'IPv4'));
    }
    const s2 = newEmptyEndpointSlice(2, ns, meta, svc);
    for (let i = 100; i < 150; i++) {
      pods.push(newPod(i, ns, true));
      s2.endpoints.push(podToEndpoint(pods.at(-1)!, node('x'), bare, 'IPv4'));
    }
    // The API server refuses the long-gone `IP` type, so the cached slices say it without it stored.
    const stored = await createEndpointSlices(client, ns, [s1, s2]);
    const existing = stored.map((s) => ({ ...s, addressType: 'IP' }) as unknown as EndpointSlice);
    const res = await newReconciler(client, [node1]).reconcile(svc, pods, existing);
    expect(res.deleted.map((s) => s.metadata.name)).toEqual(['foo-1', 'foo-2']);
    const after = await fetchEndpointSlices(client, ns);
    expect(lengths(after)).toEqual([30, 100]);
    expect(after.every((s) => s.addressType === 'IPv4')).toBe(true);
  });

  describe('a recreated Service (new UID) gets new slices', () => {
    for (const c of [
      { ref: 'TestReconcileEndpointSlicesRecreation/slice owned by Service', owned: true, want: [0, 0, 0] },
      { ref: 'TestReconcileEndpointSlicesRecreation/slice owned by other Service UID', owned: false, want: [1, 0, 1] },
    ]) {
      it(c.ref, async () => {
        const client = await newTestClient();
        const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
        const slice = newEmptyEndpointSlice(1, ns, meta, svc);
        const pod = newPod(1, ns, true);
        slice.endpoints.push(podToEndpoint(pod, node('x'), { metadata: {}, spec: {} }, 'IPv4'));
        if (!c.owned) slice.metadata.ownerReferences![0].uid = 'different';
        const existing = await createEndpointSlices(client, ns, [slice]);
        const res = await newReconciler(client, [node1]).reconcile(svc, [pod], existing);
        expect([res.created.length, res.updated.length, res.deleted.length]).toEqual(c.want);
        expect(await fetchEndpointSlices(client, ns)).toHaveLength(1);
      });
    }
  });

  it('a named port resolving to five numbers across pods makes five groups of slices', async () => {
    // ref: 'TestReconcileEndpointSlicesNamedPorts'
    const client = await newTestClient();
    const svc: Service = { metadata: { name: 'named-port-example', namespace: ns, uid: 'u' }, spec: { ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }], selector: { foo: 'bar' }, ipFamilies: ['IPv4'] } };
    const pods = Array.from({ length: 300 }, (_, i) => {
      const p = newPod(i, ns, i % 3 !== 0);
      p.spec.containers[0].ports = [{ name: 'http', containerPort: 8080 + (i % 5), protocol: 'TCP' }];
      return p;
    });
    const res = await newReconciler(client, [node1]).reconcile(svc, pods, []);
    expect(res.created).toHaveLength(5);
    const slices = await fetchEndpointSlices(client, ns);
    expect(lengths(slices)).toEqual([60, 60, 60, 60, 60]);
    expect(slices.map((s) => [s.addressType, s.ports]).sort((a, b) => (a[1] as { port: number }[])[0].port - (b[1] as { port: number }[])[0].port)).toEqual(
      [0, 1, 2, 3, 4].map((i) => ['IPv4', [{ name: '', protocol: 'TCP', port: 8080 + i }]]),
    );
  });

  describe('maxEndpointsPerSlice', () => {
    for (const c of [
      { max: 50, want: [50, 50, 50, 50, 50] },
      { max: 80, want: [10, 80, 80, 80] },
      { max: 150, want: [100, 150] },
      { max: 250, want: [250] },
      { max: 500, want: [250] },
    ]) {
      it(`TestReconcileMaxEndpointsPerSlice/maxEndpointsPerSlice: ${c.max}`, async () => {
        const client = await newTestClient();
        const [svc] = newServiceAndEndpointMeta('foo', ns);
        await newReconciler(client, [node1], c.max).reconcile(svc, podsOf(250), []);
        expect(lengths(await fetchEndpointSlices(client, ns))).toEqual(c.want);
      });
    }
  });

  describe('finalize on a Service being deleted', () => {
    const cases = [
      { ref: 'TestReconcilerFinalizeSvcDeletionTimestamp/Attempt create and update, nil deletion timestamp', deleting: false, create: true, update: true, del: false, want: [true, true, true] },
      { ref: 'TestReconcilerFinalizeSvcDeletionTimestamp/Attempt create and update, deletion timestamp set', deleting: true, create: true, update: true, del: false, want: [false, true, true] },
      { ref: 'TestReconcilerFinalizeSvcDeletionTimestamp/Attempt create, update, and delete, nil deletion timestamp, recycling in action', deleting: false, create: true, update: true, del: true, want: [false, true, true] },
      { ref: 'TestReconcilerFinalizeSvcDeletionTimestamp/Attempt create, update, and delete, deletion timestamp set, recycling in action', deleting: true, create: true, update: true, del: true, want: [false, true, true] },
      { ref: 'TestReconcilerFinalizeSvcDeletionTimestamp/Attempt update delete, deletion timestamp set', deleting: true, create: false, update: true, del: true, want: [false, true, false] },
    ];
    for (const c of cases) {
      it(c.ref, async () => {
        const client = await newTestClient();
        const r = newReconciler(client, [node1]);
        const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
        if (c.deleting) svc.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
        const mk = (name: string) => ({ ...newEmptyEndpointSlice(0, ns, meta, svc), metadata: { ...newEmptyEndpointSlice(0, ns, meta, svc).metadata, name } });
        const [toUpdate, toDelete] = await createEndpointSlices(client, ns, [mk('to-update'), mk('to-delete')]);
        toUpdate.endpoints = [{ addresses: ['10.2.3.4'] }];
        await r.finalize(svc, c.create ? [mk('to-create')] : [], c.update ? [structuredClone(toUpdate)] : [], c.del ? [structuredClone(toDelete)] : []);
        const names = (await fetchEndpointSlices(client, ns)).map((s) => s.metadata.name);
        expect([names.includes('to-create'), names.includes('to-update'), names.includes('to-delete')]).toEqual(c.want);
        if (c.update) expect((await fetchEndpointSlices(client, ns)).find((s) => s.metadata.name === 'to-update')!.endpoints).toHaveLength(1);
      });
    }
  });

  describe('a pod on a Node missing from the cache', () => {
    // Two pods, on node-0 and node-1; only the listed nodes exist.
    const cases = [
      { ref: 'TestReconcilerPodMissingNode/Create and publishNotReady false', nodes: ['node-0'], existing: false, publish: false, wantErr: true, wantEndpoints: 1 },
      { ref: 'TestReconcilerPodMissingNode/Create and publishNotReady true', nodes: ['node-0'], existing: false, publish: true, wantErr: false, wantEndpoints: 2 },
      { ref: 'TestReconcilerPodMissingNode/Update and publishNotReady false', nodes: ['node-0'], existing: true, publish: false, wantErr: true, wantEndpoints: 1 },
      { ref: 'TestReconcilerPodMissingNode/Update and publishNotReady true and all nodes missing', nodes: [], existing: true, publish: true, wantErr: false, wantEndpoints: 2 },
      { ref: 'TestReconcilerPodMissingNode/Update and publishNotReady true', nodes: ['node-0'], existing: true, publish: true, wantErr: false, wantEndpoints: 2 },
      { ref: 'TestReconcilerPodMissingNode/Update if publishNotReady false and no nodes are present', nodes: [], existing: true, publish: false, wantErr: true, wantEndpoints: 0 },
    ];
    for (const c of cases) {
      it(c.ref, async () => {
        const client = await newTestClient();
        const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
        svc.spec.publishNotReadyAddresses = c.publish;
        const pods = [0, 1].map((i) => {
          const p = newPod(i, ns, true);
          p.spec.nodeName = `node-${i}`;
          return p;
        });
        let existing: EndpointSlice[] = [];
        if (c.existing) {
          const s = newEmptyEndpointSlice(1, ns, meta, svc);
          for (const p of pods) s.endpoints.push(podToEndpoint(p, undefined, svc, 'IPv4'));
          existing = await createEndpointSlices(client, ns, [s]);
        }
        const r = newReconciler(client, c.nodes.map((n) => node(n)));
        const err = await r.reconcile(svc, pods, existing).then(() => undefined, (e: Error) => e);
        expect(err !== undefined).toBe(c.wantErr);
        if (err && c.nodes.includes('node-0')) expect(err.message).toBe('skipping Pod pod1 for Service test/foo: Node node-1 Not Found');
        const slices = await fetchEndpointSlices(client, ns);
        expect(slices).toHaveLength(1);
        expect(slices[0].endpoints).toHaveLength(c.wantEndpoints);
      });
    }
  });

  describe('topology-aware hints from the topology-mode annotation', () => {
    // 3 zones, 10 nodes of 100m and one pod on each.
    const zones = ['zone-a', 'zone-b', 'zone-c'];
    const [svc, meta] = newServiceAndEndpointMeta('foo', ns);
    const nodes: Node[] = [];
    const pods: Pod[] = [];
    zones.forEach((zone, i) => {
      for (let j = 0; j < 10; j++) {
        const n: Node = { metadata: { name: `node-${zone}-${j}`, labels: { 'topology.kubernetes.io/zone': zone } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '100m' } } };
        nodes.push(n);
        const p = newPod(i * 100 + j, ns, true);
        p.spec.nodeName = n.metadata.name;
        pods.push(p);
      }
    });
    const byName = new Map(nodes.map((n) => [n.metadata.name!, n]));
    const slicePods: Record<string, Pod[]> = {
      'zone-a-b': [pods[7], pods[8], pods[16], pods[17], pods[18]],
      'zone-a-c': [pods[5], pods[6], pods[25], pods[26]],
      'zone-c': [pods[27], pods[28], pods[29]],
    };
    const sliceOf = (name: string): EndpointSlice => ({
      ...newEmptyEndpointSlice(0, ns, meta, svc),
      metadata: { ...newEmptyEndpointSlice(0, ns, meta, svc).metadata, name, labels: { 'endpointslice.kubernetes.io/managed-by': ControllerName, [LabelServiceName]: 'foo' } },
      endpoints: slicePods[name].map((p) => podToEndpoint(p, byName.get(p.spec.nodeName!), svc, 'IPv4')),
    });
    const cases = [
      { ref: 'TestReconcileTopology/no change, topologyCache disabled, annotation == auto', cache: false, ann: 'auto', slices: ['zone-c'], hints: undefined, cross: 0, updated: 0 },
      { ref: 'TestReconcileTopology/enabling topologyCache, hintsAnnotation == auto', cache: true, ann: 'auto', slices: ['zone-c'], hints: { 'zone-a': 1, 'zone-b': 1, 'zone-c': 1 }, cross: 2, updated: 1 },
      { ref: 'TestReconcileTopology/topology enabled,  hintsAnnotation==auto, ratio beyond threshold', cache: true, ann: 'auto', slices: ['zone-a-c'], hints: undefined, cross: 0, updated: 0 },
      { ref: 'TestReconcileTopology/topology enabled, hintsAnnotation==Auto, more slices and endpoints', cache: true, ann: 'Auto', slices: ['zone-a-c', 'zone-a-b'], hints: { 'zone-a': 3, 'zone-b': 3, 'zone-c': 3 }, cross: 1, updated: 2 },
      { ref: 'TestReconcileTopology/topology enabled, hintsAnnotation==disabled, more slices and endpoints', cache: true, ann: 'disabled', slices: ['zone-a-c', 'zone-a-b'], hints: undefined, cross: 0, updated: 0 },
    ];
    for (const c of cases) {
      it(c.ref, async () => {
        const client = await newTestClient();
        const existing = await createEndpointSlices(client, ns, c.slices.map(sliceOf));
        const before = frozen(existing);
        let topologyCache: TopologyCache | undefined;
        if (c.cache) {
          topologyCache = new TopologyCache();
          topologyCache.setNodes(nodes);
        }
        const r = new Reconciler({ client, nodeLister: { get: (n) => byName.get(n) }, topologyCache });
        const service = { ...svc, metadata: { ...svc.metadata, annotations: { 'service.kubernetes.io/topology-aware-hints': c.ann } } };
        const res = await r.reconcile(service, c.slices.flatMap((n) => slicePods[n]), existing);
        expect(frozen(existing)).toBe(before);
        expect([res.created.length, res.updated.length, res.deleted.length]).toEqual([0, c.updated, 0]);
        const eps = (await fetchEndpointSlices(client, ns)).flatMap((s) => s.endpoints);
        if (!c.hints) {
          expect(eps.filter((e) => e.hints?.forZones?.length)).toEqual([]);
          return;
        }
        const got: Record<string, number> = {};
        let cross = 0;
        for (const e of eps) {
          expect(e.hints?.forZones).toHaveLength(1);
          const z = e.hints!.forZones![0].name;
          got[z] = (got[z] ?? 0) + 1;
          if (z !== e.zone) cross++;
        }
        expect(got).toEqual(c.hints);
        expect(cross).toBe(c.cross);
      });
    }
  });

  describe('hints from spec.trafficDistribution', () => {
    // node-0 in zone-a holds pod-0; node-1 in zone-b pods 1-3; node-2 in zone-c pods 4-5.
    const [svc] = newServiceAndEndpointMeta('foo', ns);
    const nodes: Node[] = [0, 1, 2].map((i) => ({ metadata: { name: `node-${i}`, labels: { 'topology.kubernetes.io/zone': `zone-${'abc'[i]}` } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '100m' } } }));
    const pods = [0, 1, 1, 1, 2, 2].map((n, i) => {
      const p = newPod(i, ns, true);
      p.spec.nodeName = `node-${n}`;
      return p;
    });
    const none = { '': 6 };
    const cases = [
      { ref: 'TestReconcile_TrafficDistribution/trafficDistribution=PreferClose, topologyAnnotation=Disabled', gate: true, same: false, td: 'PreferClose', ann: 'Disabled', zones: { 'zone-a': 1, 'zone-b': 3, 'zone-c': 2 }, nodes: undefined, cross: 0 },
      { ref: 'TestReconcile_TrafficDistribution/feature gate disabled; trafficDistribution=PreferClose, topologyAnnotation=Disabled', gate: false, same: false, td: 'PreferClose', ann: 'Disabled', zones: none, nodes: undefined, cross: 0 },
      { ref: 'TestReconcile_TrafficDistribution/trafficDistribution=PreferClose, topologyAnnotation=Auto', gate: true, same: false, td: 'PreferClose', ann: 'Auto', zones: { 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 }, nodes: undefined, cross: 1 },
      { ref: 'TestReconcile_TrafficDistribution/trafficDistribution=nil, topologyAnnotation=<empty>', gate: true, same: false, td: undefined, ann: '', zones: none, nodes: undefined, cross: 0 },
      { ref: 'TestReconcile_TrafficDistribution/trafficDistribution=PreferSameNode, PSTD enabled', gate: true, same: true, td: 'PreferSameNode', ann: 'Disabled', zones: { 'zone-a': 1, 'zone-b': 3, 'zone-c': 2 }, nodes: { 'node-0': 1, 'node-1': 3, 'node-2': 2 }, cross: 0 },
      { ref: 'TestReconcile_TrafficDistribution/trafficDistribution=PreferSameZone, PSTD disabled', gate: true, same: false, td: 'PreferSameZone', ann: 'Disabled', zones: none, nodes: undefined, cross: 0 },
    ];
    for (const c of cases) {
      it(c.ref, async () => {
        const client = await newTestClient();
        const topologyCache = new TopologyCache();
        topologyCache.setNodes(nodes);
        const r = new Reconciler({ client, nodeLister: { get: (n) => nodes.find((x) => x.metadata.name === n) }, topologyCache, trafficDistributionEnabled: c.gate, preferSameTrafficDistribution: c.same });
        const service: Service = { ...svc, metadata: { ...svc.metadata, annotations: { 'service.kubernetes.io/topology-aware-hints': c.ann } }, spec: { ...svc.spec, trafficDistribution: c.td } };
        await r.reconcile(service, pods, []);
        const byZone: Record<string, number> = {};
        const byNode: Record<string, number> = {};
        let cross = 0;
        for (const e of (await fetchEndpointSlices(client, ns)).flatMap((s) => s.endpoints)) {
          const z = e.hints?.forZones?.length === 1 ? e.hints.forZones[0].name : '';
          byZone[z] = (byZone[z] ?? 0) + 1;
          if (z && z !== e.zone) cross++;
          for (const n of e.hints?.forNodes ?? []) byNode[n.name] = (byNode[n.name] ?? 0) + 1;
        }
        expect(byZone).toEqual(c.zones);
        expect(cross).toBe(c.cross);
        if (c.nodes) expect(byNode).toEqual(c.nodes);
      });
    }
  });
});
