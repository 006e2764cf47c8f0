import type { BenchRow } from '../benchmark/run.js';
import type { ClassifierSnapshot } from '../classifier/classify.js';
import type { PlaygroundSnapshot } from '../playground/snapshot.js';
import type { SiteBackendSelection } from '../site/backend.js';
import type { TrainSnapshot } from '../train/snapshot.js';

/**
 * What the demo pages publish on `window.inv`: the backend and each demo's latest inputs and results, read by
 * the end-to-end tests to recompute them in Node (and handy in a visitor's console).
 */
export interface InvHooks {
  /** `tf.getBackend()`, live. */
  getBackend: () => string;
  selection: SiteBackendSelection;
  playground: PlaygroundSnapshot;
  classifier: ClassifierSnapshot;
  benchmark: { readonly done: boolean; readonly rows: readonly BenchRow[] };
  /** The runs the curves page draws, by name, once drawn. */
  curves: { readonly runs: readonly string[]; readonly logLoss: boolean };
  /** The Train page: data, session state, curves, heatmaps and final figures. */
  train: TrainSnapshot;
}

declare global {
  interface Window {
    inv?: Partial<InvHooks>;
  }
}

/** Publishes (or replaces) some of the hooks. */
export function publish(hooks: Partial<InvHooks>): void {
  window.inv = { ...window.inv, ...hooks };
}
