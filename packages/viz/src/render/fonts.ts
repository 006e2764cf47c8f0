import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The TrueType files of DejaVu Sans (regular, bold) from the `dejavu-fonts-ttf` package: the renderers load
 * these and no system font, so a figure comes out the same on every machine.
 */
export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;
