/**
 * The `train` suite: one full training step (forward, loss, backward, Adam update) of the reference models at
 * batch 256 (RedNet-26: 64), and their inference on a batch (what each epoch's test pass and `inv evaluate`
 * run), in images/s, against the PyTorch peer's of the same two Keras-seed models; and the small-model
 * frontier's ablation (resinv's backbone with each mixer) at its recipe's batch of 128.
 */
// Registers the softmax generator, which the frontier's ablation trains.
import '@inv/generator-attention';
import { PEER_BACKEND, type PeerRun, type TorchPeerOptions } from '../peer/run_peer_script.js';
import { runTrainPeer, TRAIN_PEER_IMPL } from '../peer/train_peer.js';
import type { BenchCase } from '../harness/types.js';
import type { Comparison } from '../report/comparisons.js';
import type { Suite, SuiteContext } from './suite.js';
import { prepareInference, prepareTrainStep } from './train_step.js';

export const TRAIN_MODELS = [
  'seed-conv',
  'seed-inv',
  'inv-separable',
  'inv-separable-deep',
  'rednet-26',
] as const;
/** The models the peer builds too (RedNet has no PyTorch twin here). */
export const TRAIN_PEER_MODELS = ['seed-conv', 'seed-inv'] as const;
export const TRAIN_IMPL = 'inv';
export const TRAIN_BATCH = 256;

/**
 * The frontier's ablation (experiments/experiment-runs.json: resinv-s*, resinv-linear, resinv-softmax,
 * resinv-dw, resinv-conv): the case is the model, `/generator` where the run picks one. Their images/s here, all
 * in one run of an idle machine, are what the frontier report quotes (the runs' own depend on their threads
 * and on what ran beside them).
 */
export const FRONTIER_CASES: readonly { case: string; model: string; generator?: string }[] = [
  { case: 'resinv', model: 'resinv' },
  { case: 'resinv-linear', model: 'resinv-linear' },
  { case: 'resinv/softmax', model: 'resinv', generator: 'softmax' },
  { case: 'resinv-dw', model: 'resinv-dw' },
  { case: 'resinv-conv', model: 'resinv-conv' },
];
/** The frontier recipe's batch. */
export const FRONTIER_BATCH = 128;

/**
 * RedNet-26's step holds ~3 GB of activations at batch 64 (every BN and involution intermediate, kept for
 * the backward pass): at 256 it would pass the wasm backend's 4 GB heap.
 */
const BATCH_DIVISOR: Partial<Record<(typeof TRAIN_MODELS)[number], number>> = { 'rednet-26': 4 };

/** The model's batch; `--quick`: an eighth of it, as the op suite. */
export function trainBatch(context: SuiteContext, model?: (typeof TRAIN_MODELS)[number]): number {
  const batch = TRAIN_BATCH / (model === undefined ? 1 : (BATCH_DIVISOR[model] ?? 1));
  return context.quick ? batch / 8 : batch;
}

function trainShape(batch: number): string {
  return `B${batch} 32×32×3, Adam`;
}

/** The modes of the reference models' cases (the frontier's: train-step only). */
export const TRAIN_MODES = ['train-step', 'inference'] as const;

/** The targets, as images/s ratios inv/peer (= peer time / inv time at equal batch), and known causes of a miss. */
const TARGETS: readonly {
  model: (typeof TRAIN_PEER_MODELS)[number];
  minSpeedup: number;
  missedBecause?: Comparison['missedBecause'];
}[] = [
  {
    model: 'seed-inv',
    minSpeedup: 2.5,
    missedBecause: {
      wasm: "the step is 21–25 ms of 213 small kernel calls, and the peer's own step varies 50–72 ms from run to run (2.2–3.0× over three runs, 2026-12-01)",
    },
  },
  {
    model: 'seed-conv',
    minSpeedup: 1,
    missedBecause: {
      cpu: "the cpu backend's elementwise ops (bias add, ReLU, pooling, Adam) are single-threaded JavaScript loops",
    },
  },
];

/** inv's rows against the peer's, in images/s. */
const VERSUS_PEER = {
  label: 'inv vs PyTorch (images/s)',
  subject: TRAIN_IMPL,
  baseline: TRAIN_PEER_IMPL,
  baselineBackend: PEER_BACKEND,
} as const;

export const trainSuite: Suite = {
  name: 'train',
  description:
    "one training step (forward, loss, backward, Adam) and inference of seed-conv, seed-inv, inv-separable(-deep), rednet-26, and the frontier's resinv ablation's step; images/s",
  defaultBackends: ['cpu', 'wasm'],
  cases: (context) => [
    ...TRAIN_MODELS.flatMap((model) =>
      TRAIN_MODES.map((mode): BenchCase => ({
        case: model,
        shape: trainShape(trainBatch(context, model)),
        impl: TRAIN_IMPL,
        mode,
        prepare: () =>
          mode === 'train-step'
            ? prepareTrainStep(model, trainBatch(context, model))
            : prepareInference(model, trainBatch(context, model)),
      })),
    ),
    ...FRONTIER_CASES.map(({ case: name, model, generator }): BenchCase => {
      const batch = context.quick ? FRONTIER_BATCH / 8 : FRONTIER_BATCH;
      return {
        case: name,
        shape: trainShape(batch),
        impl: TRAIN_IMPL,
        mode: 'train-step',
        prepare: () => prepareTrainStep(model, batch, generator === undefined ? {} : { generator }),
      };
    }),
  ],
  comparisons: [
    ...TARGETS.map(({ model, minSpeedup, missedBecause }): Comparison => ({
      ...VERSUS_PEER,
      cases: [model],
      modes: ['train-step'],
      minSpeedup,
      ...(missedBecause === undefined ? {} : { missedBecause }),
    })),
    { ...VERSUS_PEER, modes: ['inference'] },
  ],
  peer: (context, options: TorchPeerOptions): Promise<PeerRun> =>
    runTrainPeer(
      TRAIN_PEER_MODELS,
      TRAIN_MODES,
      trainBatch(context),
      trainShape(trainBatch(context)),
      options,
    ),
};
