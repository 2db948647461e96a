// Fidelity against a real etcd: starts Debian's etcd-server on loopback in a temporary data dir,
// runs one scripted sequence of etcdctl commands through `etcdctl -w json` and through the model
// (the same command lines, read by a small etcdctl-like reader below), and compares, field by
// field: header revisions, the four per-key numbers (create/mod revision, version, lease),
// values, count/more, txn `succeeded` and its responses, lease TTLs, watch responses (events,
// prevKv, compactRevision, canceled) and error texts. Lease IDs differ by nature (they hold the
// start time); they are matched by grant order, and the gaps between consecutive IDs (how many
// requests the server drew IDs for in between) are compared too.
//
// `.ci/run` installs etcd-server and etcd-client; without them (outside CI) the test is skipped
// with a loud notice. Every difference found is listed in src/sim/etcd/README.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, newEtcd, settle, type Etcd, type EtcdKeyValue, type EtcdWatchResponse } from '../../src/sim/index';

const ci = process.env.CI === 'true' || process.env.CI === '1';

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

const ETCD = which('etcd');
const ETCDCTL = which('etcdctl');
const haveEtcd = ETCD !== undefined && ETCDCTL !== undefined;

if (!haveEtcd && !ci) {
  console.warn(
    `\n${'!'.repeat(78)}\n!!! ETCD DIFFERENTIAL TEST SKIPPED: no etcd/etcdctl on PATH.\n!!! Install them with: apt-get install -y etcd-server etcd-client\n!!! (under CI=true this fails)\n${'!'.repeat(78)}\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// The script. `{name}` / `{name+1}` are revisions saved by earlier steps (`save`), `$L1` a lease
// granted by a step with `lease: 'L1'` (hex, as etcdctl takes lease IDs).

interface Step {
  cmd: string;
  /** stdin (txn). */
  input?: string;
  /** Save the response's header revision under this name. */
  save?: string;
  /** Remember the granted lease under this name. */
  lease?: string;
}

const script: Step[] = [
  // puts, overwrites, prevKv
  { cmd: 'put foo bar' },
  { cmd: 'put foo baz --prev-kv', save: 'fooV2' },
  { cmd: 'get foo' },
  { cmd: 'get nothing' },
  { cmd: 'put foo1 a' },
  { cmd: 'put foo2 b' },
  { cmd: 'put fop c' },
  { cmd: 'put "héllo/ключ" "значение ✓"' },
  // prefix, range, from-key, limit, keys-only, sort
  { cmd: 'get foo --prefix' },
  { cmd: 'get foo --prefix --limit=2' },
  { cmd: 'get foo --prefix --keys-only' },
  { cmd: 'get foo fop' },
  { cmd: 'get foo1 --from-key --limit=2' },
  { cmd: 'get "" --prefix --sort-by=MODIFY --order=DESCEND' },
  { cmd: 'get f --prefix --sort-by=VERSION' },
  { cmd: 'get f --prefix --sort-by=CREATE --order=DESCEND --limit=2' },
  { cmd: 'get h --prefix' },
  // reads at a revision
  { cmd: 'get foo --rev={fooV2-1}' },
  { cmd: 'get foo --prefix --rev={fooV2}' },
  { cmd: 'get foo --rev=999' },
  // deletes
  { cmd: 'del foo1 --prev-kv', save: 'delFoo1' },
  { cmd: 'del nothing' },
  { cmd: 'put foo1 again' },
  { cmd: 'get foo1' },
  { cmd: 'get foo1 --rev={delFoo1-1}' },
  { cmd: 'get foo1 --rev={delFoo1}' },
  { cmd: 'del foo2 fop --prev-kv' },
  // txns that succeed and fail
  { cmd: 'txn', input: 'mod("foo") = "{fooV2}"\n\nput foo t1\nput bar t2\nget foo --prefix\n\nget foo\n\n' },
  { cmd: 'txn', input: 'value("foo") = "nope"\n\nput foo never\n\nget foo\ndel fop --prev-kv\nput zed z\n\n' },
  { cmd: 'txn', input: 'create("missing") = "0"\nversion("foo") > "1"\n\nput missing m\n\n\n' },
  { cmd: 'txn', input: 'value("missing") != "m"\n\n\nget missing\n\n' },
  { cmd: 'txn', input: '\nget missing --keys-only\nget foo --prefix --limit=1\n\n\n' },
  { cmd: 'txn', input: 'version("zed") < "5"\nmod("bar") > "0"\n\ndel bar\nget bar\n\n\n' },
  { cmd: 'txn', input: '\nput dup 1\ndel dup\n\n\n' },
  { cmd: 'txn', input: '\nput dup 1\nput dup 2\n\n\n' },
  { cmd: 'txn', input: '\nput d1 1\ndel d --prefix\n\n\n' },
  { cmd: 'txn', input: '\nget foo --rev=999\nput never x\n\n\n' },
  { cmd: 'txn', input: '\nput foo x --lease=ffff\n\n\n' },
  { cmd: 'get "" --prefix', save: 'beforeWatch' },
  // watches from old revisions (history, prevKv) and from the next revision (live)
  { cmd: 'watch W1 --rev=1 --prefix foo --prev-kv' },
  { cmd: 'watch W2 --rev={beforeWatch+1} --prefix "" --prev-kv' },
  { cmd: 'watch W3 --rev={fooV2} foo' },
  // leases
  { cmd: 'lease grant 30', lease: 'L1' },
  { cmd: 'lease grant 60', lease: 'L2' },
  { cmd: 'put lk2 v --lease=$L1' },
  { cmd: 'put lk1 v --lease=$L1' },
  { cmd: 'put lk1 v2 --lease=$L1 --prev-kv' },
  { cmd: 'get lk --prefix' },
  { cmd: 'lease keep-alive --once $L1' },
  { cmd: 'lease timetolive $L1 --keys' },
  { cmd: 'lease timetolive ffff' },
  { cmd: 'txn', input: 'version("lk1") = "2"\n\nput lk1 v3 --ignore-lease\n\n\n' },
  { cmd: 'put lk1 --ignore-value --ignore-lease' },
  { cmd: 'put nokey --ignore-value' },
  { cmd: 'lease revoke $L1' },
  { cmd: 'get lk --prefix' },
  { cmd: 'put x y --lease=ffff' },
  { cmd: 'lease revoke ffff' },
  { cmd: 'lease keep-alive --once ffff' },
  { cmd: 'lease grant 9000000001' },
  { cmd: 'lease revoke $L2' },
  // lease expiry on time: L3 (TTL 1 -> the minimum, 2 s) deletes lk3 and lk4 in one revision
  { cmd: 'lease grant 1', lease: 'L3' },
  { cmd: 'put lk4 v --lease=$L3' },
  { cmd: 'put lk3 v --lease=$L3' },
  { cmd: 'wait-until-gone lk3' },
  { cmd: 'get lk --prefix', save: 'afterExpiry' },
  { cmd: 'watch-check W1' },
  { cmd: 'watch-check W2' },
  { cmd: 'watch-check W3' },
  // compaction, reads and watches below it
  { cmd: 'compaction {delFoo1}' },
  { cmd: 'get foo --rev={delFoo1-1}' },
  { cmd: 'get foo --prefix --rev={delFoo1}' },
  { cmd: 'compaction {delFoo1}' },
  { cmd: 'compaction {delFoo1-2}' },
  { cmd: 'compaction 999' },
  { cmd: 'txn', input: '\nget foo --rev=2\nput never x\n\n\n' },
  { cmd: 'txn', input: '\nget foo --rev={delFoo1}\n\n\n' },
  { cmd: 'watch W4 --rev=2 foo' },
  { cmd: 'watch W5 --rev={delFoo1} --prefix foo --prev-kv' },
  { cmd: 'watch-check W4' },
  { cmd: 'watch-check W5' },
  { cmd: 'watch W7 --rev={afterExpiry+1} b a' },
  { cmd: 'watch-check W7' },
  { cmd: 'compaction {afterExpiry}' },
  { cmd: 'get "" --prefix' },
];

/**
 * Differences the model keeps on purpose, each listed in src/sim/etcd/README.md: a step shows one
 * only if `explains` accounts for all of it. One that stops showing fails the test.
 */
const knownDifferences: Array<{ id: string; step: string; explains: (real: Result, model: Result, saved: Map<string, number>) => boolean }> = [
  {
    // etcd before 3.5.16 (Debian's 3.4.23) drops a tombstone whose revision is the compaction
    // revision; v3.6.0 keeps it (commit bbdc941, "keep tombstone if revision == compactAtRev"),
    // so a watch from the compaction revision still sees that DELETE (without prevKv: the
    // revision before it is compacted).
    id: 'tombstone at the compaction revision',
    step: 'watch-check W5',
    explains: (real, model, saved) => {
      const compactRev = saved.get('delFoo1');
      const strip = (res: Result) =>
        JSON.stringify({
          ...res,
          responses: (res.responses as NWatch[]).map((w) => ({ ...w, events: w.events.filter((e) => !(e.type === 'DELETE' && e.kv.mod === compactRev && e.prevKv === undefined)) })),
        });
      return strip(model) === JSON.stringify(real) && JSON.stringify(model) !== JSON.stringify(real);
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Normalized results, the same shape from both sides.

type NKV = { key: string; value: string; create: number; mod: number; version: number; lease: string | number };
type NWatch = { revision: number; compactRevision: number; canceled: boolean; events: Array<{ type: string; kv: NKV; prevKv?: NKV }> };
type Result = Record<string, unknown>;

/** Splits a command line as a shell would (double quotes only). */
function argify(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2]);
  return out;
}

interface Flags {
  pos: string[];
  [flag: string]: string | boolean | string[];
}

function parseFlags(args: string[]): Flags {
  const f: Flags = { pos: [] };
  for (const a of args) {
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      f[k] = v ?? true;
    } else f.pos.push(a);
  }
  return f;
}

/** Quotes integers too large for a double, so lease IDs survive JSON.parse. */
function parseJSON(text: string): any {
  return JSON.parse(text.replace(/([:\[,]\s*)(\d{16,})/g, '$1"$2"'));
}

/** Splits concatenated JSON values (etcdctl watch prints one per response). */
function splitJSON(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}') {
      if (--depth === 0) out.push(text.slice(start, i + 1));
    }
  }
  return out;
}

const b64 = (s: string | undefined) => (s === undefined ? '' : Buffer.from(s, 'base64').toString('utf8'));

// ---------------------------------------------------------------------------------------------
// The real etcd.

class RealSide {
  readonly leases = new Map<string, string>(); // name -> decimal ID
  readonly leaseOrder: string[] = [];
  readonly watches = new Map<string, { proc: ChildProcess; out: string; err: string }>();

  constructor(readonly endpoint: string) {}

  leaseName(id: string | number | undefined): string | number {
    if (id === undefined || id === 0 || id === '0') return 0;
    const i = this.leaseOrder.indexOf(String(id));
    return i < 0 ? `unknown:${id}` : `L#${i + 1}`;
  }

  kv(kv: any): NKV {
    return {
      key: b64(kv.key),
      value: b64(kv.value),
      create: Number(kv.create_revision ?? 0),
      mod: Number(kv.mod_revision ?? 0),
      version: Number(kv.version ?? 0),
      lease: this.leaseName(kv.lease),
    };
  }

  hex(name: string): string {
    const id = this.leases.get(name);
    return id === undefined ? 'ffff' : BigInt(id).toString(16);
  }

  ctl(args: string[], input?: string): { ok: boolean; stdout: string; error: string } {
    const r = spawnSync(ETCDCTL!, ['--endpoints', this.endpoint, '-w', 'json', '--command-timeout=5s', ...args], {
      input,
      encoding: 'utf8',
      env: { ...process.env, ETCDCTL_API: '3' },
      timeout: 10_000,
    });
    const errLine = (r.stderr ?? '')
      .split('\n')
      .filter((l) => l.startsWith('Error:'))
      .pop();
    const m = errLine?.match(/((?:etcdserver|mvcc): [^)]*)/);
    return { ok: r.status === 0, stdout: r.stdout ?? '', error: m ? m[1] : (errLine ?? `exit ${r.status}`) };
  }

  async run(args: string[], input: string | undefined, step: Step): Promise<Result> {
    const [cmd, sub] = args;
    if (cmd === 'watch') return this.#watchStart(args.slice(1), step);
    if (cmd === 'watch-check') return this.#watchCheck(args[1], step);
    if (cmd === 'wait-until-gone') {
      const t0 = Date.now();
      while (Date.now() - t0 < 6000) {
        const r = this.ctl(['get', args[1]]);
        if (r.ok && !parseJSON(r.stdout).kvs) return { gone: true };
        await new Promise((res) => setTimeout(res, 50));
      }
      return { gone: false };
    }
    const r = this.ctl(args, input);
    if (!r.ok) return { error: r.error };
    if (cmd === 'compaction') return { compacted: true };
    const j = parseJSON(r.stdout);
    const rev = Number(j.header?.revision ?? j.revision ?? 0);
    switch (cmd) {
      case 'put':
        return { rev, ...(j.prev_kv ? { prevKv: this.kv(j.prev_kv) } : {}) };
      case 'get':
        return { rev, kvs: (j.kvs ?? []).map((kv: any) => this.kv(kv)), count: Number(j.count ?? 0), more: !!j.more };
      case 'del':
        return { rev, deleted: Number(j.deleted ?? 0), prevKvs: (j.prev_kvs ?? []).map((kv: any) => this.kv(kv)) };
      case 'txn':
        return {
          rev,
          succeeded: !!j.succeeded,
          responses: (j.responses ?? []).map((x: any) => {
            const o = x.Response;
            if (o.ResponsePut) return { put: { rev: Number(o.ResponsePut.header?.revision ?? 0), ...(o.ResponsePut.prev_kv ? { prevKv: this.kv(o.ResponsePut.prev_kv) } : {}) } };
            if (o.ResponseRange) {
              const g = o.ResponseRange;
              return { range: { rev: Number(g.header?.revision ?? 0), kvs: (g.kvs ?? []).map((kv: any) => this.kv(kv)), count: Number(g.count ?? 0), more: !!g.more } };
            }
            const d = o.ResponseDeleteRange;
            return { del: { rev: Number(d.header?.revision ?? 0), deleted: Number(d.deleted ?? 0), prevKvs: (d.prev_kvs ?? []).map((kv: any) => this.kv(kv)) } };
          }),
        };
      case 'lease':
        if (sub === 'grant') {
          this.leases.set(step.lease!, String(j.ID));
          this.leaseOrder.push(String(j.ID));
          return { ttl: Number(j.TTL) };
        }
        if (sub === 'revoke') return { rev };
        if (sub === 'keep-alive') return { ttl: Number(j.TTL) };
        if (sub === 'timetolive') return { ttl: Number(j.ttl), granted: Number(j['granted-ttl'] ?? 0), keys: (j.keys ?? []).map(b64).sort() };
    }
    throw new Error(`unknown command ${args.join(' ')}`);
  }

  async #watchStart(args: string[], step: Step & { expect?: { events: number; canceled: boolean } }): Promise<Result> {
    const [name, ...rest] = args;
    const proc = spawn(ETCDCTL!, ['--endpoints', this.endpoint, '-w', 'json', 'watch', ...rest], { env: { ...process.env, ETCDCTL_API: '3' } });
    const w = { proc, out: '', err: '' };
    proc.stdout!.on('data', (d) => (w.out += String(d)));
    proc.stderr!.on('data', (d) => (w.err += String(d)));
    this.watches.set(name, w);
    // Wait for what the model's watch got from the history, so later writes arrive live here too.
    await settled(w, step.expect!, 300);
    return { started: true };
  }

  async #watchCheck(name: string, step: Step & { expect?: { events: number; canceled: boolean } }): Promise<Result> {
    const w = this.watches.get(name)!;
    const parse = () => splitJSON(w.out).map((s) => parseJSON(s));
    await settled(w, step.expect!, 150);
    w.proc.kill('SIGKILL');
    const responses: NWatch[] = parse().map((r) => ({
      revision: Number(r.Header?.revision ?? 0),
      compactRevision: Number(r.CompactRevision ?? 0),
      canceled: !!r.Canceled,
      events: (r.Events ?? []).map((e: any) => ({ type: e.type === 1 ? 'DELETE' : 'PUT', kv: this.kv(e.kv), ...(e.prev_kv ? { prevKv: this.kv(e.prev_kv) } : {}) })),
    }));
    const reason = w.err.match(/watch was canceled \(([^)]*)\)/)?.[1];
    return { responses, ...(reason ? { err: reason } : {}) };
  }
}

/**
 * Waits until an etcdctl watch has printed what the model's watch got (then `quietMs` more, to
 * catch anything extra), or has been quiet for 300 ms after printing something, or 3 s passed.
 */
async function settled(w: { out: string }, want: { events: number; canceled: boolean }, quietMs: number): Promise<void> {
  const t0 = Date.now();
  let last = w.out;
  let lastChange = Date.now();
  while (Date.now() - t0 < 3000) {
    const rs = splitJSON(w.out).map((x) => parseJSON(x));
    const events = rs.reduce((n, r) => n + (r.Events?.length ?? 0), 0);
    const canceled = rs.some((r) => r.Canceled);
    if (w.out !== last) {
      last = w.out;
      lastChange = Date.now();
    }
    if (events >= want.events && canceled === want.canceled && Date.now() - lastChange >= quietMs) return;
    if (w.out.length > 0 && Date.now() - lastChange >= 300) return;
    await new Promise((res) => setTimeout(res, 20));
  }
}

// ---------------------------------------------------------------------------------------------
// The model, driven by the same command lines.

class ModelSide {
  readonly clock = new FakeClock();
  readonly etcd: Etcd = newEtcd({ clock: this.clock });
  readonly leases = new Map<string, number>();
  readonly leaseOrder: number[] = [];
  readonly watches = new Map<string, EtcdWatchResponse[]>();

  leaseName(id: number): string | number {
    if (!id) return 0;
    const i = this.leaseOrder.indexOf(id);
    return i < 0 ? `unknown:${id}` : `L#${i + 1}`;
  }

  kv(kv: EtcdKeyValue): NKV {
    return { key: kv.key, value: kv.value, create: kv.createRevision, mod: kv.modRevision, version: kv.version, lease: this.leaseName(kv.lease) };
  }

  hex(name: string): string {
    const id = this.leases.get(name);
    return id === undefined ? 'ffff' : id.toString(16);
  }

  /** etcdctl's key/range arguments and flags as model options. */
  #range(f: Flags) {
    const o: Record<string, unknown> = {};
    if (f.prefix) o.prefix = true;
    if (f['from-key']) o.fromKey = true;
    if (f.pos[1] !== undefined) o.rangeEnd = f.pos[1];
    return o;
  }

  #getOpts(f: Flags) {
    const o: Record<string, unknown> = this.#range(f);
    if (f.rev) o.revision = Number(f.rev);
    if (f.limit) o.limit = Number(f.limit);
    if (f['keys-only']) o.keysOnly = true;
    const target = { CREATE: 'CREATE', KEY: 'KEY', MODIFY: 'MOD', VALUE: 'VALUE', VERSION: 'VERSION' }[String(f['sort-by'] ?? '')];
    if (target || f.order) {
      o.sortTarget = target ?? 'KEY';
      o.sortOrder = f.order ? String(f.order) : 'NONE';
    }
    return o;
  }

  #putOpts(f: Flags) {
    const o: Record<string, unknown> = {};
    if (f.lease) o.lease = parseInt(String(f.lease), 16);
    if (f['prev-kv']) o.prevKv = true;
    if (f['ignore-value']) o.ignoreValue = true;
    if (f['ignore-lease']) o.ignoreLease = true;
    return o;
  }

  #op(line: string): unknown {
    const [cmd, ...rest] = argify(line);
    const f = parseFlags(rest);
    if (cmd === 'get') return { get: { key: f.pos[0], ...this.#getOpts(f) } };
    if (cmd === 'put') return { put: { key: f.pos[0], value: f.pos[1] ?? (f['ignore-value'] ? undefined : ''), ...this.#putOpts(f) } };
    return { delete: { key: f.pos[0], ...this.#range(f), prevKv: !!f['prev-kv'] } };
  }

  #compare(line: string): unknown {
    const m = line.match(/^(\w+)\("([^"]*)"\) (\S+) "([^"]*)"$/)!;
    const target = { ver: 'VERSION', version: 'VERSION', c: 'CREATE', create: 'CREATE', m: 'MOD', mod: 'MOD', val: 'VALUE', value: 'VALUE' }[m[1]]!;
    return { key: m[2], target, result: m[3], value: target === 'VALUE' ? m[4] : Number(m[4]) };
  }

  async run(args: string[], input: string | undefined, step: Step): Promise<Result> {
    const [cmd, sub] = args;
    const e = this.etcd;
    try {
      switch (cmd) {
        case 'put': {
          const f = parseFlags(args.slice(1));
          const r = await e.put(f.pos[0], f.pos[1] ?? '', this.#putOpts(f));
          return { rev: r.header.revision, ...(r.prevKv ? { prevKv: this.kv(r.prevKv) } : {}) };
        }
        case 'get': {
          const f = parseFlags(args.slice(1));
          const r = await e.get(f.pos[0], this.#getOpts(f));
          return { rev: r.header.revision, kvs: r.kvs.map((kv) => this.kv(kv)), count: r.count, more: r.more };
        }
        case 'del': {
          const f = parseFlags(args.slice(1));
          const r = await e.delete(f.pos[0], { ...this.#range(f), prevKv: !!f['prev-kv'] });
          return { rev: r.header.revision, deleted: r.deleted, prevKvs: r.prevKvs.map((kv) => this.kv(kv)) };
        }
        case 'txn': {
          // etcdctl reads compares, then success ops, then failure ops, each up to an empty line.
          const lines = input!.split('\n');
          const block = () => {
            const out: string[] = [];
            while (lines.length > 0) {
              const l = lines.shift()!;
              if (l === '') break;
              out.push(l);
            }
            return out;
          };
          const [cmps, then, els] = [block(), block(), block()];
          const r = await e.txn({ compare: cmps.map((l) => this.#compare(l)) as any, success: then.map((l) => this.#op(l)) as any, failure: (els ?? []).map((l) => this.#op(l)) as any });
          return {
            rev: r.header.revision,
            succeeded: r.succeeded,
            responses: r.responses.map((x) => {
              if ('responsePut' in x) return { put: { rev: x.responsePut.header.revision, ...(x.responsePut.prevKv ? { prevKv: this.kv(x.responsePut.prevKv) } : {}) } };
              if ('responseRange' in x) {
                const g = x.responseRange;
                return { range: { rev: g.header.revision, kvs: g.kvs.map((kv) => this.kv(kv)), count: g.count, more: g.more } };
              }
              const d = (x as { responseDeleteRange: { header: { revision: number }; deleted: number; prevKvs: EtcdKeyValue[] } }).responseDeleteRange;
              return { del: { rev: d.header.revision, deleted: d.deleted, prevKvs: d.prevKvs.map((kv) => this.kv(kv)) } };
            }),
          };
        }
        case 'compaction':
          await e.compact(Number(args[1]));
          return { compacted: true };
        case 'lease': {
          const id = args[2] === undefined ? 0 : parseInt(args[2], 16);
          if (sub === 'grant') {
            const r = await e.leaseGrant(Number(args[2]));
            this.leases.set(step.lease!, r.id);
            this.leaseOrder.push(r.id);
            return { ttl: r.ttl };
          }
          if (sub === 'revoke') return { rev: (await e.leaseRevoke(id)).header.revision };
          if (sub === 'keep-alive') return { ttl: (await e.leaseKeepAlive(parseInt(args[3], 16))).ttl };
          if (sub === 'timetolive') {
            const r = await e.leaseTimeToLive(id, { keys: args.includes('--keys') });
            return { ttl: r.ttl, granted: r.grantedTtl, keys: r.keys.slice().sort() };
          }
          break;
        }
        case 'wait-until-gone': {
          for (let i = 0; i < 60; i++) {
            if ((await e.get(args[1], { serializable: true })).kvs.length === 0) return { gone: true };
            this.clock.step(100);
            await settle();
          }
          return { gone: false };
        }
        case 'watch': {
          const [name, ...rest] = args.slice(1);
          const f = parseFlags(rest);
          const got: EtcdWatchResponse[] = [];
          this.watches.set(name, got);
          const startRevision = f.rev ? Number(f.rev) : 0;
          e.watch(f.pos[0], { ...this.#range(f), startRevision, prevKv: !!f['prev-kv'] }, (r) => {
            got.push(r);
          });
          // A watch from the history syncs at the next 100 ms tick; let it, so later writes
          // arrive as live events on both sides.
          if (startRevision !== 0 && startRevision <= e.revision) this.clock.step(100);
          await settle();
          (step as { expect?: unknown }).expect = { events: got.reduce((n, r) => n + r.events.length, 0), canceled: got.some((r) => r.canceled) };
          return { started: true };
        }
        case 'watch-check': {
          this.clock.step(100);
          await settle();
          const got = this.watches.get(args[1])!;
          const responses: NWatch[] = got.map((r) => ({
            revision: r.header.revision,
            compactRevision: r.compactRevision,
            canceled: r.canceled,
            events: r.events.map((ev) => ({ type: ev.type, kv: this.kv(ev.kv), ...(ev.prevKv ? { prevKv: this.kv(ev.prevKv) } : {}) })),
          }));
          (step as { expect?: unknown }).expect = { events: responses.reduce((n, r) => n + r.events.length, 0), canceled: responses.some((r) => r.canceled) };
          const err = got.find((r) => r.err)?.err?.message;
          return { responses, ...(err ? { err } : {}) };
        }
      }
    } catch (err) {
      return { error: (err as Error).message };
    }
    throw new Error(`unknown command ${args.join(' ')}`);
  }
}

// ---------------------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function fill(text: string, saved: Map<string, number>, leaseHex: (name: string) => string): string {
  return text
    .replace(/\{(\w+)([+-]\d+)?\}/g, (_, name: string, delta?: string) => {
      const v = saved.get(name);
      if (v === undefined) throw new Error(`no saved revision ${name}`);
      return String(v + Number(delta ?? 0));
    })
    .replace(/\$(L\d+)/g, (_, name: string) => leaseHex(name));
}

(haveEtcd || ci ? describe : describe.skip)('the etcd model against a real etcd (etcdctl -w json)', () => {
  let server: ChildProcess | undefined;
  let dataDir = '';
  let endpoint = '';
  let serverLog = '';

  beforeAll(async () => {
    if (!haveEtcd) throw new Error('CI=true but etcd/etcdctl are missing: apt-get install -y etcd-server etcd-client');
    dataDir = mkdtempSync(join(tmpdir(), 'kubelab-etcd-'));
    const [client, peer] = [await freePort(), await freePort()];
    endpoint = `http://127.0.0.1:${client}`;
    const peerUrl = `http://127.0.0.1:${peer}`;
    server = spawn(ETCD!, [
      '--name', 'kubelab',
      '--data-dir', dataDir,
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peerUrl,
      '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `kubelab=${peerUrl}`,
    ]);
    server.stdout!.on('data', (d) => (serverLog += String(d)));
    server.stderr!.on('data', (d) => (serverLog += String(d)));
    const t0 = Date.now();
    for (;;) {
      const r = spawnSync(ETCDCTL!, ['--endpoints', endpoint, '--dial-timeout=500ms', '--command-timeout=1s', 'get', 'x'], { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'utf8' });
      if (r.status === 0) break;
      if (Date.now() - t0 > 15_000 || server.exitCode !== null) throw new Error(`etcd did not start:\n${serverLog.slice(-2000)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }, 20_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((res) => server!.once('exit', res));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((res) => setTimeout(res, 3000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the same revisions, key-values, txn results, lease TTLs, watch responses and error texts', async () => {
    const real = new RealSide(endpoint);
    const model = new ModelSide();
    const saved = new Map<string, number>();
    const diffs: string[] = [];
    const seenKnown = new Set<string>();
    const wallStart = Date.now();
    try {
      for (const step of script) {
        // The model's clock follows the wall clock (lease TTLs left, expiry), never backwards.
        model.clock.setTime(Math.max(model.clock.now(), Date.now() - wallStart));
        await settle();
        const realArgs = argify(fill(step.cmd, saved, (n) => real.hex(n)));
        const modelArgs = argify(fill(step.cmd, saved, (n) => model.hex(n)));
        const realInput = step.input === undefined ? undefined : fill(step.input, saved, (n) => real.hex(n));
        const modelInput = step.input === undefined ? undefined : fill(step.input, saved, (n) => model.hex(n));
        // The model first: a watch check tells the real side how many events to wait for.
        const m = await model.run(modelArgs, modelInput, step);
        const r = await real.run(realArgs, realInput, step);
        if (step.save) saved.set(step.save, Number(r.rev ?? 0));
        const label = `${step.cmd}${step.input ? ` <<< ${JSON.stringify(step.input)}` : ''}`;
        if (process.env.ETCD_DIFF_VERBOSE) console.log(`${String(Date.now() - wallStart).padStart(6)} ms  ${label}\n    ${JSON.stringify(r)}`);
        if (JSON.stringify(r) === JSON.stringify(m)) continue;
        const known = knownDifferences.find((k) => k.step === step.cmd && k.explains(r, m, saved));
        if (known) seenKnown.add(known.id);
        else diffs.push(`${label}\n    real:  ${JSON.stringify(r)}\n    model: ${JSON.stringify(m)}`);
      }
      // Lease IDs: the gaps between consecutive grants count the requests the server drew IDs for.
      const realGaps = real.leaseOrder.slice(1).map((id, i) => Number(BigInt(id) - BigInt(real.leaseOrder[i])));
      const modelGaps = model.leaseOrder.slice(1).map((id, i) => id - model.leaseOrder[i]);
      if (process.env.ETCD_DIFF_VERBOSE) console.log(`lease ID gaps: real ${JSON.stringify(realGaps)}, model ${JSON.stringify(modelGaps)}`);
      if (JSON.stringify(realGaps) !== JSON.stringify(modelGaps)) diffs.push(`lease ID gaps\n    real:  ${JSON.stringify(realGaps)}\n    model: ${JSON.stringify(modelGaps)}`);
      for (const k of knownDifferences) {
        if (!seenKnown.has(k.id)) diffs.push(`the documented difference "${k.id}" no longer shows: drop it here and in src/sim/etcd/README.md`);
      }
    } finally {
      for (const w of real.watches.values()) w.proc.kill('SIGKILL');
    }
    expect(diffs, `differences from etcd ${spawnSync(ETCD!, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}:\n${diffs.join('\n')}`).toEqual([]);
  }, 40_000);
});
