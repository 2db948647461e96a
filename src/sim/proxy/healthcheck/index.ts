/** kube-proxy's Service health checks (healthCheckNodePort), after pkg/proxy/healthcheck at v1.34. */
export { ServiceHealthServer, serviceHealthBody, type ServiceHealthResponse } from './service_health';
export { healthCheckNodePorts, localReadyEndpoints, syncServiceHealth, type ServiceHealthOptions } from './sync';
