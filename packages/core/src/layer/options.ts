import type { GroupLayout } from '../op/kernel_names.js';
import { positiveInteger, resolveGroupLayout, resolvePad } from '../op/options.js';
import { DEFAULT_KERNEL_GENERATOR, getKernelGenerator } from '../generators/registry.js';
import type { KernelGeneratorConfig, KernelGeneratorSpec } from '../generators/types.js';

/** The involution-specific options of the {@link Involution} layer. */
export interface InvolutionOptions {
  /** C. Involution keeps the channel count, so this must equal the input's; default: the input's. */
  channels?: number;
  /** K: each position gets a K×K kernel. */
  kernelSize: number;
  /** Default 1. */
  stride?: number;
  /** Default 1. */
  dilation?: number;
  /** `'same'` (default: Ho = ceil(H/s)), `'valid'`, or zeros on every side. */
  padding?: 'same' | 'valid' | number;
  /** G, kernel groups. Give this or `groupChannels`; default 1 (the Keras seed's). */
  groups?: number;
  /** C/G, channels per group (the official code's `group_channels`): an alternative to `groups`. */
  groupChannels?: number;
  /** How channel c picks its group: `'contiguous'` (default, official code) or `'interleaved'` (c mod G, the Keras seed). */
  groupLayout?: GroupLayout;
  /** r: MLP generators use a floor(C/r)-channel bottleneck. Default 4 (the paper's). */
  reductionRatio?: number;
  /** The kernel generator: a registered name or `{ name, config }`. Default `'reduce-expand'`. */
  generator?: string | KernelGeneratorSpec;
  /** Also return the generated kernel: the layer outputs `[output, kernel]` (for kernel heatmaps). Default false. */
  returnKernel?: boolean;
  /** Seeds the generator's random initialisers: the same seed gives the same initial weights. Default: unseeded. */
  seed?: number;
}

/** The options validated at construction, defaults applied; the group count waits for the input's channels. */
export interface ResolvedInvolutionOptions {
  channels: number | undefined;
  kernelSize: number;
  stride: number;
  dilation: number;
  padding: 'same' | 'valid' | number;
  /** Zeros before row and column 0. */
  pad: number;
  groups: number | undefined;
  groupChannels: number | undefined;
  groupLayout: GroupLayout;
  reductionRatio: number;
  generator: { name: string; config: KernelGeneratorConfig };
  returnKernel: boolean;
  seed: number | undefined;
}

const DEFAULT_REDUCTION_RATIO = 4;

/** `null` (what a saved config holds for an unset option) as unset. */
function optionalInteger(where: string, name: string, value: number | null | undefined): number | undefined {
  return value === undefined || value === null ? undefined : positiveInteger(where, name, value);
}

function resolveGeneratorSpec(
  where: string,
  generator: InvolutionOptions['generator'],
): ResolvedInvolutionOptions['generator'] {
  const spec =
    typeof generator === 'string' ? { name: generator } : (generator ?? { name: DEFAULT_KERNEL_GENERATOR });
  const config = spec.config ?? {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new Error(`${where}: generator.config must be an object, got ${JSON.stringify(config)}`);
  }
  try {
    getKernelGenerator(spec.name);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  return { name: spec.name, config };
}

function integerSeed(where: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed))
    throw new Error(`${where}: seed must be an integer, got ${String(seed)}`);
  return seed;
}

/** Validates everything that does not depend on the input; every error names the layer. */
export function resolveInvolutionOptions(
  options: InvolutionOptions,
  where: string,
): ResolvedInvolutionOptions {
  const kernelSize = positiveInteger(where, 'kernelSize', options.kernelSize);
  const stride = positiveInteger(where, 'stride', options.stride ?? 1);
  const dilation = positiveInteger(where, 'dilation', options.dilation ?? 1);
  const padding = options.padding ?? 'same';
  const reductionRatio = options.reductionRatio ?? DEFAULT_REDUCTION_RATIO;
  if (typeof reductionRatio !== 'number' || !Number.isFinite(reductionRatio) || reductionRatio < 1) {
    throw new Error(`${where}: reductionRatio must be a number >= 1, got ${String(reductionRatio)}`);
  }
  const resolved: ResolvedInvolutionOptions = {
    channels: optionalInteger(where, 'channels', options.channels),
    kernelSize,
    stride,
    dilation,
    padding,
    pad: resolvePad(where, padding, kernelSize, dilation),
    groups: optionalInteger(where, 'groups', options.groups),
    groupChannels: optionalInteger(where, 'groupChannels', options.groupChannels),
    groupLayout: resolveGroupLayout(where, options.groupLayout),
    reductionRatio,
    generator: resolveGeneratorSpec(where, options.generator),
    returnKernel: options.returnKernel ?? false,
    seed: options.seed === undefined || options.seed === null ? undefined : integerSeed(where, options.seed),
  };
  // With channels known up front, group errors surface at construction rather than at build.
  if (resolved.channels !== undefined) resolveGroups(resolved, resolved.channels, where);
  return resolved;
}

/** G for `channels` input channels, from `groups` or `groupChannels` (default 1), checked against each other. */
export function resolveGroups(options: ResolvedInvolutionOptions, channels: number, where: string): number {
  const { groups, groupChannels } = options;
  if (groups !== undefined && groupChannels !== undefined && groups * groupChannels !== channels) {
    throw new Error(
      `${where}: groups (${groups}) and groupChannels (${groupChannels}) disagree: groups × groupChannels must equal channels (${channels}); give only one`,
    );
  }
  if (groupChannels !== undefined && channels % groupChannels !== 0) {
    throw new Error(`${where}: channels (${channels}) must be divisible by groupChannels (${groupChannels})`);
  }
  const resolved = groups ?? (groupChannels !== undefined ? channels / groupChannels : 1);
  if (channels % resolved !== 0) {
    throw new Error(`${where}: channels (${channels}) must be divisible by groups (${resolved})`);
  }
  return resolved;
}
