import type * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable, initializers } from '@tensorflow/tfjs-layers';

/** A tfjs-layers initializer (`initializers.glorotUniform({})`, ...); the class itself is not exported. */
export type WeightInitializer = ReturnType<typeof initializers.ones>;

/** A generator's own settings: JSON, saved with the layer. */
export type KernelGeneratorConfig = tf.serialization.ConfigDict;

/** Which generator an `Involution` layer uses, and its settings. */
export interface KernelGeneratorSpec {
  name: string;
  config?: KernelGeneratorConfig;
  /**
   * The package that provides the generator: recorded when a layer is saved (from the registration), so that
   * loading without it names the package to import. Never needed when building a layer.
   */
  package?: string;
}

/** How a generator was registered. */
export interface RegisterKernelGeneratorOptions {
  /** The npm package registering it (a plugin's own name): saved with layers, named when it is missing. */
  package?: string;
}

/** The layer's geometry, resolved at build time from the options and the input's channel count. */
export interface KernelGeneratorGeometry {
  /** C: input and output channels. */
  readonly channels: number;
  /** K: each position gets K×K taps. */
  readonly kernelSize: number;
  /** G: kernel groups. */
  readonly groups: number;
  /** s: the generated kernel has one position per `s×s` input block. */
  readonly stride: number;
  /** r: the bottleneck of an MLP generator has `floor(C / r)` channels. */
  readonly reductionRatio: number;
}

/** What a generator factory receives from the layer that builds it. */
export interface KernelGeneratorContext extends KernelGeneratorGeometry {
  /** Names the layer and the generator: the prefix of every error message. */
  readonly where: string;
  /** The generator's own settings (`{}` when none were given). */
  readonly config: KernelGeneratorConfig;
  /** The layer's initialiser seed, if any: random initialisers should derive theirs from it (`weightSeed`). */
  readonly seed: number | undefined;
  /**
   * Creates a weight of the layer (so it is trained, counted and saved with the layer). Names must be unique
   * within the generator; non-trainable weights (e.g. moving statistics) pass `trainable: false`.
   */
  addWeight(
    name: string,
    shape: number[],
    initializer: WeightInitializer,
    trainable?: boolean,
  ): LayerVariable;
}

/** Maps the input to per-position kernels. */
export interface KernelGenerator {
  /**
   * Runs inside the layer's `tf.tidy`.
   *
   * @param x the layer's input `[B,H,W,C]`, aligned by the layer so that output position (i,j) is centred on
   *   input pixel (i·s, j·s) (a no-op for `padding: 'same'`)
   * @param training true inside `fit` (batch statistics, moving-average updates), false for inference and in a
   *   frozen (`trainable: false`) layer
   * @returns kernel `[B, ceil(H/s), ceil(W/s), K*K, G]`, taps row-major
   */
  generate(x: tf.Tensor4D, training: boolean): tf.Tensor5D;
}

/** Creates a generator's weights through `context` and returns the generator. */
export type KernelGeneratorFactory = (context: KernelGeneratorContext) => KernelGenerator;
