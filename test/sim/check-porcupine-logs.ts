/**
 * Parsers for Porcupine v1.3.0's test logs (porcupine_test.go parseJepsenLog, parseKvLog), into
 * operations whose times are line numbers.
 */
import type { Operation } from '../../src/sim/check/linearizability';
import type { KvInput, KvOutput, RegisterInput, RegisterOutput } from '../../src/sim/check/models';

// Jepsen etcd logs: a register with read / write / cas; :info (timed out) operations never
// return. Upstream: porcupine_test.go (parseJepsenLog, etcdModel, TestEtcdJepsenNNN).
export type Reg = RegisterInput<number | null>;
export function parseJepsenLog(text: string): Array<Operation<Reg, RegisterOutput<number | null>>> {
  const ops: Array<Operation<Reg, RegisterOutput<number | null>>> = [];
  const open = new Map<number, number>();
  const lines = text.split('\n');
  lines.forEach((line, t) => {
    let m: RegExpMatchArray | null;
    const begin = (proc: number, input: Reg) => {
      open.set(proc, ops.length);
      ops.push({ clientId: proc, input, call: t, output: undefined, return: Infinity });
    };
    const end = (proc: number, output: RegisterOutput<number | null>) => {
      const k = open.get(proc)!;
      open.delete(proc);
      ops[k].output = output;
      ops[k].return = t;
    };
    if ((m = line.match(/^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:invoke\s+:read\s+nil$/))) begin(+m[1], { op: 'get' });
    else if ((m = line.match(/^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:invoke\s+:write\s+(\d+)$/))) begin(+m[1], { op: 'put', value: +m[2] });
    else if ((m = line.match(/^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:invoke\s+:cas\s+\[(\d+)\s+(\d+)\]$/))) begin(+m[1], { op: 'cas', from: +m[2], to: +m[3] });
    else if ((m = line.match(/^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:ok\s+:read\s+(nil|\d+)$/))) end(+m[1], m[2] === 'nil' ? null : +m[2]);
    else if ((m = line.match(/^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:ok\s+:write\s+(\d+)$/))) end(+m[1], undefined);
    else if ((m = line.match(/^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(ok|fail)\s+:cas\s+\[(\d+)\s+(\d+)\]$/))) end(+m[1], m[2] === 'ok');
    else if ((m = line.match(/^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:fail\s+:read\s+:timed-out$/))) {
      // A read that failed has no effect: leave it open (it may sit anywhere after its call).
      open.delete(+m[1]);
    }
  });
  return ops;
}

// Porcupine's kv logs (get / put / append, partitioned by key). Upstream: porcupine_test.go
// (parseKvLog, kvModel, TestKv1ClientOk ... TestKv10ClientsBad).
export function parseKvLog(text: string): Array<Operation<KvInput, KvOutput>> {
  const ops: Array<Operation<KvInput, KvOutput>> = [];
  const open = new Map<number, number>();
  text.split('\n').forEach((line, t) => {
    const m = line.match(/^\{:process (\d+), :type :(invoke|ok), :f :(get|put|append), :key "(.*)", :value (nil|"(.*)")\}$/);
    if (!m) return;
    const [, procText, type, f, key, , value] = m;
    const proc = +procText;
    if (type === 'invoke') {
      open.set(proc, ops.length);
      const input: KvInput = f === 'get' ? { op: 'get', key } : { op: f as 'put' | 'append', key, value: value! };
      ops.push({ clientId: proc, input, call: t, output: {}, return: Infinity });
    } else {
      const k = open.get(proc)!;
      open.delete(proc);
      // Porcupine's kv model starts each key at ""; ours at null (absent). No log writes "".
      ops[k].output = f === 'get' ? { value: value === '' ? null : value } : {};
      ops[k].return = t;
    }
  });
  return ops;
}

