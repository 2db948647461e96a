// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
  site: 'http://localhost:4321',
  integrations: [
    starlight({
      title: 'KubeLab',
      description: 'How Kubernetes works inside: lessons and labs that run faithful models of the real components in your browser.',
      logo: { src: './src/assets/logo.svg', replacesTitle: false },
      social: [],
      customCss: ['./src/styles/kubelab.css'],
      components: {
        Sidebar: './src/components/starlight/Sidebar.astro',
        Search: './src/components/starlight/Search.astro',
      },
      markdown: { processedDirs: ['./content'] },
      sidebar: [
        { label: 'Start here', autogenerate: { directory: 'content/start' } },
        { label: 'Workqueues', autogenerate: { directory: 'content/workqueues' } },
        { label: 'Labs', link: '/labs/' },
        { label: 'Reference', autogenerate: { directory: 'content/reference' } },
      ],
    }),
  ],
  vite: {
    worker: { format: 'es' },
    build: { chunkSizeWarningLimit: 8000 },
  },
});
