/** The Endpoints controller (pkg/controller/endpoint at kubernetes v1.34) and RepackSubsets (pkg/api/v1/endpoints). */
export { newEndpointsController, EndpointsController, maxRetries as endpointsMaxRetries, type EndpointsControllerOptions } from './endpoints_controller';
export { truncateEndpoints, capacityAnnotationSetCorrectly, podToEndpointAddressForService, maxCapacity as endpointsMaxCapacity, EndpointsOverCapacity } from './endpoints';
export { repackSubsets, sortSubsets, lessEndpointAddress } from './repack';
export { StaleEndpointsTracker } from './endpoints_tracker';
