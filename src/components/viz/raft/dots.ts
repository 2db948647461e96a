/**
 * The messages in flight, painted on a canvas over the ring's SVG: a thousand moving dots cost
 * a millisecond there, where a thousand SVG circles cost a style and layout pass every frame.
 * The canvas takes no pointer events; `hit` finds the dot under a click on the SVG.
 */
import { HEIGHT, WIDTH, shortType, typeClass, type Dot } from './scene';

const COLORS: Record<string, string> = { 'is-app': '#2f81f7', 'is-vote': '#bf5af2', 'is-beat': '#8b949e', 'is-other': '#d29922' };
const DOT_R = 4.5;
/** Messages labelled with their type (more would be noise). */
const MAX_LABELS = 24;

export interface DotLayer {
  draw(dots: readonly Dot[]): void;
  /** The dot within reach of a pointer event on the SVG, if any. */
  hit(ev: MouseEvent, dots: readonly Dot[]): Dot | undefined;
  destroy(): void;
}

export function createDotLayer(stage: HTMLElement, svg: SVGSVGElement): DotLayer {
  const canvas = document.createElement('canvas');
  canvas.className = 'kl-raft-canvas';
  canvas.setAttribute('aria-hidden', 'true');
  stage.append(canvas);
  const ctx = canvas.getContext('2d');
  let box = { width: 0, height: 0 };
  let last: readonly Dot[] = [];

  /** SVG user units to CSS pixels (the viewBox is fitted and centred: preserveAspectRatio meet). */
  const fit = () => {
    const scale = Math.min(box.width / WIDTH, box.height / HEIGHT) || 1;
    return { scale, dx: (box.width - WIDTH * scale) / 2, dy: (box.height - HEIGHT * scale) / 2 };
  };
  const resize = () => {
    box = { width: svg.clientWidth, height: svg.clientHeight };
    const dpr = globalThis.devicePixelRatio || 1;
    canvas.style.width = `${box.width}px`;
    canvas.style.height = `${box.height}px`;
    canvas.width = Math.round(box.width * dpr);
    canvas.height = Math.round(box.height * dpr);
    paint();
  };
  const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(resize);
  observer?.observe(svg);

  function paint() {
    if (!ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const { scale, dx, dy } = fit();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * dx, dpr * dy);
    ctx.lineWidth = 1.5;
    // One path per colour and kind: requests filled, answers hollow, held ones dashed.
    for (const [cls, color] of Object.entries(COLORS)) {
      for (const kind of ['request', 'answer', 'held'] as const) {
        ctx.beginPath();
        let any = false;
        for (const d of last) {
          if (typeClass(d.msg.msgType) !== cls) continue;
          const k = d.msg.held ? 'held' : /Resp$/.test(d.msg.msgType) ? 'answer' : 'request';
          if (k !== kind) continue;
          ctx.moveTo(d.x + DOT_R, d.y);
          ctx.arc(d.x, d.y, DOT_R, 0, 2 * Math.PI);
          any = true;
        }
        if (!any) continue;
        ctx.setLineDash(kind === 'held' ? [2, 2] : []);
        ctx.strokeStyle = color;
        ctx.stroke();
        if (kind === 'request') {
          ctx.fillStyle = color;
          ctx.fill();
        }
      }
    }
    ctx.setLineDash([]);
    if (last.length <= MAX_LABELS) {
      ctx.font = '9px ui-monospace, monospace';
      ctx.fillStyle = '#8b949e';
      for (const d of last) ctx.fillText(shortType(d.msg.msgType), d.x + 6, d.y - 5);
    }
  }

  return {
    draw(dots) {
      last = dots;
      if (!box.width) resize();
      else paint();
    },
    hit(ev, dots) {
      const r = svg.getBoundingClientRect();
      box = { width: r.width, height: r.height };
      const { scale, dx, dy } = fit();
      const x = (ev.clientX - r.left - dx) / scale;
      const y = (ev.clientY - r.top - dy) / scale;
      let best: Dot | undefined;
      let bestD = 9;
      for (const d of dots) {
        const dist = Math.hypot(d.x - x, d.y - y);
        if (dist < bestD) {
          best = d;
          bestD = dist;
        }
      }
      return best;
    },
    destroy() {
      observer?.disconnect();
      canvas.remove();
    },
  };
}
