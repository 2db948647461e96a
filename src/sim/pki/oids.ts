/**
 * The object identifiers X.509 certificates from kubeadm carry, with the names OpenSSL prints.
 * Upstream: Go crypto/x509 (oidSignatureSHA256WithRSA, oidPublicKeyRSA, oidExtension*, oidExtKeyUsage*),
 * crypto/x509/pkix (attribute types); names from OpenSSL's objects.txt.
 */

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha256: '2.16.840.1.101.3.4.2.1',
  commonName: '2.5.4.3',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** Short names of name attributes, as `openssl x509 -subject` prints them (`O = ..., CN = ...`). */
export const ATTRIBUTE_SHORT_NAMES: Readonly<Record<string, string>> = {
  [OID.countryName]: 'C',
  [OID.stateOrProvinceName]: 'ST',
  [OID.localityName]: 'L',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.commonName]: 'CN',
};

/** Extended key usages by Go's name (x509.ExtKeyUsageServerAuth -> 'serverAuth'). */
export type ExtKeyUsage = 'serverAuth' | 'clientAuth' | 'codeSigning' | 'emailProtection' | 'timeStamping' | 'ocspSigning';

export const EXT_KEY_USAGE_OIDS: Readonly<Record<ExtKeyUsage, string>> = {
  serverAuth: OID.serverAuth,
  clientAuth: OID.clientAuth,
  codeSigning: OID.codeSigning,
  emailProtection: OID.emailProtection,
  timeStamping: OID.timeStamping,
  ocspSigning: OID.ocspSigning,
};

/** OpenSSL's long names for extended key usages. */
export const EXT_KEY_USAGE_TEXT: Readonly<Record<string, string>> = {
  [OID.serverAuth]: 'TLS Web Server Authentication',
  [OID.clientAuth]: 'TLS Web Client Authentication',
  [OID.codeSigning]: 'Code Signing',
  [OID.emailProtection]: 'E-mail Protection',
  [OID.timeStamping]: 'Time Stamping',
  [OID.ocspSigning]: 'OCSP Signing',
};

/** Key usage bits in BIT STRING order (bit 0 is the most significant bit of the first byte). */
export const KEY_USAGES = [
  'digitalSignature',
  'contentCommitment',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'certSign',
  'crlSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

/** OpenSSL's words for each key usage bit. */
export const KEY_USAGE_TEXT: Readonly<Record<KeyUsage, string>> = {
  digitalSignature: 'Digital Signature',
  contentCommitment: 'Non Repudiation',
  keyEncipherment: 'Key Encipherment',
  dataEncipherment: 'Data Encipherment',
  keyAgreement: 'Key Agreement',
  certSign: 'Certificate Sign',
  crlSign: 'CRL Sign',
  encipherOnly: 'Encipher Only',
  decipherOnly: 'Decipher Only',
};

/** OpenSSL's names for extensions in `-text` (`X509v3 Key Usage`). */
export const EXTENSION_TEXT: Readonly<Record<string, string>> = {
  [OID.subjectKeyIdentifier]: 'X509v3 Subject Key Identifier',
  [OID.keyUsage]: 'X509v3 Key Usage',
  [OID.subjectAltName]: 'X509v3 Subject Alternative Name',
  [OID.basicConstraints]: 'X509v3 Basic Constraints',
  [OID.authorityKeyIdentifier]: 'X509v3 Authority Key Identifier',
  [OID.extKeyUsage]: 'X509v3 Extended Key Usage',
};

/** OpenSSL's names for algorithms. */
export const ALGORITHM_TEXT: Readonly<Record<string, string>> = {
  [OID.rsaEncryption]: 'rsaEncryption',
  [OID.sha256WithRSAEncryption]: 'sha256WithRSAEncryption',
};
