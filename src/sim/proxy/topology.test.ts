import { describe, expect, it } from 'vitest';
import type { EndpointInfo } from './endpoint';
import { serviceToServicePorts } from './serviceport';
import { categorizeEndpoints, LabelTopologyZone } from './topology';
import { makeTestService } from './testing';

// Upstream: pkg/proxy/topology_test.go (makeTestEndpointInfo's argument order).
function ep(ip: string, isLocal: boolean, ready: boolean, serving: boolean, terminating: boolean, zoneHints?: string[], nodeHints?: string[]): EndpointInfo {
  return {
    ip, port: 80, endpoint: `${ip}:80`, isLocal, ready, serving, terminating, nodeName: '', zone: '',
    zoneHints: new Set(zoneHints ?? []), nodeHints: new Set(nodeHints ?? []),
  };
}

function svcInfo(opts: { nodePort?: number; etpLocal?: boolean; itpLocal?: boolean } = {}) {
  const svc = makeTestService('ns', 'svc', (s) => {
    s.spec.type = opts.nodePort ? 'NodePort' : 'ClusterIP';
    s.spec.clusterIP = '10.96.0.1';
    s.spec.ports = [{ port: 80, protocol: 'TCP', nodePort: opts.nodePort }];
    s.spec.externalTrafficPolicy = opts.etpLocal ? 'Local' : 'Cluster';
    s.spec.internalTrafficPolicy = opts.itpLocal ? 'Local' : 'Cluster';
  });
  return serviceToServicePorts(svc)[0];
}

const zoneA = { [LabelTopologyZone]: 'zone-a' };
const names = (eps: EndpointInfo[]) => eps.map((e) => e.endpoint).sort();

interface Case {
  name: string;
  nodeName?: string;
  nodeLabels?: Record<string, string>;
  info: ReturnType<typeof svcInfo>;
  endpoints: EndpointInfo[];
  cluster: string[] | null;
  local: string[] | null;
  all?: string[];
  onlyRemote?: boolean;
  /** Not an upstream case: the terminating fallback, checked against CategorizeEndpoints' code. */
  own?: boolean;
}

const four = (hints: (string[] | undefined)[], nodeHints?: (string[] | undefined)[]) =>
  ['10.1.2.3', '10.1.2.4', '10.1.2.5', '10.1.2.6'].map((ip, i) => ep(ip, false, true, true, false, hints[i], nodeHints?.[i]));

const cases: Case[] = [
  {
    name: "should use topology since all endpoints have hints, node has a zone label and and there are endpoints for the node's zone",
    nodeLabels: zoneA, info: svcInfo(), endpoints: four([['zone-a'], ['zone-b'], ['zone-c'], ['zone-a']]),
    cluster: ['10.1.2.3:80', '10.1.2.6:80'], local: null,
  },
  {
    name: 'eTP: Local, topology ignored for Local endpoints',
    nodeLabels: zoneA, info: svcInfo({ nodePort: 8080, etpLocal: true }),
    endpoints: [
      ep('10.1.2.3', true, true, true, false, ['zone-a']), ep('10.1.2.4', true, true, true, false, ['zone-b']),
      ep('10.1.2.5', false, true, true, false, ['zone-c']), ep('10.1.2.6', false, true, true, false, ['zone-a']),
    ],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'], local: ['10.1.2.3:80', '10.1.2.4:80'], all: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'],
  },
  {
    name: 'iTP: Local, topology ignored for Local endpoints',
    nodeLabels: zoneA, info: svcInfo({ nodePort: 8080, itpLocal: true }),
    endpoints: [
      ep('10.1.2.3', true, true, true, false, ['zone-a']), ep('10.1.2.4', true, true, true, false, ['zone-b']),
      ep('10.1.2.5', false, true, true, false, ['zone-c']), ep('10.1.2.6', false, true, true, false, ['zone-a']),
    ],
    cluster: ['10.1.2.3:80', '10.1.2.6:80'], local: ['10.1.2.3:80', '10.1.2.4:80'], all: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'],
  },
  { name: 'empty node labels', info: svcInfo(), endpoints: [ep('10.1.2.3', false, true, true, false, ['zone-a'])], cluster: ['10.1.2.3:80'], local: null },
  {
    name: 'empty zone label', nodeLabels: { [LabelTopologyZone]: '' }, info: svcInfo(),
    endpoints: [ep('10.1.2.3', false, true, true, false, ['zone-a'])], cluster: ['10.1.2.3:80'], local: null,
  },
  {
    name: 'node in different zone, no endpoint filtering', nodeLabels: { [LabelTopologyZone]: 'zone-b' }, info: svcInfo(),
    endpoints: [ep('10.1.2.3', false, true, true, false, ['zone-a']), ep('10.1.2.5', false, true, true, false, ['zone-c'])],
    cluster: ['10.1.2.3:80', '10.1.2.5:80'], local: null,
  },
  {
    name: 'unready endpoint', nodeLabels: zoneA, info: svcInfo(),
    endpoints: [...four([['zone-a'], ['zone-b'], ['zone-c']]).slice(0, 3), ep('10.1.2.6', false, false, true, false, ['zone-a'])],
    cluster: ['10.1.2.3:80'], local: null,
  },
  {
    name: 'only unready endpoints in same zone (should not filter)', nodeLabels: zoneA, info: svcInfo(),
    endpoints: [
      ep('10.1.2.3', false, false, true, false, ['zone-a']), ep('10.1.2.4', false, true, true, false, ['zone-b']),
      ep('10.1.2.5', false, true, true, false, ['zone-c']), ep('10.1.2.6', false, false, true, false, ['zone-a']),
    ],
    cluster: ['10.1.2.4:80', '10.1.2.5:80'], local: null,
  },
  {
    name: 'missing hints, no filtering applied', nodeLabels: zoneA, info: svcInfo(), endpoints: four([['zone-a'], ['zone-b'], undefined, ['zone-a']]),
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.5:80', '10.1.2.6:80'], local: null,
  },
  {
    name: 'multiple hints per endpoint, filtering includes any endpoint with zone included', nodeLabels: { [LabelTopologyZone]: 'zone-c' }, info: svcInfo(),
    endpoints: four([['zone-a', 'zone-b', 'zone-c'], ['zone-b', 'zone-c'], ['zone-b', 'zone-d'], ['zone-c']]),
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.6:80'], local: null,
  },
  {
    name: 'PreferSameNode available', nodeName: 'node-1', nodeLabels: zoneA, info: svcInfo(),
    endpoints: four([['zone-a'], ['zone-b'], ['zone-c'], ['zone-a']], [['node-1'], ['node-2'], ['node-3'], ['node-4']]),
    cluster: ['10.1.2.3:80'], local: null,
  },
  {
    name: 'PreferSameNode ignored if some endpoints unhinted', nodeName: 'node-1', nodeLabels: zoneA, info: svcInfo(),
    endpoints: four([['zone-a'], undefined, ['zone-c'], ['zone-a']], [['node-1'], undefined, ['node-3'], ['node-4']]),
    cluster: ['10.1.2.3:80', '10.1.2.4:80', '10.1.2.5:80', '10.1.2.6:80'], local: null,
  },
  {
    name: 'PreferSameNode falls back to PreferSameZone if no endpoint for node', nodeName: 'node-0', nodeLabels: zoneA, info: svcInfo(),
    endpoints: four([['zone-a'], ['zone-b'], ['zone-c'], ['zone-a']], [['node-1'], ['node-2'], ['node-3'], ['node-4']]),
    cluster: ['10.1.2.3:80', '10.1.2.6:80'], local: null,
  },
  {
    name: 'conflicting topology and localness require merging allEndpoints', nodeLabels: zoneA, info: svcInfo({ nodePort: 8080, etpLocal: true }),
    endpoints: [
      ep('10.0.0.0', true, true, true, false, ['zone-a']), ep('10.0.0.1', true, true, true, false, ['zone-b']),
      ep('10.0.0.2', false, true, true, false, ['zone-a']), ep('10.0.0.3', false, true, true, false, ['zone-b']),
    ],
    cluster: ['10.0.0.0:80', '10.0.0.2:80'], local: ['10.0.0.0:80', '10.0.0.1:80'], all: ['10.0.0.0:80', '10.0.0.1:80', '10.0.0.2:80'],
  },
  { name: 'internalTrafficPolicy: Local, with empty endpoints', info: svcInfo({ itpLocal: true }), endpoints: [], cluster: null, local: [] },
  {
    name: 'internalTrafficPolicy: Local, but all endpoints are remote', info: svcInfo({ itpLocal: true }),
    endpoints: [ep('10.0.0.0', false, true, true, false), ep('10.0.0.1', false, true, true, false)],
    cluster: null, local: [], onlyRemote: true,
  },
  {
    name: 'internalTrafficPolicy: Local, all endpoints are local', info: svcInfo({ itpLocal: true }),
    endpoints: [ep('10.0.0.0', true, true, true, false), ep('10.0.0.1', true, true, true, false)],
    cluster: null, local: ['10.0.0.0:80', '10.0.0.1:80'],
  },
  {
    name: 'Cluster traffic policy, only terminating endpoints: the serving ones are used', info: svcInfo(),
    endpoints: [ep('10.0.0.0', false, false, true, true), ep('10.0.0.1', false, false, false, true), ep('10.0.0.2', false, false, true, true)],
    cluster: ['10.0.0.0:80', '10.0.0.2:80'], local: null, own: true,
  },
  {
    name: 'iTP: Local, local endpoint terminating, remote ready: the local serving-terminating one is used', info: svcInfo({ itpLocal: true }),
    endpoints: [ep('10.0.0.0', true, false, true, true), ep('10.0.0.1', false, true, true, false)],
    cluster: null, local: ['10.0.0.0:80'], own: true,
  },
];

describe('categorizeEndpoints (pkg/proxy/topology.go)', () => {
  for (const tc of cases) {
    it(`${tc.own ? 'CategorizeEndpoints' : 'TestCategorizeEndpoints'}/${tc.name}`, () => {
      const r = categorizeEndpoints(tc.endpoints, tc.info, tc.nodeName ?? 'test-node', tc.nodeLabels);
      // Upstream returns nil for a kind of endpoints the service never uses; here it is empty.
      expect(names(r.clusterEndpoints)).toEqual(tc.cluster ?? []);
      expect(names(r.localEndpoints)).toEqual(tc.local ?? []);
      const all = tc.all ?? tc.cluster ?? tc.local ?? [];
      expect(names(r.allReachableEndpoints)).toEqual(all);
      expect(r.hasAnyEndpoints).toBe(all.length > 0 || (tc.onlyRemote ?? false));
    });
  }
});
