// The engine's drivers on Float32Arrays, for the tests: inputs copied into engine memory, the output copied out.
import { Allocations } from '../../src/engine/allocations.js';
import { axisSoftmax, axisSoftmaxGrad, type AxisView } from '../../src/engine/axis_softmax.js';
import { conv2dBackpropFilter, conv2dBackpropInput, conv2dForward } from '../../src/engine/conv2d.js';
import type { Conv2dGeometry } from '../../src/engine/conv_geometry.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from '../../src/engine/depthwise.js';
import { gemm, matMulProblem, type MatMulShape } from '../../src/engine/gemm.js';
import type { Engine } from '../../src/engine/types.js';

function onCopies(
  engine: Engine,
  inputs: readonly Float32Array[],
  output: number | Float32Array,
  run: (inputs: number[], output: number) => void,
): Float32Array {
  const scope = new Allocations(engine.memory);
  try {
    const addresses = inputs.map((array) => {
      const address = scope.floats(array.length);
      engine.memory.f32(address, array.length).set(array);
      return address;
    });
    const length = typeof output === 'number' ? output : output.length;
    const out = scope.floats(length);
    if (typeof output !== 'number') engine.memory.f32(out, length).set(output);
    run(addresses, out);
    return engine.memory.f32(out, length).slice();
  } finally {
    scope.free();
  }
}

function expectLength(what: string, array: Float32Array, length: number): void {
  if (array.length !== length) throw new Error(`${what} has ${array.length} elements, expected ${length}`);
}

/** tfjs's BatchMatMul on row-major arrays: op(A) [batch, m, k] · op(B) [batch, k, n] (+ c), B possibly shared. */
export function matMulArrays(
  engine: Engine,
  a: Float32Array,
  b: Float32Array,
  s: MatMulShape,
  c?: Float32Array,
): Float32Array {
  expectLength('matMulArrays: a', a, (s.broadcastA ? 1 : s.batch) * s.m * s.k);
  expectLength('matMulArrays: b', b, (s.broadcastB ? 1 : s.batch) * s.k * s.n);
  if (c !== undefined) expectLength('matMulArrays: c', c, s.batch * s.m * s.n);
  return onCopies(engine, [a, b], c ?? s.batch * s.m * s.n, ([aAddress, bAddress], out) =>
    gemm(engine, matMulProblem(s, aAddress!, bAddress!, out, c !== undefined)),
  );
}

const inputLength = (g: Conv2dGeometry): number => g.batch * g.inHeight * g.inWidth * g.inChannels;
const outputLength = (g: Conv2dGeometry): number => g.batch * g.outHeight * g.outWidth * g.outChannels;
const filterLength = (g: Conv2dGeometry): number =>
  g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;

export function conv2dArrays(
  engine: Engine,
  g: Conv2dGeometry,
  x: Float32Array,
  filter: Float32Array,
): Float32Array {
  expectLength('conv2dArrays: x', x, inputLength(g));
  expectLength('conv2dArrays: filter', filter, filterLength(g));
  return onCopies(engine, [x, filter], outputLength(g), ([xa, fa], y) =>
    conv2dForward(engine, g, xa!, fa!, y),
  );
}

export function conv2dBackpropInputArrays(
  engine: Engine,
  g: Conv2dGeometry,
  dy: Float32Array,
  filter: Float32Array,
): Float32Array {
  expectLength('conv2dBackpropInputArrays: dy', dy, outputLength(g));
  expectLength('conv2dBackpropInputArrays: filter', filter, filterLength(g));
  return onCopies(engine, [dy, filter], inputLength(g), ([da, fa], dx) =>
    conv2dBackpropInput(engine, g, da!, fa!, dx),
  );
}

export function conv2dBackpropFilterArrays(
  engine: Engine,
  g: Conv2dGeometry,
  x: Float32Array,
  dy: Float32Array,
): Float32Array {
  expectLength('conv2dBackpropFilterArrays: x', x, inputLength(g));
  expectLength('conv2dBackpropFilterArrays: dy', dy, outputLength(g));
  return onCopies(engine, [x, dy], filterLength(g), ([xa, da], dw) =>
    conv2dBackpropFilter(engine, g, xa!, da!, dw),
  );
}

const depthwiseFilterLength = (g: Conv2dGeometry): number => g.filterHeight * g.filterWidth * g.inChannels;

export function depthwiseBackpropInputArrays(
  engine: Engine,
  g: Conv2dGeometry,
  dy: Float32Array,
  filter: Float32Array,
): Float32Array {
  expectLength('depthwiseBackpropInputArrays: dy', dy, outputLength(g));
  expectLength('depthwiseBackpropInputArrays: filter', filter, depthwiseFilterLength(g));
  return onCopies(engine, [dy, filter], inputLength(g), ([da, fa], dx) =>
    depthwiseBackpropInput(engine, g, da!, fa!, dx),
  );
}

export function depthwiseBackpropFilterArrays(
  engine: Engine,
  g: Conv2dGeometry,
  x: Float32Array,
  dy: Float32Array,
): Float32Array {
  expectLength('depthwiseBackpropFilterArrays: x', x, inputLength(g));
  expectLength('depthwiseBackpropFilterArrays: dy', dy, outputLength(g));
  return onCopies(engine, [x, dy], depthwiseFilterLength(g), ([xa, da], dw) =>
    depthwiseBackpropFilter(engine, g, xa!, da!, dw),
  );
}

export function axisSoftmaxArrays(engine: Engine, x: Float32Array, view: AxisView): Float32Array {
  expectLength('axisSoftmaxArrays: x', x, view.outer * view.n * view.inner);
  return onCopies(engine, [x], x.length, ([xa], out) => axisSoftmax(engine, xa!, out, view));
}

export function axisSoftmaxGradArrays(
  engine: Engine,
  y: Float32Array,
  dy: Float32Array,
  view: AxisView,
): Float32Array {
  expectLength('axisSoftmaxGradArrays: y', y, view.outer * view.n * view.inner);
  expectLength('axisSoftmaxGradArrays: dy', dy, y.length);
  return onCopies(engine, [y, dy], y.length, ([ya, da], dx) => axisSoftmaxGrad(engine, ya!, da!, dx, view));
}
