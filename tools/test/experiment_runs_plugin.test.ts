/**
 * The experiment-runs Nx plugin (`tools/plugins/experiment-runs.js`) on files written here: the targets it
 * infers (recipes first, each run's own epochs) and the errors that name the file and the run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodes } from '../plugins/experiment-runs.js';

type Target = { options: { command: string; epochs: number } };
type Infer = (
  files: string[],
  options: unknown,
  context: { workspaceRoot: string },
) => [string, { projects: Record<string, { targets: Record<string, Target> }> }][];

/** The targets inferred from an experiment-runs.json holding `content`, by target name. */
function targetsOf(content: unknown): Record<string, Target> {
  const root = mkdtempSync(join(tmpdir(), 'experiment-runs-'));
  writeFileSync(join(root, 'experiment-runs.json'), JSON.stringify(content));
  const [, infer] = createNodes as unknown as [string, Infer];
  const [[, { projects }]] = infer(['experiment-runs.json'], {}, { workspaceRoot: root }) as [
    [string, { projects: Record<string, { targets: Record<string, Target> }> }],
  ];
  return projects['.']!.targets;
}

describe('experiment-runs plugin', () => {
  it("makes a train target per run: a recipe's arguments, then the run's, with its epochs", () => {
    const targets = targetsOf({
      recipes: { quick: ['--optimizer', 'adamw', '--augment'] },
      runs: {
        plain: ['--model', 'seed-inv'],
        tuned: { recipe: 'quick', args: ['--model', 'resinv', '--seed', '2'], epochs: 35 },
      },
    });
    expect(Object.keys(targets).sort()).toEqual(['train-plain', 'train-tuned']);
    expect(targets['train-plain']!.options.epochs).toBe(20);
    expect(targets['train-tuned']!.options.epochs).toBe(35);
    expect(targets['train-tuned']!.options.command).toContain(
      'train --optimizer adamw --augment --model resinv --seed 2 --epochs {args.epochs}',
    );
  });

  it('names the file and the run in what it refuses', () => {
    expect(() => targetsOf({ runs: { a: { recipe: 'nope', args: [] } } })).toThrow(
      /experiment-runs\.json: run 'a': no recipe 'nope'/,
    );
    expect(() => targetsOf({ runs: { a: { args: ['--epochs', '3'] } } })).toThrow(
      /run 'a': give its epochs as "epochs"/,
    );
    expect(() => targetsOf({ runs: { a: { args: [], epochs: 0 } } })).toThrow(/run 'a': expected/);
    expect(() => targetsOf({ runs: { a: { args: [], extra: 1 } } })).toThrow(/run 'a': expected/);
    expect(() => targetsOf({ runs: [] })).toThrow(/experiment-runs\.json: expected/);
  });
});
