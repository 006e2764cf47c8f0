import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { apiReferencePlugin } from './plugins/api_reference.js';
import { cifar10Dir, cifar10Subset } from './plugins/cifar10_subset.js';
import { guidesPlugin } from './plugins/guides.js';
import { sitePages } from './plugins/site_pages.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Relative asset URLs: the built site works from any folder of any static host.
  base: './',
  // INV_DOCS_CIFAR10_URL (optional, read at build time) lets the classifier offer CIFAR-10 test images.
  envPrefix: ['VITE_', 'INV_DOCS_'],
  build: {
    target: 'es2022',
    // tfjs is one large module graph; splitting it further buys nothing for a demo site.
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // initBackend imports the npm `webgpu` package (Dawn) only in Node, when there is no navigator.gpu; a
      // browser never reaches that import, and the package is Node-only, so it stays out of the bundle.
      external: ['webgpu'],
      input: {
        index: here('./index.html'),
        playground: here('./playground.html'),
        classifier: here('./classifier.html'),
        benchmark: here('./benchmark.html'),
        curves: here('./curves.html'),
        train: here('./train.html'),
      },
    },
  },
  plugins: [
    sitePages(),
    guidesPlugin({ dir: here('../../docs') }),
    apiReferencePlugin({ workspaceRoot: here('../..') }),
    // A CIFAR-10 subset built into the Train page (12.3 MB), from INV_CIFAR10_DIR or ../shared beside the repo.
    cifar10Subset({ dir: cifar10Dir(), train: 3000, test: 1000 }),
  ],
});
