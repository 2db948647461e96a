// Follows kubernetes pkg/apis/core/validation/validation_test.go (TestValidatePodDNSConfig,
// TestValidateDNSPolicy) with v1.34's limits and RelaxedDNSSearchValidation on. Cases marked
// `ours` restate the table at the current limits (32 paths, 2048 characters, strict IPs); the
// others keep upstream's `desc`.
import { describe, expect, it } from 'vitest';
import type { PodDNSConfig } from '../api/core/v1';
import { validateDNSPolicy, validatePodDNSConfig } from './validation';

const msgs = (cfg: PodDNSConfig | undefined, policy?: string) => validatePodDNSConfig(cfg, policy).map((e) => e.message);

describe('validatePodDNSConfig', () => {
  const cases: { desc: string; cfg?: PodDNSConfig; policy?: string; want: string[]; ours?: boolean }[] = [
    { desc: 'valid: empty DNSConfig', cfg: {}, want: [] },
    { desc: 'valid: 1 option', cfg: { options: [{ name: 'ndots' }] }, want: [] },
    { desc: 'valid: 1 nameserver', cfg: { nameservers: ['127.0.0.1'] }, want: [] },
    { desc: 'valid: DNSNone with 1 nameserver', cfg: { nameservers: ['127.0.0.1'] }, policy: 'None', want: [] },
    { ours: true, desc: 'valid: 3 nameservers and 32 search paths', cfg: { nameservers: ['127.0.0.1', '10.0.0.10', '8.8.8.8'], searches: Array.from({ length: 32 }, (_, i) => `d${i}.example`) }, want: [] },
    { ours: true, desc: 'valid: search path with trailing period', cfg: { searches: ['custom.'] }, want: [] },
    { ours: true, desc: 'valid: search path is single period', cfg: { searches: ['.'] }, want: [] },
    { ours: true, desc: 'valid: search path with underscore', cfg: { searches: ['_sip._tcp.abc_d.example.com'] }, want: [] },
    { ours: true, desc: 'valid: 2 IPv6 nameservers', cfg: { nameservers: ['2001:db8::1', 'fd00::10'] }, want: [] },
    { desc: 'invalid: 4 nameservers', cfg: { nameservers: ['127.0.0.1', '10.0.0.10', '8.8.8.8', '1.2.3.4'] }, want: ['spec.dnsConfig.nameservers: Invalid value: ["127.0.0.1","10.0.0.10","8.8.8.8","1.2.3.4"]: must not have more than 3 nameservers'] },
    {
      ours: true,
      desc: 'invalid: 33 search paths',
      cfg: { searches: Array.from({ length: 33 }, (_, i) => `d${i}`) },
      want: [`spec.dnsConfig.searches: Invalid value: ${JSON.stringify(Array.from({ length: 33 }, (_, i) => `d${i}`))}: must not have more than 32 search paths`],
    },
    {
      ours: true,
      desc: 'invalid: search path too long',
      cfg: { searches: Array.from({ length: 9 }, (_, i) => `${String(i).repeat(62)}.${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(40)}`) },
      want: [
        `spec.dnsConfig.searches: Invalid value: ${JSON.stringify(Array.from({ length: 9 }, (_, i) => `${String(i).repeat(62)}.${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(40)}`))}: must not have more than 2048 characters (including spaces) in the search list`,
      ],
    },
    { desc: 'invalid nameserver', cfg: { nameservers: ['invalid'] }, want: ['spec.dnsConfig.nameservers[0]: Invalid value: "invalid": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'] },
    { ours: true, desc: 'invalid: nameserver with leading zeros', cfg: { nameservers: ['010.0.0.1'] }, want: ['spec.dnsConfig.nameservers[0]: Invalid value: "010.0.0.1": must not have leading 0s'] },
    { ours: true, desc: 'invalid: IPv6 nameserver not in canonical form', cfg: { nameservers: ['2001:DB8::1'] }, want: ['spec.dnsConfig.nameservers[0]: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")'] },
    { desc: 'invalid empty option name', cfg: { options: [{ name: '', value: '3' }] }, want: ['spec.dnsConfig.options[0]: Required value: must not be empty'] },
    {
      desc: 'invalid search path',
      cfg: { searches: ['custom?'] },
      want: [
        "spec.dnsConfig.searches[0]: Invalid value: \"custom?\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')",
      ],
    },
    { desc: 'invalid: DNSNone with 0 nameserver', cfg: { searches: ['custom'] }, policy: 'None', want: ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None'] },
    { ours: true, desc: 'invalid: DNSNone without DNSConfig', cfg: undefined, policy: 'None', want: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'] },
  ];
  for (const tc of cases) {
    it(`${tc.desc} [ref: ${tc.ours ? 'after ' : ''}TestValidatePodDNSConfig${tc.ours ? '' : `/${tc.desc}`}]`, () => {
      expect(msgs(tc.cfg, tc.policy)).toEqual(tc.want);
    });
  }
});

describe('validateDNSPolicy', () => {
  it('accepts the four policies [ref: TestValidateDNSPolicy (successCases)]', () => {
    for (const p of ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']) expect(validateDNSPolicy(p)).toEqual([]);
  });
  it('lists the supported values for anything else [ref: TestValidateDNSPolicy (errorCases)]', () => {
    expect(validateDNSPolicy('invalid').map((e) => e.message)).toEqual(['spec.dnsPolicy: Unsupported value: "invalid": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"']);
    expect(validateDNSPolicy('').map((e) => e.message)).toEqual(['spec.dnsPolicy: Required value']);
  });
});
