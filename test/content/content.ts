/**
 * Helpers for the lesson tests (test/content/lessons.test.ts): find the lesson files, split
 * them into fenced code blocks with their line numbers, collect links, and know which routes
 * the site has (lesson slugs, /labs/, /labs/<id>/).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CONTENT_DIR = join(ROOT, 'content');
export const LABS_DIR = join(ROOT, 'labs');

export interface ContentFile {
  /** Path from the repository root, e.g. `content/workqueues/the-queue.mdx`. */
  path: string;
  text: string;
  /** The route the page is served at, e.g. `/workqueues/the-queue/` (`/` for index). */
  route: string;
}

/** Every `.md` / `.mdx` page under content/ (files starting with `_` are not pages), sorted. */
export function listContentFiles(dir = CONTENT_DIR): ContentFile[] {
  const out: ContentFile[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.mdx?$/.test(entry.name) && !entry.name.startsWith('_')) {
        out.push({ path: relative(ROOT, p), text: readFileSync(p, 'utf8'), route: routeOf(relative(dir, p)) });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** `workqueues/the-queue.mdx` -> `/workqueues/the-queue/`; `index.mdx` -> `/`; `a/index.md` -> `/a/`. */
export function routeOf(pathInContent: string): string {
  const slug = pathInContent
    .replace(/\\/g, '/')
    .replace(/\.mdx?$/, '')
    .toLowerCase()
    .replace(/(^|\/)index$/, '');
  return slug === '' ? '/' : `/${slug}/`;
}

/** Ids of the labs: folders of labs/ that hold a lab.yaml (the site serves each at /labs/<id>/). */
export function listLabIds(dir = LABS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'lab.yaml')))
    .map((d) => d.name)
    .sort();
}

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** First word of the info string (`ts`, `typescript`, `text`, ...), lower case. */
  lang: string;
  /** The rest of the info string, e.g. `title="worker.ts" nocheck`. */
  meta: string;
  code: string;
}

/**
 * The fenced code blocks of a Markdown/MDX text (``` or ~~~, three or more; a block closes at
 * a fence of the same character at least as long, as CommonMark says). An unclosed block runs
 * to the end of the file.
 */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang, meta] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).exec(lines[j]);
      if (close) break;
      body.push(indent && lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    blocks.push({ file, line: i + 1, lang: lang.toLowerCase(), meta: meta.trim(), code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** True when the info string carries `flag` as a bare word (`ts nocheck`, `ts title="x" nocheck`). */
export function hasMetaFlag(meta: string, flag: string): boolean {
  return meta.replace(/"[^"]*"|'[^']*'/g, '').split(/\s+/).includes(flag);
}

/** The text with fenced code blocks blanked out (same line count), so prose checks skip code. */
export function withoutCode(text: string): string {
  const lines = text.split('\n');
  for (const b of codeBlocks('', text)) {
    const end = b.line + b.code.split('\n').length; // the closing fence (if any) is at this 1-based line
    for (let k = b.line - 1; k < Math.min(end, lines.length); k++) lines[k] = '';
  }
  return lines.join('\n');
}

export interface Link {
  file: string;
  line: number;
  url: string;
}

/**
 * Site-internal links in prose: Markdown `](/...)`, `href="/..."` (LinkCard, <a>), and the
 * frontmatter `link: /...` of hero actions.
 */
export function internalLinks(file: string, text: string): Link[] {
  const out: Link[] = [];
  const prose = withoutCode(text).split('\n');
  prose.forEach((line, i) => {
    for (const re of [/\]\((\/[^)\s]*)(?:\s+"[^"]*")?\)/g, /\bhref=["'](\/[^"']*)["']/g, /^\s*link:\s*(\/\S*)\s*$/g]) {
      for (const m of line.matchAll(re)) out.push({ file, line: i + 1, url: m[1] });
    }
  });
  return out;
}

/** Every absolute http(s) URL in the text (prose and code), with its line. */
export function externalUrls(file: string, text: string): Link[] {
  const out: Link[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/https?:\/\/[^\s)"'`<>\]]+/g)) out.push({ file, line: i + 1, url: m[0] });
  });
  return out;
}

/** 1-based line of character offset `index` in `text`. */
export function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}
