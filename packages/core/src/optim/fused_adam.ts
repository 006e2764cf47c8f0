import { AdamUpdate, type AdamUpdateAttrs } from '@inv/kernels';
import * as tf from '@tensorflow/tfjs-core';

/** The fields of tfjs 4.22's AdamOptimizer this subclass uses (private in its typings). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

/**
 * tfjs's Adam with one kernel per variable (`InvAdamUpdate`, registered on cpu and wasm by `initBackend`)
 * where tfjs's runs 14: the same bits, the same state and checkpoints (`getWeights`/`setWeights` are
 * `tf.AdamOptimizer`'s), and tfjs's own step on backends without the kernel. A step of a small model is
 * mostly per-kernel overhead (resinv: 119 variables, 1,666 Adam kernel calls a step).
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (tf.getKernel(AdamUpdate, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const list = Array.isArray(variableGradients);
    const names = list ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const attrs: AdamUpdateAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      learningRate: this.learningRate,
    };
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, state.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, state.accBeta2);
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        const moment = (slots: AdamState['accumulatedFirstMoment'], suffix: string): tf.Variable => {
          slots[i] ??= {
            originalName: `${name}/${suffix}`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
          return slots[i].variable;
        };
        const m = moment(state.accumulatedFirstMoment, 'm');
        const v = moment(state.accumulatedSecondMoment, 'v');
        const gradient = list ? variableGradients[i]!.tensor : variableGradients[name];
        if (gradient == null) return;
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(
            AdamUpdate,
            { value, m, v, gradient, oneMinusAccBeta1, oneMinusAccBeta2 },
            attrs,
          ) as tf.Tensor[];
        m.assign(newM!);
        v.assign(newV!);
        value.assign(newValue!);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** {@link FusedAdamOptimizer} with `tf.train.adam`'s defaults (ε: the backend's, 1e-7 for float32). */
export function fusedAdam(
  learningRate = 0.001,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon?: number,
): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
