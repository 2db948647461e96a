/**
 * Where things go in the raft view, as plain numbers (no DOM, so tests read them): members on a
 * ring, each message in flight as a dot on the line from sender to receiver at the share of its
 * latency that has passed at the cursor's virtual time, and a partition as walls between ring
 * neighbours on different sides.
 */
import type { ReplayedMessage } from '../../../sim/raftnet/replay';

export interface Point {
  x: number;
  y: number;
}

/** The ring's drawing area (SVG user units). */
export const WIDTH = 560;
export const HEIGHT = 360;
const CX = WIDTH / 2;
const CY = HEIGHT / 2;
export const MEMBER_R = 30;

/** The ring's radius for `n` members (fewer members sit closer, so a message's path stays visible). */
export function ringRadius(n: number): number {
  return n <= 1 ? 0 : n === 2 ? 120 : 140;
}

/** Members by id around the ring, the first at the top, clockwise. */
export function ringPositions(ids: readonly number[]): Map<number, Point> {
  const r = ringRadius(ids.length);
  return new Map(ids.map((id, i) => [id, angleToPoint(-Math.PI / 2 + (2 * Math.PI * i) / ids.length, r)]));
}

function angleToPoint(a: number, r: number): Point {
  return { x: CX + r * Math.cos(a), y: CY + r * Math.sin(a) };
}

export interface Dot extends Point {
  msg: ReplayedMessage;
  /** Share of the way from sender to receiver, 0..1. */
  progress: number;
}

/**
 * The dots of the messages in flight at virtual time `t`. A message travels from the rim of its
 * sender to the rim of its receiver in `dueAt - sentAt`; one held at a paused receiver waits at
 * its rim. Dots ride a little to the right of the line, so a request and its answer going the
 * other way pass side by side.
 */
export function messageDots(inFlight: Iterable<ReplayedMessage>, t: number, pos: ReadonlyMap<number, Point>): Dot[] {
  const dots: Dot[] = [];
  for (const msg of inFlight) {
    const a = pos.get(msg.from);
    const b = pos.get(msg.to);
    if (!a || !b || msg.from === msg.to) continue;
    const span = msg.dueAt - msg.sentAt;
    const progress = msg.held ? 1 : span <= 0 ? 1 : Math.max(0, Math.min(1, (t - msg.sentAt) / span));
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const along = MEMBER_R + 4 + progress * Math.max(0, len - 2 * (MEMBER_R + 4));
    dots.push({ msg, progress, x: a.x + ux * along - uy * 5, y: a.y + uy * along + ux * 5 });
  }
  return dots;
}

export interface Wall {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Walls for a partition: a radial line between every two ring neighbours that are on different
 * sides, from near the centre to past the rim, so members on one side share a sector whenever
 * the groups are contiguous on the ring.
 */
export function partitionWalls(ids: readonly number[], groups: readonly (readonly number[])[]): Wall[] {
  if (ids.length < 2) return [];
  const side = new Map<number, number>();
  groups.forEach((g, i) => g.forEach((id) => side.set(id, i)));
  const r = ringRadius(ids.length);
  const walls: Wall[] = [];
  for (let i = 0; i < ids.length; i++) {
    const j = (i + 1) % ids.length;
    if (ids.length === 2 && i === 1) break;
    if (side.get(ids[i]) === side.get(ids[j])) continue;
    const a = -Math.PI / 2 + (2 * Math.PI * (i + 0.5)) / ids.length;
    // Two members: one wall across the whole ring, between them.
    const inner = ids.length === 2 ? angleToPoint(a + Math.PI, r + MEMBER_R + 16) : angleToPoint(a, 18);
    const outer = angleToPoint(a, r + MEMBER_R + 16);
    walls.push({ x1: inner.x, y1: inner.y, x2: outer.x, y2: outer.y });
  }
  return walls;
}

/** A message type without `Msg` (`Vote`, `AppResp`), for labels. */
export function shortType(msgType: string): string {
  return msgType.replace(/^Msg/, '').replace('Heartbeat', 'HB');
}

/** The colour family of a message type. */
export function typeClass(msgType: string): string {
  if (/Vote/.test(msgType)) return 'is-vote';
  if (/^MsgApp|^MsgSnap/.test(msgType)) return 'is-app';
  if (/Heartbeat/.test(msgType)) return 'is-beat';
  return 'is-other';
}
