/**
 * A synthetic cluster for kube-proxy benchmarks, after the shape of
 * pkg/proxy/iptables/proxier_performance_test.go: N ClusterIP Services (every tenth one a
 * NodePort), each with E ready endpoints on a few nodes. Addresses are computed, not drawn, so
 * the same (N, E) always gives the same objects.
 */
import type { Service } from '../api/core/v1';
import type { EndpointSlice } from '../api/discovery/v1';
import { makeTestEndpointSlice, makeTestService } from './testing';

export interface SyntheticCluster {
  services: Service[];
  endpointSlices: EndpointSlice[];
  nodeName: string;
}

const ipv4 = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

export function syntheticCluster(services: number, endpointsPerService: number): SyntheticCluster {
  const out: SyntheticCluster = { services: [], endpointSlices: [], nodeName: 'node-0' };
  const serviceBase = (172 << 24) | (30 << 16);
  const podBase = 10 << 24;
  for (let i = 0; i < services; i++) {
    const name = `svc-${i}`;
    out.services.push(
      makeTestService('bench', name, (s) => {
        s.spec.type = i % 10 === 0 ? 'NodePort' : 'ClusterIP';
        s.spec.clusterIP = ipv4(serviceBase + i + 1);
        s.spec.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: i % 10 === 0 ? 30000 + (i / 10) % 2768 : undefined }];
      }),
    );
    out.endpointSlices.push(
      makeTestEndpointSlice('bench', name, 1, (eps) => {
        eps.ports = [{ name: 'http', port: 8080, protocol: 'TCP' }];
        eps.endpoints = Array.from({ length: endpointsPerService }, (_, j) => ({
          addresses: [ipv4(podBase + i * endpointsPerService + j + 1)],
          conditions: { ready: true },
          nodeName: `node-${j % 4}`,
        }));
      }),
    );
  }
  return out;
}
