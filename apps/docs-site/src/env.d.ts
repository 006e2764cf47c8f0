/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Folder URL serving CIFAR-10's `cifar-10-batches-bin` files, set at build time; empty or unset: none. */
  readonly INV_DOCS_CIFAR10_URL?: string;
}
