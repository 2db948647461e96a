/** Small HTML helpers the views share (they build markup as strings, once per frame). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe to put in HTML (keys and names come from learner code). */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Chips shown per box before the rest is summarised as "+N more". */
export const MAX_CHIPS = 24;

/** `+N more` for a list cut at `shown` of `total` (nothing when all are shown). */
export function more(total: number, shown: number, what = 'more'): string {
  return total > shown ? `<li class="kl-v-more">+${total - shown} ${what}</li>` : '';
}

/** A resourceVersion (or revision) as a small badge, read out in full by screen readers. */
export function rvBadge(rv: string | number | undefined, label = 'resourceVersion'): string {
  if (rv === undefined || rv === '') return '';
  return ` <span class="kl-v-rv" title="${label} ${esc(String(rv))}"><span class="sr-only">${label} </span><span aria-hidden="true">rv </span>${esc(String(rv))}</span>`;
}

/** A Delta or watch event type as a short coloured tag, read out in full. */
export function typeTag(type: string): string {
  const short = TYPE_SHORT[type] ?? type.slice(0, 1).toUpperCase();
  return `<span class="kl-v-tag is-${esc(type.toLowerCase())}" title="${esc(type)}"><span aria-hidden="true">${esc(short)}</span><span class="sr-only">${esc(type)}</span></span>`;
}

const TYPE_SHORT: Record<string, string> = {
  Added: 'A',
  Updated: 'U',
  Deleted: 'D',
  Replaced: 'R',
  Sync: 'S',
  add: '+',
  update: '~',
  delete: '−',
  ADDED: 'A',
  MODIFIED: 'M',
  DELETED: 'D',
  BOOKMARK: 'B',
  ERROR: 'E',
};
