import type { Rng } from '../../core/rng';

/** A random locally administered unicast MAC (what the kernel and flannel's mac.NewHardwareAddr make), from a seeded Rng. */
export function randomMac(rng: Rng): string {
  const b = Array.from({ length: 6 }, () => rng.int(256));
  b[0] = (b[0] & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
