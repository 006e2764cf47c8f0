import { MAGMA_HEX, VIRIDIS_HEX } from './tables.js';

export const COLORMAPS = ['viridis', 'magma', 'gray'] as const;
export type ColormapName = (typeof COLORMAPS)[number];

/** 256 RGB entries, `[r0, g0, b0, r1, …]`: value v in [0, 1] takes entry `round(v × 255)`. */
export type Colormap = Uint8Array;

function fromHex(hex: string): Colormap {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < table.length; i++) table[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return table;
}

function grayTable(): Colormap {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) table.fill(i, 3 * i, 3 * i + 3);
  return table;
}

const cache = new Map<ColormapName, Colormap>();

/**
 * The 256-entry table of a colormap. viridis runs #440154 → #fde725 and magma #000004 → #fcfdbf, both with
 * luminance rising monotonically (so brighter always means larger); gray is #000000 → #ffffff.
 */
export function colormap(name: ColormapName): Colormap {
  let table = cache.get(name);
  if (table === undefined) {
    if (!(COLORMAPS as readonly string[]).includes(name)) {
      throw new Error(`unknown colormap '${String(name)}'; expected one of: ${COLORMAPS.join(', ')}`);
    }
    table = name === 'viridis' ? fromHex(VIRIDIS_HEX) : name === 'magma' ? fromHex(MAGMA_HEX) : grayTable();
    cache.set(name, table);
  }
  return table;
}

/** The table index of a value in [0, 1] (clamped; NaN maps to 0). */
export function colormapIndex(value: number): number {
  return value > 0 ? Math.min(255, Math.round(value * 255)) : 0;
}
