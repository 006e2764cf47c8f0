import type { KernelGeneratorSpec } from '@inv/core';

/** Options shared by the reference classifiers. */
export interface ClassifierOptions {
  /** [height, width, channels]; default CIFAR-10's [32, 32, 3]. */
  inputShape?: [number, number, number];
  /** Number of classes (logits); default 10. */
  numClasses?: number;
  /** Seed of every weight initialiser: the same seed gives the same initial weights. Default 0. */
  seed?: number;
}

/** Options of the classifiers built of involution layers. */
export interface InvolutionClassifierOptions extends ClassifierOptions {
  /** Kernel generator of every involution: a registered name or `{ name, config }`. Default 'reduce-expand'. */
  generator?: string | KernelGeneratorSpec;
}
