import type * as tf from '@tensorflow/tfjs';
import type { ClassifierOptions } from './seed/options.js';
import { seedConvModel } from './seed/seed_conv.js';
import { seedInvolutionModel } from './seed/seed_involution.js';
import { rednet } from './rednet/rednet.js';

/** Builds a fresh, seeded classifier. */
export type ModelFactory = (options?: ClassifierOptions) => tf.LayersModel;

const MODELS = new Map<string, { factory: ModelFactory; description: string }>([
  ['seed-conv', { factory: seedConvModel, description: 'the Keras seed conv baseline (319,178 params)' }],
  ['seed-inv', { factory: seedInvolutionModel, description: 'the Keras seed involution model (13,080 params)' }],
  ['rednet-26', { factory: (o) => rednet({ ...o, depth: 26 }), description: 'RedNet-26 for 32×32 (width 16)' }],
  ['rednet-38', { factory: (o) => rednet({ ...o, depth: 38 }), description: 'RedNet-38 for 32×32 (width 16)' }],
  ['rednet-50', { factory: (o) => rednet({ ...o, depth: 50 }), description: 'RedNet-50 for 32×32 (width 16)' }],
]);

/** Names of the models `createModel` knows, with one line each. */
export function listModels(): { name: string; description: string }[] {
  return [...MODELS].map(([name, { description }]) => ({ name, description }));
}

/** Builds model `name`; an unknown name is an error that lists the valid ones. */
export function createModel(name: string, options?: ClassifierOptions): tf.LayersModel {
  const entry = MODELS.get(name);
  if (entry === undefined) {
    throw new Error(`unknown model '${name}'; expected one of: ${[...MODELS.keys()].join(', ')}`);
  }
  return entry.factory(options);
}
