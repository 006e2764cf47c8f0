import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/** Forward involution. Inputs: `x` [B,H,W,C], `kernel` [B,Ho,Wo,K*K,G]. Output [B,Ho,Wo,C]. */
export const Involution2D = 'Involution2D';
/** Gradient w.r.t. `x`. Inputs: `dy` [B,Ho,Wo,C], `kernel`. Attrs also carry `inputShape`. Output [B,H,W,C]. */
export const Involution2DBackpropInput = 'Involution2DBackpropInput';
/** Gradient w.r.t. `kernel`. Inputs: `x`, `dy`. Output [B,Ho,Wo,K*K,G]. */
export const Involution2DBackpropKernel = 'Involution2DBackpropKernel';

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
