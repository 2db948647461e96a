/**
 * Typed trace events. Each model says what happens in it once, as one map from event type to
 * fields (so the events form one discriminated union on `type`), and gives each type its text
 * and the upstream function it models. Everything that reads events (the model's replay, the
 * terminal's `trace`, the view's caption and source link, the widgets) reads this one catalog,
 * and the model emits through a typed emitter that only accepts the declared fields.
 */
import type { SimEnv } from './env';
import type { JsonValue, TraceEvent } from './trace';

/** Fields an event carries besides `t`, `seq`, `component` and `type`. */
export type EventFields = { [field: string]: JsonValue };
/** A model's events: type -> fields. */
export type EventMap = { [type: string]: EventFields };

/** One event of type `K` of map `M`, as recorded. */
export type EventOf<M extends EventMap, K extends keyof M & string> = {
  t: number;
  seq: number;
  component: string;
  type: K;
} & M[K];

/** Any event of map `M`: a union discriminated by `type`. */
export type AnyEventOf<M extends EventMap> = { [K in keyof M & string]: EventOf<M, K> }[keyof M & string];

/** The upstream repository a model follows, at its pinned tag. */
export interface UpstreamRepo {
  /** e.g. `client-go`. */
  name: string;
  /** e.g. `v0.34.0`. */
  tag: string;
  /** Base of the links, ending in `/`, e.g. `https://github.com/kubernetes/client-go/blob/v0.34.0/`. */
  blobUrl: string;
}

/** Where an event happens upstream: a file relative to the repository root, and the function. */
export interface SourceRef {
  file: string;
  symbol: string;
}

/** A link to upstream source at the pinned tag: `label` is shown, `title` says it in full. */
export interface SourceLink {
  label: string;
  href: string;
  title: string;
}

/** How one event type is read. */
export interface EventSpec<E> {
  /** What happened, as one line without the time (terminal, caption, golden files). */
  text(e: E): string;
  /** The upstream function it models (a function when it depends on the event's fields). */
  source?: SourceRef | ((e: E) => SourceRef | undefined);
}

export type EventSpecs<M extends EventMap> = { [K in keyof M & string]: EventSpec<EventOf<M, K>> };

export interface EventCatalog<M extends EventMap> {
  /** The `component` of every event of this model. */
  readonly component: string;
  readonly upstream: UpstreamRepo;
  /** Every declared type, in declaration order. */
  readonly types: ReadonlyArray<keyof M & string>;
  /** Whether `e` is one of this model's events (its component and a declared type). */
  is(e: TraceEvent): e is TraceEvent & AnyEventOf<M>;
  /** The event's line of text (undefined for an event that is not this model's). */
  text(e: TraceEvent): string | undefined;
  /** The upstream function behind the event, as a link at the pinned tag. */
  source(e: TraceEvent): SourceLink | undefined;
}

/** Declares a model's events. */
export function defineEvents<M extends EventMap>(component: string, upstream: UpstreamRepo, specs: EventSpecs<M>): EventCatalog<M> {
  const types = Object.keys(specs) as Array<keyof M & string>;
  const known = new Set<string>(types);
  const specOf = (e: TraceEvent) => (e.component === component && known.has(e.type) ? (specs[e.type as keyof M & string] as EventSpec<unknown>) : undefined);
  return {
    component,
    upstream,
    types,
    is: (e): e is TraceEvent & AnyEventOf<M> => specOf(e) !== undefined,
    text(e) {
      return specOf(e)?.text(e);
    },
    source(e) {
      const spec = specOf(e);
      if (!spec?.source) return undefined;
      const ref = typeof spec.source === 'function' ? spec.source(e) : spec.source;
      if (!ref) return undefined;
      return {
        label: ref.symbol,
        href: upstream.blobUrl + ref.file,
        title: `${upstream.name} ${upstream.tag} ${ref.file}, ${ref.symbol}`,
      };
    },
  };
}

/**
 * Emits one model instance's events: fills in the time from the environment's clock, the
 * component, and the fields every event of the instance carries (`base`, e.g. `{ queue: name }`),
 * and accepts for each type exactly the other fields the catalog declares. Emits nothing when the
 * environment records nothing.
 */
export class EventEmitter<M extends EventMap, B extends EventFields> {
  readonly #env: Pick<SimEnv, 'clock' | 'trace'>;

  constructor(
    readonly catalog: EventCatalog<M>,
    env: Pick<SimEnv, 'clock' | 'trace'>,
    readonly base: B,
  ) {
    this.#env = env;
  }

  /** Whether events are recorded (callers may skip building expensive fields otherwise). */
  get recording(): boolean {
    return this.#env.trace !== undefined;
  }

  emit<K extends keyof M & string>(type: K, fields: Omit<M[K], keyof B>): void {
    const trace = this.#env.trace;
    if (!trace) return;
    // Object.assign, not `{ ...base, ...fields }`: V8's double spread takes a slow path once the
    // fields take many shapes (6x slower measured here).
    trace.emit(this.#env.clock.now(), this.catalog.component, type, Object.assign({}, this.base, fields as EventFields));
  }
}
