import * as tf from '@tensorflow/tfjs';

/**
 * An exponential moving average of a model's weights (Polyak averaging, as timm's ModelEmaV2 and airbench keep
 * it), held in a second model of the same architecture so that it evaluates and checkpoints exactly like the
 * raw one. Every weight is averaged, batch-norm moving statistics included, so the average model is
 * self-consistent.
 *
 * The decay ramps up as min(decay, (1 + t) / (10 + t)) at update t: early on the average follows the fast-moving
 * weights instead of remembering their random start. The rate depends on the step alone, so a resumed run
 * continues the same average.
 */
export class WeightAverage {
  private readonly sources: tf.Variable[];
  private readonly targets: tf.Variable[];

  /** `average` must be built by the same factory as `model`; its weights are overwritten by `start`. */
  constructor(
    model: tf.LayersModel,
    readonly average: tf.LayersModel,
    readonly decay: number,
  ) {
    if (!(decay > 0 && decay < 1)) {
      throw new Error(`the weight average's decay must be in (0, 1), got ${decay}`);
    }
    this.sources = model.weights.map((w) => w.read() as tf.Variable);
    this.targets = average.weights.map((w) => w.read() as tf.Variable);
    const mismatch = this.sources.findIndex(
      (v, i) => this.targets[i] === undefined || !tf.util.arraysEqual(v.shape, this.targets[i]!.shape),
    );
    if (mismatch !== -1 || this.targets.length !== this.sources.length) {
      throw new Error(
        `the weight average's model does not match the trained one (weight ${mismatch === -1 ? this.sources.length : mismatch} differs): build both with the same factory and options`,
      );
    }
  }

  /** Sets the average to the model's current weights (a fresh run's first step). */
  start(): void {
    this.sources.forEach((v, i) => this.targets[i]!.assign(v));
  }

  /** The decay used at update `step` (0-based). */
  decayAt(step: number): number {
    return Math.min(this.decay, (1 + step) / (10 + step));
  }

  /** Folds the model's weights after update `step` into the average. */
  update(step: number): void {
    const d = this.decayAt(step);
    tf.tidy(() => {
      this.sources.forEach((v, i) => {
        const target = this.targets[i]!;
        target.assign(tf.add(tf.mul(target, d), tf.mul(v, 1 - d)));
      });
    });
  }
}
