/**
 * The kernel generators `inv` knows: @inv/core's built-ins and those of the plugin packages the trainer ships
 * with, which register on import. Everything that builds or loads a model reaches them through this module
 * (args for validation, checkpoint loading for `tf.loadLayersModel`), so a run trained with a plugin generator
 * always evaluates, resumes and draws heatmaps.
 */
import '@inv/generator-attention';
import { listKernelGenerators } from '@inv/core';

/** The registered generator names, plugins included. */
export function kernelGenerators(): string[] {
  return listKernelGenerators();
}
