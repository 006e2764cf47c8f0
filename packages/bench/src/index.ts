// The public API of @inv/bench: one explicit list. The CLI (`inv-bench`, src/cli.ts) is built on it.
export { summarize } from './harness/stats.js';
export { measureCase } from './harness/measure.js';
export type { MeasureOptions } from './harness/measure.js';
export { captureEnvironment } from './harness/environment.js';
export type { BenchEnvironment } from './harness/environment.js';
export { runSuite } from './harness/run_suite.js';
export type { RunOptions } from './harness/run_suite.js';
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
export { opSuite, prepareOpCase, opShapes, OP_IMPLS, OP_MODES } from './suites/op.js';
export type { OpImpl } from './suites/op.js';
export { layerSuite, prepareLayerCase, involutionLayerImpl, CONV_LAYER_IMPL } from './suites/layer.js';
export { OP_SHAPES, describeShape, quickShape } from './suites/op_shapes.js';
export type { InvolutionShape } from './suites/op_shapes.js';

export { runTorchPeer, findTorchInterpreter, PEER_IMPL, PEER_BACKEND } from './peer/torch_peer.js';
export type { PeerRun, TorchPeerOptions } from './peer/torch_peer.js';

export { compare } from './report/comparisons.js';
export type { Comparison, ComparisonResult } from './report/comparisons.js';
export { REPORT_SCHEMA, toJson } from './report/report.js';
export type { BenchReport } from './report/report.js';
export { renderMarkdown, RESULT_COLUMNS, COMPARISON_COLUMNS } from './report/markdown.js';
export { writeFileAtomic } from './report/write_file.js';

export { parseBenchArgs, USAGE } from './cli/args.js';
export type { CliOptions } from './cli/args.js';
