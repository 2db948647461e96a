/**
 * X.509 for the simulation: real DER certificates and PEM files with simulated keys and
 * signatures (see README.md), the `openssl x509` renderers, and kubeadm's CA hash.
 */
export { decode as decodeDer, Asn1Error, type Asn1 } from './der';
export { pemEncode, pemDecode, pemDecodeAll, base64Of, type PemBlock } from './pem';
export {
  generateRsaKey,
  rsaBits,
  marshalPkixPublicKey,
  parsePkixPublicKey,
  encodePrivateKeyPem,
  parsePrivateKeyPem,
  encodePublicKeyPem,
  parsePublicKeyPem,
  keyMatches,
  type RsaPublicKey,
  type RsaPrivateKey,
} from './keys';
export {
  createCertificate,
  parseCertificate,
  parseCertsPem,
  encodeCertPem,
  checkSignatureFrom,
  verifyCertificate,
  commonNameOf,
  organizationOf,
  subjectKeyIdOf,
  CertificateParseError,
  type Certificate,
  type CertificateTemplate,
  type NameSpec,
  type NameAttribute,
  type Extension as X509Extension,
} from './x509';
export { OID, type KeyUsage, type ExtKeyUsage } from './oids';
export { opensslText, opensslSubject, opensslIssuer, opensslEndDate, opensslStartDate, opensslSerial, opensslExt, opensslTime, opensslName } from './openssl';
export { caCertHash, checkAnyPin } from './pubkeypin';
