/**
 * Name, label and metadata validation with the messages and regexes kube-apiserver prints:
 * the string checks of apimachinery pkg/util/validation (`isDNS1123Label`, `isQualifiedName`, ...,
 * each returning a list of messages), the name functions of pkg/api/validation/generic.go, the
 * ObjectMeta checks of pkg/api/validation/objectmeta.go, and the label / label-selector checks of
 * pkg/apis/meta/v1/validation. All at v0.34.0. Go iterates maps (labels, annotations) in random
 * order; these functions take keys in insertion order, so the error order is deterministic.
 * Upstream: apimachinery pkg/util/validation/validation.go, pkg/api/validation/{generic,objectmeta}.go,
 * pkg/apis/meta/v1/validation/validation.go; kubernetes pkg/apis/core/validation/validation.go
 * (ValidateObjectMeta's finalizer check).
 */
import type { ObjectMeta, OwnerReference } from '../core/object';
import { forbidden, invalid, newPath, required, tooLong, type ErrorList, type FieldError, type Path } from './field';
import { goQuote, goStruct, jsonEqual, utf8Length } from './go';

// ---------------------------------------------------------------------------------------------
// pkg/util/validation/validation.go

const qnameCharFmt = '[A-Za-z0-9]';
const qnameExtCharFmt = '[-A-Za-z0-9_.]';
/** `(` + `[A-Za-z0-9]` + `[-A-Za-z0-9_.]` + `*)?` + `[A-Za-z0-9]`. */
export const qualifiedNameFmt = `(${qnameCharFmt}${qnameExtCharFmt}*)?${qnameCharFmt}`;
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRegexp = new RegExp(`^${qualifiedNameFmt}$`);

/** `[a-z0-9]([-a-z0-9]*[a-z0-9])?` */
export const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
/** A DNS (RFC 1123) label's max length. */
export const DNS1123LabelMaxLength = 63;
const dns1123LabelRegexp = new RegExp(`^${dns1123LabelFmt}$`);

/** `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*` */
export const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
/** A DNS (RFC 1123) subdomain's max length. */
export const DNS1123SubdomainMaxLength = 253;
const dns1123SubdomainRegexp = new RegExp(`^${dns1123SubdomainFmt}$`);

/** `[a-z]([-a-z0-9]*[a-z0-9])?` */
export const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
/** A DNS (RFC 1035) label's max length. */
export const DNS1035LabelMaxLength = 63;
const dns1035LabelRegexp = new RegExp(`^${dns1035LabelFmt}$`);

/** `((A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?` */
export const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
/** A label value's max length. */
export const LabelValueMaxLength = 63;
const labelValueRegexp = new RegExp(`^${labelValueFmt}$`);

const wildcardDNS1123SubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;
const wildcardDNS1123SubdomainErrMsg =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const identifierErrMsg = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";

const percentFmt = '[0-9]+%';
const percentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'";

const httpHeaderNameFmt = '[-A-Za-z0-9]+';
const httpHeaderNameErrMsg = "a valid HTTP header must consist of alphanumeric characters or '-'";

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameFmtErrMsg = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

/** `must be no more than N characters`. Upstream: validation.go (MaxLenError) */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `<msg> (e.g. 'a' or 'b', regex used for validation is '<fmt>')`. Upstream: validation.go (RegexError) */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += `'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

/** `must be non-empty`. Upstream: validation.go (EmptyError) */
export function emptyError(): string {
  return 'must be non-empty';
}

/** `must be between lo and hi, inclusive`. Upstream: validation.go (InclusiveRangeError) */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/**
 * A "qualified name" (`[prefix/]name`, the name at most 63 characters, the prefix a DNS subdomain):
 * label keys, annotation keys, finalizers. Upstream: validation.go (IsQualifiedName)
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  switch (parts.length) {
    case 1:
      name = parts[0];
      break;
    case 2: {
      const prefix = parts[0];
      name = parts[1];
      if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
      else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
      break;
    }
    default:
      return [
        `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (utf8Length(name) > qualifiedNameMaxLength) errs.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  if (!qualifiedNameRegexp.test(name)) errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** A label value: empty, or a qualified name part of at most 63 characters. Upstream: validation.go (IsValidLabelValue) */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > LabelValueMaxLength) errs.push(maxLenError(LabelValueMaxLength));
  if (!labelValueRegexp.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** A DNS label (RFC 1123): Namespace names, container names. Upstream: validation.go (IsDNS1123Label) */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength));
  if (!dns1123LabelRegexp.test(value)) {
    // A valid subdomain that is not a valid label: the length is checked, so it must be dots.
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** A DNS subdomain (RFC 1123): most object names. Upstream: validation.go (IsDNS1123Subdomain) */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

/** A DNS label (RFC 1035): Service names. Upstream: validation.go (IsDNS1035Label) */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1035LabelMaxLength) errs.push(maxLenError(DNS1035LabelMaxLength));
  if (!dns1035LabelRegexp.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

/** `*.example.com`. Upstream: validation.go (IsWildcardDNS1123Subdomain) */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!new RegExp(`^${wildcardDNS1123SubdomainFmt}$`).test(value)) errs.push(regexError(wildcardDNS1123SubdomainErrMsg, wildcardDNS1123SubdomainFmt, '*.example.com'));
  return errs;
}

/** Upstream: validation.go (IsCIdentifier) */
export function isCIdentifier(value: string): string[] {
  return new RegExp(`^${cIdentifierFmt}$`).test(value) ? [] : [regexError(identifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
}

/** A port number from 1 to 65535. Upstream: validation.go (IsValidPortNum) */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** Upstream: validation.go (IsInRange) */
export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

/** A named port (IANA_SVC_NAME): at most 15 of `[-a-z0-9]`, one letter, no `--`, no leading or trailing `-`. Upstream: validation.go (IsValidPortName) */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (utf8Length(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port[0] === '-' || port[port.length - 1] === '-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Upstream: validation.go (IsValidPercent) */
export function isValidPercent(percent: string): string[] {
  return new RegExp(`^${percentFmt}$`).test(percent) ? [] : [regexError(percentErrMsg, percentFmt, '1%', '93%')];
}

/** Upstream: validation.go (IsHTTPHeaderName) */
export function isHTTPHeaderName(value: string): string[] {
  return new RegExp(`^${httpHeaderNameFmt}$`).test(value) ? [] : [regexError(httpHeaderNameErrMsg, httpHeaderNameFmt, 'X-Header-Name')];
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** Upstream: validation.go (IsEnvVarName) */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!new RegExp(`^${envVarNameFmt}$`).test(value)) errs.push(regexError(envVarNameFmtErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  errs.push(...hasChDirPrefix(value));
  return errs;
}

/** A key of a ConfigMap or Secret. Upstream: validation.go (IsConfigMapKey) */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!new RegExp(`^${configMapKeyFmt}$`).test(value)) errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  errs.push(...hasChDirPrefix(value));
  return errs;
}

/** A domain with at least three segments (no trailing dot). Upstream: validation.go (IsFullyQualifiedName) */
export function isFullyQualifiedName(fldPath: Path, name: string): ErrorList {
  if (name.length === 0) return [required(fldPath, '')];
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [invalid(fldPath, name, errs.join(','))];
  if (name.split('.').length < 3) return [invalid(fldPath, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

/** A domain with at least two segments (a trailing dot allowed). Upstream: validation.go (IsFullyQualifiedDomainName) */
export function isFullyQualifiedDomainName(fldPath: Path, name: string): ErrorList {
  if (name.length === 0) return [required(fldPath, '')];
  if (name.endsWith('.')) name = name.slice(0, -1);
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [invalid(fldPath, name, errs.join(','))];
  if (name.split('.').length < 2) return [invalid(fldPath, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of name.split('.')) {
    const le = isDNS1123Label(label);
    if (le.length > 0) return [invalid(fldPath, label, le.join(','))];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// pkg/api/validation/generic.go

/** `must be greater than or equal to 0`. */
export const IsNegativeErrorMsg = 'must be greater than or equal to 0';

/**
 * Validates a name for a resource type; `prefix` is true for a `generateName` (a suffix will be
 * appended). Returns the messages, empty when valid (Go: `ValidateNameFunc`).
 */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

/** A trailing dash of a generateName prefix is masked (`ab-` -> `aa`) before checking. Upstream: generic.go (maskTrailingDash) */
export function maskTrailingDash(name: string): string {
  // Upstream slices name[:len(name)-2] + "a": it drops the last two characters.
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, name.length - 2)}a` : name;
}

/** Names that must be DNS subdomains (Pods, ConfigMaps, Deployments, ...). Upstream: generic.go (NameIsDNSSubdomain) */
export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** Names that must be DNS labels (Namespaces). Upstream: generic.go (NameIsDNSLabel) */
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** Names that must be DNS-1035 labels (Services). Upstream: generic.go (NameIsDNS1035Label) */
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** Namespace names are DNS labels. Upstream: generic.go (ValidateNamespaceName) */
export const validateNamespaceName: ValidateNameFunc = nameIsDNSLabel;

/** ServiceAccount names are DNS subdomains. Upstream: generic.go (ValidateServiceAccountName) */
export const validateServiceAccountName: ValidateNameFunc = nameIsDNSSubdomain;

/** Upstream: generic.go (ValidateNonnegativeField) */
export function validateNonnegativeField(value: number, fldPath: Path): ErrorList {
  return value < 0 ? [invalid(fldPath, value, IsNegativeErrorMsg).withOrigin('minimum')] : [];
}

// ---------------------------------------------------------------------------------------------
// pkg/apis/meta/v1/validation/validation.go

/** metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Options of ValidateLabelSelector. */
export interface LabelSelectorValidationOptions {
  allowInvalidLabelValueInSelector?: boolean;
  allowUnknownOperatorInRequirement?: boolean;
}

/** Each key a qualified name (origin `labelKey`). Upstream: meta/v1/validation (ValidateLabelName) */
export function validateLabelName(labelName: string, fldPath: Path): ErrorList {
  return isQualifiedName(labelName).map((m) => invalid(fldPath, labelName, m).withOrigin('labelKey'));
}

/** Keys qualified names, values label values; errors name the map's path, not the key. Upstream: meta/v1/validation (ValidateLabels) */
export function validateLabels(labels: Record<string, string> | undefined, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, fldPath));
    for (const m of isValidLabelValue(String(v))) errs.push(invalid(fldPath, v, m));
  }
  return errs;
}

/** Upstream: meta/v1/validation (ValidateLabelSelectorRequirement) */
export function validateLabelSelectorRequirement(sr: LabelSelectorRequirement, opts: LabelSelectorValidationOptions, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  const values = sr.values ?? [];
  switch (sr.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(fldPath.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(fldPath.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      if (!opts.allowUnknownOperatorInRequirement) errs.push(invalid(fldPath.child('operator'), sr.operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(sr.key, fldPath.child('key')));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((value, i) => {
      for (const m of isValidLabelValue(value)) errs.push(invalid(fldPath.child('values').index(i), value, m));
    });
  }
  return errs;
}

/** Upstream: meta/v1/validation (ValidateLabelSelector) */
export function validateLabelSelector(ps: LabelSelector | null | undefined, opts: LabelSelectorValidationOptions, fldPath: Path): ErrorList {
  if (!ps) return [];
  const errs = validateLabels(ps.matchLabels, fldPath.child('matchLabels'));
  (ps.matchExpressions ?? []).forEach((expr, i) => errs.push(...validateLabelSelectorRequirement(expr, opts, fldPath.child('matchExpressions').index(i))));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// pkg/api/validation/objectmeta.go

/** `field is immutable`. */
export const FieldImmutableErrorMsg = 'field is immutable';
/** The total size of annotation keys and values: 256 kB. */
export const TotalAnnotationSizeLimitB = 256 * (1 << 10);
/** `orphan` (metav1.FinalizerOrphanDependents). */
export const FinalizerOrphanDependents = 'orphan';
/** `foregroundDeletion` (metav1.FinalizerDeleteDependents). */
export const FinalizerDeleteDependents = 'foregroundDeletion';
/** `kubernetes` (corev1.FinalizerKubernetes, a Namespace's spec.finalizers). */
export const FinalizerKubernetes = 'kubernetes';

/** Keys are qualified names (case-insensitively); the total size at most 256 kB. Upstream: objectmeta.go (ValidateAnnotations) */
export function validateAnnotations(annotations: Record<string, string> | undefined, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  for (const k of Object.keys(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(fldPath, k, m));
  }
  if (validateAnnotationsSize(annotations ?? {})) errs.push(tooLong(fldPath, '', TotalAnnotationSizeLimitB));
  return errs;
}

/** The error for annotations over the limit, or undefined. Upstream: objectmeta.go (ValidateAnnotationsSize) */
export function validateAnnotationsSize(annotations: Record<string, string>): Error | undefined {
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) total += utf8Length(k) + utf8Length(String(v));
  return total > TotalAnnotationSizeLimitB ? new Error(`annotations size ${total} is larger than limit ${TotalAnnotationSizeLimitB}`) : undefined;
}

/** An owner reference as Go would print it in a message (struct fields in order). */
function ownerRefValue(r: OwnerReference): object {
  const v: Record<string, unknown> = { apiVersion: r.apiVersion ?? '', kind: r.kind ?? '', name: r.name ?? '', uid: r.uid ?? '' };
  if (r.controller !== undefined) v.controller = r.controller;
  if (r.blockOwnerDeletion !== undefined) v.blockOwnerDeletion = r.blockOwnerDeletion;
  return goStruct(v);
}

function validateOwnerReference(r: OwnerReference, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  const apiVersion = r.apiVersion ?? '';
  const slash = apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  if (version.length === 0) errs.push(invalid(fldPath.child('apiVersion'), apiVersion, 'version must not be empty'));
  if (!r.kind) errs.push(invalid(fldPath.child('kind'), r.kind ?? '', 'must not be empty'));
  if (!r.name) errs.push(invalid(fldPath.child('name'), r.name ?? '', 'must not be empty'));
  if (!r.uid) errs.push(invalid(fldPath.child('uid'), r.uid ?? '', 'must not be empty'));
  // BannedOwners: core/v1 Event.
  if (group === '' && version === 'v1' && r.kind === 'Event') errs.push(invalid(fldPath, ownerRefValue(r), '/v1, Kind=Event is disallowed from being an owner'));
  return errs;
}

/** Each reference complete, not an Event, at most one controller. Upstream: objectmeta.go (ValidateOwnerReferences) */
export function validateOwnerReferences(ownerReferences: readonly OwnerReference[] | undefined, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  let firstControllerName = '';
  for (const ref of ownerReferences ?? []) {
    errs.push(...validateOwnerReference(ref, fldPath));
    if (ref.controller) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstControllerName !== '') {
        errs.push(
          invalid(fldPath, (ownerReferences ?? []).map(ownerRefValue), `Only one reference can have Controller set to true. Found "true" in references for ${firstControllerName} and ${cur}`),
        );
      } else firstControllerName = cur;
    }
  }
  return errs;
}

/** A finalizer is a qualified name. Upstream: objectmeta.go (ValidateFinalizerName) */
export function validateFinalizerName(stringValue: string, fldPath: Path): ErrorList {
  return isQualifiedName(stringValue).map((m) => invalid(fldPath, stringValue, m));
}

/**
 * Names without a `/` must be one of the standard finalizers (`kubernetes`, `orphan`,
 * `foregroundDeletion`). Upstream: kubernetes pkg/apis/core/validation/validation.go (validateKubeFinalizerName)
 */
export function validateKubeFinalizerName(stringValue: string, fldPath: Path): ErrorList {
  if (stringValue.split('/').length === 1 && ![FinalizerKubernetes, FinalizerOrphanDependents, FinalizerDeleteDependents].includes(stringValue)) {
    return [invalid(fldPath, stringValue, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

/**
 * The warnings (not errors) kube-apiserver gives for a custom resource's finalizers.
 * Upstream: apiextensions-apiserver pkg/registry/customresource/validator.go (validateKubeFinalizerName)
 */
export function customResourceFinalizerWarnings(stringValue: string, fldPath: Path): string[] {
  const warnings = isQualifiedName(stringValue).map((m) => `${fldPath}: ${goQuote(stringValue)}: ${m}`);
  if (stringValue.split('/').length === 1 && ![FinalizerOrphanDependents, FinalizerDeleteDependents, FinalizerKubernetes].includes(stringValue)) {
    warnings.push(
      stringValue.includes('.')
        ? `${fldPath}: ${goQuote(stringValue)}: prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`
        : `${fldPath}: ${goQuote(stringValue)}: prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers`,
    );
  }
  return warnings;
}

/** Each a qualified name; `orphan` and `foregroundDeletion` not both. Upstream: objectmeta.go (ValidateFinalizers) */
export function validateFinalizers(finalizers: readonly string[] | undefined, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  let orphan = false;
  let foreground = false;
  for (const f of finalizers ?? []) {
    errs.push(...validateFinalizerName(f, fldPath));
    if (f === FinalizerOrphanDependents) orphan = true;
    if (f === FinalizerDeleteDependents) foreground = true;
  }
  if (orphan && foreground) errs.push(invalid(fldPath, finalizers, `finalizer ${FinalizerOrphanDependents} and ${FinalizerDeleteDependents} cannot be both set`));
  return errs;
}

/** No finalizer may be added once deletion started. Upstream: objectmeta.go (ValidateNoNewFinalizers) */
export function validateNoNewFinalizers(newFinalizers: readonly string[] | undefined, oldFinalizers: readonly string[] | undefined, fldPath: Path): ErrorList {
  const old = new Set(oldFinalizers ?? []);
  const extra = [...new Set(newFinalizers ?? [])].filter((f) => !old.has(f)).sort();
  if (extra.length === 0) return [];
  // Go prints the sorted slice with %#v: []string{"a", "b"}.
  return [forbidden(fldPath, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map(goQuote).join(', ')}}`)];
}

/** `field is immutable` when the values differ. Upstream: objectmeta.go (ValidateImmutableField) */
export function validateImmutableField(newVal: unknown, oldVal: unknown, fldPath: Path): ErrorList {
  return jsonEqual(semantic(oldVal), semantic(newVal)) ? [] : [invalid(fldPath, newVal ?? '', FieldImmutableErrorMsg)];
}

/** Go's zero values: an absent string is `""`. */
function semantic(v: unknown): unknown {
  return v === undefined || v === null ? '' : v;
}

/**
 * An object's metadata on create: a name (or a generateName), the namespace for namespaced kinds
 * and none for cluster-scoped ones, generation, labels, annotations, owner references and
 * finalizers. Upstream: objectmeta.go (ValidateObjectMeta, ValidateObjectMetaAccessor)
 */
export function validateObjectMeta(meta: ObjectMeta, requiresNamespace: boolean, nameFn: ValidateNameFunc, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  const generateName = meta.generateName ?? '';
  if (generateName.length !== 0) {
    for (const m of nameFn(generateName, true)) errs.push(invalid(fldPath.child('generateName'), generateName, m));
  }
  const name = meta.name ?? '';
  if (name.length === 0) errs.push(required(fldPath.child('name'), 'name or generateName is required'));
  else for (const m of nameFn(name, false)) errs.push(invalid(fldPath.child('name'), name, m));
  const namespace = meta.namespace ?? '';
  if (requiresNamespace) {
    if (namespace.length === 0) errs.push(required(fldPath.child('namespace'), ''));
    else for (const m of validateNamespaceName(namespace, false)) errs.push(invalid(fldPath.child('namespace'), namespace, m));
  } else if (namespace.length !== 0) {
    errs.push(forbidden(fldPath.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(meta.generation ?? 0, fldPath.child('generation')));
  errs.push(...validateLabels(meta.labels, fldPath.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, fldPath.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, fldPath.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, fldPath.child('finalizers')));
  return errs;
}

/**
 * ValidateObjectMeta as the built-in kinds run it: the apimachinery checks plus each finalizer
 * without a `/` one of the standard names. Upstream: kubernetes pkg/apis/core/validation/validation.go (ValidateObjectMeta)
 */
export function validateKubeObjectMeta(meta: ObjectMeta, requiresNamespace: boolean, nameFn: ValidateNameFunc, fldPath: Path = newPath('metadata')): ErrorList {
  const errs = validateObjectMeta(meta, requiresNamespace, nameFn, fldPath);
  (meta.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, fldPath.child('finalizers').index(i))));
  return errs;
}

/**
 * An update of metadata: no new finalizers while deleting, a resourceVersion given, generation
 * not decremented, name / namespace / uid / creationTimestamp / deletionTimestamp /
 * deletionGracePeriodSeconds unchanged, then labels, annotations and owner references.
 * Upstream: objectmeta.go (ValidateObjectMetaUpdate, ValidateObjectMetaAccessorUpdate)
 */
export function validateObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  if (oldMeta.deletionTimestamp) errs.push(...validateNoNewFinalizers(newMeta.finalizers, oldMeta.finalizers, fldPath.child('finalizers')));
  if (!newMeta.resourceVersion) errs.push(invalid(fldPath.child('resourceVersion'), newMeta.resourceVersion ?? '', 'must be specified for an update'));
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) errs.push(invalid(fldPath.child('generation'), newMeta.generation ?? 0, 'must not be decremented'));
  errs.push(...validateImmutableField(newMeta.name, oldMeta.name, fldPath.child('name')));
  errs.push(...validateImmutableField(newMeta.namespace, oldMeta.namespace, fldPath.child('namespace')));
  errs.push(...validateImmutableField(newMeta.uid, oldMeta.uid, fldPath.child('uid')));
  errs.push(...validateImmutableField(newMeta.creationTimestamp, oldMeta.creationTimestamp, fldPath.child('creationTimestamp')));
  errs.push(...validateImmutableField(newMeta.deletionTimestamp ?? null, oldMeta.deletionTimestamp ?? null, fldPath.child('deletionTimestamp')));
  errs.push(...validateImmutableField(newMeta.deletionGracePeriodSeconds ?? null, oldMeta.deletionGracePeriodSeconds ?? null, fldPath.child('deletionGracePeriodSeconds')));
  errs.push(...validateLabels(newMeta.labels, fldPath.child('labels')));
  errs.push(...validateAnnotations(newMeta.annotations, fldPath.child('annotations')));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, fldPath.child('ownerReferences')));
  return errs;
}

/** ValidateObjectMetaUpdate as the built-in kinds run it (plus the standard-finalizer check). Upstream: kubernetes pkg/apis/core/validation/validation.go (ValidateObjectMetaUpdate) */
export function validateKubeObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta, fldPath: Path = newPath('metadata')): ErrorList {
  const errs = validateObjectMetaUpdate(newMeta, oldMeta, fldPath);
  (newMeta.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, fldPath.child('finalizers').index(i))));
  return errs;
}

export type { FieldError };

/**
 * Go's validation packages (k8s.io/apimachinery/pkg/util/validation, pkg/api/validation,
 * pkg/apis/meta/v1/validation), for `import { validation } from 'kubelab'`.
 */
export const validation = {
  isQualifiedName,
  isValidLabelValue,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1035Label,
  isWildcardDNS1123Subdomain,
  isCIdentifier,
  isValidPortNum,
  isInRange,
  isValidPortName,
  isValidPercent,
  isHTTPHeaderName,
  isEnvVarName,
  isConfigMapKey,
  isFullyQualifiedName,
  isFullyQualifiedDomainName,
  maxLenError,
  regexError,
  emptyError,
  inclusiveRangeError,
  maskTrailingDash,
  nameIsDNSSubdomain,
  nameIsDNSLabel,
  nameIsDNS1035Label,
  validateNamespaceName,
  validateServiceAccountName,
  validateNonnegativeField,
  validateLabelName,
  validateLabels,
  validateLabelSelector,
  validateLabelSelectorRequirement,
  validateAnnotations,
  validateAnnotationsSize,
  validateOwnerReferences,
  validateFinalizerName,
  validateKubeFinalizerName,
  customResourceFinalizerWarnings,
  validateFinalizers,
  validateNoNewFinalizers,
  validateImmutableField,
  validateObjectMeta,
  validateKubeObjectMeta,
  validateObjectMetaUpdate,
  validateKubeObjectMetaUpdate,
  DNS1123LabelMaxLength,
  DNS1123SubdomainMaxLength,
  DNS1035LabelMaxLength,
  LabelValueMaxLength,
  TotalAnnotationSizeLimitB,
  FieldImmutableErrorMsg,
  IsNegativeErrorMsg,
} as const;
