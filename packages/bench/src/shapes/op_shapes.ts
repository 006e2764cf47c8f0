/** An involution workload: x [B,H,W,C], K×K kernels in G groups, stride 1, 'same' padding. */
export interface InvolutionShape {
  name: string;
  batch: number;
  height: number;
  width: number;
  channels: number;
  kernelSize: number;
  groups: number;
}

/** The Keras seed's involution layer and a RedNet stage-2 layer: the shapes the targets are stated at. */
export const OP_SHAPES: readonly InvolutionShape[] = [
  { name: 'seed', batch: 256, height: 32, width: 32, channels: 3, kernelSize: 3, groups: 1 },
  { name: 'rednet', batch: 64, height: 16, width: 16, channels: 64, kernelSize: 7, groups: 4 },
];

/** `--quick`: the same layers at an eighth of the batch, so a smoke run takes seconds. */
export function quickShape(shape: InvolutionShape): InvolutionShape {
  return { ...shape, batch: Math.max(1, Math.floor(shape.batch / 8)) };
}

export function describeShape(s: InvolutionShape): string {
  return `B${s.batch} ${s.height}×${s.width} C${s.channels} K${s.kernelSize} G${s.groups}`;
}
