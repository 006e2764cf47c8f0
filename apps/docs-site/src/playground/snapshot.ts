import type { TensorData } from '../site/tensor_data.js';
import type { PlaygroundSettings } from './layer.js';

/** What the playground publishes after each run: enough to recompute the same call anywhere. */
export interface PlaygroundSnapshot {
  /** Counts completed runs, so a reader can wait for the next one. */
  readonly run: number;
  readonly settings: PlaygroundSettings;
  readonly input: TensorData;
  /** Every weight of the layer (trainable and not), by name. */
  readonly weights: readonly (TensorData & { name: string })[];
  readonly output: TensorData;
  readonly msPerCall: number;
}
