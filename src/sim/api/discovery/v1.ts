/**
 * discovery.k8s.io/v1 EndpointSlice as plain data in the API's JSON shape:
 * k8s.io/api/discovery/v1/types.go and well_known_labels.go at v0.34.0.
 */
import type { ObjectMeta } from '../../core/object';
import type { ObjectReference, Protocol } from '../core/v1';

export type AddressType = 'IPv4' | 'IPv6' | 'FQDN';

export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface EndpointHints {
  forZones?: { name: string }[];
  /** PreferSameTrafficDistribution (alpha in v1.33, beta in v1.34). */
  forNodes?: { name: string }[];
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
  hints?: EndpointHints;
}

export interface EndpointPort {
  name?: string;
  protocol?: Protocol;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  addressType: AddressType;
  endpoints: Endpoint[];
  ports?: EndpointPort[];
}

/** The label naming the Service a slice belongs to. */
export const LabelServiceName = 'kubernetes.io/service-name';
/** The label naming the controller that manages a slice. */
export const LabelManagedBy = 'endpointslice.kubernetes.io/managed-by';
/** Upstream: k8s.io/endpointslice (controllerName of the in-tree EndpointSlice controller). */
export const ControllerName = 'endpointslice-controller.k8s.io';
