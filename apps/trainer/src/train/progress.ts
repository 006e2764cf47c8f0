/** Training progress: a redrawn bar on a terminal, plain lines (one every few seconds) otherwise. */
export interface ProgressUpdate {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

export interface Progress {
  update(p: ProgressUpdate): void;
  /** Ends the current epoch's bar with a summary line. */
  line(text: string): void;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function describeProgress(p: ProgressUpdate, batchSize: number): string {
  const remainingImages = (p.steps - p.step) * batchSize;
  const eta = formatEta(remainingImages / p.imagesPerSecond);
  return `epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} acc ${p.accuracy.toFixed(4)} ${Math.round(p.imagesPerSecond)} img/s ETA ${eta}`;
}

export function createProgress(
  stream: NodeJS.WriteStream,
  batchSize: number,
  plainIntervalMs = 5000,
): Progress {
  const tty = stream.isTTY === true;
  let lastPlain = 0;
  let barShown = false;
  return {
    update(p) {
      const text = describeProgress(p, batchSize);
      if (tty) {
        const width = 24;
        const filled = Math.round((p.step / p.steps) * width);
        stream.write(`\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${text}\x1b[K`);
        barShown = true;
      } else if (Date.now() - lastPlain >= plainIntervalMs || p.step === p.steps) {
        lastPlain = Date.now();
        stream.write(`${text}\n`);
      }
    },
    line(text) {
      stream.write(`${tty && barShown ? '\r\x1b[K' : ''}${text}\n`);
      barShown = false;
    },
  };
}
