// Every test process: tfjs in production mode, as the `inv` CLI runs it (no per-op debug checks, and no
// "install tfjs-node" banner printed by every forked test file).
import * as tf from '@tensorflow/tfjs-core';

tf.env().set('PROD', true);
