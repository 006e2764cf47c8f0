import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Marked, type Tokens } from 'marked';
import type { Plugin } from 'vite';
import { escapeHtml, page } from './layout.js';

/** One guide: `docs/NN-slug.md` (NN orders the list) rendered to `guides/slug.html`. */
export interface Guide {
  readonly slug: string;
  readonly title: string;
  /** The first paragraph, as plain text: the guide's line in the index. */
  readonly summary: string;
  readonly html: string;
}

const FILE = /^\d+-([a-z0-9-]+)\.md$/;

// Guides link to each other as `NN-slug.md` (so they also read well on GitHub); the site serves `slug.html`.
const markdown = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type !== 'link') return;
    const link = token as Tokens.Link;
    const match = /^(?:\.\/)?\d+-([a-z0-9-]+)\.md(#.*)?$/.exec(link.href);
    if (match) link.href = `${match[1]}.html${match[2] ?? ''}`;
  },
});

/** Reads and renders every guide in `dir`, in file-name order. */
export function readGuides(dir: string): Guide[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort();
  return files.map((file) => {
    const match = FILE.exec(file);
    if (!match)
      throw new Error(`${join(dir, file)}: guides are named NN-slug.md (e.g. 01-getting-started.md)`);
    const source = readFileSync(join(dir, file), 'utf8');
    const tokens = markdown.lexer(source);
    const heading = tokens.find((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 1);
    if (!heading) throw new Error(`${join(dir, file)}: a guide starts with a '# Title' heading`);
    const paragraph = tokens.find((t): t is Tokens.Paragraph => t.type === 'paragraph');
    return {
      slug: match[1]!,
      title: heading.text,
      summary: paragraph?.text.replace(/[`*_]/g, '') ?? '',
      html: markdown.parse(source, { async: false }),
    };
  });
}

function guideList(guides: readonly Guide[], current?: string): string {
  const items = guides.map(({ slug, title }) => {
    const here = slug === current ? ' aria-current="page"' : '';
    return `<li><a href="${slug}.html"${here}>${escapeHtml(title)}</a></li>`;
  });
  return `<ol class="guide-list">${items.join('')}</ol>`;
}

/** Renders `docs/*.md` at build time into `guides/<slug>.html` plus `guides/index.html`. */
export function guidesPlugin(options: { dir: string }): Plugin {
  return {
    name: 'inv-guides',
    buildStart() {
      for (const file of readdirSync(options.dir)) this.addWatchFile(join(options.dir, file));
    },
    generateBundle() {
      const guides = readGuides(options.dir);
      const emit = (fileName: string, title: string, body: string) =>
        this.emitFile({
          type: 'asset',
          fileName,
          source: page({ root: '../', path: fileName, title, body }),
        });
      const index = guides.map(
        ({ slug, title, summary }) =>
          `<li><a href="${slug}.html">${escapeHtml(title)}</a><p>${escapeHtml(summary)}</p></li>`,
      );
      emit('guides/index.html', 'Guides', `<h1>Guides</h1><ol class="guide-index">${index.join('')}</ol>`);
      for (const guide of guides) {
        const body = `<div class="with-sidebar"><aside>${guideList(guides, guide.slug)}</aside><article class="prose">${guide.html}</article></div>`;
        emit(`guides/${guide.slug}.html`, guide.title, body);
      }
    },
  };
}
