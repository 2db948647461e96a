/**
 * A plain-text copy of everything the terminal prints, in a visually hidden `role="log"`
 * element: screen readers hear new output, and tests read it without rendering xterm.
 */
const LIMIT = 200_000;

export class Mirror {
  constructor(private readonly el: HTMLElement) {}

  append(text: string): void {
    if (!text) return;
    this.el.append(document.createTextNode(text));
    if ((this.el.textContent?.length ?? 0) > LIMIT) {
      // Drop the oldest chunks; keep the element's node count small.
      const all = this.el.textContent ?? '';
      this.el.textContent = all.slice(all.length - LIMIT / 2);
    }
  }

  clear(): void {
    this.el.textContent = '';
  }

  get text(): string {
    return this.el.textContent ?? '';
  }
}
