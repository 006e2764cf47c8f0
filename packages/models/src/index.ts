// The public API of @inv/models: one explicit list.
export { seedConvModel } from './seed/seed_conv.js';
export { seedInvolutionModel } from './seed/seed_involution.js';
export { rednet, REDNET_STAGES } from './rednet/rednet.js';
export type { RedNetDepth, RedNetOptions } from './rednet/rednet.js';
export { involutionSeparableModel } from './separable/involution_separable.js';
export type { InvolutionSeparableOptions } from './separable/involution_separable.js';
export { resInvNet } from './resinv/resinv.js';
export type { ResInvOptions, SpatialMixer } from './resinv/resinv.js';
export type { ClassifierOptions, InvolutionClassifierOptions } from './seed/options.js';
export { summary, parameterCounts } from './summary/summary.js';
export type { ParameterCounts } from './summary/summary.js';
export { createModel, listModels } from './registry.js';
export type { ModelFactory } from './registry.js';
export {
  evaluateBatch,
  readSteps,
  trainableVariables,
  trainStep,
  trainStepPending,
} from './training/step.js';
export type { BatchEvaluation, BatchTotals, EvaluateBatchOptions, PendingStep } from './training/step.js';
export { skipInputGradients } from './training/input_gradients.js';
