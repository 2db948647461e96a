import { describe, expect, it } from 'vitest';
import { TraceRecorder, buildCluster, syncProxyRules, walkPacket, type EndpointSlice, type Service, type TraceEvent } from '../../../sim/index';
import { legPath, segment } from './path';
import { CHECKPOINT_EVERY, PacketReplay, stateAt } from './state';
import { dynamicSvg, staticSvg } from './svg';
import { MAX_PODS, layoutOf, stationList } from './topology';
import { packetFrame, packetModel } from './view';

const NODES = [{ name: 'node-a', ip: '192.168.0.2', podCIDR: '10.244.0.0/24' }, { name: 'node-b', ip: '192.168.0.3', podCIDR: '10.244.1.0/24' }];

function webService(type: 'ClusterIP' | 'NodePort' = 'ClusterIP'): { service: Service; slice: EndpointSlice } {
  const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type, clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, ...(type === 'NodePort' ? { nodePort: 30080 } : {}) }] } };
  const slice: EndpointSlice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: ['10.244.0.3', '10.244.1.3'].map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } })) };
  return { service, slice };
}

function cluster(trace: TraceRecorder, type: 'ClusterIP' | 'NodePort' = 'ClusterIP') {
  const { service, slice } = webService(type);
  const rules = Object.fromEntries(NODES.map((n) => {
    const r = syncProxyRules({ services: [service], endpointSlices: [slice], nodeName: n.name, nodeIPs: [n.ip], clusterCIDR: '10.244.0.0/16' });
    return [n.name, r.filter + r.nat];
  }));
  return buildCluster({
    nodes: NODES,
    pods: [{ name: 'client', node: 'node-a', ip: '10.244.0.9' }, { name: 'web-a', node: 'node-a', ip: '10.244.0.3', ports: [8080] }, { name: 'web-b', node: 'node-b', ip: '10.244.1.3', ports: [8080] }],
    kubeProxyRules: rules,
    seed: 3,
    trace,
  });
}

function tracedWalks(n = 20): TraceEvent[] {
  const trace = new TraceRecorder();
  const c = cluster(trace);
  for (let i = 0; i < n; i++) walkPacket(c, { from: 'default/client', to: '10.96.12.34:80', sport: 41000 + i });
  return trace.events;
}

/** The events of one walk: client -> web-b's pod IP directly, across nodes in VXLAN. */
function crossNodeWalk(): TraceEvent[] {
  const trace = new TraceRecorder();
  walkPacket(cluster(trace), { from: 'default/client', to: '10.244.1.3:8080', sport: 40000 });
  return trace.events;
}

describe('packet view state', () => {
  it('replays the walk at the cursor hop by hop, the DNAT marked, and tallies who answered', () => {
    const events = tracedWalks();
    const end = stateAt(events, events.length);
    expect(end.walks).toBe(20);
    expect([...end.answers.keys()].sort()).toEqual(['web-a', 'web-b']);
    expect([...end.answers.values()].reduce((a, b) => a + b, 0)).toBe(20);
    // Midway through the first request: the nat PREROUTING hop rewrote the destination to a pod.
    const firstDone = events.findIndex((e) => e.type === 'netstack.walk');
    const mid = stateAt(events, firstDone);
    const dnat = mid.current!.hops.find((h) => h.before.dst !== h.after.dst)!;
    expect(dnat.before.dst).toBe('10.96.12.34');
    expect(['10.244.0.3', '10.244.1.3']).toContain(dnat.after.dst);
    expect(dnat.decisive?.text).toMatch(/DNAT --to-destination/);
    expect(mid.walks).toBe(0);
  });

  it('keeps the request under its reply, and a replay scrubbed back and forth equals a fresh one', () => {
    const events = tracedWalks(200);
    expect(events.length).toBeGreaterThan(3 * CHECKPOINT_EVERY);
    const replyStart = events.findIndex((e) => (e as unknown as { leg: string }).leg === 'reply');
    const s = stateAt(events, replyStart + 1);
    expect(s.current!.leg).toBe('reply');
    expect(s.request!.walk).toBe(s.current!.walk);
    expect(s.request!.leg).toBe('request');
    const replay = new PacketReplay(events);
    for (const cursor of [events.length, 17, 3 * CHECKPOINT_EVERY + 5, CHECKPOINT_EVERY - 1, events.length - 3, 0, 2 * CHECKPOINT_EVERY]) {
      const want = stateAt(events, cursor);
      const got = replay.at(cursor);
      expect([got.walks, [...got.answers], got.current?.walk, got.current?.leg, got.current?.hops.length, got.request?.hops.length]).toEqual([want.walks, [...want.answers], want.current?.walk, want.current?.leg, want.current?.hops.length, want.request?.hops.length]);
    }
  });
});

describe('packet view map', () => {
  it('a cross-node VXLAN walk shows two nodes, the two pods, cni0, flannel.1, eth0 and the underlay', () => {
    const layout = layoutOf(crossNodeWalk());
    expect(layout.nodes.map((n) => n.name)).toEqual(['node-a', 'node-b']);
    expect([...layout.stations.keys()].sort()).toEqual([
      'bridge:node-a', 'bridge:node-b', 'eth:node-a', 'eth:node-b', 'host:node-a', 'host:node-b',
      'pod:default/client', 'pod:default/web-b', 'tunnel:node-a', 'tunnel:node-b',
    ]);
    expect(layout.stations.get('tunnel:node-a')!.label).toBe('flannel.1');
    expect(layout.stations.get('pod:default/client')).toMatchObject({ node: 'node-a', label: 'client', sub: '10.244.0.9' });
    expect(layout.stations.get('eth:node-b')!.sub).toBe('192.168.0.3');
    expect(layout.backend).toBe('vxlan');
    expect(layout.stations.has('outside')).toBe(false);
    // Side by side, inside the map, and node-b's boxes inside node-b's.
    const [a, b] = layout.nodes;
    expect(b.x).toBeGreaterThan(a.x + a.w);
    expect(b.x + b.w).toBeLessThanOrEqual(layout.width);
    const web = layout.stations.get('pod:default/web-b')!;
    expect(web.x).toBeGreaterThanOrEqual(b.x);
    expect(web.x + web.w).toBeLessThanOrEqual(b.x + b.w);
    expect(layout.underlay!.y).toBeGreaterThan(a.y + a.h);
  });

  it('an external NodePort walk adds the outside box, joined to the underlay', () => {
    const trace = new TraceRecorder();
    const w = walkPacket(cluster(trace, 'NodePort'), { from: { external: '203.0.113.2', via: 'node-b' }, to: '192.168.0.3:30080', sport: 40000 });
    expect(w.reply?.at).toBe('external/203.0.113.2');
    const layout = layoutOf(trace.events);
    const outside = layout.stations.get('outside')!;
    expect(outside.sub).toBe('203.0.113.2');
    expect(outside.x).toBeGreaterThan(Math.max(...layout.nodes.map((n) => n.x + n.w)));
    expect(layout.underlay!.x2).toBeGreaterThanOrEqual(outside.x + outside.w / 2);
    // The NodePort's node learns its address from the packet addressed to it.
    expect(layout.stations.get('eth:node-b')!.sub).toBe('192.168.0.3');
    const request = stateAt(trace.events, trace.events.findIndex((e) => e.type === 'netstack.walk') + 1).current!;
    const path = legPath(request);
    expect(path.points[0].station).toBe('outside');
    expect(path.points[1].station).toBe('eth:node-b');
    // Outside to node-b's eth0 goes down to the underlay, along it and up.
    const seg = segment(layout, outside, layout.stations.get('eth:node-b')!);
    expect(seg.map((p) => p.y)).toContain(layout.underlay!.y);
    const reply = stateAt(trace.events, trace.events.length).current!;
    expect(legPath(reply).points.at(-1)!.station).toBe('outside');
  });

  it('a node with more pods than boxes shows the first ones and one box for the rest', () => {
    const trace = new TraceRecorder();
    const pods = Array.from({ length: 9 }, (_, i) => ({ name: `w${i}`, node: 'node-b', ip: `10.244.1.${10 + i}` }));
    const c = buildCluster({ nodes: NODES, pods: [{ name: 'client', node: 'node-a', ip: '10.244.0.9' }, ...pods], seed: 1, trace });
    for (const p of pods) walkPacket(c, { from: 'client', to: `${p.ip}:8080`, sport: 40000 });
    const layout = layoutOf(trace.events);
    const onB = stationList(layout).filter((s) => s.kind === 'pod' && s.node === 'node-b');
    expect(onB.map((s) => s.label)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', '+4 more pods']);
    expect(onB).toHaveLength(MAX_PODS);
    expect(layout.stations.get('pod:default/w8')).toBe(layout.stations.get('more:node-b'));
    // The last walk ends in the shared box.
    const last = stateAt(trace.events, trace.events.length).request!;
    const path = legPath(last);
    expect(layout.stations.get(path.points.at(-1)!.station)!.id).toBe('more:node-b');
    expect(staticSvg(layout).over.match(/data-station="more:node-b"/g)).toHaveLength(1);
  });

  it('the path at a cursor: stations so far, the tunnel stretch, the current hop and its headers', () => {
    const events = crossNodeWalk();
    const layout = layoutOf(events);
    const leg = stateAt(events, events.findIndex((e) => e.type === 'netstack.walk') + 1).current!;
    // Up to the underlay hop: client, cni0, node-a's stack, flannel.1 (encap), back to the stack, eth0, node-b's eth0.
    const wire = leg.hops.findIndex((h) => h.kind === 'wire');
    const atWire = legPath(leg, wire + 1);
    expect(atWire.points.map((p) => p.station)).toEqual(['pod:default/client', 'bridge:node-a', 'host:node-a', 'tunnel:node-a', 'host:node-a', 'eth:node-a', 'eth:node-b']);
    expect(atWire.points.map((p) => p.encap)).toEqual([false, false, false, false, true, true, true]);
    expect(atWire.current).toBe('eth:node-b');
    expect(atWire.tunnel).toBe('VXLAN VNI 1 · UDP 8472');
    expect(atWire.packet!.inner).toMatchObject({ src: '10.244.0.9', dst: '10.244.1.3', dport: 8080 });
    expect(atWire.packet!.outer).toMatchObject({ ipSrc: '192.168.0.2', ipDst: '192.168.0.3', udpDport: 8472, vni: 1 });
    // At the end: decapsulated on node-b, through its bridge into web-b; no outer headers left.
    const done = legPath(leg);
    expect(done.points.slice(6).map((p) => [p.station, p.encap])).toEqual([
      ['eth:node-b', true], ['host:node-b', true], ['tunnel:node-b', true], ['host:node-b', false], ['bridge:node-b', false], ['pod:default/web-b', false],
    ]);
    expect(done.packet!.outer).toBeUndefined();
    // The drawing: dashed (is-encap) polylines only for the tunnel stretch, the label on the underlay.
    const map = dynamicSvg(layout, [{ path: atWire, leg: 'request' }]);
    const svg = map.paths + map.top;
    expect(svg.match(/kl-pkt-path-request is-encap/g)).toHaveLength(1);
    expect(svg.match(/kl-pkt-path-request"/g)).toHaveLength(1);
    expect(svg).toContain('VXLAN VNI 1 · UDP 8472');
    expect(svg).toContain('outer 192.168.0.2 → 192.168.0.3 udp');
  });

  it('marks the headers a NAT hop rewrote on the packet, and says the path in words', () => {
    const events = tracedWalks(1);
    const model = packetModel(events);
    const leg = stateAt(events, events.length).request!;
    const dnat = leg.hops.findIndex((h) => h.before.dst !== h.after.dst);
    const cursor = events.findIndex((e) => (e as unknown as { hop?: { n: number } }).hop?.n === dnat + 1) + 1;
    const frame = packetFrame(model, cursor);
    expect(frame.mapTop).toContain('<tspan class="kl-pkt-svg-changed">');
    // Beside it, the current hop's chain traversal: KUBE-SERVICES, KUBE-SVC, KUBE-SEP, the DNAT marked.
    const rules = [...frame.list.matchAll(/<li( class="is-decisive")?><span class="kl-pkt-chain-at">nat:\d+<\/span> <code>-A (\S+)/g)].map((m) => `${m[2]}${m[1] ? ' *' : ''}`);
    expect(rules[0]).toBe('PREROUTING');
    expect(rules[1]).toBe('KUBE-SERVICES');
    expect(rules.at(-1)).toMatch(/^KUBE-SEP-\w+ \*$/);
    expect(rules.filter((r) => r.endsWith('*'))).toHaveLength(1);
    expect(frame.mapDesc).toMatch(/^request #1: pod client → node-a cni0 → node-a routing\. Now at node-a routing, hop 4: tcp 10\.244\.0\.9:41000 → 10\.244\.[01]\.3:8080\.$/);
    const end = packetFrame(model, events.length);
    expect(end.mapDesc).toMatch(/^reply #1: .* → pod client\. .* — delivered at pod\/default\/client$/);
    // The request stays under its reply, faded.
    expect(end.mapPaths).toContain('kl-pkt-path-request is-faded');
    expect(end.mapTop).toContain('kl-pkt-dot-reply');
  });

  it('the map does not change while stepping: one static drawing per trace, every element tagged with its first event', () => {
    const events = crossNodeWalk();
    const model = packetModel(events);
    expect({ under: model.mapUnder, over: model.mapOver }).toEqual(staticSvg(layoutOf(events)));
    const tags = [...(model.mapUnder + model.mapOver).matchAll(/data-seen="(\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...tags)).toBe(0);
    expect(Math.max(...tags)).toBeLessThan(events.length);
    // node-b is not known before the first hop that is on it.
    const firstOnB = events.findIndex((e) => (e as unknown as { hop?: { node: string; underlay?: { to: string } } }).hop?.underlay?.to === 'node/node-b');
    expect(model.layout.nodes.find((n) => n.name === 'node-b')!.firstSeen).toBe(firstOnB);
  });

  it('renders frames over a 10,000-walk trace (the figure is printed, not asserted)', () => {
    // 50 real walks, repeated to 10,000 (walking them all takes ~17 s here, and a TraceRecorder
    // keeps 200,000 events: this trace is longer than any a lab records).
    const sample = tracedWalks(50);
    const events: TraceEvent[] = [];
    for (let k = 0; k < 200; k++) for (const e of sample) events.push({ ...e, walk: (e.walk as number) + 50 * k });
    const t0 = performance.now();
    const model = packetModel(events);
    const t1 = performance.now();
    packetFrame(model, events.length);
    const t2 = performance.now();
    // Step back and forth around the middle, then scrub to random places.
    const mid = events.length >> 1;
    for (let i = 0; i < 500; i++) packetFrame(model, mid - 250 + i);
    for (let i = 0; i < 500; i++) packetFrame(model, mid + 250 - i);
    const t3 = performance.now();
    let x = 12345;
    for (let i = 0; i < 200; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      packetFrame(model, x % events.length);
    }
    const t4 = performance.now();
    console.log(`packet view over ${events.length} events (10,000 walks): model ${(t1 - t0).toFixed(1)} ms, first frame at the end ${(t2 - t1).toFixed(1)} ms, step ${((t3 - t2) / 1000).toFixed(3)} ms/frame, random jump ${((t4 - t3) / 200).toFixed(3)} ms/frame`);
    expect(packetFrame(model, events.length).head).toContain('10000 requests walked');
  }, 120_000);
});
