/** A float64 reference result (or input): flat row-major data and its shape. */
export interface ReferenceArray {
  data: Float64Array;
  shape: number[];
}
