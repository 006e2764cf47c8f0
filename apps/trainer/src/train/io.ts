/** What `train` reports and what it talks to: the log, the progress stream, the stop request, a test hook. */
import type * as tf from '@tensorflow/tfjs';
import type { EpochRecord } from '../run/run_dir.js';

export type TrainStatus = 'completed' | 'interrupted' | 'diverged';

export interface TrainOutcome {
  status: TrainStatus;
  runDir: string;
  history: EpochRecord[];
}

export interface TrainIo {
  log: (line: string) => void;
  progressStream: NodeJS.WriteStream;
  /** True once the user asks to stop (Ctrl-C); the loop then checkpoints after the current step. */
  stopRequested: () => boolean;
  /**
   * Steps between reads of the losses and correct counts (default: 16 on webgpu, where a read waits for the
   * GPU to drain its queue, 1 elsewhere, where it costs nothing). The numbers are the same for any value.
   */
  readEvery?: number;
  /** Called before each step (1-based `step` of the epoch about to run): tests inject faults here. */
  beforeStep?: (at: { epoch: number; step: number }, model: tf.LayersModel) => void;
}
