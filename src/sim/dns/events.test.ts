// A lookup traced from both ends: the pod's resolver and CoreDNS, one event per packet.
import { expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { TraceRecorder } from '../core/trace';
import { formatDNSTrace } from './events';
import { getaddrinfo } from './resolver/glibc';
import { clusterDNS, podResolvConfDefault } from './testing/cluster';
import { newUpstreamResolver } from './coredns/upstream';

it('traces kubernetes.default through a dead first nameserver', async () => {
  const clock = new FakeClock(0);
  const trace = new TraceRecorder();
  const dns = clusterDNS({ clock, trace });
  const resolvConf = podResolvConfDefault.replace('nameserver 10.96.0.10', 'nameserver 10.96.0.99\nnameserver 10.96.0.10').replace('ndots:5', 'ndots:5 timeout:2');
  const r = getaddrinfo('kubernetes.default', { resolvConf, network: { '10.96.0.10': dns, '192.168.49.1': newUpstreamResolver() }, clock, trace });
  expect(r.addresses).toEqual(['10.96.0.1']);
  await expect(formatDNSTrace(trace.events) + '\n').toMatchFileSnapshot('./testdata/trace-dead-nameserver.txt');
});

it('records /etc/hosts answers without a query', () => {
  const trace = new TraceRecorder();
  getaddrinfo('foo.local', { resolvConf: podResolvConfDefault, hosts: '10.1.2.3\tfoo.local\n', network: {}, trace });
  expect(formatDNSTrace(trace.events)).toBe('     0ms resolver /etc/hosts: foo.local -> 10.1.2.3');
});
