/**
 * The EndpointSlice reconciler: k8s.io/endpointslice reconciler.go at v0.34.0 (`Reconciler`,
 * `Reconcile`, `reconcileByAddressType`, `reconcileByPortMapping`, `finalize`). Given a Service,
 * the pods its selector matches and the slices it has, it works out the fewest writes that leave
 * every ready, serving or terminating pod in a slice of at most maxEndpointsPerSlice endpoints,
 * and makes them through the client.
 */
import type { Node, Pod, Service } from '../../api/core/v1';
import { ControllerName, LabelManagedBy, type AddressType, type EndpointSlice } from '../../api/discovery/v1';
import type { Clientset } from '../../client/clientset';
import { deepCopy } from '../../core/object';
import { StatusError } from '../../core/errors';
import { shouldPodBeInEndpoints } from '../util/pod';
import { EndpointSet, endpointsEqualBeyondHash, newPortMapKey, portMapKeyOf } from './endpointset';
import { EndpointSliceTracker } from './tracker';
import type { TopologyCache } from './topologycache/topologycache';
import { removeHintsFromSlices, type SliceInfo } from './topologycache/sliceinfo';
import { formatWithAddressType, TopologyAwareHintsDisabled, type EventBuilder } from './topologycache/event';
import { reconcileHints } from './trafficdist';
import {
  addTriggerTimeAnnotation,
  getAddressTypesForService,
  getEndpointPorts,
  getSliceToFill,
  hintsEnabled,
  newEndpointSlice,
  ownedBy,
  placeholderSliceEqual,
  podToEndpoint,
  serviceControllerKey,
  setEndpointSliceLabels,
  unchangedSlices,
  type EndpointMeta,
} from './utils';

/** Upstream's default `--max-endpoints-per-slice`. */
export const DefaultMaxEndpointsPerSlice = 100;

/** Nodes by name, as the controller's Node informer holds them. */
export interface NodeGetter {
  get(name: string): Node | undefined;
}

export interface EndpointSliceReconcilerOptions {
  client: Clientset;
  /** At most this many endpoints in a slice (default 100). */
  maxEndpointsPerSlice?: number;
  /**
   * Where pods' nodes are looked up (zone, and pods on a missing node are skipped). Omitted:
   * no lookup, as if every node existed without a zone label (a standalone reconciler in a lab).
   */
  nodeLister?: NodeGetter;
  /** The controller's tracker of its own writes (a fresh one when omitted). */
  endpointSliceTracker?: EndpointSliceTracker;
  /** Topology-aware hints for Services annotated `service.kubernetes.io/topology-mode: Auto` (off when omitted). */
  topologyCache?: TopologyCache;
  /** Honour spec.trafficDistribution (ServiceTrafficDistribution: GA, on in v1.34). */
  trafficDistributionEnabled?: boolean;
  /** Also PreferSameZone / PreferSameNode (PreferSameTrafficDistribution: beta, on in v1.34). */
  preferSameTrafficDistribution?: boolean;
  /** The managed-by label's value (default `endpointslice-controller.k8s.io`). */
  controllerName?: string;
  /** Told of each event the reconciler records on the Service (Go: its EventRecorder). */
  recordEvent?: (service: Service, type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

/** The writes of one reconcile, as made: slices created (as the API server returned them), updated, deleted. */
export interface ReconcileResult {
  created: EndpointSlice[];
  updated: EndpointSlice[];
  deleted: EndpointSlice[];
}

/** A reconcile that failed part way; `result` holds the writes made before. Message as utilerrors.NewAggregate prints. */
export class ReconcileError extends Error {
  declare readonly errors: Error[];
  declare readonly result: ReconcileResult;
  constructor(errors: Error[], result: ReconcileResult) {
    super(errors.length === 1 ? errors[0].message : `[${errors.map((e) => e.message).join(', ')}]`);
    this.name = 'ReconcileError';
    // Not enumerable: a printed error stays one line, not every slice written.
    Object.defineProperty(this, 'errors', { value: errors });
    Object.defineProperty(this, 'result', { value: result });
  }
}

/** The reconciler of a controller, or a standalone one over a client (the DESIGN contract). */
export function newEndpointSliceReconciler(options: EndpointSliceReconcilerOptions): Reconciler {
  return new Reconciler(options);
}

const errMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

// Upstream: endpointslice reconciler.go (Reconciler)
export class Reconciler {
  readonly client: Clientset;
  readonly maxEndpointsPerSlice: number;
  readonly endpointSliceTracker: EndpointSliceTracker;
  readonly topologyCache: TopologyCache | undefined;
  readonly controllerName: string;
  readonly #nodeLister: NodeGetter | undefined;
  readonly #trafficDistributionEnabled: boolean;
  readonly #preferSame: boolean;
  readonly #recordEvent: EndpointSliceReconcilerOptions['recordEvent'];

  // Upstream: endpointslice reconciler.go (NewReconciler)
  constructor(o: EndpointSliceReconcilerOptions) {
    this.client = o.client;
    this.maxEndpointsPerSlice = o.maxEndpointsPerSlice ?? DefaultMaxEndpointsPerSlice;
    this.endpointSliceTracker = o.endpointSliceTracker ?? new EndpointSliceTracker();
    this.topologyCache = o.topologyCache;
    this.controllerName = o.controllerName ?? ControllerName;
    this.#nodeLister = o.nodeLister;
    this.#trafficDistributionEnabled = o.trafficDistributionEnabled ?? true;
    this.#preferSame = o.preferSameTrafficDistribution ?? true;
    this.#recordEvent = o.recordEvent;
  }

  /** Whether spec.trafficDistribution is set to a value this cluster honours. */
  // Upstream: endpointslice reconciler.go (Reconciler.validTrafficDistribution)
  validTrafficDistribution(td: string | undefined): boolean {
    if (td === undefined || !this.#trafficDistributionEnabled) return false;
    if (td === 'PreferClose') return true;
    if (!this.#preferSame) return false;
    return td === 'PreferSameZone' || td === 'PreferSameNode';
  }

  /**
   * Brings the Service's slices in line with its pods: per address type the Service supports,
   * then deletes slices of address types it no longer does. `triggerTimeMs` (virtual ms; undefined = none)
   * becomes each written slice's last-change-trigger-time annotation.
   */
  // Upstream: endpointslice reconciler.go (Reconciler.Reconcile)
  async reconcile(service: Service, pods: Pod[], existingSlices: EndpointSlice[], triggerTimeMs?: number): Promise<ReconcileResult> {
    const result: ReconcileResult = { created: [], updated: [], deleted: [] };
    const errs: Error[] = [];
    const supported = getAddressTypesForService(service);
    const toDelete: EndpointSlice[] = [];
    const byAddressType = new Map<AddressType, EndpointSlice[]>();
    for (const s of existingSlices) {
      if (!supported.has(s.addressType)) {
        if (this.topologyCache) {
          try {
            this.topologyCache.removeHints(serviceControllerKey(s), s.addressType);
          } catch {
            // Upstream logs and goes on.
          }
        }
        toDelete.push(s);
        continue;
      }
      const list = byAddressType.get(s.addressType) ?? [];
      list.push(s);
      byAddressType.set(s.addressType, list);
    }
    for (const addressType of supported) {
      try {
        await this.#reconcileByAddressType(service, pods, byAddressType.get(addressType) ?? [], triggerTimeMs, addressType, result);
      } catch (e) {
        errs.push(...(e instanceof ReconcileError ? e.errors : [e as Error]));
      }
    }
    const ns = service.metadata.namespace ?? '';
    for (const s of toDelete) {
      try {
        await this.client.discoveryV1().endpointSlices(ns).delete(s.metadata.name ?? '');
        this.endpointSliceTracker.expectDeletion(s);
        result.deleted.push(s);
      } catch (e) {
        errs.push(new Error(`error deleting ${s.metadata.name} EndpointSlice for Service ${ns}/${service.metadata.name}: ${errMessage(e)}`));
      }
    }
    if (errs.length) throw new ReconcileError(errs, result);
    return result;
  }

  // Upstream: endpointslice reconciler.go (Reconciler.reconcileByAddressType)
  async #reconcileByAddressType(service: Service, pods: Pod[], existingSlices: EndpointSlice[], triggerTimeMs: number | undefined, addressType: AddressType, result: ReconcileResult): Promise<void> {
    const errs: Error[] = [];
    let slicesToCreate: EndpointSlice[] = [];
    let slicesToUpdate: EndpointSlice[] = [];
    let slicesToDelete: EndpointSlice[] = [];
    let events: EventBuilder[] = [];

    const existingByPortMap = new Map<string, EndpointSlice[]>();
    for (const s of existingSlices) {
      if (ownedBy(s, service)) {
        const key = portMapKeyOf(s.ports);
        existingByPortMap.set(key, [...(existingByPortMap.get(key) ?? []), s]);
      } else {
        slicesToDelete.push(s);
      }
    }

    const desiredMeta = new Map<string, EndpointMeta>();
    const desiredEndpoints = new Map<string, EndpointSet>();
    const ns = service.metadata.namespace ?? '';
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports = getEndpointPorts(service, pod);
      const key = newPortMapKey(ports);
      if (!desiredEndpoints.has(key)) desiredEndpoints.set(key, new EndpointSet());
      if (!desiredMeta.has(key)) desiredMeta.set(key, { addressType, ports });
      let node: Node | undefined;
      if (this.#nodeLister) {
        node = this.#nodeLister.get(pod.spec.nodeName ?? '');
        // A pod on a missing node is left out (and the Service retried) unless the Service publishes not-ready addresses.
        if (!node && !service.spec.publishNotReadyAddresses) {
          errs.push(new Error(`skipping Pod ${pod.metadata.name} for Service ${ns}/${service.metadata.name}: Node ${pod.spec.nodeName ?? ''} Not Found`));
          continue;
        }
      }
      const ep = podToEndpoint(pod, node, service, addressType);
      if (ep.addresses.length > 0) desiredEndpoints.get(key)!.insert(ep);
    }

    for (const [key, desired] of desiredEndpoints) {
      const pm = this.reconcileByPortMapping(service, existingByPortMap.get(key) ?? [], desired, desiredMeta.get(key)!);
      slicesToCreate.push(...pm.slicesToCreate);
      slicesToUpdate.push(...pm.slicesToUpdate);
      slicesToDelete.push(...pm.slicesToDelete);
    }
    // Slices of port groups no pod has any more go.
    for (const [key, slices] of existingByPortMap) if (!desiredEndpoints.has(key)) slicesToDelete.push(...slices);

    // A Service with no endpoints keeps one empty slice, the placeholder.
    if (existingSlices.length === slicesToDelete.length && slicesToCreate.length < 1) {
      const placeholder = newEndpointSlice(service, { ports: [], addressType }, this.controllerName);
      if (slicesToDelete.length === 1 && placeholderSliceEqual(slicesToDelete[0], placeholder)) slicesToDelete = [];
      else slicesToCreate.push(placeholder);
    }

    const si: SliceInfo = {
      serviceKey: `${ns}/${service.metadata.name ?? ''}`,
      addressType,
      toCreate: slicesToCreate,
      toUpdate: slicesToUpdate,
      unchanged: unchangedSlices(existingSlices, slicesToUpdate, slicesToDelete),
    };
    const canUseTrafficDistribution = this.validTrafficDistribution(service.spec.trafficDistribution) && !hintsEnabled(service.metadata.annotations);
    if (this.topologyCache && hintsEnabled(service.metadata.annotations)) {
      [slicesToCreate, slicesToUpdate, events] = this.topologyCache.addHints(si);
    } else {
      if (this.topologyCache) {
        if (this.topologyCache.hasPopulatedHints(si.serviceKey)) {
          events.push({ eventType: 'Warning', reason: 'TopologyAwareHintsDisabled', message: formatWithAddressType(TopologyAwareHintsDisabled, addressType) });
        }
        this.topologyCache.removeHints(si.serviceKey, addressType);
      }
      if (!canUseTrafficDistribution) [slicesToCreate, slicesToUpdate] = removeHintsFromSlices(si);
    }
    if (canUseTrafficDistribution) {
      [slicesToCreate, slicesToUpdate] = reconcileHints(service.spec.trafficDistribution, slicesToCreate, slicesToUpdate, unchangedSlices(existingSlices, slicesToUpdate, slicesToDelete));
    }

    try {
      await this.finalize(service, slicesToCreate, slicesToUpdate, slicesToDelete, triggerTimeMs, result);
    } catch (e) {
      errs.push(e as Error);
    }
    for (const ev of events) this.#recordEvent?.(service, ev.eventType, ev.reason, ev.message);
    if (errs.length) throw new ReconcileError(errs, result);
  }

  /**
   * Creates, updates and deletes. A create paired with a delete of a slice of the same address
   * type and owner becomes an update of that slice (fewer writes, same name); nothing is created
   * for a Service being deleted.
   */
  // Upstream: endpointslice reconciler.go (Reconciler.finalize)
  async finalize(service: Service, toCreate: EndpointSlice[], toUpdate: EndpointSlice[], toDelete: EndpointSlice[], triggerTimeMs?: number, result: ReconcileResult = { created: [], updated: [], deleted: [] }): Promise<ReconcileResult> {
    toCreate = [...toCreate];
    toUpdate = [...toUpdate];
    toDelete = [...toDelete];
    for (let i = 0; i < toDelete.length; ) {
      if (toCreate.length === 0) break;
      const del = toDelete[i];
      const slice = toCreate[toCreate.length - 1];
      if (del.addressType === slice.addressType && ownedBy(del, service)) {
        slice.metadata.name = del.metadata.name;
        toCreate.pop();
        toUpdate.push(slice);
        toDelete.splice(i, 1);
      } else {
        i++;
      }
    }
    const ns = service.metadata.namespace ?? '';
    const client = this.client.discoveryV1().endpointSlices(ns);
    if (!service.metadata.deletionTimestamp) {
      for (const slice of toCreate) {
        addTriggerTimeAnnotation(slice, triggerTimeMs);
        let created: EndpointSlice;
        try {
          created = (await client.create(slice as never)) as unknown as EndpointSlice;
        } catch (e) {
          // A terminating namespace refuses creates until it is gone: drop the work.
          if (e instanceof StatusError && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')) return result;
          throw new Error(`failed to create EndpointSlice for Service ${ns}/${service.metadata.name}: ${errMessage(e)}`);
        }
        this.endpointSliceTracker.update(created);
        result.created.push(created);
      }
    }
    for (const slice of toUpdate) {
      addTriggerTimeAnnotation(slice, triggerTimeMs);
      let updated: EndpointSlice;
      try {
        updated = (await client.update(slice as never)) as unknown as EndpointSlice;
      } catch (e) {
        throw new Error(`failed to update ${slice.metadata.name} EndpointSlice for Service ${ns}/${service.metadata.name}: ${errMessage(e)}`);
      }
      this.endpointSliceTracker.update(updated);
      result.updated.push(updated);
    }
    for (const slice of toDelete) {
      try {
        await client.delete(slice.metadata.name ?? '');
      } catch (e) {
        throw new Error(`failed to delete ${slice.metadata.name} EndpointSlice for Service ${ns}/${service.metadata.name}: ${errMessage(e)}`);
      }
      this.endpointSliceTracker.expectDeletion(slice);
      result.deleted.push(slice);
    }
    return result;
  }

  /**
   * One group of slices sharing ports. 1: keep desired endpoints where they are (updating those
   * that changed), drop the rest, and fix the labels; a slice left empty is deleted. 2: fill the
   * slices already being updated, fullest first. 3: put what is left in new full slices, and a
   * remainder smaller than a slice into the unchanged slice it brings closest to full, else a new one.
   */
  // Upstream: endpointslice reconciler.go (Reconciler.reconcileByPortMapping)
  reconcileByPortMapping(service: Service, existingSlices: EndpointSlice[], desiredSet: EndpointSet, meta: EndpointMeta): { slicesToCreate: EndpointSlice[]; slicesToUpdate: EndpointSlice[]; slicesToDelete: EndpointSlice[]; numAdded: number; numRemoved: number } {
    const max = this.maxEndpointsPerSlice;
    const slicesByName = new Map<string, EndpointSlice>();
    const unchanged = new Set<string>();
    const toUpdate = new Set<string>();
    const toDelete = new Set<string>();
    let numRemoved = 0;

    for (const existing of existingSlices) {
      const name = existing.metadata.name ?? '';
      slicesByName.set(name, existing);
      const newEndpoints = [];
      let endpointUpdated = false;
      for (const ep of existing.endpoints ?? []) {
        const got = desiredSet.get(ep);
        if (got) {
          newEndpoints.push(got);
          if (!endpointsEqualBeyondHash(got, ep)) endpointUpdated = true;
          desiredSet.delete(ep);
        }
      }
      const [labels, labelsChanged] = setEndpointSliceLabels(existing, service, this.controllerName);
      const count = (existing.endpoints ?? []).length;
      if (endpointUpdated || count !== newEndpoints.length) {
        if (count > newEndpoints.length) numRemoved += count - newEndpoints.length;
        if (newEndpoints.length === 0) {
          toDelete.add(name);
        } else {
          const copy = deepCopy(existing);
          copy.endpoints = newEndpoints;
          copy.metadata.labels = labels;
          slicesByName.set(name, copy);
          toUpdate.add(name);
        }
      } else if (labelsChanged) {
        const copy = deepCopy(existing);
        copy.metadata.labels = labels;
        slicesByName.set(name, copy);
        toUpdate.add(name);
      } else {
        unchanged.add(name);
      }
    }

    const numAdded = desiredSet.len();

    if (desiredSet.len() > 0 && toUpdate.size > 0) {
      // Fullest first (a stable sort, so equal slices keep their order).
      const slices = [...toUpdate].map((n) => slicesByName.get(n)!).sort((a, b) => b.endpoints.length - a.endpoints.length);
      for (const s of slices) {
        while (desiredSet.len() > 0 && s.endpoints.length < max) s.endpoints.push(desiredSet.popAny()!);
      }
    }

    const slicesToCreate: EndpointSlice[] = [];
    while (desiredSet.len() > 0) {
      let sliceToFill: EndpointSlice | undefined;
      if (desiredSet.len() < max && unchanged.size > 0) {
        sliceToFill = getSliceToFill([...unchanged].map((n) => slicesByName.get(n)!), desiredSet.len(), max);
      }
      if (!sliceToFill) {
        sliceToFill = newEndpointSlice(service, meta, this.controllerName);
      } else {
        sliceToFill = deepCopy(sliceToFill);
        sliceToFill.endpoints ??= []; // a slice written by hand may leave the list out
        slicesByName.set(sliceToFill.metadata.name ?? '', sliceToFill);
      }
      while (desiredSet.len() > 0 && sliceToFill.endpoints.length < max) sliceToFill.endpoints.push(desiredSet.popAny()!);
      // A new slice has no name yet: it is a create, a named one an update.
      if (sliceToFill.metadata.name) {
        toUpdate.add(sliceToFill.metadata.name);
        unchanged.delete(sliceToFill.metadata.name);
      } else {
        slicesToCreate.push(sliceToFill);
      }
    }

    return {
      slicesToCreate,
      slicesToUpdate: [...toUpdate].map((n) => slicesByName.get(n)!),
      slicesToDelete: [...toDelete].map((n) => slicesByName.get(n)!),
      numAdded,
      numRemoved,
    };
  }

  /** Whether the slice carries this controller's managed-by label. */
  // Upstream: endpointslice reconciler.go (Reconciler.ManagedByController)
  managedByController(slice: EndpointSlice): boolean {
    return slice.metadata.labels?.[LabelManagedBy] === this.controllerName;
  }

  // Upstream: endpointslice reconciler.go (Reconciler.ManagedByChanged)
  managedByChanged(a: EndpointSlice, b: EndpointSlice): boolean {
    return this.managedByController(a) !== this.managedByController(b);
  }
}
