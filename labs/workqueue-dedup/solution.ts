import { activeTrace, newQueue, type AddResult, type Queue } from 'kubelab';

// Steps 1 and 2: what the queue does.
// Upstream: client-go util/workqueue/queue.go (Typed.Add, Typed.Get, Typed.Done) at v0.34.0
export const predictions = {
  /** The second add('default/web') finds it in dirty: nothing changes (deduped). */
  lenAfterAdds: 2,
  /** get() moved default/web from dirty to processing, so add marks it dirty but keeps it off the queue. */
  firstAddWhileProcessing: 'deferred' as AddResult,
  /** The second add finds it dirty already (deduped); done() queues it once. */
  timesHandedOutAgain: 1,
};

/**
 * Steps 3 and 4: hands every item of `queue` to `handle` until the queue is empty, and returns
 * the items in the order they were handled. `handle` may add items (even the one it handles).
 */
export async function processAll(queue: Queue<string>, handle: (item: string) => void | Promise<void>): Promise<string[]> {
  const handled: string[] = [];
  // Only this function takes from the queue, so len() > 0 means get() will not block.
  while (queue.len() > 0) {
    const { item, shutdown } = await queue.get();
    if (shutdown) break;
    try {
      handled.push(item);
      await handle(item);
    } finally {
      // Always end the processing of item, even if handle throws. If item was added while we
      // held it, it is dirty, and done() puts it back at the end of the queue — which is what
      // keeps len() > 0 and the loop going.
      queue.done(item);
    }
  }
  return handled;
}

// ---- Run me ----
/** The queue's three sets, for the output below. */
function show(q: Queue<string>, what: string) {
  const s = q.snapshot();
  const last = activeTrace()?.events.filter((e) => e.type === 'workqueue.add').at(-1);
  const result = what.startsWith('add') && last ? ` -> ${last.result}` : '';
  console.log(`${(what + result).padEnd(34)} queue=[${s.queue.join(', ')}]  dirty={${s.dirty.join(', ')}}  processing={${s.processing.join(', ')}}`);
}

const q = newQueue<string>({ name: 'demo' });
for (const key of ['default/web', 'default/api', 'default/web']) {
  q.add(key);
  show(q, `add('${key}')`);
}
console.log(`len() = ${q.len()}   (you predicted ${predictions.lenAfterAdds})\n`);

const { item } = await q.get();
show(q, `get() -> ${item}`);
q.add('default/web');
show(q, "add('default/web')");
q.add('default/web');
show(q, "add('default/web')");
q.done('default/web');
show(q, "done('default/web')");
console.log(`(you predicted: first add ${predictions.firstAddWhileProcessing}, handed out ${predictions.timesHandedOutAgain} more time(s))\n`);

// processAll on a queue where handling default/web the first time adds it again.
const work = newQueue<string>({ name: 'work' });
for (const key of ['default/web', 'default/api', 'default/web', 'default/db']) work.add(key);
let seen = false;
const order = await processAll(work, (key) => {
  if (key === 'default/web' && !seen) {
    seen = true;
    work.add('default/web'); // a newer change arrived while we were reconciling
  }
});
console.log('processAll handled:', order);
show(work, 'after processAll');
