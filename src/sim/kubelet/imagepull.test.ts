import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { ensureImageExists, newImageBackOff } from './imagepull';

const S = 1000;
const NOT_FOUND = 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": not found';

describe('image pull backoff (images/image_manager.go EnsureImageExists)', () => {
  it('ErrImagePull on each failed pull, ImagePullBackOff in between: 10s, 20s, 40s ...', () => {
    const clock = new FakeClock(0);
    const b = newImageBackOff(clock);
    let pulls = 0;
    const timeline: [number, string][] = [];
    for (let t = 0; t <= 160; t++) {
      clock.setTime(t * S);
      const r = ensureImageExists(b, 'u-1', 'nginx:nope', () => {
        pulls++;
        return NOT_FOUND;
      });
      if (!r.ok && r.reason === 'ErrImagePull') timeline.push([t, r.message]);
    }
    expect(timeline.map(([t]) => t)).toEqual([0, 10, 30, 70, 150]);
    expect(pulls).toBe(5);
    expect(timeline[0][1]).toBe(NOT_FOUND);
  });

  it('the waiting message and events are the kubelet’s', () => {
    const clock = new FakeClock(0);
    const b = newImageBackOff(clock);
    const first = ensureImageExists(b, 'u-1', 'nginx:nope', () => NOT_FOUND);
    expect(first.events).toEqual([
      { type: 'Normal', reason: 'Pulling', message: 'Pulling image "nginx:nope"' },
      { type: 'Warning', reason: 'Failed', message: `Failed to pull image "nginx:nope": ${NOT_FOUND}` },
    ]);
    clock.step(S);
    const second = ensureImageExists(b, 'u-1', 'nginx:nope', () => {
      throw new Error('must not pull inside the backoff window');
    });
    expect(second).toEqual({
      ok: false,
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "nginx:nope"',
      events: [{ type: 'Normal', reason: 'BackOff', message: 'Back-off pulling image "nginx:nope"' }],
    });
  });

  it('backoff is per pod UID and image; a fixed image pulls at the end of the window', () => {
    const clock = new FakeClock(0);
    const b = newImageBackOff(clock);
    ensureImageExists(b, 'u-1', 'nginx:nope', () => NOT_FOUND);
    expect(ensureImageExists(b, 'u-2', 'nginx:nope', () => null).ok).toBe(true);
    expect(ensureImageExists(b, 'u-1', 'nginx:1.27', () => null).ok).toBe(true);
    clock.step(10 * S);
    expect(ensureImageExists(b, 'u-1', 'nginx:nope', () => null)).toEqual({
      ok: true,
      events: [{ type: 'Normal', reason: 'Pulling', message: 'Pulling image "nginx:nope"' }],
    });
  });
});
