/**
 * The root CA publisher (kube-controller-manager's `root-ca-cert-publisher` controller): a
 * ConfigMap `kube-root-ca.crt` with the cluster CA in every namespace, written when a namespace
 * appears and put back when someone edits or deletes it. The projected volume's `ca.crt` comes
 * from it, so a pod in a namespace without it does not start (`configmap "kube-root-ca.crt" not found`).
 * Upstream: pkg/controller/certificates/rootcacertpublisher/publisher.go (NewPublisher,
 * Publisher.syncNamespace, the informer handlers)
 */
import { newSharedInformerFactory, type SharedInformerFactory } from '../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../cache/keys';
import { listerWatcherFor, type Clientset } from '../client/clientset';
import type { FakeClock } from '../core/clock';
import { StatusError } from '../core/errors';
import { deepCopy, type KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import { base64Std } from '../apiserver/base64';
import { defaultControllerRateLimiter } from '../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../workqueue/types';
import { RootCACertConfigMapName } from './admission';

export const DescriptionAnnotation = 'kubernetes.io/description';
export const Description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

/**
 * The model's cluster CA: a PEM block whose body decodes to a sentence saying it is a
 * placeholder (kubeadm's real one is /etc/kubernetes/pki/ca.crt, CN=kubernetes).
 */
export function placeholderCAPEM(clusterName = 'kubernetes'): string {
  const body = base64Std(`kubelab placeholder, not a certificate: the CA of cluster ${clusterName} (kubeadm: /etc/kubernetes/pki/ca.crt, CN=kubernetes)`);
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The ConfigMap the publisher writes into a namespace. */
export function rootCACertConfigMap(namespace: string, rootCA: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: RootCACertConfigMapName, namespace, annotations: { [DescriptionAnnotation]: Description } }, data: { 'ca.crt': rootCA } };
}

export interface RootCACertPublisherOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** The CA bundle (kube-controller-manager's `--root-ca-file`); default {@link placeholderCAPEM}. */
  rootCA?: string;
}

const isNotFound = (e: unknown) => e instanceof StatusError && e.status.code === 404;
const finalState = (obj: unknown) => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as KubeObject;

// Upstream: publisher.go (Publisher)
export class RootCACertPublisher {
  readonly queue: RateLimitingQueue<string>;
  readonly rootCA: string;
  readonly #o: RootCACertPublisherOptions;
  #factory?: SharedInformerFactory;
  #stopped = false;

  // Upstream: publisher.go (NewPublisher)
  constructor(o: RootCACertPublisherOptions) {
    this.#o = o;
    this.rootCA = o.rootCA ?? placeholderCAPEM();
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'root_ca_cert_publisher' });
  }

  /** Starts the informers, waits for them, and runs one worker (kube-controller-manager runs one). */
  // Upstream: publisher.go (Publisher.Run)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    const onConfigMap = (obj: unknown) => {
      const cm = finalState(obj);
      if (cm?.metadata.name === RootCACertConfigMapName) this.queue.add(cm.metadata.namespace ?? '');
    };
    f.forResource('configmaps').informer().addEventHandler({ onAdd: () => {}, onUpdate: (_old, cur) => onConfigMap(cur), onDelete: onConfigMap });
    f.forResource('namespaces').informer().addEventHandler({
      onAdd: (obj) => this.queue.add((obj as KubeObject).metadata.name ?? ''),
      onUpdate: (_old, cur) => {
        const ns = cur as KubeObject;
        if ((ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
        this.queue.add(ns.metadata.name ?? '');
      },
      onDelete: () => {},
    });
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    void this.#worker();
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    this.#factory?.shutdown();
  }

  // Upstream: publisher.go (Publisher.processNextWorkItem)
  async #worker(): Promise<void> {
    for (;;) {
      const { item: ns, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        await this.syncNamespace(ns);
        this.queue.forget(ns);
      } catch {
        this.queue.addRateLimited(ns);
      } finally {
        this.queue.done(ns);
      }
    }
  }

  /** Creates the ConfigMap, or restores its data and description annotation. */
  // Upstream: publisher.go (Publisher.syncNamespace)
  async syncNamespace(ns: string): Promise<void> {
    const client = this.#o.client.coreV1().configMaps(ns);
    const cm = this.#factory?.forResource('configmaps').informer().getStore().getByKey(`${ns}/${RootCACertConfigMapName}`) as KubeObject | undefined;
    if (!cm) {
      try {
        await client.create(rootCACertConfigMap(ns, this.rootCA));
      } catch (e) {
        // A namespace gone or terminating is not retried.
        if (isNotFound(e) || (e instanceof StatusError && e.status.code === 403)) return;
        throw e;
      }
      return;
    }
    const data = (cm.data ?? {}) as Record<string, string>;
    const sameData = Object.keys(data).length === 1 && data['ca.crt'] === this.rootCA;
    if (sameData && (cm.metadata.annotations?.[DescriptionAnnotation] ?? '').length > 0) return;
    const next = deepCopy(cm);
    next.data = { 'ca.crt': this.rootCA };
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [DescriptionAnnotation]: Description };
    await client.update(next);
  }
}

export function newRootCACertPublisher(o: RootCACertPublisherOptions): RootCACertPublisher {
  return new RootCACertPublisher(o);
}
