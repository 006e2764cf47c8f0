import type * as tf from '@tensorflow/tfjs-core';

/**
 * The format of inv's saved layer configs (the `config` of each inv layer in a model's `model.json`, stored as
 * `format_version` by tfjs-layers' snake-casing). One integer, raised only when a change would make an older
 * `@inv/core` misread a file (a new optional key with a default does not raise it). A config without the field
 * was written before it existed and reads as version 1.
 */
export const LAYER_FORMAT_VERSION = 1;

/** A layer's config with the format version it is written in. */
export function withFormatVersion(config: tf.serialization.ConfigDict): tf.serialization.ConfigDict {
  return { ...config, formatVersion: LAYER_FORMAT_VERSION };
}

/**
 * Checks a saved config's format version and returns the config without it: an error naming the version when
 * a newer `@inv/core` wrote it, rather than a layer silently built from keys this one does not know.
 */
export function readFormatVersion(
  config: tf.serialization.ConfigDict,
  where: string,
): tf.serialization.ConfigDict {
  const { formatVersion = 1, ...rest } = config;
  if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion) || formatVersion < 1) {
    throw new Error(`${where}: formatVersion must be an integer ≥ 1, got ${JSON.stringify(formatVersion)}`);
  }
  if (formatVersion > LAYER_FORMAT_VERSION) {
    throw new Error(
      `${where}: saved in layer format ${formatVersion} by a newer @inv/core; this one reads up to format ${LAYER_FORMAT_VERSION}: upgrade @inv/core to load it`,
    );
  }
  return rest;
}
