/**
 * What kube-apiserver checks in a pod's dnsPolicy and dnsConfig, with its messages.
 * Upstream: kubernetes v1.34 pkg/apis/core/validation/validation.go (validateDNSPolicy,
 * validatePodDNSConfig, the MaxDNS* limits); apimachinery v0.34.0 pkg/util/validation (ip.go
 * IsValidIP, validation.go IsDNS1123Subdomain[WithUnderscore]). RelaxedDNSSearchValidation is GA
 * and locked on in v1.34, so search paths may hold `_` and may be `.`.
 */
import type { PodDNSConfig, PodSpec } from '../api/core/v1';
import { invalid, newPath, notSupported, required, type ErrorList, type Path } from '../apimachinery/field';
import { isDNS1123Subdomain, maxLenError, regexError } from '../apimachinery/validation';
import { expandIPv6, isIPv6 } from './message';

/** Limits derived from glibc's resolver. Upstream: validation.go (MaxDNSNameservers, ...) */
export const MaxDNSNameservers = 3;
export const MaxDNSSearchPaths = 32;
export const MaxDNSSearchListChars = 2048;

export const DNSPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;

/** Upstream: validation.go (validateDNSPolicy) */
export function validateDNSPolicy(dnsPolicy: string, fldPath: Path = newPath('spec', 'dnsPolicy')): ErrorList {
  if ((DNSPolicies as readonly string[]).includes(dnsPolicy)) return [];
  if (dnsPolicy === '') return [required(fldPath, '')];
  return [notSupported(fldPath, dnsPolicy, DNSPolicies)];
}

/**
 * Upstream: validation.go (validatePodDNSConfig), with `AllowRelaxedDNSSearchValidation` on as
 * in v1.34.
 */
export function validatePodDNSConfig(dnsConfig: PodDNSConfig | undefined, dnsPolicy: string | undefined, fldPath: Path = newPath('spec', 'dnsConfig')): ErrorList {
  const errs: ErrorList = [];
  if (dnsPolicy === 'None') {
    if (!dnsConfig) return [required(fldPath, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if ((dnsConfig.nameservers ?? []).length === 0) return [required(fldPath.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!dnsConfig) return errs;
  const nameservers = dnsConfig.nameservers ?? [];
  if (nameservers.length > MaxDNSNameservers) {
    errs.push(invalid(fldPath.child('nameservers'), nameservers, `must not have more than ${MaxDNSNameservers} nameservers`));
  }
  nameservers.forEach((ns, i) => errs.push(...isValidIP(fldPath.child('nameservers').index(i), ns)));
  const searches = dnsConfig.searches ?? [];
  if (searches.length > MaxDNSSearchPaths) {
    errs.push(invalid(fldPath.child('searches'), searches, `must not have more than ${MaxDNSSearchPaths} search paths`));
  }
  if (searches.join(' ').length > MaxDNSSearchListChars) {
    errs.push(invalid(fldPath.child('searches'), searches, `must not have more than ${MaxDNSSearchListChars} characters (including spaces) in the search list`));
  }
  searches.forEach((search, i) => {
    if (search === '.') return;
    const s = search.endsWith('.') ? search.slice(0, -1) : search;
    for (const msg of isDNS1123SubdomainWithUnderscore(s)) errs.push(invalid(fldPath.child('searches').index(i), s, msg));
  });
  (dnsConfig.options ?? []).forEach((option, i) => {
    if ((option.name ?? '').length === 0) errs.push(required(fldPath.child('options').index(i), 'must not be empty'));
  });
  return errs;
}

/** Both checks for a pod spec, in ValidatePodSpec's order. */
export function validatePodDNS(spec: PodSpec, fldPath: Path = newPath('spec')): ErrorList {
  return [...validateDNSPolicy(spec.dnsPolicy ?? 'ClusterFirst', fldPath.child('dnsPolicy')), ...validatePodDNSConfig(spec.dnsConfig, spec.dnsPolicy, fldPath.child('dnsConfig'))];
}

const dns1123LabelFmtWithUnderscore = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmtWithUnderscore = `${dns1123LabelFmtWithUnderscore}(\\.${dns1123LabelFmtWithUnderscore})*`;
const dns1123SubdomainRegexpWithUnderscore = new RegExp(`^${dns1123SubdomainFmtWithUnderscore}$`);
const dns1123SubdomainErrorMsgFG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character";

/** Upstream: apimachinery pkg/util/validation/validation.go (IsDNS1123SubdomainWithUnderscore) */
export function isDNS1123SubdomainWithUnderscore(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRegexpWithUnderscore.test(value)) errs.push(regexError(dns1123SubdomainErrorMsgFG, dns1123SubdomainFmtWithUnderscore, 'example.com'));
  return errs;
}

export { isDNS1123Subdomain };

/**
 * An IP in current Kubernetes form: parseable, no leading zeros, not IPv4-mapped, canonical.
 * Upstream: apimachinery pkg/util/validation/ip.go (IsValidIP, parseIP)
 */
export function isValidIP(fldPath: Path, value: string): ErrorList {
  const sloppyV4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(value) && value.split('.').every((p) => Number(p) <= 255);
  if (!sloppyV4 && !isIPv6(value)) return [invalid(fldPath, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
  const errs: ErrorList = [];
  if (sloppyV4 && value.split('.').some((p) => p.length > 1 && p.startsWith('0'))) errs.push(invalid(fldPath, value, 'must not have leading 0s'));
  if (!sloppyV4 && isIPv4Mapped(value)) errs.push(invalid(fldPath, value, 'must not be an IPv4-mapped IPv6 address'));
  if (errs.length > 0) return errs;
  const canonical = sloppyV4 ? value : canonicalIPv6(value);
  if (value !== canonical) errs.push(invalid(fldPath, value, `must be in canonical form (${JSON.stringify(canonical)})`));
  return errs;
}

function isIPv4Mapped(v: string): boolean {
  const lower = v.toLowerCase();
  if (lower.includes('.')) return lower.startsWith('::ffff:');
  return expandIPv6(lower).startsWith('0000:0000:0000:0000:0000:ffff:');
}

/** Go's net.IP String for an IPv6 address (RFC 5952). */
function canonicalIPv6(ip: string): string {
  const groups = expandIPv6(ip).split(':').map((g) => g.replace(/^0+(?=.)/, ''));
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i >= 2 && j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
