import { describe, expect, it } from 'vitest';
import { TraceRecorder, buildCluster, syncProxyRules, walkPacket, type EndpointSlice, type Service } from '../../../sim/index';
import { stateAt } from './state';

function tracedWalks() {
  const trace = new TraceRecorder();
  const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] } };
  const slice: EndpointSlice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: ['10.244.0.3', '10.244.1.3'].map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } })) };
  const rules = syncProxyRules({ services: [service], endpointSlices: [slice], nodeName: 'node-a', clusterCIDR: '10.244.0.0/16' });
  const c = buildCluster({
    nodes: [{ name: 'node-a', ip: '192.168.0.2', podCIDR: '10.244.0.0/24' }, { name: 'node-b', ip: '192.168.0.3', podCIDR: '10.244.1.0/24' }],
    pods: [{ name: 'client', node: 'node-a', ip: '10.244.0.9' }, { name: 'web-a', node: 'node-a', ip: '10.244.0.3', ports: [8080] }, { name: 'web-b', node: 'node-b', ip: '10.244.1.3', ports: [8080] }],
    kubeProxyRules: rules.filter + rules.nat,
    seed: 3,
    trace,
  });
  for (let i = 0; i < 20; i++) walkPacket(c, { from: 'default/client', to: '10.96.12.34:80', sport: 41000 + i });
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
});
