/**
 * Clients after client-go v0.34.0: the RESTClient with client-side throttling, typed clients, the
 * dynamic and discovery clients, `newListWatchFromClient` and `retryOnConflict`, over the
 * `RestTransport` boundary. See src/sim/apiserver/README.md.
 */
export type { HttpVerb, RestRequest, RestResponse, RestTransport, WatchEventJson, WatchStream } from './transport';
export { DefaultBurst, DefaultQPS, Request, RESTClient, newRESTClient, streamWatcher, type RestConfig } from './rest_client';
export {
  AppsV1Client,
  CoordinationV1Client,
  CoreV1Client,
  DiscoveryV1Client,
  PodClient,
  ResourceClient,
  type DeleteOptions,
  type GetOptions,
  type PatchType,
  type WriteOptions,
} from './typed';
export {
  Clientset,
  DefaultBackoff,
  DefaultRetry,
  DiscoveryClient,
  DynamicClient,
  DynamicResourceClient,
  newClientset,
  newDynamicClient,
  newFilteredListWatchFromClient,
  newListWatchFromClient,
  listerWatcherFor,
  retryOnConflict,
  type Backoff,
  type ListWatchSource,
} from './clientset';
