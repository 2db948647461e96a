/** kubeadm's certificates and kubeconfig files (kubernetes v1.34 cmd/kubeadm/app/phases/certs, phases/kubeconfig, certs/renewal). */
export { createPKIAssets, createKubeConfigFiles, loadCertAndKey, type PkiEnv, type PkiResult } from './certs';
export { getDefaultCertList, getCertsWithoutEtcd, certTree, type KubeadmCert } from './certlist';
export { defaultPkiConfiguration, type PkiInitConfiguration, type DefaultedPkiConfiguration } from './config';
export { MemoryFiles, joinPath, type FileWriter } from './files';
export { getKubeConfigSpecs, getControlPlaneEndpoint, getLocalAPIEndpoint, readKubeConfig, writeKubeConfig, kubeConfigClientCert, kubeConfigClientKey, type KubeConfig, type KubeConfigSpec } from './kubeconfig';
export { getAPIServerAltNames, getEtcdAltNames, getAPIServerVirtualIP, newCertificateAuthority, newCertAndKey, type AltNames, type CertConfig, type CertAndKey } from './pkiutil';
export { Manager as CertsRenewalManager, checkExpiration, renew as renewCertificates, shortHumanDuration, expirationDate, type CertificateRenewHandler, type CAExpirationHandler } from './renewal';
export { kubeadmCertsEvents, type KubeadmCertsEventMap, type KubeadmCertsTraceEvent } from './events';
// The constants are imported from './constants' directly (the typings generator takes named exports only).
