import { relative } from 'node:path';
import type { Plugin } from 'vite';
import { headLinks, siteHeader } from './layout.js';

const HEADER = '<!--site-header-->';

/**
 * Gives the hand-written HTML entries (index, demos) the shared header, stylesheet and icon. Runs after Vite's own
 * HTML processing, so the injected relative links are left exactly as written.
 */
export function sitePages(): Plugin {
  let root = '';
  return {
    name: 'inv-site-pages',
    configResolved(config) {
      root = config.root;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const path = relative(root, context.filename).split('\\').join('/');
        if (!html.includes(HEADER)) throw new Error(`${path}: missing the ${HEADER} placeholder`);
        const depth = path.split('/').length - 1;
        const back = depth === 0 ? './' : '../'.repeat(depth);
        return html.replace('</head>', `${headLinks(back)}\n</head>`).replace(HEADER, siteHeader(back, path));
      },
    },
  };
}
