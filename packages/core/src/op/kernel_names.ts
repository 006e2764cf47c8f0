import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/**
 * Forward involution. Inputs: `x` [B,H,W,C], `kernel` [B,Ho,Wo,K*K,G]. Output [B,Ho,Wo,C]. On webgpu `kernel`
 * (here and in the input gradient) may instead be {@link PackFloat16}'s int32 words of the same values.
 */
export const Involution2D = 'Involution2D';
/** Gradient w.r.t. `x`. Inputs: `dy` [B,Ho,Wo,C], `kernel`. Attrs also carry `inputShape`. Output [B,H,W,C]. */
export const Involution2DBackpropInput = 'Involution2DBackpropInput';
/** Gradient w.r.t. `kernel`. Inputs: `x`, `dy`. Output [B,Ho,Wo,K*K,G]. */
export const Involution2DBackpropKernel = 'Involution2DBackpropKernel';
/**
 * float32 → float16 storage (webgpu). Input `x`, any shape, n values. Output int32 [ceil(n/2)]: value 2i in
 * the low 16 bits of word i, 2i+1 in the high, each the nearest float16 (ties to even; ±Inf from ±65520 on;
 * NaN stays NaN).
 */
export const PackFloat16 = 'PackFloat16';

/** How channel `c` picks its kernel group `g(c)` among G. */
export type GroupLayout = 'contiguous' | 'interleaved';

/** Resolved, validated attributes every involution kernel receives. */
export interface Involution2DAttrs extends NamedAttrMap {
  kernelSize: number;
  stride: number;
  dilation: number;
  /** Zero padding added before row 0 and column 0 (the op crops or zero-extends the far side as needed). */
  pad: number;
  groups: number;
  groupLayout: GroupLayout;
}

/** Attrs of {@link Involution2DBackpropInput}: the forward attrs plus the shape of `x`. */
export interface Involution2DBackpropInputAttrs extends Involution2DAttrs {
  inputShape: [number, number, number, number];
}
