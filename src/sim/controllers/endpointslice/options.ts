/**
 * kube-controller-manager's EndpointSlice controller flags and their checks:
 * cmd/kube-controller-manager/app/options/endpointslicecontroller.go (v1.34).
 */
const minConcurrentServiceEndpointSyncs = 1;
const maxConcurrentServiceEndpointSyncs = 50;
const minMaxEndpointsPerSlice = 1;
const maxMaxEndpointsPerSlice = 1000;

/** Invalid controller options; `errors` holds each message as kube-controller-manager prints it. */
export class EndpointSliceOptionsError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    this.name = 'EndpointSliceOptionsError';
  }
}

/** `--concurrent-service-endpoint-syncs` and `--max-endpoints-per-slice` out of range. */
// Upstream: cmd/kube-controller-manager/app/options/endpointslicecontroller.go (EndpointSliceControllerOptions.Validate)
export function validateEndpointSliceControllerOptions(o: { concurrentServiceEndpointSyncs: number; maxEndpointsPerSlice: number }): string[] {
  const errs: string[] = [];
  if (o.concurrentServiceEndpointSyncs < minConcurrentServiceEndpointSyncs) errs.push(`concurrent-service-endpoint-syncs must not be less than ${minConcurrentServiceEndpointSyncs}, but got ${o.concurrentServiceEndpointSyncs}`);
  else if (o.concurrentServiceEndpointSyncs > maxConcurrentServiceEndpointSyncs) errs.push(`concurrent-service-endpoint-syncs must not be more than ${maxConcurrentServiceEndpointSyncs}, but got ${o.concurrentServiceEndpointSyncs}`);
  if (o.maxEndpointsPerSlice < minMaxEndpointsPerSlice) errs.push(`max-endpoints-per-slice must not be less than ${minMaxEndpointsPerSlice}, but got ${o.maxEndpointsPerSlice}`);
  else if (o.maxEndpointsPerSlice > maxMaxEndpointsPerSlice) errs.push(`max-endpoints-per-slice must not be more than ${maxMaxEndpointsPerSlice}, but got ${o.maxEndpointsPerSlice}`);
  return errs;
}
