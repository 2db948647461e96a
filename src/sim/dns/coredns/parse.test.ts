// Follows coredns v1.12.1 plugin/kubernetes/parse_test.go (TestParseRequest, TestParseInvalidRequest).
import { describe, expect, it } from 'vitest';
import { parseRequest, type RecordRequest } from './parse';

const zone = 'inter.webs.tests.';
/** Upstream: parse.go (recordRequest.String) */
const str = (r: RecordRequest) => [r.port, r.protocol, r.endpoint, r.service, r.namespace, r.podOrSvc].join('.');

describe('parseRequest', () => {
  const cases = [
    { name: 'valid SRV request', query: '_http._tcp.webs.mynamespace.svc.inter.webs.tests.', expected: 'http.tcp..webs.mynamespace.svc' },
    { name: 'A request of endpoint', query: '1-2-3-4.webs.mynamespace.svc.inter.webs.tests.', expected: '..1-2-3-4.webs.mynamespace.svc' },
    { name: 'bare zone', query: 'inter.webs.tests.', expected: '.....' },
    { name: 'bare svc type', query: 'svc.inter.webs.tests.', expected: '.....' },
    { name: 'bare pod type', query: 'pod.inter.webs.tests.', expected: '.....' },
    { name: 'SRV request with empty segments', query: '..webs.mynamespace.svc.inter.webs.tests.', expected: '...webs.mynamespace.svc' },
  ];
  for (const tc of cases) {
    it(`${tc.name} [ref: TestParseRequest/${tc.name}]`, () => {
      expect(str(parseRequest(tc.query, zone))).toBe(tc.expected);
    });
  }

  const invalid = [
    { name: 'Request must be for pod or svc subdomain', query: 'webs.mynamespace.pood.inter.webs.tests.' },
    { name: 'Too long', query: 'too.long.for.what.i.am.trying.to.pod.inter.webs.tests.' },
  ];
  for (const tc of invalid) {
    it(`${tc.name} [ref: TestParseInvalidRequest/${tc.name}]`, () => {
      expect(() => parseRequest(tc.query, zone)).toThrow('invalid query name');
    });
  }
});
