import type { Pixels } from '../site/pixels.js';

type Rgb = readonly [number, number, number];

const SUN: Rgb = [250, 200, 60];
const ROOF: Rgb = [190, 50, 40];
const WALL: Rgb = [235, 225, 205];
const GRASS: readonly [Rgb, Rgb] = [
  [70, 140, 60],
  [40, 100, 40],
];

/** The colour at (u, v) in [0, 1]²: later shapes paint over earlier ones. */
function scene(u: number, v: number, x: number, y: number): Rgb {
  if ((u - 0.74) ** 2 + (v - 0.24) ** 2 < 0.13 ** 2) return SUN;
  // A house: a wall and a roof whose slopes give the diagonal edges.
  if (u > 0.14 && u < 0.46 && v > 0.5 && v < 0.8) return WALL;
  if (v > 0.3 && v <= 0.5 && Math.abs(u - 0.3) < (v - 0.3) * 1.0) return ROOF;
  if (v > 0.68) return GRASS[((x + 2 * y) >> 2) % 2]!;
  return [Math.round(90 + 100 * v), Math.round(150 + 70 * v), 235];
}

/**
 * The playground's built-in image, drawn in code so the page needs no asset: flat regions, a disc, diagonal
 * and straight edges and stripes, where location-specific kernels visibly differ.
 */
export function syntheticImage(size: number): Pixels {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data.set(scene(x / (size - 1), y / (size - 1), x, y), 3 * (y * size + x));
  }
  return { width: size, height: size, data };
}
