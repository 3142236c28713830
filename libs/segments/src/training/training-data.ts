/** n×d features in row-major order, with one integer label in [0, classes) per row. */
export interface TrainingData {
  readonly features: Float64Array; // length rows*columns
  readonly rows: number;
  readonly columns: number;
  readonly labels: Int32Array; // length rows
  readonly classes: number;
}
