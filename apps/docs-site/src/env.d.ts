/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Folder URL serving CIFAR-10's `cifar-10-batches-bin` files, set at build time; empty or unset: none. */
  readonly INV_DOCS_CIFAR10_URL?: string;
}

declare module 'virtual:inv-cifar10-subset' {
  /** The CIFAR-10 subset built into the site (INV_CIFAR10_DIR at build time), or undefined. */
  // The shape of SubsetInfo (src/train/subset_format.ts): an ambient module cannot import a relative one.
  export const CIFAR10_SUBSET:
    | { readonly url: string; readonly train: number; readonly test: number; readonly bytes: number }
    | undefined;
}
