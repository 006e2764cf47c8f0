// Micro-benchmark of the engine's numerics on one thread (the filter-gradient product on 2 as well): the SIMD
// multiply-add peak, GEMM at 1024³ and the Dense layer's shapes against tfjs-wasm's matMul (XNNPACK), the
// models' convolutions (forward, input and filter gradient) against tfjs-wasm's conv2d / conv2dBackpropInput
// and tfjs-cpu's filter gradient (tfjs-wasm has none). Not a test: timings on a shared machine are only
// comparable within one run, so every line is measured in the same process, interleaved, as a median, with
// the load average printed.
//
// `--winograd` runs only the comparison of the direct (im2col + GEMM) and Winograd F(2×2, 3×3) 3×3 stride-1
// convolutions, forward and input gradient, both rated at the direct convolution's 2·M·K·N flops (so the
// Winograd rate is an effective one), and a channel sweep behind winogradPays' rule.
//
//   pnpm --filter @inv/kernels build && node packages/kernels/scripts/bench-engine.mjs [--quick] [--no-tfjs] [--winograd]
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Allocations } from '../dist/engine/allocations.js';
import { conv2dBackpropFilter, conv2dBackpropInput, conv2dForward } from '../dist/engine/conv2d.js';
import { conv2dGeometry } from '../dist/engine/conv_geometry.js';
import { gemm, rowMajorOperand } from '../dist/engine/gemm.js';
import { createEngine } from '../dist/engine/engine.js';
import { createSerialEngine } from '../dist/engine/serial.js';
import { engineModule, fmaSupported } from '../dist/engine/variant.js';

const quick = process.argv.includes('--quick');
const winogradOnly = process.argv.includes('--winograd');
const withTfjs = !process.argv.includes('--no-tfjs') && !winogradOnly;
const REPS = quick ? 3 : 5;

const engines = [
  { name: 'mul+add', engine: createSerialEngine(engineModule({ shared: false, fma: false }).module) },
];
if (fmaSupported()) {
  engines.push({
    name: 'fma',
    engine: createSerialEngine(engineModule({ shared: false, fma: true }).module),
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median seconds of `run` (after one warm-up call), the contenders interleaved rep by rep. */
function timeAll(contenders) {
  const times = contenders.map(() => []);
  contenders.forEach((c) => c.run());
  for (let r = 0; r < REPS; r++) {
    contenders.forEach((c, i) => {
      const t0 = performance.now();
      c.run();
      times[i].push((performance.now() - t0) / 1000);
    });
  }
  return times.map(median);
}

function fill(engine, address, length) {
  const view = engine.memory.f32(address, length);
  for (let i = 0; i < length; i++) view[i] = Math.random() - 0.5;
}

/** Runs a tfjs op and reads its result. Not in tf.tidy: tfjs-wasm's matMul runs 10-20× slower inside one. */
function tfjsRun(op) {
  const out = op();
  out.dataSync();
  out.dispose();
}

function report(title, flops, contenders) {
  const seconds = timeAll(contenders);
  const cells = contenders.map((c, i) => `${c.name} ${(flops / seconds[i] / 1e9).toFixed(2)}`);
  console.log(`${title.padEnd(44)} GFLOP/s: ${cells.join(' | ')}`);
}

// Peak: 12 chains × 8 flops per call iteration. Many short calls, so that V8 tiers the function up first.
function peak(engine) {
  const probe = engine.exports.peak;
  const n = 20000;
  for (let i = 0; i < 500; i++) probe(n, 0.999, 0.001);
  const seconds = timeAll([
    {
      run: () => {
        for (let i = 0; i < 100; i++) probe(n, 0.999, 0.001);
      },
    },
  ])[0];
  return (100 * n * 12 * 8) / seconds / 1e9;
}

console.log(
  `node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, one thread`,
);
console.log(
  `SIMD peak GFLOP/s: ${engines.map(({ name, engine }) => `${name} ${peak(engine).toFixed(2)}`).join(' | ')}`,
);

if (withTfjs) {
  await tf.setBackend('wasm');
  await tf.ready();
}

// V8 compiles wasm functions with its baseline compiler first and swaps in optimized code only for later
// calls (no on-stack replacement): many small calls of every kernel first, ours and tfjs's alike.
function warmUp() {
  const g = conv2dGeometry({
    batch: 2,
    inHeight: 9,
    inWidth: 9,
    inChannels: 8,
    outChannels: 16,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'same',
    strides: 2,
  });
  for (const { engine } of engines) {
    const scope = new Allocations(engine.memory);
    const [x, w, y, t] = [
      scope.floats(2 * 81 * 8),
      scope.floats(9 * 8 * 16),
      scope.floats(2 * 25 * 16),
      scope.floats(2 * 81 * 8),
    ];
    const m = scope.floats(64 * 64);
    const sq = {
      batch: 1,
      m: 64,
      n: 64,
      k: 64,
      a: rowMajorOperand(m, 64, 64),
      b: rowMajorOperand(m, 64, 64),
      c: { address: t, rowStride: 16, batchStride: 0 },
    };
    for (let i = 0; i < 200; i++) {
      conv2dForward(engine, g, x, w, y);
      conv2dBackpropInput(engine, g, y, w, t);
      conv2dBackpropFilter(engine, g, x, y, w);
      gemm(engine, { ...sq, m: 16, n: 16 });
      gemm(engine, { ...sq, m: 16, n: 16, a: rowMajorOperand(m, 64, 16, { transpose: true }) });
    }
    scope.free();
  }
  if (withTfjs) {
    const a = tf.randomUniform([128, 128]);
    const x = tf.randomUniform([2, 9, 9, 8]);
    const w = tf.randomUniform([3, 3, 8, 16]);
    const y = tf.randomUniform([2, 9, 9, 16]);
    for (let i = 0; i < 50; i++) {
      tfjsRun(() => tf.matMul(a, a));
      tfjsRun(() => tf.conv2dTranspose(y, w, x.shape, 1, 'same'));
      tfjsRun(() => tf.conv2d(x, w, 1, 'same'));
    }
    tf.dispose([a, x, w, y]);
  }
}
warmUp();

/** Direct vs Winograd on a 3×3 stride-1 convolution, forward and input gradient, per engine. */
function benchWinograd(title, spec) {
  const g = conv2dGeometry(spec);
  const flops = 2 * g.batch * g.outHeight * g.outWidth * 9 * g.inChannels * g.outChannels;
  const xLength = g.batch * g.inHeight * g.inWidth * g.inChannels;
  const yLength = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const wLength = 9 * g.inChannels * g.outChannels;
  const ops = { forward: [], 'input grad': [] };
  const scopes = [];
  for (const { name, engine } of engines) {
    const scope = new Allocations(engine.memory);
    scopes.push(scope);
    const [x, w, y, dx] = [xLength, wLength, yLength, xLength].map((n) => scope.floats(n));
    fill(engine, x, xLength);
    fill(engine, w, wLength);
    fill(engine, y, yLength);
    for (const algorithm of ['direct', 'winograd']) {
      const label = `${name} ${algorithm}`;
      ops.forward.push({ name: label, run: () => conv2dForward(engine, g, x, w, y, algorithm) });
      ops['input grad'].push({
        name: label,
        run: () => conv2dBackpropInput(engine, g, y, w, dx, algorithm),
      });
    }
  }
  for (const [op, contenders] of Object.entries(ops)) report(`${title} ${op}`, flops, contenders);
  scopes.forEach((s) => s.free());
}

if (winogradOnly) {
  const conv = (batch, size, inChannels, outChannels) => ({
    batch,
    inHeight: size,
    inWidth: size,
    inChannels,
    outChannels,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'same',
  });
  // Many small calls first (V8 optimizes a wasm function for later calls only).
  for (const { engine } of engines) {
    const g = conv2dGeometry(conv(2, 6, 8, 8));
    const scope = new Allocations(engine.memory);
    const [x, w, y] = [2 * 36 * 8, 9 * 64, 2 * 36 * 8].map((n) => scope.floats(n));
    for (let i = 0; i < 300; i++) {
      conv2dForward(engine, g, x, w, y, 'winograd');
      conv2dBackpropInput(engine, g, y, w, x, 'winograd');
    }
    scope.free();
  }
  const b = quick ? 32 : 256;
  const models = [
    ['seed-conv 3×3 32→64 16² same', conv(b, 16, 32, 64)],
    ['seed-conv 3×3 64→64 8² same', conv(b, 8, 64, 64)],
    ['3×3 32→32 32²', conv(quick ? 16 : 64, 32, 32, 32)],
    ['inv-sep stem 3×3 3→32 32²', conv(quick ? 16 : 64, 32, 3, 32)],
    ['RedNet 3×3 64→64 16² b64', conv(quick ? 16 : 64, 16, 64, 64)],
  ];
  for (const [title, spec] of models) benchWinograd(title, spec);
  // The rule's sweep: C → N at 16², batch 32.
  for (const [c, n] of [
    [4, 32],
    [4, 64],
    [8, 8],
    [8, 16],
    [8, 32],
    [16, 16],
    [16, 64],
    [32, 8],
    [32, 16],
    [64, 16],
  ])
    benchWinograd(`sweep 3×3 ${c}→${n} 16² b32`, conv(32, 16, c, n));
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  process.exit(0);
}

let pool;
/** The last engine's variant on a 2-thread worker pool, started once. */
function poolEngine() {
  if (pool === undefined) {
    const { name } = engines.at(-1);
    const engine = createEngine({
      module: engineModule({ shared: true, fma: name === 'fma' }).module,
      threads: 2,
    });
    engine.waitForWorkers(30_000);
    pool = { name: `${name} 2 threads`, engine };
  }
  return pool;
}

/** Our GEMM per engine (and on 2 threads with `twoThreads`), and tfjs-wasm's matMul, on C = op(A)·op(B). */
function benchMatMul(title, m, n, k, transposeA = false, transposeB = false, twoThreads = false) {
  const contenders = [];
  const scopes = [];
  for (const { name, engine } of twoThreads ? [...engines, poolEngine()] : engines) {
    const scope = new Allocations(engine.memory);
    scopes.push(scope);
    const a = scope.floats(m * k);
    const b = scope.floats(k * n);
    const c = scope.floats(m * n);
    fill(engine, a, m * k);
    fill(engine, b, k * n);
    const problem = {
      batch: 1,
      m,
      n,
      k,
      a: transposeA ? rowMajorOperand(a, k, m, { transpose: true }) : rowMajorOperand(a, m, k),
      b: transposeB ? rowMajorOperand(b, n, k, { transpose: true }) : rowMajorOperand(b, k, n),
      c: { address: c, rowStride: n, batchStride: m * n },
    };
    contenders.push({ name, run: () => gemm(engine, problem) });
  }
  let tensors = [];
  if (withTfjs) {
    tensors = [
      tf.randomUniform(transposeA ? [k, m] : [m, k]),
      tf.randomUniform(transposeB ? [n, k] : [k, n]),
    ];
    contenders.push({
      name: 'tfjs-wasm',
      run: () => tfjsRun(() => tf.matMul(tensors[0], tensors[1], transposeA, transposeB)),
    });
  }
  report(title, 2 * m * n * k, contenders);
  scopes.forEach((s) => s.free());
  tensors.forEach((t) => t.dispose());
}

/** The three convolutions per engine, and tfjs's where it has them. */
function benchConv(title, spec) {
  const g = conv2dGeometry(spec);
  const flops =
    2 * g.batch * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
  const xLength = g.batch * g.inHeight * g.inWidth * g.inChannels;
  const yLength = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const wLength = g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
  const ops = { forward: [], 'input grad': [], 'filter grad': [] };
  const scopes = [];
  for (const { name, engine } of engines) {
    const scope = new Allocations(engine.memory);
    scopes.push(scope);
    const x = scope.floats(xLength);
    const w = scope.floats(wLength);
    const y = scope.floats(yLength);
    const dx = scope.floats(xLength);
    const dw = scope.floats(wLength);
    fill(engine, x, xLength);
    fill(engine, w, wLength);
    fill(engine, y, yLength);
    ops.forward.push({ name, run: () => conv2dForward(engine, g, x, w, y) });
    ops['input grad'].push({ name, run: () => conv2dBackpropInput(engine, g, y, w, dx) });
    ops['filter grad'].push({ name, run: () => conv2dBackpropFilter(engine, g, x, y, dw) });
  }
  const tensors = [];
  if (withTfjs) {
    const x = tf.randomUniform([g.batch, g.inHeight, g.inWidth, g.inChannels]);
    const w = tf.randomUniform([g.filterHeight, g.filterWidth, g.inChannels, g.outChannels]);
    const dy = tf.randomUniform([g.batch, g.outHeight, g.outWidth, g.outChannels]);
    tensors.push(x, w, dy);
    const pad =
      spec.padding === 'same' || spec.padding === 'valid'
        ? spec.padding
        : [
            [0, 0],
            [spec.padding.top, spec.padding.bottom],
            [spec.padding.left, spec.padding.right],
            [0, 0],
          ];
    const strides = [g.strideHeight, g.strideWidth];
    ops.forward.push({ name: 'tfjs-wasm', run: () => tfjsRun(() => tf.conv2d(x, w, strides, pad)) });
    ops['input grad'].push({
      name: 'tfjs-wasm',
      run: () => tfjsRun(() => tf.conv2dTranspose(dy, w, x.shape, strides, pad)),
    });
  }
  for (const [op, contenders] of Object.entries(ops)) report(`${title} ${op}`, flops, contenders);
  scopes.forEach((s) => s.free());
  tensors.forEach((t) => t.dispose());
}

benchMatMul('matMul 1024³', 1024, 1024, 1024);
benchMatMul('Dense fwd [256×1024]·[1024×64]', 256, 64, 1024);
benchMatMul('Dense dX [256×64]·[1024×64]ᵀ', 256, 1024, 64, false, true);
benchMatMul('Dense dW [256×1024]ᵀ·[256×64]', 1024, 64, 256, true, false);
// seed-conv 32→64's filter gradient as tfjs-wasm runs it, one product dyᵀ·patches: C is only 64 × 288 over
// K = 65,536 pixels (batch 256; 8,192 quick), so gemm splits K into groups (gemmPlan); also on 2 threads.
const pixels = (quick ? 32 : 256) * 16 * 16;
benchMatMul(`seed-conv dW [${pixels}×64]ᵀ·[${pixels}×288]`, 64, 288, pixels, true, false, true);

const B = quick ? 32 : 256;
const shapes = [
  [
    'seed-conv 3×3 3→32 32² valid',
    {
      batch: B,
      inHeight: 32,
      inWidth: 32,
      inChannels: 3,
      outChannels: 32,
      filterHeight: 3,
      filterWidth: 3,
      padding: 'valid',
    },
  ],
  [
    'seed-conv 3×3 32→64 15² valid',
    {
      batch: B,
      inHeight: 15,
      inWidth: 15,
      inChannels: 32,
      outChannels: 64,
      filterHeight: 3,
      filterWidth: 3,
      padding: 'valid',
    },
  ],
  [
    'seed-conv 3×3 64→64 6² valid',
    {
      batch: B,
      inHeight: 6,
      inWidth: 6,
      inChannels: 64,
      outChannels: 64,
      filterHeight: 3,
      filterWidth: 3,
      padding: 'valid',
    },
  ],
  [
    'inv-sep stem 3×3 3→32 32² same',
    {
      batch: B,
      inHeight: 32,
      inWidth: 32,
      inChannels: 3,
      outChannels: 32,
      filterHeight: 3,
      filterWidth: 3,
      padding: 'same',
    },
  ],
  [
    'inv-sep 1×1 64→64 32²',
    {
      batch: B,
      inHeight: 32,
      inWidth: 32,
      inChannels: 64,
      outChannels: 64,
      filterHeight: 1,
      filterWidth: 1,
      padding: 'valid',
    },
  ],
  [
    'inv-sep 1×1 128→128 16²',
    {
      batch: B,
      inHeight: 16,
      inWidth: 16,
      inChannels: 128,
      outChannels: 128,
      filterHeight: 1,
      filterWidth: 1,
      padding: 'valid',
    },
  ],
  [
    'RedNet 1×1 256→64 16² b64',
    {
      batch: 64,
      inHeight: 16,
      inWidth: 16,
      inChannels: 256,
      outChannels: 64,
      filterHeight: 1,
      filterWidth: 1,
      padding: 'valid',
    },
  ],
  [
    'RedNet 3×3 64→64 16² b64',
    {
      batch: 64,
      inHeight: 16,
      inWidth: 16,
      inChannels: 64,
      outChannels: 64,
      filterHeight: 3,
      filterWidth: 3,
      padding: 'same',
    },
  ],
  [
    'RedNet 3×3 128→128 s2 16² b64',
    {
      batch: 64,
      inHeight: 16,
      inWidth: 16,
      inChannels: 128,
      outChannels: 128,
      filterHeight: 3,
      filterWidth: 3,
      padding: 'same',
      strides: 2,
    },
  ],
  [
    'RedNet 7×7 3→64 s2 32² b32',
    {
      batch: 32,
      inHeight: 32,
      inWidth: 32,
      inChannels: 3,
      outChannels: 64,
      filterHeight: 7,
      filterWidth: 7,
      padding: 'same',
      strides: 2,
    },
  ],
  [
    'RedNet 1×1 512→512 4² b64',
    {
      batch: 64,
      inHeight: 4,
      inWidth: 4,
      inChannels: 512,
      outChannels: 512,
      filterHeight: 1,
      filterWidth: 1,
      padding: 'valid',
    },
  ],
];
for (const [title, spec] of quick ? shapes.slice(0, 4) : shapes) benchConv(title, spec);

// Today's filter gradient: tfjs-wasm has no Conv2DBackpropFilter, so tfjs runs the cpu backend's. It is
// very slow (about 0.01 GFLOP/s): once, after the rest (a backend switch is async), on one shape at batch 16.
if (withTfjs && !quick) {
  await tf.setBackend('cpu');
  const spec = { ...shapes[1][1], batch: 16 };
  const g = conv2dGeometry(spec);
  const flops =
    2 * g.batch * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
  const x = tf.randomUniform([g.batch, g.inHeight, g.inWidth, g.inChannels]);
  const dy = tf.randomUniform([g.batch, g.outHeight, g.outWidth, g.outChannels]);
  const attrs = {
    strides: [g.strideHeight, g.strideWidth],
    pad: spec.padding,
    dataFormat: 'NHWC',
    filterShape: [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels],
  };
  const t0 = performance.now();
  tfjsRun(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs));
  console.log(
    `${`${shapes[1][0]} b16 filter grad`.padEnd(44)} GFLOP/s: tfjs-cpu ${(flops / (performance.now() - t0) / 1e6).toFixed(3)}`,
  );
  tf.dispose([x, dy]);
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
pool?.engine.dispose();
