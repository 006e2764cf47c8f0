/**
 * The `kernels` suite: @inv/kernels' engine alone (no tfjs) on 1 thread and on all threads, against tfjs-wasm's
 * stock kernels, at square GEMM, the Dense layer's products, and the models' convolutions (forward, input and
 * filter gradient), in GFLOP/s and % of the machine's measured SIMD multiply-add peak.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  addRows,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  conv2dForward,
  conv2dGeometry,
  createEngine,
  engineModule,
  gemm,
  resolveThreadCount,
  rowMajorOperand,
  stockKernel,
  type Conv2dSpec,
  type ThreadedEngine,
} from '@inv/kernels';
import type { PeakFlops } from '../harness/environment.js';
import { measurePeakGflops } from '../harness/peak.js';
import type { BenchCase, BenchMode, PreparedCase } from '../harness/types.js';
import type { Comparison } from '../report/comparisons.js';
import type { Suite } from './suite.js';

/** All threads: the engine's default thread count (INV_THREADS, else the machine's parallelism). */
export const ALL_THREADS = resolveThreadCount();
export const ENGINE_1T_IMPL = 'engine-1t';
/** `engine-Nt` with N = {@link ALL_THREADS}; absent on a one-thread machine, where it is engine-1t. */
export const ENGINE_ALL_IMPL = `engine-${ALL_THREADS}t`;
export const TFJS_WASM_IMPL = 'tfjs-wasm';
export const KERNEL_BATCH = 256;

/** C = op(A)·op(B), A m × k, B k × n; a transposed operand is stored the other way round and read through strides. */
interface GemmShape {
  m: number;
  n: number;
  k: number;
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * One kernel at one shape: a product, a convolution's forward pass or gradient, or an elementwise sum of two
 * tensors of `floats` floats (memory-bound: its threads' speed-up is the memory system's, the ceiling of every
 * streaming kernel of a training step).
 */
export type KernelWork = { gemm: GemmShape } | { conv: Conv2dSpec } | { add: { floats: number } };

export const GEMM_SQUARE_CASE = 'gemm 1024³';
export const FILTER_GRAD_GEMM_CASE = 'seed-conv 32→64 dW gemm';
export const STREAM_CASE = 'memory stream (add)';

type ConvShape = Omit<Conv2dSpec, 'batch' | 'padding'> & { batch: number; name: string };

/** The models' convolutions, all 'same': batch 256 (RedNet 64), the input at H×W×C. */
const CONVS: readonly ConvShape[] = [
  { name: 'seed-conv 3→32', ...conv(256, 32, 3, 32, 3) },
  { name: 'seed-conv 32→64', ...conv(256, 16, 32, 64, 3) },
  { name: 'seed-conv 64→64', ...conv(256, 8, 64, 64, 3) },
  { name: 'inv-sep 1×1 32→64', ...conv(256, 32, 32, 64, 1) },
  { name: 'inv-sep 1×1 64→64', ...conv(256, 16, 64, 64, 1) },
  // seed-inv's kernel generator: 1×1 to and from one channel (the thin filter gradient, engine.wat's pointwiseFilter).
  { name: 'seed-inv 1×1 3→1', ...conv(256, 32, 3, 1, 1) },
  { name: 'seed-inv 1×1 1→9', ...conv(256, 32, 1, 9, 1) },
  { name: 'rednet 3×3 64→64', ...conv(64, 16, 64, 64, 3) },
  { name: 'rednet 7×7 3→64 s2', ...conv(64, 32, 3, 64, 7), strides: 2 },
  { name: 'rednet 1×1 256→64', ...conv(64, 8, 256, 64, 1) },
];

function conv(batch: number, size: number, inChannels: number, outChannels: number, filter: number) {
  return {
    batch,
    inHeight: size,
    inWidth: size,
    inChannels,
    outChannels,
    filterHeight: filter,
    filterWidth: filter,
  };
}

const CONV_MODES = ['forward', 'input-grad', 'filter-grad'] as const satisfies readonly BenchMode[];

/** Every case at batch `b` (256, or 32 quick; RedNet's 64 scaled alike). */
export function kernelWorkloads(quick: boolean): { name: string; mode: BenchMode; work: KernelWork }[] {
  const scale = (batch: number) => (quick ? batch / 8 : batch);
  const b = scale(KERNEL_BATCH);
  const dense = (mode: BenchMode, gemm: GemmShape) => ({ name: 'dense 1024→64', mode, work: { gemm } });
  return [
    { name: GEMM_SQUARE_CASE, mode: 'gemm', work: { gemm: { m: 1024, n: 1024, k: 1024 } } },
    dense('forward', { m: b, n: 64, k: 1024 }),
    dense('input-grad', { m: b, n: 1024, k: 64, transposeB: true }),
    dense('filter-grad', { m: 1024, n: 64, k: b, transposeA: true }),
    // tfjs-wasm's filter gradient of seed-conv's 32→64 conv as one product: dyᵀ · patches.
    { name: FILTER_GRAD_GEMM_CASE, mode: 'filter-grad', work: { gemm: filterGradGemm(CONVS[1]!, b) } },
    // resinv's [128, 32, 32, 48] activations, 25 MB a tensor: far past the caches.
    { name: STREAM_CASE, mode: 'forward', work: { add: { floats: scale(2 * 128 * 32 * 32 * 48) / 2 } } },
    ...CONVS.flatMap(({ name, ...shape }) =>
      CONV_MODES.map((mode) => ({
        name,
        mode,
        work: { conv: { ...shape, batch: scale(shape.batch), padding: 'same' as const } },
      })),
    ),
  ];
}

/** The filter gradient as a product [C_out × B·H_out·W_out]·[B·H_out·W_out × K²·C_in] (dy transposed). */
function filterGradGemm(spec: Omit<Conv2dSpec, 'padding'>, batch = spec.batch): GemmShape {
  const g = conv2dGeometry({ ...spec, batch, padding: 'same' });
  const pixels = g.batch * g.outHeight * g.outWidth;
  return { m: g.outChannels, n: g.filterHeight * g.filterWidth * g.inChannels, k: pixels, transposeA: true };
}

function flopsOf(work: KernelWork): number {
  if ('gemm' in work) return 2 * work.gemm.m * work.gemm.n * work.gemm.k;
  if ('add' in work) return work.add.floats;
  const g = conv2dGeometry(work.conv);
  return (
    2 * g.batch * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels * g.outChannels
  );
}

function describeWork(work: KernelWork): string {
  if ('gemm' in work) {
    const { m, n, k, transposeA, transposeB } = work.gemm;
    const a = transposeA ? `[${k}×${m}]ᵀ` : `[${m}×${k}]`;
    const b = transposeB ? `[${n}×${k}]ᵀ` : `[${k}×${n}]`;
    return `${a}·${b}`;
  }
  if ('add' in work) return `[${work.add.floats}] + [${work.add.floats}] (12 bytes a float)`;
  const s = work.conv;
  const stride = s.strides === undefined ? '' : ` s${String(s.strides)}`;
  return `B${s.batch} ${s.inHeight}×${s.inWidth}×${s.inChannels}, ${s.filterHeight}×${s.filterWidth}→${s.outChannels}${stride}`;
}

/** Uniform values in [-0.5, 0.5) from a fixed seed. */
function fillRandom(view: Float32Array, seed: number): void {
  let state = seed >>> 0 || 1;
  for (let i = 0; i < view.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    view[i] = state / 2 ** 32 - 0.5;
  }
}

const engines = new Map<number, ThreadedEngine>();

/** An engine of its own per thread count, its workers started, kept for the process. */
function engineOn(threads: number): ThreadedEngine {
  let engine = engines.get(threads);
  if (engine === undefined) {
    engine = createEngine({ module: engineModule({ shared: true }).module, threads });
    engine.waitForWorkers();
    engines.set(threads, engine);
  }
  return engine;
}

let peaks: Promise<PeakFlops> | undefined;

/** The engine module's SIMD multiply-add peak on 1 thread and on all, measured once per process. */
export function kernelPeaks(): Promise<PeakFlops> {
  peaks ??= (async () => {
    const { module, fma } = engineModule({ shared: false });
    const oneThreadGflops = await measurePeakGflops(module, 1);
    const allThreadsGflops =
      ALL_THREADS === 1 ? oneThreadGflops : await measurePeakGflops(module, ALL_THREADS);
    return { fma, oneThreadGflops, threads: ALL_THREADS, allThreadsGflops };
  })();
  return peaks;
}

/** The engine's kernel on `threads` threads; operands allocated and filled in engine memory, untimed. */
export async function prepareEngineCase(
  work: KernelWork,
  mode: BenchMode,
  threads: number,
): Promise<PreparedCase> {
  const peak = await kernelPeaks();
  const engine = engineOn(threads);
  const addresses: number[] = [];
  const alloc = (floats: number): number => {
    const address = engine.memory.alloc(floats * 4);
    addresses.push(address);
    fillRandom(engine.memory.f32(address, floats), addresses.length);
    return address;
  };
  let kernel: () => void;
  if ('gemm' in work) {
    const { m, n, k, transposeA, transposeB } = work.gemm;
    const [a, b, c] = [alloc(m * k), alloc(k * n), alloc(m * n)];
    const problem = {
      batch: 1,
      m,
      n,
      k,
      a: transposeA ? rowMajorOperand(a, k, m, { transpose: true }) : rowMajorOperand(a, m, k),
      b: transposeB ? rowMajorOperand(b, n, k, { transpose: true }) : rowMajorOperand(b, k, n),
      c: { address: c, rowStride: n, batchStride: m * n },
    };
    kernel = () => gemm(engine, problem);
  } else if ('add' in work) {
    const { floats } = work.add;
    const [a, b, c] = [alloc(floats), alloc(floats), alloc(floats)];
    kernel = () => addRows(engine, a, b, c, floats, floats);
  } else {
    const g = conv2dGeometry(work.conv);
    const x = alloc(g.batch * g.inHeight * g.inWidth * g.inChannels);
    const w = alloc(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels);
    const y = alloc(g.batch * g.outHeight * g.outWidth * g.outChannels);
    kernel =
      mode === 'forward'
        ? () => conv2dForward(engine, g, x, w, y)
        : mode === 'input-grad'
          ? () => conv2dBackpropInput(engine, g, y, w, x)
          : () => conv2dBackpropFilter(engine, g, x, y, w);
  }
  const threadNote = `${threads} thread${threads === 1 ? '' : 's'}`;
  return {
    run: () => {
      kernel();
      return [];
    },
    flopsPerRun: flopsOf(work),
    // A sum is bound by memory, not by multiply-adds: GFLOP/s × 12 is its GB/s.
    ...('add' in work
      ? { note: `${threadNote}; memory-bound: GFLOP/s × 12 = GB/s` }
      : { peakGflops: threads === 1 ? peak.oneThreadGflops : peak.allThreadsGflops, note: threadNote }),
    dispose: () => addresses.reverse().forEach((a) => engine.memory.free(a)),
  };
}

/**
 * tfjs-wasm's stock kernel (the one inv's registration replaced), called directly: outside `tf.tidy`, where
 * its matMul runs 10–20× slower. The filter gradient has none on wasm: its stock product at the same GEMM shape.
 */
export async function prepareTfjsWasmCase(
  work: KernelWork,
  mode: BenchMode,
  backend: string,
): Promise<PreparedCase> {
  if (backend !== 'wasm') throw new Error(`the ${TFJS_WASM_IMPL} baseline runs on the wasm backend only`);
  const peak = await kernelPeaks();
  // The filter gradient has no stock kernel on wasm: the product it is, at the same GEMM shape.
  const product =
    'gemm' in work
      ? work.gemm
      : 'conv' in work && mode === 'filter-grad'
        ? filterGradGemm(work.conv)
        : undefined;
  const notes = ['1 thread'];
  if ('conv' in work && product !== undefined)
    notes.push(
      `no stock Conv2DBackpropFilter on wasm: BatchMatMul at its GEMM shape ${describeWork({ gemm: product })}`,
    );
  const inputs: tf.Tensor[] = [];
  const random = (shape: number[], seed: number) => {
    inputs.push(tf.randomUniform(shape, -0.5, 0.5, 'float32', seed));
    return inputs.at(-1)!;
  };
  const stock = (name: string, named: Record<string, tf.Tensor>, attrs: object) => () =>
    stockKernel(name, 'wasm').kernelFunc({
      inputs: named,
      attrs: attrs as tf.NamedAttrMap,
      backend: tf.backend(),
    }) as tf.TensorInfo;
  let call: () => tf.TensorInfo;
  if ('add' in work) {
    const shape = [work.add.floats];
    call = stock(tf.Add, { a: random(shape, 1), b: random(shape, 2) }, {});
  } else if (product !== undefined) {
    const { m, n, k, transposeA = false, transposeB = false } = product;
    const a = random(transposeA ? [1, k, m] : [1, m, k], 1);
    const b = random(transposeB ? [1, n, k] : [1, k, n], 2);
    call = stock(tf.BatchMatMul, { a, b }, { transposeA, transposeB });
  } else {
    const g = conv2dGeometry((work as { conv: Conv2dSpec }).conv);
    const inputShape = [g.batch, g.inHeight, g.inWidth, g.inChannels];
    const filter = random([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels], 2);
    const attrs = {
      strides: [g.strideHeight, g.strideWidth],
      pad: 'same',
      dataFormat: 'NHWC',
      dilations: [1, 1],
    };
    call =
      mode === 'forward'
        ? stock(tf.Conv2D, { x: random(inputShape, 1), filter }, attrs)
        : stock(
            tf.Conv2DBackpropInput,
            { dy: random([g.batch, g.outHeight, g.outWidth, g.outChannels], 3), filter },
            { ...attrs, inputShape },
          );
  }
  return {
    run: () => [tf.engine().makeTensorFromTensorInfo(call())],
    flopsPerRun: flopsOf(work),
    ...('add' in work ? {} : { peakGflops: peak.oneThreadGflops }),
    note: notes.join('; '),
    dispose: () => tf.dispose(inputs),
  };
}

/** The impls: the engine on 1 thread and on all (one impl on a one-thread machine), and tfjs-wasm. */
export const KERNEL_IMPLS: readonly string[] =
  ALL_THREADS === 1 ? [ENGINE_1T_IMPL, TFJS_WASM_IMPL] : [ENGINE_1T_IMPL, ENGINE_ALL_IMPL, TFJS_WASM_IMPL];

const targetCases = [GEMM_SQUARE_CASE, FILTER_GRAD_GEMM_CASE];
const otherCases = [...new Set(kernelWorkloads(false).map((w) => w.name))].filter(
  (c) => !targetCases.includes(c),
);
const vsTfjs = `engine 1 thread vs ${TFJS_WASM_IMPL}`;

export const kernelsSuite: Suite = {
  name: 'kernels',
  description:
    "@inv/kernels' engine on 1 and all threads vs tfjs-wasm's stock kernels, in GFLOP/s and % of peak",
  defaultBackends: ['wasm'],
  cases: ({ quick }) =>
    kernelWorkloads(quick).flatMap(({ name, mode, work }) =>
      KERNEL_IMPLS.map((impl): BenchCase => ({
        case: name,
        shape: describeWork(work),
        impl,
        mode,
        prepare: (backend) =>
          impl === TFJS_WASM_IMPL
            ? prepareTfjsWasmCase(work, mode, backend)
            : prepareEngineCase(work, mode, impl === ENGINE_1T_IMPL ? 1 : ALL_THREADS),
      })),
    ),
  comparisons: [
    {
      label: vsTfjs,
      subject: ENGINE_1T_IMPL,
      baseline: TFJS_WASM_IMPL,
      cases: [GEMM_SQUARE_CASE],
      minSpeedup: 1,
    },
    {
      label: vsTfjs,
      subject: ENGINE_1T_IMPL,
      baseline: TFJS_WASM_IMPL,
      cases: [FILTER_GRAD_GEMM_CASE],
      minSpeedup: 10,
    },
    { label: vsTfjs, subject: ENGINE_1T_IMPL, baseline: TFJS_WASM_IMPL, cases: otherCases },
    ...(ALL_THREADS === 1
      ? []
      : [
          {
            label: `engine ${ALL_THREADS} threads vs 1 thread`,
            subject: ENGINE_ALL_IMPL,
            baseline: ENGINE_1T_IMPL,
          } satisfies Comparison,
        ]),
  ],
  environment: async () => ({ peak: await kernelPeaks() }),
};
