/**
 * Command-line parsing for `inv`: the command picks its row of the flag table (args/commands.ts); a flag of
 * another command, an unknown flag or a bad value is an error that names it and says what was expected.
 */
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '@inv/core';
import { listModels } from '@inv/models';
import { COLORMAPS, NORMALIZATIONS, REDUCTIONS } from '@inv/viz';
import { COMMANDS, FLAGS, usageOf, type FlagName, type FlagValues } from './args/commands.js';
import type { CliArgs, CommandName } from './args/types.js';
import { kernelGenerators } from './generators.js';
import { OPTIMIZERS } from './recipe/optimizer.js';

export type {
  BackendChoice,
  CliArgs,
  CommandName,
  CompareArgs,
  EvaluateArgs,
  EvaluateModelDirArgs,
  ExportArgs,
  HeatmapsArgs,
  PlotArgs,
  SummaryArgs,
  TrainArgs,
  VerifyArgs,
} from './args/types.js';
export { SEED_TRAINING } from './run/config.js';
export type { RunSettings } from './run/config.js';
export { LR_SCHEDULES, OPTIMIZERS } from './recipe/optimizer.js';
export type { LrSchedule, OptimizerName } from './recipe/optimizer.js';
export { MAX_HEATMAP_IMAGES } from './args/commands.js';

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export const USAGE = `usage:
${COMMAND_NAMES.map(usageOf).join('\n')}
models: ${listModels()
  .map((m) => m.name)
  .join(', ')}; generators (involution models): ${kernelGenerators().join(', ')}
backends: auto, ${BACKEND_NAMES.join(', ')}; optimizers: ${OPTIMIZERS.join(', ')}
heatmaps: --reduce ${REDUCTIONS.join('|')}, --colormap ${COLORMAPS.join('|')}, --normalize ${NORMALIZATIONS.join('|')}
train --resume takes every setting from the run's config.json; --epochs N (more than saved) extends it.`;

/** The flags of `command` read from `args`: first every flag name is checked against the command's row. */
function readFlags(command: CommandName, args: string[]): { values: FlagValues; positionals: string[] } {
  const accepted = Object.keys(COMMANDS[command].flags) as FlagName[];
  const { tokens } = parseArgs({ args, options: FLAGS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option' || accepted.includes(token.name as FlagName)) continue;
    const what =
      token.name in FLAGS ? `does not apply to 'inv ${command}'` : `is not a flag of 'inv ${command}'`;
    throw new Error(`${token.rawName} ${what}; it accepts: ${accepted.map((f) => `--${f}`).join(', ')}`);
  }
  const options = Object.fromEntries(accepted.map((flag) => [flag, FLAGS[flag]]));
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (positionals.length > 0 && COMMANDS[command].positionals !== true)
      throw new Error(`unexpected argument '${positionals[0]}'\n${usageOf(command)}`);
    return { values: values as FlagValues, positionals };
  } catch (error) {
    // node's messages ("Option '--out <value>' argument missing") are clear; say which command it was.
    throw new Error(`inv ${command}: ${(error as Error).message}`);
  }
}

export function parseCli(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (!(COMMAND_NAMES as string[]).includes(command ?? '')) {
    throw new Error(
      `unknown command '${command ?? ''}'; expected one of: ${COMMAND_NAMES.join(', ')}\n${USAGE}`,
    );
  }
  const name = command as CommandName;
  const { values, positionals } = readFlags(name, rest);
  return COMMANDS[name].parse(values, positionals);
}
