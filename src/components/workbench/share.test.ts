import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, MAX_SHARED_BYTES } from './share';

describe('share links', () => {
  it('round-trips code and seed through a URL-safe fragment', async () => {
    const code = `import { newQueue } from 'kubelab';\n// ünïcödé ✓ and "quotes" + slashes /\\\nconst q = newQueue<string>();\n`;
    const hash = await encodeShare(code, 42);
    expect(hash).toMatch(/^code=[A-Za-z0-9_-]+&seed=42$/);
    expect(await decodeShare('#' + hash)).toEqual({ code, seed: 42 });
  });

  it('compresses repetitive code', async () => {
    const code = 'queue.add("item");\n'.repeat(200);
    const hash = await encodeShare(code, 1);
    expect(hash.length).toBeLessThan(code.length / 10);
  });

  it('ignores fragments without code and drops a bad seed', async () => {
    expect(await decodeShare('#section-2')).toBeUndefined();
    expect(await decodeShare('')).toBeUndefined();
    const hash = (await encodeShare('x', 1)).replace('seed=1', 'seed=-5');
    expect(await decodeShare(hash)).toEqual({ code: 'x' });
  });

  it('throws a readable error for a truncated or tampered link', async () => {
    const hash = await encodeShare('console.log("hello world, this is long enough")', 3);
    const cut = hash.replace(/&seed=3$/, '').slice(0, 12);
    await expect(decodeShare(cut)).rejects.toThrow(/damaged/);
    await expect(decodeShare('code=@@@')).rejects.toThrow(/damaged/);
    await expect(decodeShare('#code=&seed=4')).rejects.toThrow(/empty code= part/);
    expect(await decodeShare('#' + (await encodeShare('', 2)))).toEqual({ code: '', seed: 2 });
  });

  it('refuses a link whose code unpacks to more than the cap, without unpacking all of it', async () => {
    const atCap = 'a'.repeat(MAX_SHARED_BYTES);
    expect(await decodeShare(await encodeShare(atCap, 1))).toEqual({ code: atCap, seed: 1 });
    // 64 MB of one letter deflates to ~64 KB of link: a bomb the page must not inflate whole.
    const bomb = await encodeShare('a'.repeat(64 * 1024 * 1024), 1);
    expect(bomb.length).toBeLessThan(100_000);
    await expect(decodeShare(bomb)).rejects.toThrow(/more than 256 KB/);
  });
});
