import { activeTrace, newQueue, type AddResult, type Queue } from 'kubelab';

// Steps 1 and 2: your predictions. Change them, then Run to see what the queue really does.
export const predictions = {
  /** After add('default/web'), add('default/api'), add('default/web') on a new queue: queue.len() */
  lenAfterAdds: 3,
  /** 'default/web' is being processed; add('default/web') runs. What did that add do? */
  firstAddWhileProcessing: 'queued' as AddResult,
  /** ...it is added twice in all. How many more times does get() hand it out after done()? */
  timesHandedOutAgain: 2,
};

/**
 * Steps 3 and 4: hands every item of `queue` to `handle` until the queue is empty, and returns
 * the items in the order they were handled. `handle` may add items (even the one it handles).
 */
export async function processAll(queue: Queue<string>, handle: (item: string) => void | Promise<void>): Promise<string[]> {
  const handled: string[] = [];
  while (queue.len() > 0) {
    const { item, shutdown } = await queue.get();
    if (shutdown) break;
    await handle(item);
    handled.push(item);
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
