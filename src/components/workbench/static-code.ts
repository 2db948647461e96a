/** The build-time code view shown until Monaco is up; swapped for plain text when the learner's saved code differs. */

const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/** Replaces the highlighted starter of `file` with `text`, unhighlighted but in the same layout. */
export function showPlainCode(root: HTMLElement, file: string, text: string): void {
  const box = root.querySelector<HTMLElement>(`.kl-static-code[data-file="${CSS.escape(file)}"]`);
  if (!box) return;
  const lines = text.replace(/\n$/, '').split('\n');
  box.innerHTML = `<pre class="kl-plain-code"><code>${lines.map((l) => `<span class="line">${esc(l)}</span>`).join('\n')}</code></pre>`;
}
