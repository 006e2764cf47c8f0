// The page shell every page shares — hand-written entries (through `sitePages`) and generated guide and API
// index pages alike — so the navigation is written once.

/** A top-level section, its `href` relative to the site root. */
interface NavLink {
  readonly href: string;
  readonly label: string;
}

const NAV: readonly NavLink[] = [
  { href: 'index.html', label: 'inv' },
  { href: 'guides/index.html', label: 'Guides' },
  { href: 'api/index.html', label: 'API' },
  { href: 'playground.html', label: 'Op playground' },
  { href: 'classifier.html', label: 'Classifier' },
  { href: 'benchmark.html', label: 'Benchmark' },
  { href: 'curves.html', label: 'Curves' },
  { href: 'train.html', label: 'Train' },
];

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The header: the site's sections, `current` (a root-relative path) marked. `root` is the relative way back to
 * the site root ('./' or '../'): every link is relative, so the site works from any folder of any static host.
 */
export function siteHeader(root: string, current: string): string {
  const links = NAV.map(({ href, label }) => {
    const section = href.split('/')[0];
    const here = current === href || (href.includes('/') && current.startsWith(`${section}/`));
    return `<a href="${root}${href}"${here ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a>`;
  });
  return `<header class="site-header"><nav>${links.join('')}</nav></header>`;
}

/** The stylesheet and icon: plain files in `public/`, shared by pages that have no script of their own. */
export function headLinks(root: string): string {
  return `<link rel="stylesheet" href="${root}site.css">\n<link rel="icon" href="${root}favicon.svg" type="image/svg+xml">`;
}

/** A whole generated page. */
export function page(options: { root: string; path: string; title: string; body: string }): string {
  const { root, path, title, body } = options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · inv</title>
${headLinks(root)}
</head>
<body>
${siteHeader(root, path)}
<main>
${body}
</main>
</body>
</html>
`;
}
