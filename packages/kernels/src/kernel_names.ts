import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/** What a fused batch-norm can apply after the affine step. */
export const BATCH_NORM_ACTIVATIONS = ['linear', 'relu'] as const;
export type BatchNormActivation = (typeof BATCH_NORM_ACTIVATIONS)[number];

/**
 * Batch-norm over all axes but the last (channels), with the batch's own statistics, as in training. Inputs:
 * `x` [..., C], `scale`, `offset` [C]. Outputs `y` (like x), then the batch's `mean` and biased `variance` [C].
 */
export const BatchNormTraining = 'BatchNormTraining';
/**
 * Gradient of {@link BatchNormTraining}. Inputs: `dy`, `x`, `y`, `scale`, `mean`, `variance`, and the gradients
 * reaching the `mean` and `variance` outputs, `dMean`, `dVariance`. Outputs `dx`, `dScale`, `dOffset`.
 */
export const BatchNormTrainingGrad = 'BatchNormTrainingGrad';

/** Attributes of both batch-norm kernels. */
export interface BatchNormTrainingAttrs extends NamedAttrMap {
  epsilon: number;
  activation: BatchNormActivation;
}

/**
 * The ReLU gradient in one pass: inputs `dy`, `x` (the ReLU's input), output `dx = dy·step(x)` (step: 1 for
 * x > 0, NaN for NaN, else 0, as tfjs's), which tfjs computes as Step, Cast and Multiply.
 */
export const InvReluGrad = 'InvReluGrad';

/**
 * One Adam step of one variable in one pass, where tfjs's Adam runs 14 kernels: inputs `value`, `m`, `v`,
 * `gradient` and the scalars `oneMinusAccBeta1` (1 − β₁ᵗ), `oneMinusAccBeta2`; outputs the new value, m and
 * v, bit for bit what tfjs 4.22's `AdamOptimizer` computes (the same float32 operations in the same order).
 */
export const AdamUpdate = 'InvAdamUpdate';

/** Attributes of {@link AdamUpdate}: the optimizer's constants. */
export interface AdamUpdateAttrs extends NamedAttrMap {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

/**
 * Batch norm's moving statistics moved toward the batch's in one call, where tfjs-layers' update runs six
 * kernels: inputs `movingMean`, `movingVariance`, `mean`, `variance`; outputs the new moving mean and
 * variance, `moving − (moving − batch)·(1 − momentum)` in float32, bit for bit the stock ops' result.
 */
export const MovingAverages = 'InvMovingAverages';

/** Attributes of {@link MovingAverages}. */
export interface MovingAveragesAttrs extends NamedAttrMap {
  momentum: number;
}

/**
 * Softmax along any one axis (tfjs's `Softmax` takes only the last): input `logits`, output of its shape,
 * `e^(x − max) / Σ e^(x − max)` along `axis`. The softmax kernel generator normalises over the K×K taps of
 * [B, H, W, K², G], a middle axis, which stock ops reach only through a transpose and about ten kernels.
 */
export const AxisSoftmax = 'InvAxisSoftmax';

/** The gradient of {@link AxisSoftmax} from its output: inputs `dy`, `y`; output `dx = y·(dy − Σ_axis y·dy)`. */
export const AxisSoftmaxGrad = 'InvAxisSoftmaxGrad';

/** Attributes of both softmax kernels: the axis (negative counts from the end). */
export interface AxisSoftmaxAttrs extends NamedAttrMap {
  axis: number;
}
