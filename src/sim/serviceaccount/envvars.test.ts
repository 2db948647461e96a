// Service environment variables, after pkg/kubelet/envvars/envvars_test.go (TestFromServices) and
// the selection in pkg/kubelet/kubelet_pods.go (getServiceEnvVarMap); in-cluster config after
// client-go rest/config.go (InClusterConfig).
import { describe, expect, it } from 'vitest';
import type { Pod, Service, ServicePort } from '../api/core/v1';
import { fromServices, podServiceEnv, serviceEnvVarMap } from './envvars';
import { ErrNotInCluster, inClusterConfig, RootCAFile, TokenFile } from './in_cluster_config';
import { placeholderCAPEM } from './root_ca_publisher';

const svc = (name: string, clusterIP: string, ports: ServicePort[], namespace = 'default'): Service => ({ metadata: { name, namespace }, spec: { selector: { bar: 'baz' }, clusterIP, ports } }) as Service;

describe('FromServices (pkg/kubelet/envvars)', () => {
  it('TestFromServices: the exact list and order', () => {
    const sl = [
      svc('foo-bar', '1.2.3.4', [{ port: 8080, protocol: 'TCP' }]),
      svc('abc-123', '5.6.7.8', [{ name: 'u-d-p', port: 8081, protocol: 'UDP' }, { name: 't-c-p', port: 8081, protocol: 'TCP' }]),
      svc('q-u-u-x', '9.8.7.6', [{ port: 8082, protocol: 'TCP' }, { name: '8083', port: 8083, protocol: 'TCP' }]),
      svc('svrc-clusterip-none', 'None', [{ port: 8082, protocol: 'TCP' }]),
      svc('svrc-clusterip-empty', '', [{ port: 8082, protocol: 'TCP' }]),
      svc('super-ipv6', '2001:DB8::', [{ name: 'u-d-p', port: 8084, protocol: 'UDP' }, { name: 't-c-p', port: 8084, protocol: 'TCP' }]),
      svc('sctp-1', '1.2.3.4', [{ port: 777, protocol: 'SCTP' }]),
    ];
    const expected: [string, string][] = [
      ['FOO_BAR_SERVICE_HOST', '1.2.3.4'], ['FOO_BAR_SERVICE_PORT', '8080'], ['FOO_BAR_PORT', 'tcp://1.2.3.4:8080'], ['FOO_BAR_PORT_8080_TCP', 'tcp://1.2.3.4:8080'], ['FOO_BAR_PORT_8080_TCP_PROTO', 'tcp'], ['FOO_BAR_PORT_8080_TCP_PORT', '8080'], ['FOO_BAR_PORT_8080_TCP_ADDR', '1.2.3.4'],
      ['ABC_123_SERVICE_HOST', '5.6.7.8'], ['ABC_123_SERVICE_PORT', '8081'], ['ABC_123_SERVICE_PORT_U_D_P', '8081'], ['ABC_123_SERVICE_PORT_T_C_P', '8081'], ['ABC_123_PORT', 'udp://5.6.7.8:8081'], ['ABC_123_PORT_8081_UDP', 'udp://5.6.7.8:8081'], ['ABC_123_PORT_8081_UDP_PROTO', 'udp'], ['ABC_123_PORT_8081_UDP_PORT', '8081'], ['ABC_123_PORT_8081_UDP_ADDR', '5.6.7.8'], ['ABC_123_PORT_8081_TCP', 'tcp://5.6.7.8:8081'], ['ABC_123_PORT_8081_TCP_PROTO', 'tcp'], ['ABC_123_PORT_8081_TCP_PORT', '8081'], ['ABC_123_PORT_8081_TCP_ADDR', '5.6.7.8'],
      ['Q_U_U_X_SERVICE_HOST', '9.8.7.6'], ['Q_U_U_X_SERVICE_PORT', '8082'], ['Q_U_U_X_SERVICE_PORT_8083', '8083'], ['Q_U_U_X_PORT', 'tcp://9.8.7.6:8082'], ['Q_U_U_X_PORT_8082_TCP', 'tcp://9.8.7.6:8082'], ['Q_U_U_X_PORT_8082_TCP_PROTO', 'tcp'], ['Q_U_U_X_PORT_8082_TCP_PORT', '8082'], ['Q_U_U_X_PORT_8082_TCP_ADDR', '9.8.7.6'], ['Q_U_U_X_PORT_8083_TCP', 'tcp://9.8.7.6:8083'], ['Q_U_U_X_PORT_8083_TCP_PROTO', 'tcp'], ['Q_U_U_X_PORT_8083_TCP_PORT', '8083'], ['Q_U_U_X_PORT_8083_TCP_ADDR', '9.8.7.6'],
      ['SUPER_IPV6_SERVICE_HOST', '2001:DB8::'], ['SUPER_IPV6_SERVICE_PORT', '8084'], ['SUPER_IPV6_SERVICE_PORT_U_D_P', '8084'], ['SUPER_IPV6_SERVICE_PORT_T_C_P', '8084'], ['SUPER_IPV6_PORT', 'udp://[2001:DB8::]:8084'], ['SUPER_IPV6_PORT_8084_UDP', 'udp://[2001:DB8::]:8084'], ['SUPER_IPV6_PORT_8084_UDP_PROTO', 'udp'], ['SUPER_IPV6_PORT_8084_UDP_PORT', '8084'], ['SUPER_IPV6_PORT_8084_UDP_ADDR', '2001:DB8::'], ['SUPER_IPV6_PORT_8084_TCP', 'tcp://[2001:DB8::]:8084'], ['SUPER_IPV6_PORT_8084_TCP_PROTO', 'tcp'], ['SUPER_IPV6_PORT_8084_TCP_PORT', '8084'], ['SUPER_IPV6_PORT_8084_TCP_ADDR', '2001:DB8::'],
      ['SCTP_1_SERVICE_HOST', '1.2.3.4'], ['SCTP_1_SERVICE_PORT', '777'], ['SCTP_1_PORT', 'sctp://1.2.3.4:777'], ['SCTP_1_PORT_777_SCTP', 'sctp://1.2.3.4:777'], ['SCTP_1_PORT_777_SCTP_PROTO', 'sctp'], ['SCTP_1_PORT_777_SCTP_PORT', '777'], ['SCTP_1_PORT_777_SCTP_ADDR', '1.2.3.4'],
    ];
    expect(fromServices(sl).map((e) => [e.name, e.value])).toEqual(expected);
  });
});

describe('getServiceEnvVarMap (pkg/kubelet/kubelet_pods.go)', () => {
  const kubernetes = svc('kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]);
  const web = svc('web', '10.96.12.7', [{ port: 80 }], 'shop');
  const other = svc('db', '10.96.40.2', [{ port: 5432 }], 'billing');
  const cases: { ref: string; ns: string; links: boolean; services: Service[]; hosts: Record<string, string> }[] = [
    { ref: 'getServiceEnvVarMap/kubernetes from default, always', ns: 'shop', links: false, services: [kubernetes, web, other], hosts: { KUBERNETES_SERVICE_HOST: '10.96.0.1' } },
    { ref: 'getServiceEnvVarMap/the namespace\'s own with enableServiceLinks', ns: 'shop', links: true, services: [kubernetes, web, other], hosts: { KUBERNETES_SERVICE_HOST: '10.96.0.1', WEB_SERVICE_HOST: '10.96.12.7' } },
    { ref: 'getServiceEnvVarMap/a namespace Service named kubernetes wins, listed before or after', ns: 'shop', links: true, services: [svc('kubernetes', '10.96.99.9', [{ port: 8080 }], 'shop'), kubernetes], hosts: { KUBERNETES_SERVICE_HOST: '10.96.99.9' } },
    { ref: 'getServiceEnvVarMap/a namespace Service named kubernetes wins (listed after)', ns: 'shop', links: true, services: [kubernetes, svc('kubernetes', '10.96.99.9', [{ port: 8080 }], 'shop')], hosts: { KUBERNETES_SERVICE_HOST: '10.96.99.9' } },
    { ref: 'getServiceEnvVarMap/headless Services get none', ns: 'shop', links: true, services: [kubernetes, svc('hl', 'None', [{ port: 80 }], 'shop')], hosts: { KUBERNETES_SERVICE_HOST: '10.96.0.1' } },
  ];
  it.each(cases)('$ref', ({ ns, links, services, hosts }) => {
    const m = serviceEnvVarMap(services, ns, links);
    expect(Object.fromEntries([...m].filter(([k]) => k.endsWith('_SERVICE_HOST')))).toEqual(hosts);
  });

  it('a pod sees the kubernetes Service as the diagram shows, sorted', () => {
    const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } } as Pod;
    expect(podServiceEnv(pod, [kubernetes]).map((e) => `${e.name}=${e.value}`)).toEqual([
      'KUBERNETES_PORT=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
      'KUBERNETES_PORT_443_TCP_PORT=443',
      'KUBERNETES_PORT_443_TCP_PROTO=tcp',
      'KUBERNETES_SERVICE_HOST=10.96.0.1',
      'KUBERNETES_SERVICE_PORT=443',
      'KUBERNETES_SERVICE_PORT_HTTPS=443',
    ]);
  });
});

describe('InClusterConfig (client-go rest/config.go)', () => {
  const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
  const files = { [TokenFile]: 'a.b.c', [RootCAFile]: placeholderCAPEM() };
  const cases: { ref: string; env: Record<string, string>; files: Record<string, string>; err?: string; host?: string; caFile?: string; log?: string }[] = [
    { ref: 'InClusterConfig/in a pod', env, files, host: 'https://10.96.0.1:443', caFile: RootCAFile },
    { ref: 'InClusterConfig/no KUBERNETES_SERVICE_PORT: ErrNotInCluster', env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' }, files, err: ErrNotInCluster },
    { ref: 'InClusterConfig/not in a pod at all', env: {}, files: {}, err: 'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined' },
    { ref: 'InClusterConfig/automountServiceAccountToken: false', env, files: {}, err: 'open /var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory' },
    { ref: 'InClusterConfig/no CA: logged, not fatal', env, files: { [TokenFile]: 'a.b.c' }, host: 'https://10.96.0.1:443', log: 'Expected to load root CA config from /var/run/secrets/kubernetes.io/serviceaccount/ca.crt, but got err: open /var/run/secrets/kubernetes.io/serviceaccount/ca.crt: no such file or directory' },
    { ref: 'InClusterConfig/IPv6 ClusterIP', env: { KUBERNETES_SERVICE_HOST: 'fd00:10:96::1', KUBERNETES_SERVICE_PORT: '443' }, files, host: 'https://[fd00:10:96::1]:443', caFile: RootCAFile },
  ];
  it.each(cases)('$ref', (c) => {
    const r = inClusterConfig({ env: c.env, files: c.files });
    if (c.err) {
      expect(r).toBeInstanceOf(Error);
      expect((r as Error).message).toBe(c.err);
      return;
    }
    if (r instanceof Error) throw r;
    expect(r.config.host).toBe(c.host);
    expect(r.config.bearerToken).toBe('a.b.c');
    expect(r.config.bearerTokenFile).toBe(TokenFile);
    expect(r.config.tlsClientConfig.caFile).toBe(c.caFile);
    expect(r.log).toEqual(c.log ? [c.log] : []);
  });
});
