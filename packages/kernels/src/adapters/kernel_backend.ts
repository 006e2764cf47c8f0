import type * as tf from '@tensorflow/tfjs-core';

/** The `backend` a kernel function receives (tfjs types it as `{}`); the adapters know what it is. */
export type KernelBackendArg = Parameters<tf.KernelFunc>[0]['backend'];
