import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { involution2d } from '../op/involution2d.js';
import { outputExtent } from '../op/geometry.js';
import { getKernelGenerator } from '../generators/registry.js';
import type { KernelGenerator } from '../generators/types.js';
import { alignToOutputGrid } from './align.js';
import { decodeGeneratorSpec, encodeGeneratorSpec } from './generator_spec_codec.js';
import { readFormatVersion, withFormatVersion } from './format_version.js';
import {
  resolveGroups,
  resolveInvolutionOptions,
  type InvolutionOptions,
  type ResolvedInvolutionOptions,
} from './options.js';

/** tfjs-layers' base-layer arguments (name, trainable, inputShape, ...); the type itself is not exported. */
type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Arguments of the {@link Involution} layer: its options plus the usual layer arguments. */
export interface InvolutionLayerArgs extends InvolutionOptions, LayerArgs {}

/** What `build` fixes: the channel count and its groups, and the generator with its weights. */
interface Built {
  channels: number;
  groups: number;
  generator: KernelGenerator;
}

/**
 * Involution (Li et al., CVPR 2021) as a tfjs-layers layer, NHWC: a kernel generator maps the input to one
 * K×K filter per output position and group, the involution filters `[B,Ho,Wo,K²,G]` (the paper's "kernel";
 * docs/07-glossary.md), and {@link involution2d} applies them. Works on
 * any input height and width (only the channel count is fixed at build). Outputs `[B,Ho,Wo,C]`, or
 * `[output, filters]` with `returnKernel`. Saved and loaded like any tfjs-layers layer, generator included
 * (a custom generator must be registered before loading).
 */
export class Involution extends layers.Layer {
  static className = 'Involution';

  private readonly options: ResolvedInvolutionOptions;
  private state?: Built;

  constructor(args: InvolutionLayerArgs) {
    super(args);
    this.options = resolveInvolutionOptions(args, this.where);
  }

  /** The prefix of this layer's error messages. */
  private get where(): string {
    return `Involution '${this.name}'`;
  }

  /** Checks one rank-4 input with a known channel count and returns that count. */
  private inputChannels(inputShape: Shape | Shape[]): number {
    if (Array.isArray(inputShape[0])) {
      throw new Error(`${this.where}: expects one input, got ${inputShape.length}`);
    }
    const shape = inputShape as Shape;
    if (shape.length !== 4) {
      throw new Error(
        `${this.where}: input must be rank 4 [batch, height, width, channels] (NHWC), got rank ${shape.length} with shape [${shape.join(', ')}]`,
      );
    }
    const channels = shape[3];
    if (channels === null || channels === undefined) {
      throw new Error(
        `${this.where}: the input's channel dimension must be known, got shape [${shape.join(', ')}]`,
      );
    }
    if (this.options.channels !== undefined && this.options.channels !== channels) {
      throw new Error(
        `${this.where}: channels is ${this.options.channels} but the input has ${channels}; involution keeps the channel count`,
      );
    }
    return channels;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.inputChannels(inputShape);
    const groups = resolveGroups(this.options, channels, this.where);
    const { name, config } = this.options.generator;
    const generator = getKernelGenerator(name)({
      where: `${this.where}, kernel generator '${name}'`,
      config,
      channels,
      groups,
      kernelSize: this.options.kernelSize,
      stride: this.options.stride,
      reductionRatio: this.options.reductionRatio,
      seed: this.options.seed,
      addWeight: (weightName, shape, initializer, trainable = true) =>
        this.addWeight(weightName, shape, 'float32', initializer, undefined, trainable),
    });
    this.state = { channels, groups, generator };
    this.built = true;
  }

  /** Ho and Wo for an H×W input (null where unknown); an error when the windows do not fit. */
  private outputGrid(
    height: number | null | undefined,
    width: number | null | undefined,
  ): [number | null, number | null] {
    const { kernelSize, stride, dilation, pad } = this.options;
    const extent = (n: number | null | undefined) =>
      typeof n === 'number' ? outputExtent(n, kernelSize, stride, dilation, pad) : null;
    const grid: [number | null, number | null] = [extent(height), extent(width)];
    if (grid.some((n) => n !== null && n < 1)) {
      throw new Error(
        `${this.where}: input ${height ?? '?'}×${width ?? '?'} is too small for kernelSize ${kernelSize}, dilation ${dilation}, padding ${pad}: output would be ${grid.map((n) => n ?? '?').join('×')}`,
      );
    }
    return grid;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const channels = this.inputChannels(inputShape);
    const [batch, height, width] = inputShape as Shape;
    const grid = this.outputGrid(height, width);
    const output: Shape = [batch ?? null, ...grid, channels];
    if (!this.options.returnKernel) return output;
    const { kernelSize } = this.options;
    return [
      output,
      [batch ?? null, ...grid, kernelSize * kernelSize, resolveGroups(this.options, channels, this.where)],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      if (Array.isArray(inputs) && inputs.length !== 1) {
        throw new Error(`${this.where}: expects one input, got ${inputs.length}`);
      }
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      if (this.state === undefined)
        throw new Error(`${this.where}: call before build; apply the layer instead`);
      const { channels, groups, generator } = this.state;
      if (this.inputChannels(x.shape) !== channels) {
        throw new Error(
          `${this.where}: was built for ${channels} input channels, got shape [${x.shape.join(', ')}]`,
        );
      }
      const { kernelSize, stride, dilation, pad, groupLayout, returnKernel } = this.options;
      const [batch, height, width] = x.shape;
      const expected = [batch, ...this.outputGrid(height, width), kernelSize * kernelSize, groups];
      // A frozen layer (trainable = false) runs its BN in inference mode, as Keras' BatchNormalization does.
      const training = kwargs.training === true && this.trainable;
      const filters = generator.generate(alignToOutputGrid(x, this.options), training);
      if (filters.shape.length !== 5 || expected.some((d, i) => filters.shape[i] !== d)) {
        throw new Error(
          `${this.where}: kernel generator '${this.options.generator.name}' returned a kernel of shape [${filters.shape.join(', ')}], expected [${expected.join(', ')}] ([batch, outHeight, outWidth, K*K, groups])`,
        );
      }
      const output = involution2d(x, filters, {
        kernelSize,
        stride,
        dilation,
        padding: pad,
        groups,
        groupLayout,
      });
      return returnKernel ? [output, filters] : output;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const o = this.options;
    return withFormatVersion({
      ...super.getConfig(),
      channels: o.channels ?? null,
      kernelSize: o.kernelSize,
      stride: o.stride,
      dilation: o.dilation,
      padding: o.padding,
      groups: o.groups ?? null,
      groupChannels: o.groupChannels ?? null,
      groupLayout: o.groupLayout,
      reductionRatio: o.reductionRatio,
      generator: encodeGeneratorSpec(o.generator),
      returnKernel: o.returnKernel,
      seed: o.seed ?? null,
    });
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const where = `${Involution.className} config`;
    const current = readFormatVersion(config, where);
    return new cls({ ...current, generator: decodeGeneratorSpec(current['generator'], where) });
  }
}
tf.serialization.registerClass(Involution);

/** Creates an {@link Involution} layer (as `tf.layers.conv2d` creates a Conv2D). */
export function involution(args: InvolutionLayerArgs): Involution {
  return new Involution(args);
}
