// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import yaml from 'js-yaml';
import { deferLabCss } from './scripts/defer-lab-css.mjs';

/** One sidebar link per lab (labs/<id>/lab.yaml), in module then `order` order; the sidebar marks completed ones. */
function labLinks() {
  const labs = readdirSync('./labs', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`./labs/${d.name}/lab.yaml`))
    .map((d) => /** @type {{ id: string, title: string, module: string, order?: number }} */ (yaml.load(readFileSync(`./labs/${d.name}/lab.yaml`, 'utf8'))))
    .sort((a, b) => a.module.localeCompare(b.module) || (a.order ?? 0) - (b.order ?? 0) || a.id.localeCompare(b.id));
  return labs.map((lab) => ({ label: lab.title, link: `/labs/${lab.id}/` }));
}

/**
 * Content-Security-Policy on every page, as a <meta> (works on any static host): everything the
 * site loads comes from its own origin; no request may leave it. Inline scripts and styles are
 * Astro's and Starlight's (and Monaco's style attributes); workers are our own files (blob: for
 * what Monaco may make); 'wasm-unsafe-eval' lets Pagefind's search run its WebAssembly.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export default defineConfig({
  site: 'http://localhost:4321',
  integrations: [
    starlight({
      title: 'KubeLab',
      description: 'How Kubernetes works inside: lessons and labs that run faithful models of the real components in your browser.',
      logo: { src: './src/assets/logo.svg', replacesTitle: false },
      social: [],
      customCss: ['./src/styles/kubelab.css'],
      head: [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP } }],
      components: {
        Sidebar: './src/components/starlight/Sidebar.astro',
        Search: './src/components/starlight/Search.astro',
      },
      markdown: { processedDirs: ['./content'] },
      sidebar: [
        { label: 'Start here', autogenerate: { directory: 'content/start' } },
        { label: 'API machinery', autogenerate: { directory: 'content/api-machinery' } },
        { label: 'etcd', autogenerate: { directory: 'content/etcd' } },
        { label: 'Raft', autogenerate: { directory: 'content/raft' } },
        { label: 'Informers', autogenerate: { directory: 'content/informers' } },
        { label: 'Workqueues', autogenerate: { directory: 'content/workqueues' } },
        { label: 'Controllers', autogenerate: { directory: 'content/controllers' } },
        { label: 'Scheduler', autogenerate: { directory: 'content/scheduler' } },
        { label: 'Kubelet', autogenerate: { directory: 'content/kubelet' } },
        { label: 'Deployment setup', autogenerate: { directory: 'content/deployment-setup' } },
        { label: 'Networking', autogenerate: { directory: 'content/networking' } },
        { label: 'Garbage collection', autogenerate: { directory: 'content/gc' } },
        { label: 'Labs', items: [{ label: 'All labs', link: '/labs/' }, ...labLinks()] },
        { label: 'Reference', autogenerate: { directory: 'content/reference' } },
      ],
    }),
    deferLabCss(),
  ],
  vite: {
    worker: { format: 'es' },
    build: { chunkSizeWarningLimit: 8000 },
  },
});
