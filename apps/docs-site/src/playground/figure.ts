import type * as tf from '@tensorflow/tfjs';
import {
  heatmapGrid,
  heatmapTitle,
  kernelHeatmaps,
  normalizeHeatmaps,
  rgbImage,
  type HeatmapColumn,
  type Reduction,
  type Scene,
} from '@inv/viz/browser';
import type { Pixels } from '../site/pixels.js';

const CHANNEL_NAMES = ['R', 'G', 'B'];

/** Output channel `c` of a `[1, Ho, Wo, C]` result as a one-map stack. */
function channelMap(values: Float32Array, shape: readonly number[], c: number): HeatmapColumn['maps'] {
  const [, height, width, channels] = shape as [number, number, number, number];
  const data = Float32Array.from({ length: height * width }, (_, i) => values[i * channels + c]!);
  return normalizeHeatmaps({ count: 1, height, width, data }, 'image');
}

/** The input, the kernel heatmap (reduced over taps and groups) and each output channel, side by side. */
export async function playgroundFigure(
  pixels: Pixels,
  output: tf.Tensor4D,
  kernel: tf.Tensor5D,
  reduce: Reduction,
): Promise<Scene> {
  const values = (await output.data()) as Float32Array;
  const columns: HeatmapColumn[] = [
    {
      title: heatmapTitle('kernel', reduce, 'image'),
      maps: normalizeHeatmaps(await kernelHeatmaps(kernel, reduce), 'image'),
    },
    ...CHANNEL_NAMES.map((name, c) => ({
      title: `output ${name}`,
      maps: channelMap(values, output.shape, c),
    })),
  ];
  return heatmapGrid([rgbImage(pixels.data, pixels.width, pixels.height)], columns, { cellSize: 144 });
}
