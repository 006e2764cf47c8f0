import { batchNormSuite } from './batch_norm.js';
import { dataSuite } from './data.js';
import { kernelsSuite } from './kernels.js';
import { layerSuite } from './layer.js';
import { opSuite } from './op.js';
import type { Suite } from './suite.js';
import { trainSuite } from './train.js';

/** Every suite the CLI can run, by name. */
export const SUITES: Readonly<Record<string, Suite>> = {
  op: opSuite,
  layer: layerSuite,
  train: trainSuite,
  data: dataSuite,
  batchnorm: batchNormSuite,
  kernels: kernelsSuite,
};

export function suiteNamed(name: string): Suite {
  const suite = SUITES[name];
  if (suite === undefined)
    throw new Error(`unknown suite '${name}'; expected one of ${Object.keys(SUITES).join(', ')}`);
  return suite;
}
