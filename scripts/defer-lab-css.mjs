// Astro integration: Astro links the CSS of every chunk a page can reach in the page head, so a
// lab page blocked first paint on Monaco's and xterm's stylesheets (~180 KB) although those
// chunks load only on the first interaction. This removes those <link>s from the built HTML.
// Vite's preload helper adds each one back, and waits for it to load, when the chunk that needs
// it is imported (the CSS files are in the dynamic import's preload list), so the editor and the
// terminal never render unstyled.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The lazily loaded chunks whose CSS must not block the page: the editor and the workbench. */
const LAZY_CSS = /<link rel="stylesheet" href="\/_astro\/(?:editor|workbench)\.[\w-]+\.css"\s*\/?>/g;

/** @returns {import('astro').AstroIntegration} */
export function deferLabCss() {
  return {
    name: 'kubelab:defer-lab-css',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        let pages = 0;
        let links = 0;
        for (const file of htmlFiles(root)) {
          const html = readFileSync(file, 'utf8');
          const out = html.replace(LAZY_CSS, () => {
            links++;
            return '';
          });
          if (out !== html) {
            pages++;
            writeFileSync(file, out);
          }
        }
        if (pages === 0) logger.warn('no lazily loaded editor/workbench CSS links found in the built pages: did a chunk get renamed?');
        else logger.info(`removed ${links} render-blocking editor/workbench CSS links from ${pages} pages`);
      },
    },
  };
}

/** @param {string} dir @returns {string[]} */
function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.html'))
    .map((d) => join(d.parentPath ?? d.path, d.name));
}
