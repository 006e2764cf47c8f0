import * as tf from '@tensorflow/tfjs-core';
import { axisSoftmaxGradConfig } from './axis_softmax_grad.js';
import { batchNormTrainingGradConfig } from './batch_norm_training_grad.js';
import { involution2dGradConfig } from './involution2d_grad.js';

// The gradients of inv's own ops, registered at import: they are backend-independent, and no other gradient
// of these kernels exists to clash with. (FusedBatchNorm's is @inv/kernels' registerKernels' business.)
tf.registerGradient(involution2dGradConfig);
tf.registerGradient(batchNormTrainingGradConfig);
tf.registerGradient(axisSoftmaxGradConfig);
