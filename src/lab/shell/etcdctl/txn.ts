/**
 * `etcdctl txn` and `etcdctl compaction`. A txn is read from standard input in etcdctl's own
 * syntax — compares, a blank line, success requests, a blank line, failure requests — which the
 * lab's terminal takes from a file: `etcdctl txn < txn.txt` (it has no interactive stdin; `-i`
 * only prints the prompts, as etcdctl does, between the parts it reads).
 * Upstream: etcd v3.6.0 etcdctl/ctlv3/command/txn_command.go (txnCommandFunc, readCompares,
 * readOps, parseRequestUnion, ParseCompare), compaction_command.go, printer_simple.go (Txn)
 */
import type { ShellIO } from '../registry';
import { EXIT_BAD_ARGS, EXIT_ERROR, EXIT_INVALID_INPUT, EtcdctlExit } from './exit';

export type TxnCompare = { key: string; target: 'VERSION' | 'CREATE' | 'MOD' | 'VALUE' | 'LEASE'; result: '=' | '!=' | '<' | '>'; value: string | number };
export type TxnOp = { put: { key: string; value: string; prevKv?: boolean } } | { get: { key: string; rangeEnd?: string; prefix?: boolean } } | { delete: { key: string; rangeEnd?: string; prefix?: boolean; prevKv?: boolean } };
export interface TxnScript {
  compare: TxnCompare[];
  success: TxnOp[];
  failure: TxnOp[];
}

/** Splits a line into words, honouring double and single quotes (etcdctl's Argify). */
export function argify(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : (m[2] ?? m[3]));
  return out;
}

const TARGETS: Record<string, TxnCompare['target']> = { ver: 'VERSION', version: 'VERSION', c: 'CREATE', create: 'CREATE', m: 'MOD', mod: 'MOD', val: 'VALUE', value: 'VALUE', lease: 'LEASE' };

// Upstream: txn_command.go (ParseCompare)
export function parseCompare(line: string): TxnCompare {
  const paren = line.indexOf('(');
  if (paren < 0) throw new EtcdctlExit(EXIT_INVALID_INPUT, `malformed comparison: ${line}`);
  const name = line.slice(0, paren);
  const m = /^\("((?:[^"\\]|\\.)*)"\) (\S+) "((?:[^"\\]|\\.)*)"$/.exec(line.slice(paren));
  if (!m) throw new EtcdctlExit(EXIT_INVALID_INPUT, `malformed comparison: ${line}; want ${name}("<key>") <op> "<value>"`);
  const key = JSON.parse(`"${m[1]}"`) as string;
  const op = m[2];
  const val = JSON.parse(`"${m[3]}"`) as string;
  const target = TARGETS[name];
  if (!target) throw new EtcdctlExit(EXIT_INVALID_INPUT, `malformed comparison: ${line} (unknown target ${name})`);
  if (op !== '=' && op !== '!=' && op !== '<' && op !== '>') throw new EtcdctlExit(EXIT_INVALID_INPUT, `invalid txn compare request: ${line}`);
  if (target === 'VALUE' || target === 'LEASE') return { key, target, result: op, value: target === 'LEASE' ? Number.parseInt(val, 10) : val };
  if (!/^-?\d+$/.test(val)) throw new EtcdctlExit(EXIT_INVALID_INPUT, `invalid txn compare request: ${line}`);
  return { key, target, result: op, value: Number(val) };
}

// Upstream: txn_command.go (parseRequestUnion: put, get, del with their own flags)
export function parseRequest(line: string): TxnOp {
  const args = argify(line);
  const bad = () => new EtcdctlExit(EXIT_INVALID_INPUT, `invalid txn request: ${line}`);
  if (args.length < 2) throw new EtcdctlExit(EXIT_INVALID_INPUT, `invalid txn compare request: ${line}`);
  const [cmd, ...rest] = args;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const pos = rest.filter((a) => !a.startsWith('--'));
  const known = (allowed: string[]) => [...flags].every((f) => allowed.includes(f));
  if (cmd === 'put') {
    if (pos.length !== 2 || !known(['--prev-kv'])) throw bad();
    return { put: { key: pos[0], value: pos[1], ...(flags.has('--prev-kv') ? { prevKv: true } : {}) } };
  }
  if (cmd === 'get') {
    if (pos.length < 1 || pos.length > 2 || !known(['--prefix'])) throw bad();
    return { get: { key: pos[0], ...(pos[1] !== undefined ? { rangeEnd: pos[1] } : {}), ...(flags.has('--prefix') ? { prefix: true } : {}) } };
  }
  if (cmd === 'del') {
    if (pos.length < 1 || pos.length > 2 || !known(['--prefix', '--prev-kv'])) throw bad();
    return { delete: { key: pos[0], ...(pos[1] !== undefined ? { rangeEnd: pos[1] } : {}), ...(flags.has('--prefix') ? { prefix: true } : {}), ...(flags.has('--prev-kv') ? { prevKv: true } : {}) } };
  }
  throw bad();
}

/** The three parts of a txn script; each ends at a blank line (or the end of the input). */
export function parseTxnScript(text: string): TxnScript {
  const lines = text.split('\n').map((l) => l.trim());
  const parts: string[][] = [[], [], []];
  let part = 0;
  for (const line of lines) {
    if (line === '') {
      // A blank line ends the part being read; blank lines before a part's first line end it empty too (as readCompares does).
      part++;
      if (part > 2) break;
      continue;
    }
    parts[part].push(line);
  }
  return { compare: parts[0].map(parseCompare), success: parts[1].map(parseRequest), failure: parts[2].map(parseRequest) };
}

interface KV {
  key: string;
  value: string;
}
interface TxnResult {
  succeeded: boolean;
  responses: Array<{ responseRange: { kvs: KV[] } } | { responsePut: { prevKv?: KV } } | { responseDeleteRange: { deleted: number; prevKvs: KV[] } } | Record<string, unknown>>;
}

/** Prints a txn response as etcdctl's simple printer does. Upstream: printer_simple.go (Txn, Put, Get, Del) */
export function printTxn(resp: TxnResult, io: ShellIO): void {
  io.print(resp.succeeded ? 'SUCCESS' : 'FAILURE');
  const kv = (k: KV) => {
    io.print(k.key);
    io.print(k.value);
  };
  for (const r of resp.responses) {
    io.print('');
    if ('responsePut' in r) {
      io.print('OK');
      const prev = (r as { responsePut: { prevKv?: KV } }).responsePut.prevKv;
      if (prev) kv(prev);
    } else if ('responseRange' in r) for (const k of (r as { responseRange: { kvs: KV[] } }).responseRange.kvs) kv(k);
    else if ('responseDeleteRange' in r) {
      const d = (r as { responseDeleteRange: { deleted: number; prevKvs: KV[] } }).responseDeleteRange;
      io.print(String(d.deleted));
      for (const k of d.prevKvs) kv(k);
    }
  }
}

export async function txn(
  etcd: { txn?(req: TxnScript): Promise<TxnResult> },
  call: <T>(fn: () => Promise<T>) => Promise<T>,
  pos: string[],
  interactive: boolean,
  stdin: string | undefined,
  io: ShellIO,
): Promise<number> {
  if (pos.length) throw new EtcdctlExit(EXIT_BAD_ARGS, 'txn command does not accept argument');
  if (stdin === undefined) {
    throw new EtcdctlExit(EXIT_INVALID_INPUT, 'EOF (txn reads its requests from standard input: write them to a file and run etcdctl txn < file; see help etcdctl)');
  }
  if (!etcd.txn) throw new EtcdctlExit(EXIT_ERROR, "this lab's etcd has no txn");
  const script = parseTxnScript(stdin);
  if (interactive) io.print('compares:\n\nsuccess requests (get, put, del):\n\nfailure requests (get, put, del):');
  const resp = await call(() => etcd.txn!(script));
  printTxn(resp, io);
  return 0;
}

// Upstream: compaction_command.go (compactionCommandFunc: "compacted revision <rev>")
export async function compaction(etcd: { compact?(rev: number): Promise<unknown> }, call: <T>(fn: () => Promise<T>) => Promise<T>, pos: string[], io: ShellIO): Promise<number> {
  if (pos.length !== 1) throw new EtcdctlExit(EXIT_BAD_ARGS, 'compaction command needs 1 argument');
  const rev = Number(pos[0]);
  if (!/^\d+$/.test(pos[0]) || rev <= 0) throw new EtcdctlExit(EXIT_BAD_ARGS, `strconv.ParseInt: parsing "${pos[0]}": invalid syntax`);
  if (!etcd.compact) throw new EtcdctlExit(EXIT_ERROR, "this lab's etcd cannot compact");
  await call(() => etcd.compact!(rev));
  io.print(`compacted revision ${rev}`);
  return 0;
}
