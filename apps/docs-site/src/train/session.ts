import { fusedAdam } from '@inv/core';
import * as tf from '@tensorflow/tfjs';
import { batchIterator, CHANNELS, IMAGE_SIZE, type Cifar10Dataset } from '@inv/data/browser';
import type { CurveRecord } from '@inv/viz/browser';
import { evaluateSplit, trainStep, type Evaluation } from './step.js';

/** What the visitor picked. */
export interface TrainSettings {
  readonly model: string;
  readonly generator: string | undefined;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  /** The first `trainImages` training images are used (the whole loaded split at most). */
  readonly trainImages: number;
  /** Test evaluations (curve points) per epoch: 1, 2 or 4. */
  readonly pointsPerEpoch: number;
  /** Seed of the weights and of the batch order. */
  readonly seed: number;
}

export type SessionState = 'running' | 'paused' | 'stopped' | 'finished';

/** Live figures of the step just taken. */
export interface StepInfo {
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  /** The step's mean training loss. */
  readonly loss: number;
  readonly stepMs: number;
  /** Images per second over the run's steps so far (training time only). */
  readonly imagesPerSecond: number;
}

export interface SessionEvents {
  onStep(info: StepInfo): void;
  /** A curve point: training figures since the previous point, test figures now. `epoch` may be fractional. */
  onPoint(history: readonly CurveRecord[], test: Evaluation): Promise<void>;
  /** After each epoch's last point. */
  onEpoch(epoch: number): Promise<void>;
  onState(state: SessionState): void;
}

/** Test images per inference batch. */
const EVAL_BATCH = 250;

/** Gives the browser a turn (input, painting) between steps: the page stays responsive while it trains. */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The first `size` images of `data`, sharing its memory. */
export function headOf(data: Cifar10Dataset, size: number): Cifar10Dataset {
  const n = Math.min(size, data.size);
  return {
    ...data,
    size: n,
    images: data.images.subarray(0, n * IMAGE_SIZE * IMAGE_SIZE * CHANNELS),
    labels: data.labels.subarray(0, n),
  };
}

/**
 * One training run in the page: Adam on softmax cross-entropy, batches as `inv train` makes them (seeded
 * shuffle, ÷255), a test evaluation at each curve point. Pausable and stoppable between steps.
 */
export class TrainingSession {
  readonly history: CurveRecord[] = [];
  private state: SessionState = 'running';
  private resumed: (() => void) | undefined;
  private readonly optimizer: tf.Optimizer;

  constructor(
    readonly model: tf.LayersModel,
    readonly settings: TrainSettings,
    readonly train: Cifar10Dataset,
    readonly test: Cifar10Dataset,
    private readonly events: SessionEvents,
  ) {
    // tfjs's Adam bit for bit, one kernel a variable on wasm and cpu.
    this.optimizer = fusedAdam(settings.lr);
  }

  get current(): SessionState {
    return this.state;
  }

  pause(): void {
    if (this.state === 'running') this.setState('paused');
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    this.resumed?.();
  }

  /** Stops after the step under way; the model keeps what it learned. */
  stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.setState('stopped');
    this.resumed?.();
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.events.onState(state);
  }

  /** Waits while paused; false once stopped. */
  private async go(): Promise<boolean> {
    while (this.state === 'paused') await new Promise<void>((resolve) => (this.resumed = resolve));
    return this.state === 'running';
  }

  /** Trains until the last epoch or a stop; resolves to the final test evaluation. */
  async run(): Promise<Evaluation> {
    try {
      return await this.loop();
    } catch (error) {
      // A failed step (the backend out of memory, a loss that is not finite) ends the session.
      if (this.state === 'running' || this.state === 'paused') this.setState('stopped');
      throw error;
    }
  }

  private async loop(): Promise<Evaluation> {
    const { epochs, batchSize, pointsPerEpoch, seed } = this.settings;
    const steps = Math.ceil(this.train.size / batchSize);
    const pointAt = (k: number) => Math.round((k * steps) / pointsPerEpoch);
    let trainedImages = 0;
    let trainedMs = 0;
    let last: Evaluation | undefined;
    // Steps taken since the last evaluation (a stop between curve points).
    let dirty = false;
    outer: for (let epoch = 1; epoch <= epochs; epoch++) {
      let step = 0;
      let point = 1;
      let sums = { loss: 0, correct: 0, count: 0 };
      const batches = batchIterator(this.train, { batchSize, seed, epoch: epoch - 1, prefetch: 0 });
      for await (const { xs, ys } of batches) {
        if (!(await this.go())) {
          tf.dispose([xs, ys]);
          break outer;
        }
        const start = performance.now();
        const result = await trainStep(this.model, this.optimizer, xs as tf.Tensor4D, ys as tf.Tensor1D);
        const stepMs = performance.now() - start;
        tf.dispose([xs, ys]);
        step++;
        trainedImages += result.count;
        trainedMs += stepMs;
        sums = {
          loss: sums.loss + result.loss * result.count,
          correct: sums.correct + result.correct,
          count: sums.count + result.count,
        };
        this.events.onStep({
          epoch,
          step,
          steps,
          loss: result.loss,
          stepMs,
          imagesPerSecond: (trainedImages / trainedMs) * 1000,
        });
        if (!Number.isFinite(result.loss))
          throw new Error(
            `the loss is ${result.loss} at epoch ${epoch}, step ${step}: lower the learning rate`,
          );
        dirty = true;
        if (step >= pointAt(point)) {
          last = await evaluateSplit(this.model, this.test, EVAL_BATCH, yieldToPage);
          dirty = false;
          this.history.push({
            epoch: epoch - 1 + step / steps,
            loss: sums.loss / sums.count,
            accuracy: sums.correct / sums.count,
            val_loss: Number.isFinite(last.loss) ? last.loss : null,
            val_accuracy: last.accuracy,
          });
          sums = { loss: 0, correct: 0, count: 0 };
          while (point <= pointsPerEpoch && pointAt(point) <= step) point++;
          await this.events.onPoint(this.history, last);
        }
        await yieldToPage();
      }
      await this.events.onEpoch(epoch);
    }
    if (this.state === 'running') this.setState('finished');
    if (last === undefined || dirty)
      last = await evaluateSplit(this.model, this.test, EVAL_BATCH, yieldToPage);
    return last;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
