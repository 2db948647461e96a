/**
 * A plain-text copy of everything the terminal prints, in a visually hidden `role="log"`
 * element: screen readers hear new output, and tests read it without rendering xterm.
 */
const LIMIT = 200_000;

export class Mirror {
  /** Characters appended since the last trim or clear (reading textContent on every append is quadratic). */
  private length = 0;

  constructor(private readonly el: HTMLElement) {}

  append(text: string): void {
    if (!text) return;
    this.el.append(document.createTextNode(text));
    this.length += text.length;
    if (this.length > LIMIT) {
      // Drop the oldest chunks; keep the element's node count small.
      const all = this.el.textContent ?? '';
      this.el.textContent = all.slice(Math.max(0, all.length - LIMIT / 2));
      this.length = this.el.textContent.length;
    }
  }

  clear(): void {
    this.el.textContent = '';
    this.length = 0;
  }

  get text(): string {
    return this.el.textContent ?? '';
  }
}
