/**
 * What the three involution WebGPU programs share: channel vectorisation, the group mapping and the tap loops
 * as WGSL generators, and the shader-key part that names the baked-in geometry.
 *
 * Nothing here imports @tensorflow/tfjs-backend-webgpu at runtime: that module registers its backend only
 * if `navigator.gpu` exists when it is first imported, and `initBackend('webgpu')` must be the one to do it.
 */
import type { GroupLayout } from '../../op/kernel_names.js';
import type { InvolutionGeometry } from '../../op/geometry.js';
import type { KernelStorage } from './float16_wgsl.js';

/**
 * Taps are unrolled (literal offsets, so index arithmetic and bounds checks on constants fold away) up to
 * K = 7, RedNet's kernel size (49 tap bodies); larger K keeps constant-bound loops to bound shader size.
 */
const MAX_UNROLLED_KERNEL_SIZE = 7;

/**
 * The group layout with the degenerate cases folded: with one group, or one channel per group, both
 * mappings agree, and naming them alike gives equal code one shader key and lets the vec4 paths apply.
 */
export function effectiveLayout(g: InvolutionGeometry): GroupLayout {
  if (g.groups === 1) return 'contiguous';
  if (g.channelsPerGroup === 1) return 'interleaved';
  return g.groupLayout;
}

/** Channels per invocation in the x/dx/out space: a vec4 of adjacent channels whenever C % 4 == 0. */
export function channelComponents(g: InvolutionGeometry): 1 | 4 {
  return g.channels % 4 === 0 ? 4 : 1;
}

/** Everything the generated code bakes in as constants (image sizes and batch stay uniforms). */
export function geometryKey(g: InvolutionGeometry): string {
  return `K${g.kernelSize}_s${g.stride}_d${g.dilation}_p${g.pad}_G${g.groups}_Cg${g.channelsPerGroup}_${effectiveLayout(g)}`;
}

/** WGSL expression for g(c), the group of channel `c` (an i32 expression). */
export function groupOfWgsl(g: InvolutionGeometry, c: string): string {
  return effectiveLayout(g) === 'contiguous' ? `(${c}) / ${g.channelsPerGroup}` : `(${c}) % ${g.groups}`;
}

/**
 * WGSL that emits `body(tap)` for tap = 0 … K-1 along one axis: unrolled with literal taps for small K,
 * a loop with a constant bound otherwise (`tap` is then the loop variable `name`).
 */
export function tapLoop(g: InvolutionGeometry, name: string, body: (tap: string) => string): string {
  if (g.kernelSize > MAX_UNROLLED_KERNEL_SIZE) {
    return `for (var ${name} = 0; ${name} < ${g.kernelSize}; ${name}++) {\n${body(name)}\n}`;
  }
  return Array.from({ length: g.kernelSize }, (_, tap) => `{\n${body(String(tap))}\n}`).join('\n');
}

/**
 * WGSL visiting the K² taps of output pixel (outRow, outCol): `inside` for those whose input pixel (inRow,
 * inCol) lies in the image (`height`, `width` are i32 expressions), `padding` for the others (see
 * {@link PADDING_TERM_WGSL}); in both the local t (= u*K + v) is defined, in `inside` also inRow and inCol.
 */
export function imageTaps(
  g: InvolutionGeometry,
  height: string,
  width: string,
  inside: string,
  padding: string,
): string {
  const { kernelSize: K, stride: s, dilation: d, pad: p } = g;
  const paddingTap = (u: string, v: string): string => `{\n let t = ${u} * ${K} + ${v};\n ${padding}\n}`;
  return tapLoop(
    g,
    'u',
    (u) => `
    let inRow = outRow * ${s} + ${u} * ${d} - ${p};
    if (inRow >= 0 && inRow < ${height}) {
      ${tapLoop(
        g,
        'v',
        (v) => `
      let inCol = outCol * ${s} + ${v} * ${d} - ${p};
      if (inCol >= 0 && inCol < ${width}) {
        let t = ${u} * ${K} + ${v};
        ${inside}
      } else ${paddingTap(u, v)}`,
      )}
    } else {
      ${tapLoop(g, 'v', (v) => paddingTap(u, v))}
    }`,
  );
}

/**
 * WGSL functions giving what an out-of-image tap adds for a factor k: k·0 under IEEE rules, so 0, or NaN for
 * NaN and ±Inf, as the composite and PyTorch give (x is zero-padded there). Tested and made on the bits:
 * WGSL lets compilers assume finite math (and fold k·0 to 0), and a NaN constant is not a value WGSL keeps.
 */
export const PADDING_TERM_WGSL = `
  fn paddingTerm(k : f32) -> f32 {
    let bits = bitcast<u32>(k);
    return select(0.0, bitcast<f32>(bits | 0x7fc00000u), (bits & 0x7f800000u) == 0x7f800000u);
  }
  fn paddingTerm4(k : vec4<f32>) -> vec4<f32> {
    let bits = bitcast<vec4<u32>>(k);
    let exponent = vec4<u32>(0x7f800000u);
    return select(vec4<f32>(0.0), bitcast<vec4<f32>>(bits | vec4<u32>(0x7fc00000u)), (bits & exponent) == exponent);
  }
`;

/** The {@link PADDING_TERM_WGSL} function for a value of `components` channels. */
export function paddingTermOf(components: 1 | 4): string {
  return components === 4 ? 'paddingTerm4' : 'paddingTerm';
}

/** Whether the four lanes of a channel vector (or a scalar channel) always share one group. */
export function lanesShareGroup(g: InvolutionGeometry): boolean {
  return channelComponents(g) === 1 || (effectiveLayout(g) === 'contiguous' && g.channelsPerGroup % 4 === 0);
}

/**
 * How an invocation over `components` adjacent channels starting at `c` reads its kernel taps: `declaration`
 * (WGSL, once per invocation) names the group(s), `kernelAt(base)` is the factor for the kernel elements at
 * `base + group` (a scalar that broadcasts when all lanes share one group, else a vec4 of four reads), of
 * `components` floats, read as `storage` says.
 */
export function laneGroups(
  g: InvolutionGeometry,
  c: string,
  storage: KernelStorage,
): { declaration: string; kernelAt: (base: string) => string; components: 1 | 4 } {
  if (lanesShareGroup(g)) {
    return {
      declaration: `let group = ${groupOfWgsl(g, c)};`,
      kernelAt: (base) => storage.read(`${base} + group`),
      components: 1,
    };
  }
  const lanes = [0, 1, 2, 3].map((lane) => groupOfWgsl(g, `${c} + ${lane}`)).join(', ');
  return {
    declaration: `let lanes = vec4<i32>(${lanes});`,
    kernelAt: (base) =>
      `vec4<f32>(${['x', 'y', 'z', 'w'].map((l) => storage.read(`${base} + lanes.${l}`)).join(', ')})`,
    components: 4,
  };
}

/** WGSL type of a value spanning `components` channels. */
export function valueType(components: 1 | 4): string {
  return components === 4 ? 'vec4<f32>' : 'f32';
}
