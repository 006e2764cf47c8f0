// The public API of @inv/bench: one explicit list. The CLI (`inv-bench`, src/cli.ts) is built on it.
export { summarize } from './harness/stats.js';
export { measureCase } from './harness/measure.js';
export type { MeasureOptions, Measurement } from './harness/measure.js';
export { CaseBudget, realClock } from './harness/budget.js';
export type { Clock } from './harness/budget.js';
export { captureEnvironment } from './harness/environment.js';
export type { BenchEnvironment, PeakFlops } from './harness/environment.js';
export { runSuite } from './run_suite.js';
export type { RunOptions } from './run_suite.js';
export type {
  BenchCase,
  BenchMode,
  CaseKey,
  CaseResult,
  MemoryStats,
  PreparedCase,
  TimingStats,
} from './harness/types.js';

export { SUITES, suiteNamed } from './suites/index.js';
export type { Suite, SuiteContext } from './suites/suite.js';
export { opSuite, prepareOpCase, opShapes, OP_IMPLS, OP_MODES, KERNEL_BACKENDS } from './suites/op.js';
export type { OpImpl } from './suites/op.js';
export { layerSuite, prepareLayerCase, involutionLayerImpl, CONV_LAYER_IMPL } from './suites/layer.js';
export {
  batchNormSuite,
  prepareBatchNormCase,
  BATCH_NORM_SHAPES,
  FUSED_BN_IMPL,
  LAYERS_BN_IMPL,
} from './suites/batch_norm.js';
export type { BatchNormShape } from './suites/batch_norm.js';
export {
  kernelsSuite,
  kernelWorkloads,
  kernelPeaks,
  prepareEngineCase,
  prepareTfjsWasmCase,
  ALL_THREADS,
  ENGINE_1T_IMPL,
  ENGINE_ALL_IMPL,
  TFJS_WASM_IMPL,
  KERNEL_IMPLS,
  KERNEL_BATCH,
  GEMM_SQUARE_CASE,
  FILTER_GRAD_GEMM_CASE,
  STREAM_CASE,
} from './suites/kernels.js';
export type { KernelWork } from './suites/kernels.js';
export { measurePeakGflops, PEAK_FLOPS_PER_ITERATION } from './harness/peak.js';
export type { PeakOptions } from './harness/peak.js';
export { OP_SHAPES, describeShape, quickShape } from './shapes/op_shapes.js';
export type { InvolutionShape } from './shapes/op_shapes.js';

export {
  trainSuite,
  trainBatch,
  TRAIN_MODELS,
  TRAIN_MODES,
  TRAIN_PEER_MODELS,
  TRAIN_IMPL,
  TRAIN_BATCH,
  FRONTIER_CASES,
  FRONTIER_BATCH,
} from './suites/train.js';
export { prepareInference, prepareTrainStep } from './suites/train_step.js';
export {
  dataSuite,
  dataDirOf,
  prepareDataCase,
  DATA_CASE,
  DATA_BATCH,
  DEFAULT_DATA_DIR,
  DATA_TARGET_IMAGES_PER_SECOND,
  QUICK_IMAGES,
} from './suites/data.js';

export { findTorchInterpreter } from './peer/python.js';
export { runPeerScript, PEER_BACKEND } from './peer/run_peer_script.js';
export type { PeerRun, PeerScriptRequest, TorchPeerOptions } from './peer/run_peer_script.js';
export { runTorchPeer, PEER_IMPL } from './peer/torch_peer.js';
export { runTrainPeer, TRAIN_PEER_IMPL } from './peer/train_peer.js';

export { compare } from './report/comparisons.js';
export type { Comparison, ComparisonResult } from './report/comparisons.js';
export { REPORT_SCHEMA, toJson } from './report/report.js';
export type { BenchReport } from './report/report.js';
export { checkThroughput } from './report/throughput.js';
export type { ThroughputResult, ThroughputTarget } from './report/throughput.js';
export {
  renderMarkdown,
  RESULT_COLUMNS,
  FLOPS_COLUMNS,
  COMPARISON_COLUMNS,
  THROUGHPUT_COLUMNS,
} from './report/markdown.js';
export { writeFileAtomic } from './report/write_file.js';

export { parseBenchArgs, USAGE } from './cli/args.js';
export type { CliOptions } from './cli/args.js';
