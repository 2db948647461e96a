/**
 * Trace events of the endpoint controllers: one per sync of a Service, saying what it wrote.
 * Links point at kubernetes v1.34.0 (the controllers) and k8s.io/endpointslice (the reconciler).
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type EndpointControllersEventMap = {
  /** The EndpointSlice controller synced a Service (`error` empty on success; a stale cache is an error that retries). */
  'endpointslice.sync': { service: string; created: number; updated: number; deleted: number; error: string };
  /** The Endpoints controller synced a Service: `op` create, update, delete or none; `truncated` when over 1,000 addresses. */
  'endpoints.sync': { service: string; op: string; ready: number; notReady: number; truncated: boolean; error: string };
};

export type EndpointControllersTraceEvent = AnyEventOf<EndpointControllersEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });

export const endpointControllersEvents = defineEvents<EndpointControllersEventMap>(
  'endpoints',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'endpointslice.sync': {
      text: (e) => (e.error ? `sync ${e.service}: ${e.error}` : `sync ${e.service}: ${e.created} created, ${e.updated} updated, ${e.deleted} deleted`),
      source: go('pkg/controller/endpointslice/endpointslice_controller.go', 'Controller.syncService'),
    },
    'endpoints.sync': {
      text: (e) => (e.error ? `sync ${e.service}: ${e.error}` : `sync ${e.service}: ${e.op} (${e.ready} ready, ${e.notReady} not ready${e.truncated ? ', truncated' : ''})`),
      source: go('pkg/controller/endpoint/endpoints_controller.go', 'Controller.syncService'),
    },
  },
);
