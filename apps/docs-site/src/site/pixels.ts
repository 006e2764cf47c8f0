import * as tf from '@tensorflow/tfjs';

/** An RGB image, 8 bits per channel, row-major `[height, width, 3]`. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** `[1, H, W, 3]` in [0, 1]: the scaling the models were trained with (÷255). */
export function pixelsToTensor(pixels: Pixels): tf.Tensor4D {
  return tf.tensor4d(
    Float32Array.from(pixels.data, (v) => v / 255),
    [1, pixels.height, pixels.width, 3],
  );
}

/** Decodes an image file and scales it to `size`×`size` (the centre square, so nothing is stretched). */
export async function imageFilePixels(file: Blob, size: number): Promise<Pixels> {
  const bitmap = await createImageBitmap(file);
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(size, size);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('this browser gives no 2d canvas context to decode the image with');
    context.imageSmoothingQuality = 'high';
    context.drawImage(
      bitmap,
      (bitmap.width - side) / 2,
      (bitmap.height - side) / 2,
      side,
      side,
      0,
      0,
      size,
      size,
    );
    const rgba = context.getImageData(0, 0, size, size).data;
    const data = new Uint8Array(size * size * 3);
    for (let i = 0; i < size * size; i++) data.set(rgba.subarray(4 * i, 4 * i + 3), 3 * i);
    return { width: size, height: size, data };
  } finally {
    bitmap.close();
  }
}
