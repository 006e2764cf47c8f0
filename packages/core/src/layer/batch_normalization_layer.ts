import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type Shape } from '@tensorflow/tfjs-layers';
import { BATCH_NORM_ACTIVATIONS, type BatchNormActivation } from '@inv/kernels';
import {
  kerasBatchNorm,
  type BatchNormSettings,
  type BatchNormWeights,
} from '../batch_norm/keras_batch_norm.js';
import { readFormatVersion, withFormatVersion } from './format_version.js';

/** tfjs-layers' base-layer arguments (name, trainable, inputShape, ...); the type itself is not exported. */
type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Arguments of {@link FusedBatchNormalization}. */
export interface FusedBatchNormalizationArgs extends LayerArgs {
  /** Weight of the old value in the moving statistics' update. Default 0.99 (Keras'). */
  momentum?: number;
  /** Added to the variance before its square root. Default 1e-3 (Keras'). */
  epsilon?: number;
  /** Applied after normalising, in the same kernel. Default 'linear' (none); 'relu' replaces a ReLU layer. */
  activation?: BatchNormActivation;
}

/**
 * Keras' BatchNormalization over the last axis (same weights, defaults and moving-statistics update), with
 * an optional ReLU, trained through {@link batchNormTraining}: one fused kernel each way instead of the twenty
 * or so full-size ops tfjs-layers' BatchNormalization + ReLU run per step. A frozen layer
 * (`trainable = false`) normalises with the moving statistics, as Keras' does.
 */
export class FusedBatchNormalization extends layers.Layer {
  static className = 'FusedBatchNormalization';

  private readonly settings: BatchNormSettings;
  private weightsOf?: BatchNormWeights;

  constructor(args: FusedBatchNormalizationArgs = {}) {
    super(args);
    const { momentum = 0.99, epsilon = 1e-3, activation = 'linear' } = args;
    const where = `FusedBatchNormalization '${this.name}'`;
    if (!(momentum >= 0 && momentum <= 1))
      throw new Error(`${where}: momentum must be in [0, 1], got ${momentum}`);
    if (!(epsilon > 0)) throw new Error(`${where}: epsilon must be > 0, got ${epsilon}`);
    if (!BATCH_NORM_ACTIVATIONS.includes(activation)) {
      throw new Error(`${where}: activation must be 'linear' or 'relu', got '${String(activation)}'`);
    }
    this.settings = { momentum, epsilon, activation };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[shape.length - 1];
    if (shape.length < 2 || typeof channels !== 'number') {
      throw new Error(
        `FusedBatchNormalization '${this.name}': input must have rank >= 2 and a known last (channel) dimension, got shape [${shape.join(', ')}]`,
      );
    }
    const add = (name: string, initializer: ReturnType<typeof initializers.ones>, trainable: boolean) =>
      this.addWeight(name, [channels], 'float32', initializer, undefined, trainable);
    this.weightsOf = {
      gamma: add('gamma', initializers.ones(), true),
      beta: add('beta', initializers.zeros(), true),
      movingMean: add('moving_mean', initializers.zeros(), false),
      movingVariance: add('moving_variance', initializers.ones(), false),
    };
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const w = this.weightsOf;
      if (w === undefined) throw new Error(`FusedBatchNormalization '${this.name}': call before build`);
      // A frozen layer (trainable = false) normalises with its moving statistics, as Keras' does.
      return kerasBatchNorm(x, w, this.settings, kwargs.training === true && this.trainable);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return withFormatVersion({ ...super.getConfig(), ...this.settings });
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(readFormatVersion(config, `${FusedBatchNormalization.className} config`));
  }
}
tf.serialization.registerClass(FusedBatchNormalization);

/** Creates a {@link FusedBatchNormalization} layer (as `tf.layers.batchNormalization` creates Keras' one). */
export function fusedBatchNormalization(args: FusedBatchNormalizationArgs = {}): FusedBatchNormalization {
  return new FusedBatchNormalization(args);
}
