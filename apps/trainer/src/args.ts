/** Command-line parsing for `inv`: each bad value is an error that says what was expected. */
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '@inv/core';
import { listModels } from '@inv/models';

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface TrainArgs {
  command: 'train';
  model: string;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  dataDir: string | undefined;
  limit: number | undefined;
  seed: number;
  backend: BackendName | 'auto';
  out: string;
  resume: boolean;
  augment: boolean;
}

export interface EvaluateArgs {
  command: 'evaluate';
  run: string;
  checkpoint: 'best' | 'latest';
  dataDir: string | undefined;
  limit: number | undefined;
  backend: BackendName | 'auto';
}

export interface SummaryArgs {
  command: 'summary';
  model: string;
}

export type CliArgs = TrainArgs | EvaluateArgs | SummaryArgs;

export const USAGE = `usage:
  inv train --model NAME [--epochs 20] [--batch-size 256] [--optimizer adam] [--lr 1e-3] [--data-dir DIR]
            [--limit N] [--seed 42] [--backend auto] [--out runs/NAME] [--resume] [--augment]
  inv evaluate --run runs/NAME [--checkpoint best|latest] [--data-dir DIR] [--limit N] [--backend auto]
  inv summary --model NAME
models: ${listModels().map((m) => m.name).join(', ')}; backends: auto, ${BACKEND_NAMES.join(', ')}; optimizers: ${OPTIMIZERS.join(', ')}`;

function oneOf<T extends string>(flag: string, value: string, valid: readonly T[]): T {
  if (!(valid as readonly string[]).includes(value)) {
    throw new Error(`--${flag} '${value}' is not valid; expected one of: ${valid.join(', ')}`);
  }
  return value as T;
}

function number(flag: string, value: string | undefined, { integer, min }: { integer: boolean; min: number }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    throw new Error(`--${flag} '${value}' is not valid; expected ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return n;
}

function required(flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new Error(`--${flag} is required\n${USAGE}`);
  return value;
}

const backends = ['auto', ...BACKEND_NAMES] as const;

export function parseCli(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      model: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      optimizer: { type: 'string' },
      lr: { type: 'string' },
      'data-dir': { type: 'string' },
      limit: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
      augment: { type: 'boolean' },
      run: { type: 'string' },
      checkpoint: { type: 'string' },
    },
  });
  const limit = number('limit', values.limit, { integer: true, min: 1 });
  const backend = oneOf('backend', values.backend ?? 'auto', backends);
  switch (command) {
    case 'train': {
      const model = oneOf('model', required('model', values.model), listModels().map((m) => m.name));
      return {
        command,
        model,
        epochs: number('epochs', values.epochs, { integer: true, min: 1 }) ?? 20,
        batchSize: number('batch-size', values['batch-size'], { integer: true, min: 1 }) ?? 256,
        optimizer: oneOf('optimizer', values.optimizer ?? 'adam', OPTIMIZERS),
        lr: number('lr', values.lr, { integer: false, min: Number.MIN_VALUE }) ?? 1e-3,
        dataDir: values['data-dir'],
        limit,
        seed: number('seed', values.seed, { integer: true, min: 0 }) ?? 42,
        backend,
        out: values.out ?? `runs/${model}`,
        resume: values.resume ?? false,
        augment: values.augment ?? false,
      };
    }
    case 'evaluate':
      return {
        command,
        run: required('run', values.run),
        checkpoint: oneOf('checkpoint', values.checkpoint ?? 'best', ['best', 'latest'] as const),
        dataDir: values['data-dir'],
        limit,
        backend,
      };
    case 'summary':
      return { command, model: oneOf('model', required('model', values.model), listModels().map((m) => m.name)) };
    default:
      throw new Error(`unknown command '${command ?? ''}'; expected train, evaluate or summary\n${USAGE}`);
  }
}
