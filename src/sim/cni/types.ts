/**
 * The CNI result (containernetworking/cni pkg/types/100, spec 1.0): what a plugin's ADD returns
 * and the next plugin or the runtime reads. Interfaces are referred to by index from `ips`.
 */
export interface CniInterface {
  name: string;
  mac?: string;
  mtu?: number;
  /** The network namespace path when the interface is inside the container. */
  sandbox?: string;
}

export interface CniIpConfig {
  /** `10.244.1.2/24`. */
  address: string;
  gateway?: string;
  /** Index into `interfaces`. */
  interface?: number;
}

export interface CniRoute {
  dst: string;
  gw?: string;
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips: CniIpConfig[];
  routes?: CniRoute[];
  dns?: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

/** What a runtime passes a plugin (CNI_COMMAND's environment, as arguments). */
export interface CniArgs {
  containerID: string;
  /** e.g. `/var/run/netns/cni-1a2b…`. */
  netns: string;
  ifName: string;
}

/** A plugin's error, in the spec's JSON error shape (`{ code, msg, details }`). */
export class CniError extends Error {
  constructor(
    readonly code: number,
    msg: string,
    readonly details = '',
  ) {
    super(msg);
    this.name = 'CniError';
  }
}
