/**
 * Build-time helpers for the lab pages (never shipped to the browser): lab order, the files a
 * lab page embeds, breadcrumbs, and Markdown rendering of step texts.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { createMarkdownProcessor, type MarkdownProcessor } from '@astrojs/markdown-remark';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type LabEntry = CollectionEntry<'labs'>;

/** Curriculum order of modules (DESIGN.md "Curriculum"); unknown modules sort after, by name. */
export const MODULE_ORDER = [
  'start',
  'api-machinery',
  'etcd-raft',
  'informers',
  'workqueues',
  'controllers',
  'scheduler',
  'kubelet',
  'networking',
  'gc',
  'deployment-setup',
  'capstone',
];

/** The shiki themes for build-time code: VS Code's defaults, the same palette as Monaco's vs / vs-dark. */
export const CODE_THEMES = { light: 'light-plus', dark: 'dark-plus' } as const;

const moduleRank = (m: string) => {
  const i = MODULE_ORDER.indexOf(m);
  return i < 0 ? MODULE_ORDER.length : i;
};

/** All labs in course order: module, then `order`, then id. */
export async function sortedLabs(): Promise<LabEntry[]> {
  const labs = await getCollection('labs');
  return labs.sort(
    (a, b) =>
      moduleRank(a.data.module) - moduleRank(b.data.module) ||
      a.data.module.localeCompare(b.data.module) ||
      a.data.order - b.data.order ||
      a.id.localeCompare(b.id),
  );
}

function labDir(lab: LabEntry): string {
  return lab.filePath ? resolve(dirname(lab.filePath)) : resolve('labs', lab.id);
}

function readLabFile(lab: LabEntry, name: string): string {
  const path = join(labDir(lab), name);
  if (!existsSync(path)) {
    throw new Error(`lab "${lab.id}": file "${name}" named in lab.yaml does not exist (looked for ${path})`);
  }
  return readFileSync(path, 'utf8');
}

export interface LabFiles {
  /** What the learner edits: `main.ts` (the starter), then the lab's manifests (*.yaml except lab.yaml). */
  files: Record<string, string>;
  /** The solution of `main.ts`. */
  solution: string;
  /** Short hash of the starter files: saved work from another hash gets a notice. */
  hash: string;
}

export const ENTRY = 'main.ts';

export function labFiles(lab: LabEntry): LabFiles {
  const files: Record<string, string> = { [ENTRY]: readLabFile(lab, lab.data.files.starter) };
  for (const name of readdirSync(labDir(lab)).sort()) {
    if (/\.ya?ml$/.test(name) && name !== 'lab.yaml') files[name] = readLabFile(lab, name);
  }
  const hash = createHash('sha256');
  for (const [name, text] of Object.entries(files)) hash.update(`${name}\0${text}\0`);
  return { files, solution: readLabFile(lab, lab.data.files.solution), hash: hash.digest('hex').slice(0, 12) };
}

const titleCase = (slug: string) => slug.split(/[-/]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

let docTitles: Promise<Map<string, string>> | undefined;

/** Title and link of a docs page by slug, falling back to a title made from the slug. */
async function docLink(slug: string): Promise<{ title: string; href?: string }> {
  const clean = slug.replace(/^\/+|\/+$/g, '');
  const titles = (docTitles ??= getCollection('docs').then(
    (docs) => new Map(docs.map((d) => [d.id.replace(/\/index$/, ''), d.data.title] as [string, string])),
    () => new Map<string, string>(),
  ));
  const title = (await titles).get(clean);
  if (title) return { title, href: `/${clean}/` };
  return { title: titleCase(clean.split('/').pop() ?? clean) };
}

/** Module titles a slug cannot spell (the sidebar's labels in astro.config.mjs). */
const MODULE_TITLES: Record<string, string> = { gc: 'Garbage collection', 'api-machinery': 'API machinery' };

export const moduleLink = async (module: string) => {
  const link = await docLink(module);
  return link.href ? link : { ...link, title: moduleTitleFallback(module) };
};
export const lessonLink = (lesson: string) => docLink(lesson);

export function moduleTitleFallback(module: string): string {
  return MODULE_TITLES[module] ?? titleCase(module);
}

let processor: Promise<MarkdownProcessor> | undefined;

/** Renders a step text (Markdown) to HTML at build time. */
export async function renderMarkdown(markdown: string): Promise<string> {
  processor ??= createMarkdownProcessor({
    syntaxHighlight: 'shiki',
    shikiConfig: { themes: { ...CODE_THEMES }, defaultColor: false },
  });
  const { code } = await (await processor).render(markdown);
  return code;
}
