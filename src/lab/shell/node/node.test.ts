// crictl and journalctl on a node's shell, over a real FakeContainerRuntime (src/sim/kubelet/cri)
// and klog lines as the kubelet's journal writes them. Output after cri-tools v1.34.0 and
// systemd's journalctl short format.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newTestRuntime, runPod } from '../../../sim/kubelet/cri/testing';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { registerNodeCommands, type NodeAccessor } from './index';
import { parseEntry, parseTimestamp, shortLine } from './journalctl';

function shellFor(accessor: NodeAccessor | (() => NodeAccessor | undefined)) {
  const shell = createShell();
  registerNodeCommands(shell, accessor);
  return async (line: string, signal?: AbortSignal) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const code = await shell.execute(line, io, signal ? { signal } : undefined);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

async function node() {
  const t = newTestRuntime();
  const web = await runPod(t, 'web', 'nginx:1.27');
  await t.advance(65_000);
  const crash = await runPod(t, 'crash', 'busybox:1.36', { command: ['sh', '-c', 'echo one; echo two; echo oops >&2; exit 1'] });
  await t.advance(5000);
  const run = shellFor({ name: 'node-1', now: () => t.clock.now(), runtime: t.rt });
  return { t, web, crash, run };
}

describe('crictl', () => {
  it('ps lists running containers, -a the exited ones too; -q prints full ids; --name and --state filter', async () => {
    const { web, crash, run } = await node();
    const ps = await run('crictl ps');
    expect(ps.code).toBe(0);
    expect(ps.out.split('\n')).toHaveLength(2);
    expect(ps.out.split('\n')[1]).toMatch(new RegExp(`^${web.containerId.slice(0, 13)} .* About a minute ago +Running +main +0 +${web.sandboxId.slice(0, 13)} +web +default$`));
    const all = (await run('crictl ps -a')).out.split('\n');
    expect(all.map((l) => l.slice(0, 13))).toEqual(['CONTAINER    ', crash.containerId.slice(0, 13), web.containerId.slice(0, 13)]);
    expect((await run('crictl ps -a -q')).out).toBe(`${crash.containerId}\n${web.containerId}`);
    expect((await run('crictl ps --state exited -q')).out).toBe(crash.containerId);
    expect((await run('crictl ps -a --namespace kube-system -q')).out).toBe('');
    expect((await run(`crictl ps -q -p ${crash.sandboxId.slice(0, 6)} --latest`)).out).toBe(crash.containerId);
    expect(await run('crictl ps --state sleeping')).toEqual({ code: 1, out: '', err: 'FATA[0000] --state should be one of created, running, exited or unknown' });
    expect((await run('crictl ps --bogus')).err).toBe('Incorrect Usage: flag provided but not defined: -bogus');
  });

  it('pods and images print the formatters\' tables', async () => {
    const { run, crash } = await node();
    const pods = (await run('crictl pods')).out.split('\n');
    expect(pods[0]).toBe('POD ID              CREATED              STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME');
    expect(pods[1]).toMatch(new RegExp(`^${crash.sandboxId.slice(0, 13)} {7}5 seconds ago {8}Ready {15}crash`));
    expect((await run('crictl pods --name ^web -q')).out).toMatch(/^[0-9a-f]{64}$/);
    const images = (await run('crictl images')).out;
    expect(images).toMatch(/^docker\.io\/library\/nginx {5}1\.27 {16}[0-9a-f]{13} {7}72\.2MB$/m);
    expect((await run('crictl img -q')).out.split('\n').every((l) => /^sha256:[0-9a-f]{64}$/.test(l))).toBe(true);
  });

  it('inspect and inspectp take id prefixes; several ids print a JSON array; a missing id is the runtime\'s NotFound', async () => {
    const { run, web, crash } = await node();
    const one = JSON.parse((await run(`crictl inspect ${crash.containerId.slice(0, 8)}`)).out);
    expect(one.status).toMatchObject({ id: crash.containerId, state: 'CONTAINER_EXITED', exitCode: 1 });
    const two = JSON.parse((await run(`crictl inspect ${crash.containerId.slice(0, 8)} ${web.containerId.slice(0, 8)}`)).out);
    expect(two.map((x: { status: { id: string } }) => x.status.id)).toEqual([crash.containerId, web.containerId]);
    expect(JSON.parse((await run(`crictl inspectp ${web.sandboxId.slice(0, 5)}`)).out).status).toMatchObject({ id: web.sandboxId, state: 'SANDBOX_READY' });
    expect(await run('crictl inspect 0000')).toEqual({
      code: 1,
      out: '',
      err: 'FATA[0000] get the status of containers: get container status: rpc error: code = NotFound desc = an error occurred when try to find container "0000": not found',
    });
    expect((await run('crictl inspect')).err).toBe('FATA[0000] ID cannot be empty');
  });

  it('logs prints the messages without the CRI prefix; --tail, --stream, -t, -p', async () => {
    const { run, crash } = await node();
    const id = crash.containerId.slice(0, 13);
    expect((await run(`crictl logs ${id}`)).out).toBe('one\ntwo\noops');
    expect((await run(`crictl logs --tail 1 ${id}`)).out).toBe('oops');
    expect((await run(`crictl logs --stream stderr ${id}`)).out).toBe('oops');
    expect((await run(`crictl logs -t --tail=1 ${id}`)).out).toMatch(/^2026-12-05T07:46:\d\d(\.\d+)?Z oops$/);
    expect((await run(`crictl logs --tail 1 --stream stdout ${id}`)).err).toBe('FATA[0000] --tail and --stream are mutually exclusive');
    expect((await run(`crictl logs -p ${id}`)).err).toBe('FATA[0000] previous terminated container main not found');
    expect((await run('crictl logs nope')).err).toBe('FATA[0000] rpc error: code = NotFound desc = an error occurred when try to find container "nope": not found');
  });

  it('logs -f follows a running container as time passes until Ctrl+C; an exited one ends at once', async () => {
    const t = newTestRuntime();
    const ticker = await runPod(t, 'ticker', 'busybox:1.36', { command: ['sh', '-c', 'while true; do echo tick; sleep 2; done'] });
    const crash = await runPod(t, 'crash', 'busybox:1.36', { command: ['sh', '-c', 'echo bye; exit 3'] });
    await t.advance(1000);
    const abort = new AbortController();
    const start = t.clock.now();
    const run = shellFor({
      name: 'node-1',
      now: () => t.clock.now(),
      runtime: t.rt,
      passTime: async (done, maxMs) => {
        const end = t.clock.now() + maxMs;
        while (!done() && t.clock.now() < end) await t.advance(250);
        // The user watches about five seconds, then presses Ctrl+C.
        if (t.clock.now() - start >= 5000) abort.abort();
      },
    });
    const before = t.rt.containerLog(ticker.containerId)!.length;
    const r = await run(`crictl logs -f ${ticker.containerId.slice(0, 8)}`, abort.signal);
    expect(r.code).toBe(0);
    // What was there, then a line every 2 s while the user watched (5 s): each printed once, in order.
    const after = t.rt.containerLog(ticker.containerId)!.length;
    expect(after - before).toBeGreaterThanOrEqual(2);
    expect(r.out.split('\n')).toEqual(Array(after).fill('tick'));
    expect(await run(`crictl logs -f ${crash.containerId.slice(0, 8)}`)).toEqual({ code: 0, out: 'bye', err: '' });
  });

  it('a node without a runtime socket, an unknown command, and help', async () => {
    const run = shellFor(() => undefined);
    expect((await run('crictl ps')).err).toMatch(/^FATA\[0000\] validate service connection: .*connect: no such file or directory"$/);
    const { run: r } = await node();
    expect((await r('crictl stats')).err).toBe("FATA[0000] No help topic for 'stats'");
    expect((await r('crictl')).out).toContain('crictl - client for CRI');
  });
});

// Lines as src/sim/kubelet/journal.ts (klogLine) writes them.
const JOURNAL = [
  'I1205 07:45:00.100000    1234 kubelet.go:2468] "SyncLoop ADD" source="api" pods=["default/web-0"]',
  'I1205 07:45:03.250000    1234 generic.go:358] "Generic (PLEG): container finished" podID="uid-web" containerID="abc" exitCode=1',
  'E1205 07:46:10.000000    1234 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"web\\" with CrashLoopBackOff: \\"back-off 10s restarting failed container=web pod=web-0_default(uid-web)\\"" pod="default/web-0" podUID="uid-web"',
  'I1205 07:50:00.000000    1234 kubelet.go:2474] "SyncLoop UPDATE" source="api" pods=["default/web-0"]',
];

describe('journalctl', () => {
  const at = Date.UTC(2026, 11, 5, 7, 55);
  const lines = [...JOURNAL];
  const run = shellFor({ name: 'node-1', now: () => at, journal: () => lines });

  it('prints the short format: time, hostname, kubelet[pid], then the klog line', async () => {
    const r = await run('journalctl -u kubelet');
    expect(r.out.split('\n')[0]).toBe('Dec 05 07:45:00 node-1 kubelet[1234]: I1205 07:45:00.100000    1234 kubelet.go:2468] "SyncLoop ADD" source="api" pods=["default/web-0"]');
    expect(r.out.split('\n')).toHaveLength(4);
    expect((await run('journalctl -u kubelet.service --no-pager -n 1')).out).toBe(`Dec 05 07:50:00 node-1 kubelet[1234]: ${JOURNAL[3]}`);
    expect((await run('journalctl -u kubelet -n2 -r -o cat')).out).toBe(`${JOURNAL[3]}\n${JOURNAL[2]}`);
    expect((await run('journalctl -u kubelet --no-hostname -n 1')).out).toBe(`Dec 05 07:50:00 kubelet[1234]: ${JOURNAL[3]}`);
  });

  it('--since and --until select by the entry time; other units have no entries', async () => {
    expect((await run('journalctl -u kubelet --since "2026-12-05 07:46:00" -o cat')).out).toBe(`${JOURNAL[2]}\n${JOURNAL[3]}`);
    expect((await run('journalctl -u kubelet --since "-6 min" -o cat')).out).toBe(JOURNAL[3]);
    expect((await run('journalctl -u kubelet --since "10 min ago" --until 07:46 -o cat')).out).toBe(`${JOURNAL[0]}\n${JOURNAL[1]}`);
    expect((await run('journalctl -u containerd')).out).toBe('-- No entries --');
    expect(await run('journalctl -u kubelet --since soon')).toEqual({ code: 1, out: '', err: 'Failed to parse timestamp: soon' });
    // -n's argument is optional: a word that is not a number is a journal match instead.
    expect((await run('journalctl -u kubelet -n abc')).err).toBe("Failed to add match 'abc': Invalid argument");
    expect((await run('journalctl _SYSTEMD_UNIT=kubelet.service -n 1 -o cat')).out).toBe(JOURNAL[3]);
    expect((await run('journalctl --bogus')).err).toBe("journalctl: unrecognized option '--bogus'");
  });

  it('-f prints the last 10 lines, then new ones as time passes, until Ctrl+C', async () => {
    const live = [...JOURNAL];
    let now = at;
    const abort = new AbortController();
    const follow = shellFor({
      name: 'node-1',
      now: () => now,
      journal: () => live,
      passTime: async (done, maxMs) => {
        // The kubelet logs one line 30 s later; then the user presses Ctrl+C.
        if (live.length === JOURNAL.length) {
          now += 30_000;
          live.push('I1205 07:55:30.000000    1234 kubelet.go:2480] "SyncLoop REMOVE" source="api" pods=["default/web-0"]');
        } else {
          now += maxMs;
          abort.abort();
        }
        expect(done()).toBe(true);
      },
    });
    const r = await follow('journalctl -u kubelet -f', abort.signal);
    expect(r.out.split('\n')).toHaveLength(5);
    expect(r.out.split('\n')[4]).toBe('Dec 05 07:55:30 node-1 kubelet[1234]: I1205 07:55:30.000000    1234 kubelet.go:2480] "SyncLoop REMOVE" source="api" pods=["default/web-0"]');
  });
});

// Upstream: systemd src/test/test-time-util.c (test_parse_timestamp), the forms the labs use
describe('parseTimestamp', () => {
  const now = Date.UTC(2026, 11, 5, 7, 55, 30);
  it.each([
    ['now', now],
    ['today', Date.UTC(2026, 11, 5)],
    ['yesterday', Date.UTC(2026, 11, 4)],
    ['2026-12-05 07:46:00', Date.UTC(2026, 11, 5, 7, 46)],
    ['2026-12-04', Date.UTC(2026, 11, 4)],
    ['07:46', Date.UTC(2026, 11, 5, 7, 46)],
    ['-5m', now - 300_000],
    ['+1h', now + 3_600_000],
    ['2 hours ago', now - 7_200_000],
  ])('%s', (text, want) => {
    expect(parseTimestamp(text, now)).toBe(want);
  });
  it('rejects what it cannot read', () => {
    expect(parseTimestamp('soon', now)).toBeUndefined();
    expect(parseTimestamp('5 fortnights ago', now)).toBeUndefined();
  });
});

// journalctl reads back the time and pid klog wrote: for any virtual time in the year and any
// pid, the short line's stamp is that time to the second and the identifier is kubelet[pid].
describe('journal entry properties', () => {
  const klog = (tMs: number, pid: number) => {
    const d = new Date(tMs);
    const two = (n: number) => String(n).padStart(2, '0');
    const micros = String((tMs % 1000) * 1000).padStart(6, '0');
    return `I${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros} ${String(pid).padStart(7)} kubelet.go:2468] "SyncLoop ADD"`;
  };
  it('parseEntry inverts the klog header; shortLine stamps it', () => {
    const start = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 * 86_400_000 }), fc.integer({ min: 1, max: 4_194_304 }), (offset, pid) => {
        const t = start + offset;
        const e = parseEntry(klog(t, pid), Date.UTC(2026, 11, 31));
        expect(e.timeMs).toBe(t);
        expect(e.pid).toBe(String(pid));
        const d = new Date(t);
        expect(shortLine(e, 'node-1')).toMatch(new RegExp(`^[A-Z][a-z]{2} ${String(d.getUTCDate()).padStart(2, '0')} \\d\\d:\\d\\d:\\d\\d node-1 kubelet\\[${pid}\\]: I`));
      }),
      { numRuns: 200 },
    );
  });
});
