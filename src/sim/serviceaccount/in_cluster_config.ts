/**
 * client-go's in-cluster configuration, as a function of what a container sees: its
 * environment and its files. The host comes from the `kubernetes` Service's variables (not
 * DNS), the token and CA from the projected volume.
 * Upstream: client-go rest/config.go at v0.34.0 (InClusterConfig, ErrNotInCluster)
 */

export const TokenFile = '/var/run/secrets/kubernetes.io/serviceaccount/token';
export const RootCAFile = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';
export const ErrNotInCluster = 'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined';

/** What `InClusterConfig` returns (the fields it sets). */
export interface InClusterConfig {
  host: string;
  bearerToken: string;
  /** client-go re-reads this file once a minute (transport.NewCachedFileTokenSource), so a rotated token is picked up. */
  bearerTokenFile: string;
  tlsClientConfig: { caFile?: string };
}

/** A container's view: env (name -> value) and files (path -> content). */
export interface ContainerView {
  env: ReadonlyMap<string, string> | Record<string, string>;
  files: ReadonlyMap<string, string> | Record<string, string>;
}

const lookup = (m: ContainerView['env'], k: string): string | undefined => (m instanceof Map ? m.get(k) : (m as Record<string, string>)[k]);

/**
 * The config, or an Error with client-go's text. A missing CA is not an error: client-go logs
 * `Expected to load root CA config from <file>, but got err: ...` (in `log`) and goes on
 * without one, so the first request fails on `x509: certificate signed by unknown authority`.
 */
// Upstream: client-go rest/config.go (InClusterConfig), util/cert/io.go (NewPool)
export function inClusterConfig(view: ContainerView): { config: InClusterConfig; log: string[] } | Error {
  const host = lookup(view.env, 'KUBERNETES_SERVICE_HOST') ?? '';
  const port = lookup(view.env, 'KUBERNETES_SERVICE_PORT') ?? '';
  if (host.length === 0 || port.length === 0) return new Error(ErrNotInCluster);
  const token = lookup(view.files, TokenFile);
  if (token === undefined) return new Error(`open ${TokenFile}: no such file or directory`);
  const log: string[] = [];
  const tlsClientConfig: InClusterConfig['tlsClientConfig'] = {};
  const ca = lookup(view.files, RootCAFile);
  if (ca === undefined) log.push(`Expected to load root CA config from ${RootCAFile}, but got err: open ${RootCAFile}: no such file or directory`);
  else if (!/-----BEGIN CERTIFICATE-----/.test(ca)) log.push(`Expected to load root CA config from ${RootCAFile}, but got err: error creating pool from ${RootCAFile}: data does not contain any valid RSA or ECDSA certificates`);
  else tlsClientConfig.caFile = RootCAFile;
  // net.JoinHostPort: an IPv6 ClusterIP gets brackets.
  const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return { config: { host: `https://${hostPort}`, bearerToken: token, bearerTokenFile: TokenFile, tlsClientConfig }, log };
}
