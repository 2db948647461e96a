/**
 * The live part of <QueuePlayground>: drives a real queue from the model (src/sim) in the
 * browser and draws it from the trace. Loaded by the component's small loader only once the
 * widget scrolls into view (a separate chunk: this file plus the model).
 *
 * Every button is one model call (or, for a worker's outcome, the calls processNextWorkItem
 * makes). After each action the widget lets promise continuations run (`settle`), replays the
 * trace into a snapshot (a checkpointed `newWorkqueueReplayer`, as the lab view does) and
 * redraws; the new trace events (the workqueue's typed events, `WorkqueueEvent`) become one
 * sentence for the aria-live region and lines in the visible log.
 */
// The workqueue and the core only (not src/sim/index: this chunk stays small).
import { FakeClock, TraceRecorder, formatDuration as fmtMs, settle, type TraceEvent } from '../../sim/core/index';
import {
  defaultControllerRateLimiter,
  newDelayingQueue,
  newQueue,
  newRateLimitingQueue,
  newWorkqueueReplayer,
  workqueueEvents,
  type AddAfterResult,
  type AddResult,
  type DelayingQueue,
  type Queue,
  type QueueSnapshot,
  type RateLimitingQueue,
  type WorkqueueEvent,
} from '../../sim/workqueue/index';

export type PlaygroundKind = 'queue' | 'delaying' | 'rateLimiting';

const QUEUE_NAME = 'widget';
const LOG_LINES = 14;

/** Starts the widget inside `root` (the element rendered by QueuePlayground.astro). */
export function mount(root: HTMLElement): void {
  const kind = root.dataset.kind as PlaygroundKind;
  const items = JSON.parse(root.dataset.items ?? '[]') as string[];
  const playground = new Playground(root, kind, items);
  playground.reset();
  playground.enable();
}

type AnyQueue = Queue<string> & Partial<DelayingQueue<string>> & Partial<RateLimitingQueue<string>>;

class Playground {
  private rec = new TraceRecorder(20_000);
  private replayer = newWorkqueueReplayer(this.rec.events);
  private clock = new FakeClock();
  private queue!: AnyQueue;
  /** Which worker holds each item being processed (for the labels only). */
  private readonly owner = new Map<string, number>();
  /** Workers blocked in get(), oldest first. */
  private blocked: number[] = [];
  private workerSeq = 0;
  private busy = false;
  /** The delays addRateLimited chose per key in its current streak; `forgotten` once forget ended it. */
  private readonly history = new Map<string, { delays: number[]; forgotten: boolean }>();
  private readonly logLines: string[] = [];
  /** Things workers noticed while an action settled (a get() that returned shutdown). */
  private pendingNotes: string[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly kind: PlaygroundKind,
    private readonly items: string[],
  ) {
    root.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
      if (!button || !root.contains(button) || button.disabled) return;
      void this.onAction(button.dataset.action ?? '', button);
    });
  }

  enable(): void {
    for (const el of this.root.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(
      'button, input, select',
    )) {
      el.disabled = false;
    }
    const status = this.root.querySelector<HTMLElement>('[data-status]');
    if (status) status.textContent = 'Live: every button calls the model from src/sim.';
    this.root.dataset.ready = 'true';
  }

  reset(): void {
    this.rec = new TraceRecorder(20_000);
    this.replayer = newWorkqueueReplayer(this.rec.events);
    this.clock = new FakeClock();
    const cfg = { clock: this.clock, trace: this.rec, name: QUEUE_NAME };
    if (this.kind === 'delaying') this.queue = newDelayingQueue<string>(cfg);
    else if (this.kind === 'rateLimiting') {
      this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(this.clock), cfg);
    } else this.queue = newQueue<string>(cfg);
    this.owner.clear();
    this.blocked = [];
    this.workerSeq = 0;
    this.history.clear();
    this.logLines.length = 0;
    this.pendingNotes = [];
    this.render();
  }

  private selectedKey(): string {
    const checked = this.root.querySelector<HTMLInputElement>('input[data-key]:checked');
    return checked?.value ?? this.items[0];
  }

  private selectedDelayMs(): number {
    const select = this.root.querySelector<HTMLSelectElement>('select[data-delay]');
    return Number(select?.value ?? 100);
  }

  private async onAction(action: string, button: HTMLButtonElement): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const hadFocus = document.activeElement === button;
    const start = this.rec.events.length;
    const notes: string[] = [];
    /** Notes about what happened before the events (the clock moved). */
    const before: string[] = [];
    try {
      const key = button.dataset.item ?? this.selectedKey();
      switch (action) {
        case 'add':
          this.queue.add(key);
          break;
        case 'burst':
          for (let i = 0; i < 5; i++) this.queue.add(key);
          break;
        case 'get':
          this.startWorker(notes);
          break;
        case 'done':
          this.queue.done(key);
          this.owner.delete(key);
          break;
        case 'fail':
          // processNextWorkItem on error: addRateLimited, then the deferred done.
          this.queue.addRateLimited!(key);
          this.queue.done(key);
          this.owner.delete(key);
          break;
        case 'succeed':
          // processNextWorkItem on success: forget, then the deferred done.
          this.queue.forget!(key);
          this.markForgotten(key);
          this.queue.done(key);
          this.owner.delete(key);
          break;
        case 'addAfter':
          this.queue.addAfter!(key, this.selectedDelayMs());
          break;
        case 'step':
          before.push(`clock +${fmtMs(Number(button.dataset.ms ?? 0))}, now ${fmtMs(this.clock.now() + Number(button.dataset.ms ?? 0))}`);
          this.clock.step(Number(button.dataset.ms ?? 0));
          break;
        case 'next': {
          const next = this.clock.nextWaiterAt();
          if (next === undefined) notes.push('no timer is pending: nothing is waiting');
          else {
            before.push(`clock jumped to ${fmtMs(next)}`);
            this.clock.setTime(next);
          }
          break;
        }
        case 'shutDown':
          this.queue.shutDown();
          break;
        case 'shutDownWithDrain':
          void this.queue.shutDownWithDrain().then(() => this.render());
          break;
        case 'reset':
          this.reset();
          this.announce('Reset: a new, empty queue.');
          return;
        default:
          return;
      }
      await settle();
      const events = this.rec.events.slice(start);
      for (const e of events) if (e.type === 'workqueue.addRateLimited') this.pushHistory(String(e.item), Number(e.delayMs));
      const said = collapse(events.map((e) => sentence(e, this.owner)).filter((s): s is string => s !== undefined));
      for (const note of before) this.log(note);
      const lines = events.flatMap((e) => {
        const line = logLine(e, this.owner);
        return line === undefined ? [] : [{ line, t: e.t }];
      });
      for (let i = 0; i < lines.length; ) {
        let n = 1;
        while (i + n < lines.length && lines[i + n].line === lines[i].line) n++;
        this.log(n > 1 ? `${lines[i].line} (×${n})` : lines[i].line, lines[i].t);
        i += n;
      }
      const workerNotes = this.pendingNotes;
      this.pendingNotes = [];
      for (const note of [...notes, ...workerNotes]) this.log(note);
      this.announce([...before, ...said, ...notes, ...workerNotes].join('; ') || 'Nothing changed.');
      this.render();
    } catch (err) {
      this.announce(`Error: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.busy = false;
      // A per-item button disappears with its chip: keep keyboard focus inside the widget.
      if (hadFocus && !button.isConnected) this.root.querySelector<HTMLButtonElement>('button[data-action="get"]')?.focus();
    }
  }

  /** A new worker calls get(): it takes the head now, or blocks until an add. */
  private startWorker(notes: string[]): void {
    const id = ++this.workerSeq;
    const waitedBefore = this.queue.len() === 0 && !this.queue.shuttingDown();
    if (waitedBefore) {
      this.blocked.push(id);
      notes.push(`worker ${id} blocks in get(): the queue is empty`);
    }
    void this.queue.get().then((result) => {
      this.blocked = this.blocked.filter((w) => w !== id);
      if (result.shutdown) {
        this.pendingNotes.push(`worker ${id}: get() returned shutdown, the worker exits`);
      } else {
        this.owner.set(result.item, id);
      }
      this.render();
    });
  }

  private pushHistory(key: string, delayMs: number): void {
    const entry = this.history.get(key);
    if (!entry || entry.forgotten) this.history.set(key, { delays: [delayMs], forgotten: false });
    else entry.delays.push(delayMs);
  }

  private markForgotten(key: string): void {
    const entry = this.history.get(key);
    if (entry) entry.forgotten = true;
  }

  private log(line: string, atMs: number = this.clock.now()): void {
    this.logLines.unshift(this.kind === 'queue' ? line : `t=${fmtMs(atMs)}  ${line}`);
    this.logLines.length = Math.min(this.logLines.length, LOG_LINES);
  }

  private announce(text: string): void {
    const live = this.root.querySelector<HTMLElement>('[data-live]');
    if (live) live.textContent = text;
  }

  /** Redraws every lane from a replay of the trace (the same path a time-travel view takes). */
  private render(): void {
    const snap: QueueSnapshot | undefined = this.replayer.snapshotAt(this.rec.events.length).queues.find((q) => q.name === QUEUE_NAME);
    if (!snap) return;
    const now = this.clock.now();
    this.fill('queue', snap.queue.map((item, i) => chip(item, i === 0 ? 'head' : undefined)));
    this.fill('dirty', snap.dirty.map((item) => chip(item)));
    this.fill(
      'processing',
      snap.processing.map((item) => {
        const worker = this.owner.get(item);
        const li = chip(item, worker === undefined ? undefined : `worker ${worker}`);
        if (this.kind === 'rateLimiting') {
          li.append(actionButton('fail', item, 'fail', `fail ${item}: addRateLimited, then done`));
          li.append(actionButton('succeed', item, 'succeed', `succeed ${item}: forget, then done`));
        } else {
          li.append(actionButton('done', item, 'done', `done ${item}`));
        }
        return li;
      }),
    );
    this.fill(
      'waiting',
      snap.waiting.map((w) => chip(w.item, `ready at ${fmtMs(w.readyAtMs)} (in ${fmtMs(Math.max(0, w.readyAtMs - now))})`)),
    );
    const requeues = this.root.querySelector<HTMLElement>('[data-requeues]');
    if (requeues) {
      const rows = this.items.map((item) => {
        const n = snap.requeues[item] ?? 0;
        const entry = this.history.get(item);
        if (!entry) return `${item}: numRequeues ${n}`;
        const streak = entry.delays.map(fmtMs).join(' → ');
        return entry.forgotten
          ? `${item}: numRequeues ${n} (forgotten; the last streak waited ${streak})`
          : `${item}: numRequeues ${n}, delays ${streak}`;
      });
      requeues.replaceChildren(...rows.map((r) => li(r)));
    }
    const metrics = this.root.querySelector<HTMLElement>('[data-metrics]');
    if (metrics) {
      const parts = [
        this.kind === 'queue' ? undefined : `t = ${fmtMs(now)}`,
        `len() ${snap.queue.length}`,
        `depth ${snap.metrics.depth}`,
        `adds ${snap.metrics.adds}`,
        this.kind === 'queue' ? undefined : `retries ${snap.metrics.retries}`,
        `blocked in get() ${snap.waiters}`,
        snap.shuttingDown ? 'shutting down' : undefined,
      ].filter(Boolean);
      metrics.textContent = parts.join(' · ');
    }
    const log = this.root.querySelector<HTMLElement>('[data-log]');
    if (log) log.replaceChildren(...this.logLines.map((line) => li(line)));
  }

  private fill(lane: string, children: HTMLElement[]): void {
    const list = this.root.querySelector<HTMLElement>(`[data-lane="${lane}"]`);
    if (!list) return;
    if (children.length === 0) {
      const empty = li('empty');
      empty.className = 'kl-qp-empty';
      list.replaceChildren(empty);
    } else list.replaceChildren(...children);
  }
}

/** Runs of the same sentence become one sentence with a count: `add a: deduped (×4)`. */
function collapse(sentences: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < sentences.length; ) {
    let n = 1;
    while (i + n < sentences.length && sentences[i + n] === sentences[i]) n++;
    out.push(n > 1 ? `${sentences[i]} (×${n})` : sentences[i]);
    i += n;
  }
  return out;
}

function li(text: string): HTMLLIElement {
  const el = document.createElement('li');
  el.textContent = text;
  return el;
}

function chip(item: string, note?: string): HTMLLIElement {
  const el = document.createElement('li');
  el.className = 'kl-qp-chip';
  const name = document.createElement('code');
  name.textContent = item;
  el.append(name);
  if (note) {
    const small = document.createElement('span');
    small.className = 'kl-qp-note';
    small.textContent = note;
    el.append(small);
  }
  return el;
}

function actionButton(action: string, item: string, text: string, label: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.action = action;
  button.dataset.item = item;
  button.className = `kl-qp-mini kl-qp-${action}`;
  button.textContent = text;
  button.setAttribute('aria-label', label);
  return button;
}

const ADD_RESULT: Record<AddResult, string> = {
  queued: 'queued',
  deduped: 'deduped, it is already waiting in the queue',
  deferred: 'deferred, a worker holds it, so it returns to the queue at done',
  ignored: 'ignored, the queue is shutting down',
};

const ADD_AFTER_RESULT: Record<AddAfterResult, string> = {
  immediate: 'no delay, added now',
  waiting: 'waiting',
  updated: 'moved earlier',
  kept: 'kept its earlier ready time',
  ignored: 'ignored, the queue is shutting down',
};

/** One event as a short sentence for the live region (undefined: not worth announcing). */
function sentence(event: TraceEvent, owner: ReadonlyMap<string, number>): string | undefined {
  if (!workqueueEvents.is(event)) return undefined;
  const e: WorkqueueEvent = event;
  switch (e.type) {
    case 'workqueue.add':
      return `add ${e.item}: ${ADD_RESULT[e.result]}`;
    case 'workqueue.get': {
      const worker = owner.get(e.item);
      return `${worker === undefined ? 'a worker' : `worker ${worker}`} got ${e.item}, it waited ${fmtMs(e.waitedMs)}`;
    }
    case 'workqueue.done':
      return e.requeued ? `done ${e.item}: it was added meanwhile, so it is queued again` : `done ${e.item}: finished`;
    case 'workqueue.addAfter':
      return `addAfter ${e.item} ${fmtMs(e.delayMs)}: ${ADD_AFTER_RESULT[e.result]}, ready at ${fmtMs(e.readyAtMs)}`;
    case 'workqueue.ready':
      return `${e.item} is ready and is added`;
    case 'workqueue.addRateLimited':
      return `addRateLimited ${e.item}: the limiter says wait ${fmtMs(e.delayMs)}, numRequeues ${e.requeues}`;
    case 'workqueue.forget':
      return `forget ${e.item}: its backoff is reset`;
    case 'workqueue.shutDown':
      return e.drain ? 'shutDownWithDrain: new adds are ignored, waiting for processing items' : 'shutDown: new adds are ignored';
    case 'workqueue.drained':
      return 'drained: nothing is being processed';
    case 'workqueue.new':
    case 'workqueue.waiters':
    case 'workqueue.metric':
      return undefined;
  }
}

/** One event as a log line (metrics and bookkeeping events are left out). */
function logLine(e: TraceEvent, owner: ReadonlyMap<string, number>): string | undefined {
  if (e.type === 'workqueue.metric' || e.type === 'workqueue.new' || e.type === 'workqueue.waiters') return undefined;
  return sentence(e, owner);
}
