// Mutants of the optimistic-concurrency lab: plausible wrong retry loops and increments, each
// caught by the check written for that mistake.
import { defineMutants } from './mutants';

const lab = 'optimistic-concurrency';

defineMutants([
  {
    name: 'the GET outside the retried function: every retry resends the same stale object',
    lab,
    from: /await retryOnConflict\(backoff, clock, async \(\) => \{\n(\s+\/\/.*\n)+\s+const cm = await configMaps\.get\(name\);/,
    to: 'const cm = await configMaps.get(name);\n  await retryOnConflict(backoff, clock, async () => {',
    fails: ['noLostUpdates'],
    passes: ['predictsTheRace', 'retriesConflicts', 'givesUpProperly', 'matchesClientGo'],
  },
  {
    name: 'an unconditional update (resourceVersion dropped): no 409, lost writes',
    lab,
    from: '    await configMaps.update(cm);\n  });',
    to: '    delete cm.metadata.resourceVersion;\n    await configMaps.update(cm);\n  });',
    fails: ['noLostUpdates'],
    passes: ['retriesConflicts', 'givesUpProperly', 'matchesClientGo'],
  },
  {
    name: 'an increment that swallows the conflict',
    lab,
    from: '    await configMaps.update(cm);\n  });',
    to: '    await configMaps.update(cm).catch(() => undefined);\n  });',
    fails: ['noLostUpdates'],
    passes: ['retriesConflicts', 'givesUpProperly'],
  },
  {
    name: 'retrying every error, not only conflicts',
    lab,
    from: 'if (!isConflict(err)) throw err;',
    to: '',
    fails: ['givesUpProperly', 'matchesClientGo', 'noLostUpdates'],
    passes: ['retriesConflicts'],
  },
  {
    name: 'a sleep after the last attempt too',
    lab,
    from: '    if (attempt === backoff.steps) break;\n',
    to: '',
    fails: ['givesUpProperly', 'matchesClientGo'],
    passes: ['retriesConflicts', 'noLostUpdates'],
  },
  {
    name: 'steps counted as retries: one attempt too many',
    lab,
    from: 'for (let attempt = 1; attempt <= backoff.steps; attempt++) {',
    to: 'for (let attempt = 0; attempt <= backoff.steps; attempt++) {',
    fails: ['givesUpProperly', 'matchesClientGo'],
    passes: ['retriesConflicts', 'noLostUpdates'],
  },
  {
    name: 'retrying at once, without waiting on the clock',
    lab,
    from: '    await clock.sleep(waitMs);',
    to: '',
    fails: ['retriesConflicts', 'givesUpProperly', 'matchesClientGo', 'noLostUpdates'],
  },
  {
    name: 'the first conflict returned instead of the last',
    lab,
    from: '      lastConflict = err;',
    to: '      lastConflict ??= err;',
    fails: ['givesUpProperly', 'matchesClientGo'],
    passes: ['retriesConflicts', 'noLostUpdates'],
  },
  {
    name: 'jitter compounding into the next wait',
    lab,
    from: '    duration = duration * backoff.factor;',
    to: '    duration = waitMs * backoff.factor;',
    fails: ['matchesClientGo'],
    passes: ['retriesConflicts', 'givesUpProperly', 'noLostUpdates'],
  },
  {
    name: 'jitter added as a fraction of a fixed 10 ms, not of the wait',
    lab,
    from: 'duration + jitter() * backoff.jitter * duration',
    to: 'duration + jitter() * backoff.jitter * 10',
    fails: ['matchesClientGo'],
    passes: ['retriesConflicts', 'givesUpProperly', 'noLostUpdates'],
  },
]);
