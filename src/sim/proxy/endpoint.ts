/** What kube-proxy keeps of one endpoint of one service port: after pkg/proxy/endpoint.go. */

/** Upstream's BaseEndpointInfo with its accessors as fields. */
export interface EndpointInfo {
  ip: string;
  port: number;
  /** `ip:port` (`[ip]:port` for IPv6), the identity used in chain hashes and comments. */
  endpoint: string;
  /** The endpoint's nodeName is this proxier's node. */
  isLocal: boolean;
  /** Ready and not terminating (or the Service publishes not-ready addresses). */
  ready: boolean;
  /** Ready, whether or not terminating. */
  serving: boolean;
  terminating: boolean;
  nodeName: string;
  zone: string;
  /** hints.forZones names; empty when the slice carries none. */
  zoneHints: Set<string>;
  /** hints.forNodes names (PreferSameTrafficDistribution, beta and on in v1.34). */
  nodeHints: Set<string>;
}
