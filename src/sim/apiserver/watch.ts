/**
 * Server-side watches (apimachinery's watch.Interface as the storage layer returns them): a
 * result channel the producer fills and closes, and `stop()` from the consumer.
 * Upstream: apiserver pkg/storage/cacher/cacher.go (errWatcher, immediateCloseWatcher),
 * apimachinery pkg/watch/watch.go (Interface)
 */
import type { KubeObject } from '../core/object';
import type { WatchEvent, WatchInterface } from '../cache/listwatch';
import { Chan } from './chan';
import { errorToAPIStatus, type Status } from '../apimachinery/errors';

export type ServerWatch = WatchInterface<KubeObject>;

/** A watch whose producer sends into `result` and whose consumer's `stop()` calls `onStop`. */
export class ChanWatch implements ServerWatch {
  readonly result = new Chan<WatchEvent<KubeObject>>();
  #onStop: (() => void) | undefined;
  #stopped = false;

  constructor(onStop?: () => void) {
    this.#onStop = onStop;
  }

  set onStop(fn: (() => void) | undefined) {
    this.#onStop = fn;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  next(): Promise<WatchEvent<KubeObject> | undefined> {
    return this.result.receive();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const fn = this.#onStop;
    this.#onStop = undefined;
    fn?.();
  }
}

/** A watch that yields one ERROR event with the error's Status, then ends (Go: `newErrWatcher`). */
export function newErrWatcher(err: unknown): ServerWatch {
  const w = new ChanWatch();
  const status: Status = errorToAPIStatus(err);
  w.result.send({ type: 'ERROR', object: status as unknown as WatchEvent['object'] } as WatchEvent<KubeObject>);
  w.result.close();
  return w;
}

/** A watch that ends at once (Go: `newImmediateCloseWatcher`). */
export function newImmediateCloseWatcher(): ServerWatch {
  const w = new ChanWatch();
  w.result.close();
  return w;
}
