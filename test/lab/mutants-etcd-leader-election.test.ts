// Mutants of the etcd-leader-election lab: the classic lock bugs, each caught by the check
// written for it (safety sampled every 5 ms, or liveness after the faults).
import { defineMutants } from './mutants';

const lab = 'etcd-leader-election';

defineMutants([
  {
    name: 'no lease: a holder that dies holds the key for ever',
    lab,
    from: 'value: this.c.identity, lease: id }',
    to: 'value: this.c.identity }',
    fails: ['leadsAgain'],
    passes: ['safeUnderFaults'],
  },
  {
    name: 'no compare in the txn: every candidate writes the key and believes it leads',
    lab,
    from: "compare: [{ key: this.cfg.key, target: 'CREATE', result: '=', value: 0 }],",
    to: 'compare: [],',
    fails: ['oneHolder'],
  },
  {
    name: 'the renew deadline measured from the answer instead of the request',
    lab,
    from: 'if (this.#leading) this.#deadline = sent + this.cfg.renewDeadlineMs;',
    to: 'if (this.#leading) this.#deadline = this.c.now() + this.cfg.renewDeadlineMs;',
    fails: ['safeUnderFaults'],
    passes: ['oneHolder', 'leadsAgain'],
  },
  {
    name: 'the renew deadline equal to the lease duration: a slow clock outlives the lease',
    lab,
    from: /sent \+ this\.cfg\.renewDeadlineMs/g,
    to: 'sent + this.cfg.leaseDurationMs',
    fails: ['safeUnderFaults'],
    passes: ['oneHolder', 'leadsAgain'],
  },
  {
    name: 'a failed renew ignored: the holder keeps believing',
    lab,
    from: "      if (resp.ttl <= 0) throw new Error('lease expired');\n      // From the request, not the answer: etcd extended the lease no earlier than `sent`.\n      if (this.#leading) this.#deadline = sent + this.cfg.renewDeadlineMs;\n    } catch {\n      this.#stepDown();\n    }",
    to: "      if (resp.ttl <= 0) throw new Error('lease expired');\n      this.#deadline = Infinity;\n    } catch {\n      // a blip: try again next period\n    }",
    fails: ['safeUnderFaults'],
    passes: ['oneHolder'],
  },
  {
    name: 'isLeader ignores the deadline: the holder believes while its renew hangs',
    lab,
    from: 'return this.#leading && this.c.now() < this.#deadline;',
    to: 'return this.#leading;',
    fails: ['safeUnderFaults'],
    passes: ['oneHolder', 'leadsAgain'],
  },
  {
    name: 'the slowest safe rate predicted the wrong way round (lease / deadline)',
    lab,
    from: 'slowestSafeRate: 10 / 15,',
    to: 'slowestSafeRate: 15 / 10,',
    fails: ['predictsSkew'],
  },
]);
