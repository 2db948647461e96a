import { describe, expect, it } from 'vitest';
import { crictlImages, crictlInspect, crictlLogs, crictlPods, crictlPs, getTruncatedID, humanDuration, humanSize, tabwrite } from './crictl';
import { newTestRuntime, runPod } from './testing';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('go-units formatting', () => {
  // Cases after github.com/docker/go-units duration_test.go (TestHumanDuration).
  it.each([
    [450, 'Less than a second'],
    [1 * S, '1 second'],
    [47 * S, '47 seconds'],
    [1 * M, 'About a minute'],
    [3 * M, '3 minutes'],
    [35 * M, '35 minutes'],
    [35 * M + 40 * S, '35 minutes'],
    [1 * H, 'About an hour'],
    [1 * H + 45 * M, '2 hours'],
    [3 * H, '3 hours'],
    [3 * H + 59 * M, '4 hours'],
    [3 * H + 60 * M, '4 hours'],
    [24 * H, '24 hours'],
    [24 * H + 12 * H, '36 hours'],
    [2 * 24 * H, '2 days'],
    [7 * 24 * H, '7 days'],
    [13 * 24 * H + 5 * H, '13 days'],
    [2 * 7 * 24 * H, '2 weeks'],
    [2 * 7 * 24 * H + 4 * 24 * H, '2 weeks'],
    [3 * 7 * 24 * H, '3 weeks'],
    [4 * 7 * 24 * H, '4 weeks'],
    [4 * 7 * 24 * H + 3 * 24 * H, '4 weeks'],
    [1 * 30 * 24 * H, '4 weeks'],
    [1 * 30 * 24 * H + 2 * 7 * 24 * H, '6 weeks'],
    [2 * 30 * 24 * H, '2 months'],
    [30 * 24 * H * 12 + 5 * 24 * H, '12 months'],
    [2 * 365 * 24 * H, '2 years'],
    [3 * 365 * 24 * H + 2 * 30 * 24 * H, '3 years'],
  ])('HumanDuration(%i ms) = %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  // HumanSizeWithPrecision(size, 3), as `crictl images` calls it.
  it.each([
    [320_368, '320kB'],
    [2_166_802, '2.17MB'],
    [72_195_292, '72.2MB'],
    [1000, '1kB'],
    [1_048_576, '1.05MB'],
    [999, '999B'],
    [999_600, '1e+03kB'],
    [3.42e9, '3.42GB'],
  ])('HumanSizeWithPrecision(%i, 3) = %s', (bytes, want) => {
    expect(humanSize(bytes)).toBe(want);
  });

  it('truncates ids to 13 characters after the prefix (getTruncatedID)', () => {
    expect(getTruncatedID('sha256:0123456789abcdef0123', 'sha256:')).toBe('0123456789abc');
    expect(getTruncatedID('short', '')).toBe('short');
  });

  it('pads columns like text/tabwriter(minwidth 20, padding 3) and leaves the last cell alone', () => {
    // Column 1 is as wide as its longest cell (21) + padding 3; column 2 stays at minwidth 20.
    expect(tabwrite([['A', 'BB', 'C'], ['a-very-long-cell-here', 'b', 'tail']])).toBe(`${'A'.padEnd(24)}${'BB'.padEnd(20)}C\n${'a-very-long-cell-here'.padEnd(24)}${'b'.padEnd(20)}tail\n`);
  });
});

describe('crictl output over a running node', () => {
  async function scene() {
    const t = newTestRuntime();
    const web = await runPod(t, 'web', 'nginx:1.27');
    await t.advance(65_000);
    const crash = await runPod(t, 'crash', 'busybox:1.36', { command: ['sh', '-c', 'echo boom; echo oops >&2; exit 1'] });
    await t.advance(5000);
    return { t, web, crash, now: t.clock.now() };
  }

  it('crictl ps shows running containers; -a adds exited ones, newest first', async () => {
    const { t, web, crash, now } = await scene();
    const list = await t.run(t.rt.listContainers());
    const ps = crictlPs(list, { nowMs: now }).split('\n');
    expect(ps[0]).toBe('CONTAINER           IMAGE               CREATED              STATE               NAME                ATTEMPT             POD ID              POD                 NAMESPACE');
    expect(ps[1]).toBe(
      `${web.containerId.slice(0, 13)}       ${web.ref.slice(7, 20)}       About a minute ago   Running             main                0                   ${web.sandboxId.slice(0, 13)}       web                 default`,
    );
    expect(ps).toHaveLength(3);
    const all = crictlPs(list, { all: true, nowMs: now }).split('\n');
    expect(all[1]).toMatch(new RegExp(`^${crash.containerId.slice(0, 13)} {7}[0-9a-f]{13} {7}5 seconds ago {8}Exited {14}main {16}0 {19}[0-9a-f]{13} {7}crash {15}default$`));
    await expect(crictlPs(list, { all: true, nowMs: now })).toMatchFileSnapshot('__snapshots__/crictl-ps-a.txt');
  });

  it('crictl pods and crictl images', async () => {
    const { t, now } = await scene();
    const pods = crictlPods(await t.run(t.rt.listPodSandbox()), { nowMs: now });
    expect(pods.split('\n')[0]).toBe('POD ID              CREATED              STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME');
    expect(pods).toMatch(/5 seconds ago {8}Ready {15}crash {15}default {13}0 {19}\(default\)\n/);
    const images = crictlImages(await t.run(t.rt.listImages()));
    expect(images.split('\n').slice(0, 1)).toEqual(['IMAGE                       TAG                 IMAGE ID            SIZE']);
    expect(images).toMatch(/^docker\.io\/library\/nginx {5}1\.27 {16}[0-9a-f]{13} {7}72\.2MB$/m);
    expect(images).toMatch(/^registry\.k8s\.io\/pause {7}3\.10 {16}[0-9a-f]{13} {7}320kB$/m);
    await expect(pods + images).toMatchFileSnapshot('__snapshots__/crictl-pods-images.txt');
  });

  it('crictl inspect prints sorted JSON with int64 times as strings; crictl logs strips the CRI prefix', async () => {
    const { t, crash } = await scene();
    const json = JSON.parse(crictlInspect(t.rt.inspect(crash.containerId)));
    expect(Object.keys(json)).toEqual(['info', 'status']);
    expect(json.status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 1, reason: 'Error', metadata: { name: 'main', attempt: 0 } });
    expect(typeof json.status.createdAt).toBe('string');
    expect(Object.keys(json.status)).toEqual([...Object.keys(json.status)].sort());
    const lines = t.rt.containerLog(crash.containerId)!;
    expect(crictlLogs(lines)).toBe('boom\noops\n');
    expect(crictlLogs(lines, { stream: 'stderr' })).toBe('oops\n');
    expect(crictlLogs(lines, { tail: 1, timestamps: true })).toMatch(/^2026-12-05T07:46:\d\d(\.\d+)?Z oops\n$/);
  });
});
