/** The options of `nx g @inv/tools:kernel-generator` (schema.json). */
export interface KernelGeneratorSchema {
  /** The generator's registered name, kebab-case. */
  name: string;
  /** The parent directory of the new package; default `packages`. */
  directory?: string;
}
