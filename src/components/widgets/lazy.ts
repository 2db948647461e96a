/**
 * Loads a widget's live part only when the widget is about to be seen (or gets keyboard focus),
 * so that lesson pages stay light: each `<section data-kl-pending>` matching `selector` is
 * mounted once by the module `load` imports. Used by the lesson widgets' small loaders.
 */
export function lazyMount(selector: string, load: () => Promise<{ mount(el: HTMLElement): void }>): void {
  const pending = Array.from(document.querySelectorAll<HTMLElement>(`${selector}[data-kl-pending]`));
  const start = (el: HTMLElement) => {
    if (!el.hasAttribute('data-kl-pending')) return;
    el.removeAttribute('data-kl-pending');
    load()
      .then((m) => m.mount(el))
      .catch((err: unknown) => {
        const status = el.querySelector('[data-status]');
        if (status) status.textContent = `The live model could not load: ${err instanceof Error ? err.message : String(err)}`;
      });
  };
  if (!('IntersectionObserver' in window)) {
    pending.forEach(start);
    return;
  }
  const io = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        io.unobserve(entry.target);
        start(entry.target as HTMLElement);
      }
    },
    { rootMargin: '200px 0px' },
  );
  for (const el of pending) {
    io.observe(el);
    el.addEventListener('focusin', () => start(el), { once: true });
  }
}
