/**
 * The `layer` suite: the Involution layer with each registered kernel generator vs a tf.layers.conv2d of the
 * same size (C→C, K×K), at the op suite's layer shapes, inference and a training step's forward+backward.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import { involution, listKernelGenerators } from '@inv/core';
import type { BenchCase, BenchMode, PreparedCase } from '../harness/types.js';
import { KERNEL_BACKENDS, OP_MODES, opShapes } from './op.js';
import { describeShape, type InvolutionShape } from '../shapes/op_shapes.js';
import type { Suite } from './suite.js';

export const CONV_LAYER_IMPL = 'conv2d-layer';

/** The impl name of the Involution layer with generator `name`. */
export function involutionLayerImpl(generator: string): string {
  return `involution/${generator}`;
}

const SEED = 20210619;

/**
 * The generators' bottleneck ratio r per layer: the Keras seed uses 2 on its 3-channel input (4 would leave
 * floor(3/4) = 0 channels), RedNet the paper's 4.
 */
const REDUCTION_RATIO: Readonly<Record<string, number>> = { seed: 2, rednet: 4 };

function makeLayer(impl: string, shape: InvolutionShape): layers.Layer {
  if (impl === CONV_LAYER_IMPL) {
    return layers.conv2d({
      filters: shape.channels,
      kernelSize: shape.kernelSize,
      padding: 'same',
      kernelInitializer: initializers.glorotUniform({ seed: SEED }),
    });
  }
  return involution({
    kernelSize: shape.kernelSize,
    groups: shape.groups,
    groupLayout: 'contiguous',
    generator: impl.slice(involutionLayerImpl('').length),
    reductionRatio: REDUCTION_RATIO[shape.name] ?? 4,
    seed: SEED,
  });
}

/**
 * Builds the layer (weights created untimed) on fixed-seed inputs. forward+backward is a training step's
 * gradient computation: w.r.t. the input (a layer inside a network passes it on) and every trainable weight,
 * from sum(out · dy), whose two elementwise ops are negligible next to the layer.
 */
export function prepareLayerCase(impl: string, mode: BenchMode, shape: InvolutionShape): PreparedCase {
  const layer = makeLayer(impl, shape);
  const x = tf.variable(
    tf.randomNormal([shape.batch, shape.height, shape.width, shape.channels], 0, 1, 'float32', SEED),
  );
  const dy = tf.randomNormal(x.shape, 0, 1, 'float32', SEED + 2);
  tf.dispose(tf.tidy(() => layer.apply(x) as tf.Tensor));
  // LayerVariable.read() is typed as a Tensor but returns the tf.Variable that holds the weight.
  const variables = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  const forward = (training: boolean) => layer.apply(x, { training }) as tf.Tensor;
  return {
    run:
      mode === 'forward'
        ? () => [forward(false)]
        : () => {
            const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(forward(true), dy)), variables);
            return [value, ...Object.values(grads)];
          },
    dispose: () => {
      layer.dispose();
      tf.dispose([x, dy]);
    },
  };
}

/** Every generator registered when the suite runs (custom ones included), and the conv2d layer. */
function layerImpls(): string[] {
  return [...listKernelGenerators().map(involutionLayerImpl), CONV_LAYER_IMPL];
}

export const layerSuite: Suite = {
  name: 'layer',
  description: 'the Involution layer with each registered kernel generator vs tf.layers.conv2d (C→C, K×K)',
  defaultBackends: KERNEL_BACKENDS,
  cases: (context) =>
    opShapes(context).flatMap((shape) =>
      layerImpls().flatMap((impl) =>
        OP_MODES.map((mode): BenchCase => ({
          case: shape.name,
          shape: describeShape(shape),
          impl,
          mode,
          prepare: () => prepareLayerCase(impl, mode, shape),
        })),
      ),
    ),
  // A getter: generators registered after import are compared too.
  get comparisons() {
    return listKernelGenerators().map((g) => ({
      label: `${involutionLayerImpl(g)} vs conv2d layer`,
      subject: involutionLayerImpl(g),
      baseline: CONV_LAYER_IMPL,
    }));
  },
};
