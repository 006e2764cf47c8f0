import type * as tf from '@tensorflow/tfjs';
import type { InvolutionClassifierOptions } from './seed/options.js';
import { seedConvModel } from './seed/seed_conv.js';
import { seedInvolutionModel } from './seed/seed_involution.js';
import { rednet } from './rednet/rednet.js';
import { involutionSeparableModel } from './separable/involution_separable.js';
import { resInvNet } from './resinv/resinv.js';

/** Builds a fresh, seeded classifier; `generator` is an error for a model without involution layers. */
export type ModelFactory = (options?: InvolutionClassifierOptions) => tf.LayersModel;

interface ModelEntry {
  factory: ModelFactory;
  description: string;
  /** Built of involution layers, so it takes a `generator`. */
  involution: boolean;
}

const MODELS = new Map<string, ModelEntry>([
  [
    'seed-conv',
    {
      factory: seedConvModel,
      description: 'the Keras seed conv baseline (319,178 params)',
      involution: false,
    },
  ],
  [
    'seed-inv',
    {
      factory: seedInvolutionModel,
      description: 'the Keras seed involution model (13,080 params)',
      involution: true,
    },
  ],
  [
    'inv-separable',
    {
      factory: involutionSeparableModel,
      description: 'the seed conv model with its 2nd and 3rd convs as involution + 1×1 conv (274,800 params)',
      involution: true,
    },
  ],
  [
    'inv-separable-deep',
    {
      factory: (o) =>
        involutionSeparableModel({
          ...o,
          stages: [[64, 64], [64]],
          generator: o?.generator ?? { name: 'reduce-expand', config: { init: 'static' } },
        }),
      description:
        'inv-separable with a second involution block in its first stage, kernels started static (282,548 params)',
      involution: true,
    },
  ],
  [
    'resinv',
    {
      factory: resInvNet,
      description:
        'residual involution net: conv stem, 3 stages of 2 blocks of involution + 1×1 conv, widths 48/96/192 (267,757 params)',
      involution: true,
    },
  ],
  [
    'resinv-linear',
    {
      // The ablation's second generator with resinv's static start: `--generator linear` alone starts from
      // random (Glorot) kernels, which confounds the generator with the start (46.8% after 11 epochs).
      factory: (o) =>
        resInvNet({ ...o, generator: o?.generator ?? { name: 'linear', config: { init: 'static' } } }),
      description:
        "resinv with the linear generator (one 1×1 conv, no bottleneck), started static as resinv's (293,581 params)",
      involution: true,
    },
  ],
  [
    'resinv-dw',
    {
      factory: (o) => resInvNet({ ...o, mixer: 'depthwise', widths: [56, 112, 216] }),
      description:
        "resinv's backbone with depthwise 3×3 convs for involutions, widths 56/112/216 (274,818 params)",
      involution: false,
    },
  ],
  [
    'resinv-conv',
    {
      factory: (o) => resInvNet({ ...o, mixer: 'conv', widths: [24, 48, 72] }),
      description:
        "resinv's backbone with full 3×3 convs (ResNet basic blocks), widths 24/48/72 (273,250 params)",
      involution: false,
    },
  ],
  [
    'rednet-26',
    {
      factory: (o) => rednet({ ...o, depth: 26 }),
      description: 'RedNet-26 for 32×32 (width 16)',
      involution: true,
    },
  ],
  [
    'rednet-38',
    {
      factory: (o) => rednet({ ...o, depth: 38 }),
      description: 'RedNet-38 for 32×32 (width 16)',
      involution: true,
    },
  ],
  [
    'rednet-50',
    {
      factory: (o) => rednet({ ...o, depth: 50 }),
      description: 'RedNet-50 for 32×32 (width 16)',
      involution: true,
    },
  ],
]);

/** The models `createModel` knows: name, one line, and whether it takes a kernel `generator`. */
export function listModels(): { name: string; description: string; involution: boolean }[] {
  return [...MODELS].map(([name, { description, involution }]) => ({ name, description, involution }));
}

/** Builds model `name`; an unknown name is an error that lists the valid ones. */
export function createModel(name: string, options?: InvolutionClassifierOptions): tf.LayersModel {
  const entry = MODELS.get(name);
  if (entry === undefined) {
    throw new Error(`unknown model '${name}'; expected one of: ${[...MODELS.keys()].join(', ')}`);
  }
  return entry.factory(options);
}
