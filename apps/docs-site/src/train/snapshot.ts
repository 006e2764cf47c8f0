import type { CurveRecord } from '@inv/viz/browser';

/** What the Train page publishes on `window.inv.train` (read by the end-to-end tests). */
export interface TrainSnapshot {
  /** The loaded data, once loaded. */
  readonly data: { readonly source: string; readonly train: number; readonly test: number } | undefined;
  readonly state: 'idle' | 'running' | 'paused' | 'stopped' | 'finished';
  /** Steps taken by the current session, and each one's mean training loss. */
  readonly stepLosses: readonly number[];
  readonly history: readonly CurveRecord[];
  readonly imagesPerSecond: number;
  /** `tf.memory().numTensors` after each epoch of the current session (its figures drawn): flat when nothing leaks. */
  readonly tensorsAfterEpoch: readonly number[];
  /** Curve and heatmap figures drawn so far (any session, or an opened run). */
  readonly curvesDrawn: number;
  readonly heatmapsDrawn: number;
  /** The last session's final test evaluation: its figures and the predicted class of every test image. */
  readonly final:
    | {
        readonly loss: number;
        readonly accuracy: number;
        readonly predictions: readonly number[];
        readonly confusion: readonly (readonly number[])[];
      }
    | undefined;
  /** A run folder opened with "open a run folder". */
  readonly openedRun: { readonly name: string; readonly epochs: number; readonly model: boolean } | undefined;
}
